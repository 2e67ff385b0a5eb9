/**
 * The metric factory: pure metric definitions, no constructs. Alarms and dashboards are built on
 * these (alarms.ts, dashboards.ts), so an alarm and its graph always show the same series.
 * Plain metrics carry no label (an alarm on a labelled metric renders in the `Metrics` form);
 * widgets label them with `.with({ label })`. Math expressions carry theirs.
 *
 * Names come from `lambda/shared/metrics.ts`, the module the functions emit with.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  DIMENSION_DATASET,
  DIMENSION_DOMAIN,
  DIMENSION_SERVICE,
  JANITOR_SERVICE_NAME,
  METRICS_NAMESPACE,
  METRIC_BYTES_IN,
  METRIC_DRIFT_COLUMNS,
  METRIC_JANITOR_RUNS,
  METRIC_OBJECTS_DELETED,
  METRIC_ROWS_IN,
  METRIC_ROWS_OUT,
  METRIC_ROWS_QUARANTINED,
  METRIC_WORKSPACES_DELETED,
  METRIC_WORKSPACES_KEPT,
} from '../../lambda/shared/metrics';

/** The period of operational alarms (errors, throttles, duration, queues). */
export const DEFAULT_PERIOD = Duration.minutes(5);
/** The period of the hourly-window alarms (freshness, janitor heartbeat). */
export const HOUR = Duration.hours(1);
/** The period of the daily Athena budget. */
export const DAY = Duration.days(1);

export const ATHENA_NAMESPACE = 'AWS/Athena';
export const ATHENA_PROCESSED_BYTES = 'ProcessedBytes';
/**
 * Athena publishes `ProcessedBytes` for DML queries only, with the dimensions `QueryState`,
 * `QueryType` and `WorkGroup` (Athena user guide, "CloudWatch metrics and dimensions"). The budget
 * sums the terminal states explicitly instead of relying on a WorkGroup-only aggregate, which the
 * documentation does not promise. The current guide spells the cancelled state `CANCELED`, an
 * earlier one `CANCELLED` (the Athena API's spelling); both are summed, the one that does not
 * exist contributes nothing.
 */
export const ATHENA_TERMINAL_QUERY_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED', 'CANCELLED'] as const;

/** Lambda function metrics (AWS/Lambda, dimension FunctionName = the function). */
export interface FunctionMetrics {
  readonly invocations: cloudwatch.Metric;
  readonly errors: cloudwatch.Metric;
  readonly throttles: cloudwatch.Metric;
  readonly durationP99: cloudwatch.Metric;
}

export function functionMetrics(fn: lambda.IFunction, period: Duration = DEFAULT_PERIOD): FunctionMetrics {
  return {
    invocations: fn.metricInvocations({ statistic: cloudwatch.Stats.SUM, period }),
    errors: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period }),
    throttles: fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period }),
    durationP99: fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period }),
  };
}

/** SQS queue metrics (AWS/SQS, dimension QueueName = the queue). */
export interface QueueMetrics {
  readonly ageOfOldestMessage: cloudwatch.Metric;
  readonly visibleMessages: cloudwatch.Metric;
  readonly inFlightMessages: cloudwatch.Metric;
}

export function queueMetrics(queue: sqs.IQueue, period: Duration = DEFAULT_PERIOD): QueueMetrics {
  return {
    ageOfOldestMessage: queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period }),
    visibleMessages: queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period }),
    inFlightMessages: queue.metricApproximateNumberOfMessagesNotVisible({ statistic: cloudwatch.Stats.MAXIMUM, period }),
  };
}

/** The dataset transform's custom metrics (namespace GovernedLakehouse, dimensions Domain and Dataset). */
export interface DatasetMetrics {
  readonly rowsIn: cloudwatch.Metric;
  readonly rowsOut: cloudwatch.Metric;
  readonly rowsQuarantined: cloudwatch.Metric;
  readonly bytesIn: cloudwatch.Metric;
  readonly driftColumns: cloudwatch.Metric;
}

/** The dimensions the transform emits its metrics with: exactly `Domain` and `Dataset`. */
export function datasetDimensions(domain: string, dataset: string): Record<string, string> {
  return { [DIMENSION_DOMAIN]: domain, [DIMENSION_DATASET]: dataset };
}

export function datasetMetrics(domain: string, dataset: string, period: Duration = HOUR): DatasetMetrics {
  const metric = (metricName: string, statistic: string = cloudwatch.Stats.SUM) =>
    new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: datasetDimensions(domain, dataset), statistic, period });
  return {
    rowsIn: metric(METRIC_ROWS_IN),
    rowsOut: metric(METRIC_ROWS_OUT),
    rowsQuarantined: metric(METRIC_ROWS_QUARANTINED),
    bytesIn: metric(METRIC_BYTES_IN),
    driftColumns: metric(METRIC_DRIFT_COLUMNS, cloudwatch.Stats.MAXIMUM),
  };
}

/**
 * RowsQuarantined / RowsIn over the period. In metric math a missing value counts as 0 and a
 * division by zero drops the data point: no rows in → no data point (not a ratio of 0).
 */
export function quarantineRatio(domain: string, dataset: string, period: Duration): cloudwatch.MathExpression {
  const m = datasetMetrics(domain, dataset, period);
  return new cloudwatch.MathExpression({
    expression: 'rowsQuarantined / rowsIn',
    usingMetrics: { rowsQuarantined: m.rowsQuarantined, rowsIn: m.rowsIn },
    period,
    label: 'Quarantine ratio',
  });
}

/** Bytes scanned by the workgroup's DML queries, summed over the terminal query states. */
export function athenaBytesScanned(workgroupName: string, period: Duration = DAY): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  ATHENA_TERMINAL_QUERY_STATES.forEach((state, i) => {
    usingMetrics[`scanned${i}`] = new cloudwatch.Metric({
      namespace: ATHENA_NAMESPACE,
      metricName: ATHENA_PROCESSED_BYTES,
      dimensionsMap: { QueryState: state, QueryType: 'DML', WorkGroup: workgroupName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  });
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).join(' + '),
    usingMetrics,
    period,
    label: `Bytes scanned (${workgroupName})`,
  });
}

/** The sandbox janitor's custom metrics (namespace GovernedLakehouse, dimension service = sandbox-janitor). */
export interface JanitorMetrics {
  readonly runs: cloudwatch.Metric;
  readonly workspacesDeleted: cloudwatch.Metric;
  readonly objectsDeleted: cloudwatch.Metric;
  readonly workspacesKept: cloudwatch.Metric;
}

export function janitorMetrics(period: Duration = HOUR): JanitorMetrics {
  const metric = (metricName: string) =>
    new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [DIMENSION_SERVICE]: JANITOR_SERVICE_NAME }, statistic: cloudwatch.Stats.SUM, period });
  return {
    runs: metric(METRIC_JANITOR_RUNS),
    workspacesDeleted: metric(METRIC_WORKSPACES_DELETED),
    objectsDeleted: metric(METRIC_OBJECTS_DELETED),
    workspacesKept: metric(METRIC_WORKSPACES_KEPT),
  };
}
