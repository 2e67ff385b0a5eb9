import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  athenaBytesScanned,
  datasetMetrics,
  functionMetrics,
  janitorMetrics,
  quarantineRatio,
  queueMetrics,
} from '../../../constructs/monitoring';
import * as shared from '../../../lambda/shared/metrics';
import { inlineFunction, monitoringApp, queue } from './helpers';

describe('metric factory', () => {
  test('the shared module names the transform metrics the issue specifies', () => {
    expect([shared.METRICS_NAMESPACE, shared.METRIC_ROWS_IN, shared.METRIC_ROWS_OUT, shared.METRIC_ROWS_QUARANTINED, shared.METRIC_BYTES_IN, shared.METRIC_DRIFT_COLUMNS]).toEqual([
      'GovernedLakehouse',
      'RowsIn',
      'RowsOut',
      'RowsQuarantined',
      'BytesIn',
      'DriftColumns',
    ]);
    expect([shared.DIMENSION_DOMAIN, shared.DIMENSION_DATASET, shared.DIMENSION_SERVICE]).toEqual(['Domain', 'Dataset', 'service']);
  });

  test('dataset metrics: GovernedLakehouse, exactly the Domain and Dataset dimensions, Sum per period', () => {
    const m = datasetMetrics('sales', 'orders', Duration.hours(1));
    expect([m.rowsIn, m.rowsOut, m.rowsQuarantined, m.bytesIn].map((x) => [x.namespace, x.metricName, x.dimensions, x.statistic, x.period.toSeconds()])).toEqual([
      ['GovernedLakehouse', 'RowsIn', { Domain: 'sales', Dataset: 'orders' }, 'Sum', 3600],
      ['GovernedLakehouse', 'RowsOut', { Domain: 'sales', Dataset: 'orders' }, 'Sum', 3600],
      ['GovernedLakehouse', 'RowsQuarantined', { Domain: 'sales', Dataset: 'orders' }, 'Sum', 3600],
      ['GovernedLakehouse', 'BytesIn', { Domain: 'sales', Dataset: 'orders' }, 'Sum', 3600],
    ]);
    expect([m.driftColumns.metricName, m.driftColumns.statistic]).toEqual(['DriftColumns', 'Maximum']);
  });

  test('quarantine ratio: quarantined over in, both from the dataset, at the given period', () => {
    const ratio = quarantineRatio('sales', 'orders', Duration.minutes(15));
    expect(ratio.expression).toBe('rowsQuarantined / rowsIn');
    const using = ratio.usingMetrics as Record<string, cloudwatch.Metric>;
    expect(Object.keys(using).sort()).toEqual(['rowsIn', 'rowsQuarantined']);
    expect([using.rowsIn.metricName, using.rowsQuarantined.metricName]).toEqual(['RowsIn', 'RowsQuarantined']);
    expect(ratio.period.toSeconds()).toBe(900);
  });

  test('janitor metrics: the Powertools service dimension = sandbox-janitor', () => {
    const m = janitorMetrics();
    expect([m.runs.namespace, m.runs.metricName, m.runs.dimensions, m.runs.statistic, m.runs.period.toSeconds()]).toEqual([
      'GovernedLakehouse',
      'JanitorRuns',
      { service: 'sandbox-janitor' },
      'Sum',
      3600,
    ]);
  });

  test('Athena bytes scanned: ProcessedBytes of DML queries in every terminal state of the workgroup, summed', () => {
    const e = athenaBytesScanned('lakehouse-dev-analysts');
    const metrics = Object.values(e.usingMetrics) as cloudwatch.Metric[];
    expect(e.expression).toBe('scanned0 + scanned1 + scanned2 + scanned3');
    expect(e.period.toSeconds()).toBe(86400);
    expect(metrics.map((m) => [m.namespace, m.metricName, m.statistic, m.dimensions?.QueryType, m.dimensions?.WorkGroup])).toEqual(
      Array(4).fill(['AWS/Athena', 'ProcessedBytes', 'Sum', 'DML', 'lakehouse-dev-analysts']),
    );
    expect(metrics.map((m) => m.dimensions?.QueryState)).toEqual(['SUCCEEDED', 'FAILED', 'CANCELED', 'CANCELLED']);
  });

  test('function and queue metrics use the resource dimensions and the alarm statistics', () => {
    const stack = new Stack(monitoringApp(), 'Test');
    const fm = functionMetrics(inlineFunction(stack));
    expect([fm.errors.metricName, fm.errors.statistic, fm.throttles.metricName, fm.durationP99.metricName, fm.durationP99.statistic]).toEqual([
      'Errors',
      'Sum',
      'Throttles',
      'Duration',
      'p99',
    ]);
    expect(Object.keys(fm.errors.dimensions ?? {})).toEqual(['FunctionName']);
    const qm = queueMetrics(queue(stack, 'Q'));
    expect([qm.ageOfOldestMessage.metricName, qm.ageOfOldestMessage.statistic, qm.visibleMessages.metricName, qm.visibleMessages.statistic]).toEqual([
      'ApproximateAgeOfOldestMessage',
      'Maximum',
      'ApproximateNumberOfMessagesVisible',
      'Maximum',
    ]);
    expect(Object.keys(qm.visibleMessages.dimensions ?? {})).toEqual(['QueueName']);
  });
});
