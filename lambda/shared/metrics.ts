/**
 * Metric names, namespace and dimensions the functions emit and the monitoring constructs alarm
 * on. One module so the two cannot drift. Pure: imports nothing.
 */
export const METRICS_NAMESPACE = 'GovernedLakehouse';

/** Sandbox janitor (Powertools `service` dimension = JANITOR_SERVICE_NAME). */
export const JANITOR_SERVICE_NAME = 'sandbox-janitor';
export const METRIC_JANITOR_RUNS = 'JanitorRuns';
export const METRIC_WORKSPACES_DELETED = 'WorkspacesDeleted';
export const METRIC_OBJECTS_DELETED = 'ObjectsDeleted';
export const METRIC_WORKSPACES_KEPT = 'WorkspacesKept';

/**
 * Dataset transform metrics, one data point per processed file. Dimensions: exactly
 * `Domain` = DIMENSION_DOMAIN and `Dataset` = DIMENSION_DATASET, nothing else — a CloudWatch
 * metric is identified by its full dimension set, and the alarms query exactly these two.
 * Powertools adds `service` as a default dimension: the transform must drop it before adding
 * these (`metrics.clearDefaultDimensions()`), or the alarms and dashboards see no data.
 */
export const DIMENSION_DOMAIN = 'Domain';
export const DIMENSION_DATASET = 'Dataset';
/** Powertools' default dimension, present on the janitor's metrics (value JANITOR_SERVICE_NAME). */
export const DIMENSION_SERVICE = 'service';
/** Records read from the arriving file (unit Count). */
export const METRIC_ROWS_IN = 'RowsIn';
/** Records written to the clean zone (unit Count); emit 0 when none, so a run is visible. */
export const METRIC_ROWS_OUT = 'RowsOut';
/** Records written to the quarantine zone (unit Count); emit 0 when none. */
export const METRIC_ROWS_QUARANTINED = 'RowsQuarantined';
/** Bytes of the arriving file (unit Bytes). */
export const METRIC_BYTES_IN = 'BytesIn';
/** Columns of the arriving file that the contract does not know, or contract columns missing from it (unit Count). */
export const METRIC_DRIFT_COLUMNS = 'DriftColumns';
