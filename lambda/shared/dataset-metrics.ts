/**
 * Publishes the per-file dataset metrics (RowsIn, RowsOut, RowsQuarantined, BytesIn,
 * DriftColumns) with exactly the Domain and Dataset dimensions the alarms query. Both routes
 * publish through this: the transform function and the big-file route (Athena).
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import {
  DIMENSION_DATASET,
  DIMENSION_DOMAIN,
  METRIC_BYTES_IN,
  METRIC_DRIFT_COLUMNS,
  METRIC_ROWS_IN,
  METRIC_ROWS_OUT,
  METRIC_ROWS_QUARANTINED,
} from './metrics';

export interface DatasetFileCounts {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsQuarantined: number;
  readonly bytesIn: number;
  /** Extra plus missing columns. */
  readonly driftColumns: number;
}

export function publishDatasetMetrics(m: Metrics, domain: string, dataset: string, c: DatasetFileCounts): void {
  // Exactly Domain and Dataset: Powertools' default `service` dimension would hide the data points
  // from the alarms (metrics.ts).
  m.clearDefaultDimensions();
  m.addDimensions({ [DIMENSION_DOMAIN]: domain, [DIMENSION_DATASET]: dataset });
  m.addMetric(METRIC_ROWS_IN, MetricUnit.Count, c.rowsIn);
  m.addMetric(METRIC_ROWS_OUT, MetricUnit.Count, c.rowsOut);
  m.addMetric(METRIC_ROWS_QUARANTINED, MetricUnit.Count, c.rowsQuarantined);
  m.addMetric(METRIC_BYTES_IN, MetricUnit.Bytes, c.bytesIn);
  m.addMetric(METRIC_DRIFT_COLUMNS, MetricUnit.Count, c.driftColumns);
  m.publishStoredMetrics();
}
