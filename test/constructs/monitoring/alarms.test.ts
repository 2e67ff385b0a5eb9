import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import {
  DatasetMonitoring,
  DeadLetterQueueMonitoring,
  FunctionMonitoring,
  JanitorMonitoring,
  QueueMonitoring,
  ScheduleGroupMonitoring,
  WorkgroupMonitoring,
} from '../../../constructs/monitoring';
import { alarmsByName, inlineFunction, logicalId, monitoringStack, queue } from './helpers';

const GIB = 1024 ** 3;

/** Dimensions as a name → value map (the template lists them in CDK's order). */
function dims(props: Record<string, any>, at: 'top' | number = 'top'): Record<string, unknown> {
  const list = at === 'top' ? props.Dimensions : props.Metrics[at].MetricStat.Metric.Dimensions;
  return Object.fromEntries((list as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]));
}

describe('FunctionMonitoring', () => {
  function build(timeout = Duration.minutes(5), thresholds = {}) {
    const { stack, options, topicRef } = monitoringStack();
    const fn = inlineFunction(stack, 'Fn', timeout);
    const monitoring = new FunctionMonitoring(stack, 'Monitoring', { ...options, thresholds, domain: 'sales', dataset: 'orders', label: 'transform', function: fn, timeout });
    return { stack, fn, monitoring, topicRef, alarms: alarmsByName(Template.fromStack(stack)) };
  }

  test('errors > 0, throttles > 0, p99 duration > 80 % of the timeout, on the function, with ALARM and OK actions', () => {
    const { stack, fn, monitoring, topicRef, alarms } = build();
    const fnRef = { Ref: logicalId(stack, fn) };
    expect(Object.keys(alarms).sort()).toEqual(['dev-sales-orders-transform-duration', 'dev-sales-orders-transform-errors', 'dev-sales-orders-transform-throttles']);
    expect(alarms['dev-sales-orders-transform-errors']).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(alarms['dev-sales-orders-transform-throttles']).toMatchObject({ MetricName: 'Throttles', Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', AlarmActions: [topicRef], OKActions: [topicRef] });
    expect(alarms['dev-sales-orders-transform-duration']).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 240000, // 0.8 × 300 s
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    for (const alarm of Object.values(alarms)) expect(dims(alarm)).toEqual({ FunctionName: fnRef });
    expect(monitoring.alarms).toHaveLength(3);
    expect(monitoring.alarmNames).toEqual(['dev-sales-orders-transform-errors', 'dev-sales-orders-transform-throttles', 'dev-sales-orders-transform-duration']);
  });

  test('the duration threshold follows the timeout and the configured fraction; errors the configured count', () => {
    const { alarms } = build(Duration.seconds(60), { durationTimeoutFraction: 0.5, functionErrors: 2 });
    expect(alarms['dev-sales-orders-transform-duration'].Threshold).toBe(30000);
    expect(alarms['dev-sales-orders-transform-errors'].Threshold).toBe(2);
  });

  test('descriptions carry the environment, domain, dataset, condition, first check and threshold key', () => {
    const { alarms } = build();
    const d = alarms['dev-sales-orders-transform-errors'].AlarmDescription as string;
    expect(d).toMatch(/^\[dev\] sales\/orders — transform-errors: Errors > 0 \(Sum over 5 min\)\. First check: .+\(threshold: monitoring\.functionErrors\)$/);
  });

  test('widgets: a graph of invocations/errors/throttles and one of p99 duration with the threshold line', () => {
    const { monitoring } = build();
    const rendered = JSON.stringify(monitoring.widgets().map((w) => w.toJson()));
    expect(monitoring.widgets()).toHaveLength(2);
    expect(rendered).toContain('"Errors"');
    expect(rendered).toContain('"Duration"');
    expect(rendered).toContain('"value":240000');
  });

  test('fails if the label cannot be part of an alarm name', () => {
    const { stack, options } = monitoringStack();
    const fn = inlineFunction(stack);
    expect(() => new FunctionMonitoring(stack, 'M', { ...options, domain: 'sales', dataset: 'orders', label: 'my transform', function: fn, timeout: Duration.minutes(1) })).toThrow(/LH154.*"my transform"/);
  });

  test('fails if the domain is not a plain name', () => {
    const { stack, options } = monitoringStack();
    const fn = inlineFunction(stack);
    expect(() => new FunctionMonitoring(stack, 'M', { ...options, domain: 'sales/eu', dataset: 'orders', function: fn, timeout: Duration.minutes(1) })).toThrow(/LH154.*domain/);
  });

  test('fails if a threshold is invalid, naming the key', () => {
    const { stack, options } = monitoringStack();
    const fn = inlineFunction(stack);
    expect(() => new FunctionMonitoring(stack, 'M', { ...options, thresholds: { durationTimeoutFraction: 1.2 }, domain: 'sales', dataset: 'orders', function: fn, timeout: Duration.minutes(1) })).toThrow(
      /LH151.*monitoring\.durationTimeoutFraction/,
    );
  });

  test('fails if two alarms in the app would get the same name', () => {
    const { stack, options } = monitoringStack();
    const props = { ...options, domain: 'sales', dataset: 'orders', timeout: Duration.minutes(1) };
    new FunctionMonitoring(stack, 'A', { ...props, function: inlineFunction(stack, 'F1') });
    expect(() => new FunctionMonitoring(stack, 'B', { ...props, function: inlineFunction(stack, 'F2') })).toThrow(/LH156.*dev-sales-orders-function-errors/);
  });
});

describe('QueueMonitoring', () => {
  function build(freshnessSlaHours: number, thresholds = {}) {
    const { stack, options, topicRef } = monitoringStack();
    const q = queue(stack, 'Queue');
    const monitoring = new QueueMonitoring(stack, 'Monitoring', { ...options, thresholds, domain: 'sales', dataset: 'orders', queue: q, freshnessSlaHours });
    return { stack, q, monitoring, topicRef, alarms: alarmsByName(Template.fromStack(stack)) };
  }

  test('age of the oldest message above 0.25 × SLA (6 h → 5,400 s), on the queue, with ALARM and OK actions', () => {
    const { stack, q, monitoring, topicRef, alarms } = build(6);
    const alarm = alarms['dev-sales-orders-queue-age'];
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 5400,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(dims(alarm)).toEqual({ QueueName: { 'Fn::GetAtt': [logicalId(stack, q), 'QueueName'] } });
    expect(monitoring.ageThresholdSeconds).toBe(5400);
  });

  test('a short SLA gets the floor, a long one the cap', () => {
    expect(build(1).alarms['dev-sales-orders-queue-age'].Threshold).toBe(900);
    expect(build(744).alarms['dev-sales-orders-queue-age'].Threshold).toBe(86400);
    expect(build(2, { queueAgeFloorSeconds: 3600 }).alarms['dev-sales-orders-queue-age'].Threshold).toBe(3600);
  });

  test('fails if the label cannot be part of an alarm name', () => {
    const { stack, options } = monitoringStack();
    expect(() => new QueueMonitoring(stack, 'M', { ...options, domain: 'sales', dataset: 'orders', label: '-queue', queue: queue(stack, 'Q'), freshnessSlaHours: 6 })).toThrow(/LH154.*"-queue"/);
  });

  test.each([0, 0.5, 745, NaN])('fails if the SLA is %p hours', (sla) => {
    const { stack, options } = monitoringStack();
    expect(() => new QueueMonitoring(stack, 'M', { ...options, domain: 'sales', dataset: 'orders', queue: queue(stack, 'Q'), freshnessSlaHours: sla })).toThrow(/LH158/);
  });
});

describe('DeadLetterQueueMonitoring', () => {
  test('any visible message (Maximum > 0), on the dead-letter queue, with ALARM and OK actions', () => {
    const { stack, options, topicRef } = monitoringStack();
    const dlq = queue(stack, 'Dlq');
    new DeadLetterQueueMonitoring(stack, 'Monitoring', { ...options, domain: 'sales', dataset: 'orders', queue: dlq });
    const alarm = alarmsByName(Template.fromStack(stack))['dev-sales-orders-dlq-messages'];
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(dims(alarm)).toEqual({ QueueName: { 'Fn::GetAtt': [logicalId(stack, dlq), 'QueueName'] } });
  });
});

describe('DatasetMonitoring', () => {
  function build(freshnessSlaHours = 6, thresholds = {}) {
    const { stack, options, topicRef } = monitoringStack();
    const monitoring = new DatasetMonitoring(stack, 'Monitoring', { ...options, thresholds, domain: 'sales', dataset: 'orders', freshnessSlaHours });
    return { stack, monitoring, topicRef, alarms: alarmsByName(Template.fromStack(stack)) };
  }

  test('quarantine ratio: RowsQuarantined / RowsIn of the dataset over an hour > 0.05, missing data not breaching', () => {
    const { alarms, topicRef } = build();
    const alarm = alarms['dev-sales-orders-quarantine-ratio'];
    expect(alarm).toMatchObject({
      Threshold: 0.05,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(alarm.Metrics[0]).toMatchObject({ Expression: 'rowsQuarantined / rowsIn', ReturnData: true });
    const stats = alarm.Metrics.slice(1).map((m: any, i: number) => [m.Id, m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Period, dims(alarm, i + 1)]);
    expect(stats).toEqual([
      ['rowsQuarantined', 'GovernedLakehouse', 'RowsQuarantined', 'Sum', 3600, { Domain: 'sales', Dataset: 'orders' }],
      ['rowsIn', 'GovernedLakehouse', 'RowsIn', 'Sum', 3600, { Domain: 'sales', Dataset: 'orders' }],
    ]);
  });

  test('quarantine ratio threshold and period come from the configuration', () => {
    const alarm = build(6, { quarantineRatio: 0.2, quarantineRatioPeriodMinutes: 15 }).alarms['dev-sales-orders-quarantine-ratio'];
    expect(alarm.Threshold).toBe(0.2);
    expect(alarm.Metrics[1].MetricStat.Period).toBe(900);
  });

  test('freshness: RowsOut Sum < 1 in each of SLA + 1 hourly periods, missing data BREACHING', () => {
    const { alarms, monitoring, topicRef } = build(6);
    const alarm = alarms['dev-sales-orders-freshness'];
    expect(alarm).toMatchObject({
      Namespace: 'GovernedLakehouse',
      MetricName: 'RowsOut',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 7,
      DatapointsToAlarm: 7,
      TreatMissingData: 'breaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(dims(alarm)).toEqual({ Domain: 'sales', Dataset: 'orders' });
    expect(monitoring.freshnessWindowHours).toBe(7);
  });

  test('freshness: no run at all is not "insufficient data" — every missing hour counts against the dataset', () => {
    // With TreatMissingData=breaching and M = N, a dataset whose transform never emits RowsOut goes to
    // ALARM after N hours; one hour with RowsOut ≥ 1 in the window keeps it OK.
    const alarm = build(2).alarms['dev-sales-orders-freshness'];
    expect([alarm.TreatMissingData, alarm.DatapointsToAlarm, alarm.EvaluationPeriods, alarm.Threshold, alarm.ComparisonOperator]).toEqual(['breaching', 3, 3, 1, 'LessThanThreshold']);
    expect(alarm.InsufficientDataActions ?? []).toEqual([]);
  });

  test('the grace hours come from the configuration', () => {
    expect(build(6, { freshnessGraceHours: 0 }).alarms['dev-sales-orders-freshness'].EvaluationPeriods).toBe(6);
  });

  test('an SLA beyond the 7-day window is capped at 168 hourly periods, with a warning', () => {
    const { stack, alarms } = build(744);
    expect(alarms['dev-sales-orders-freshness']).toMatchObject({ Period: 3600, EvaluationPeriods: 168, DatapointsToAlarm: 168 });
    Annotations.fromStack(stack).hasWarning('/Test/Monitoring', Match.stringLikeRegexp('7-day alarm window.*168 h'));
  });

  test('an SLA within the window gets no warning', () => {
    const { stack } = build(24);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('widgets: rows in/out/quarantined, quarantine ratio, freshness alarm, bytes and drift', () => {
    const { monitoring } = build();
    const rendered = JSON.stringify(monitoring.widgets().map((w) => w.toJson()));
    for (const name of ['RowsIn', 'RowsOut', 'RowsQuarantined', 'rowsQuarantined / rowsIn', 'BytesIn', 'DriftColumns']) expect(rendered).toContain(name);
  });

  test('fails if the SLA is out of range', () => {
    const { stack, options } = monitoringStack();
    expect(() => new DatasetMonitoring(stack, 'M', { ...options, domain: 'sales', dataset: 'orders', freshnessSlaHours: 1000 })).toThrow(/LH158.*1000/);
  });
});

describe('WorkgroupMonitoring', () => {
  test('bytes scanned over a day above the configured budget, from ProcessedBytes of the workgroup', () => {
    const { stack, options, topicRef } = monitoringStack();
    new WorkgroupMonitoring(stack, 'Monitoring', { ...options, workgroupName: 'lakehouse-dev-analysts', dailyScanBudgetBytes: 200 * GIB });
    const alarm = alarmsByName(Template.fromStack(stack))['dev-platform-lakehouse-dev-analysts-athena-bytes-scanned'];
    expect(alarm).toMatchObject({
      Threshold: 200 * GIB,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(alarm.Metrics[0]).toMatchObject({ Expression: 'scanned0 + scanned1 + scanned2 + scanned3', ReturnData: true });
    const stats = alarm.Metrics.slice(1);
    expect(stats).toHaveLength(4);
    stats.forEach((m: any, i: number) => {
      expect([m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Period, m.ReturnData]).toEqual(['AWS/Athena', 'ProcessedBytes', 'Sum', 86400, false]);
      expect(dims(alarm, i + 1)).toMatchObject({ WorkGroup: 'lakehouse-dev-analysts', QueryType: 'DML' });
    });
  });

  test.each([0, -1, NaN])('fails if the daily budget is %p', (budget) => {
    const { stack, options } = monitoringStack();
    expect(() => new WorkgroupMonitoring(stack, 'M', { ...options, workgroupName: 'wg', dailyScanBudgetBytes: budget })).toThrow(/LH157/);
  });
});

describe('JanitorMonitoring', () => {
  function build(thresholds = {}) {
    const { stack, options, topicRef } = monitoringStack();
    const dlq = queue(stack, 'Dlq');
    const monitoring = new JanitorMonitoring(stack, 'Monitoring', { ...options, thresholds, deadLetterQueue: dlq });
    return { stack, dlq, monitoring, topicRef, alarms: alarmsByName(Template.fromStack(stack)) };
  }

  test('did not run: JanitorRuns (service = sandbox-janitor) Sum < 1 in each of 26 hours, missing data BREACHING', () => {
    const { alarms, topicRef } = build();
    const alarm = alarms['dev-platform-sandbox-janitor-did-not-run'];
    expect(alarm).toMatchObject({
      Namespace: 'GovernedLakehouse',
      MetricName: 'JanitorRuns',
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      TreatMissingData: 'breaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(dims(alarm)).toEqual({ service: 'sandbox-janitor' });
  });

  test('its dead-letter queue alarms on any message, and the window follows the configuration', () => {
    const { stack, dlq, monitoring, alarms } = build({ janitorMaxHoursWithoutRun: 30 });
    expect(alarms['dev-platform-sandbox-janitor-did-not-run'].EvaluationPeriods).toBe(30);
    const dlqAlarm = alarms['dev-platform-sandbox-janitor-dlq-messages'];
    expect(dlqAlarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(dims(dlqAlarm)).toEqual({ QueueName: { 'Fn::GetAtt': [logicalId(stack, dlq), 'QueueName'] } });
    expect(monitoring.alarmNames).toEqual(['dev-platform-sandbox-janitor-did-not-run', 'dev-platform-sandbox-janitor-dlq-messages']);
  });
});

describe('ScheduleGroupMonitoring', () => {
  test('events Scheduler dropped or could not park, for every schedule of the group: Sum > 0 in 5 min, missing data not breaching', () => {
    const { stack, options, topicRef } = monitoringStack();
    const group = new scheduler.ScheduleGroup(stack, 'Group', { scheduleGroupName: 'lakehouse-dev' });
    const monitoring = new ScheduleGroupMonitoring(stack, 'Monitoring', { ...options, scheduleGroup: group });
    const alarm = alarmsByName(Template.fromStack(stack))['dev-platform-schedules-undelivered-events'];
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching', AlarmActions: [topicRef], OKActions: [topicRef] });
    expect(alarm.Metrics[0]).toMatchObject({ Expression: 'dropped + failedToDlq', ReturnData: true });
    const names = alarm.Metrics.slice(1).map((m: any) => [m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Period]);
    expect(names.sort()).toEqual([
      ['AWS/Scheduler', 'InvocationDroppedCount', 'Sum', 300],
      ['AWS/Scheduler', 'InvocationsFailedToBeSentToDeadLetterCount', 'Sum', 300],
    ]);
    for (const i of [1, 2]) expect(dims(alarm, i)).toEqual({ ScheduleGroup: 'lakehouse-dev' });
    expect(monitoring.widgets()).toHaveLength(1);
  });
});

describe('every monitoring class', () => {
  test('sends ALARM and OK to the action and nothing on INSUFFICIENT_DATA', () => {
    const { stack, options, topicRef } = monitoringStack();
    const fn = inlineFunction(stack);
    const base = { ...options, domain: 'sales', dataset: 'orders' };
    new FunctionMonitoring(stack, 'F', { ...base, function: fn, timeout: Duration.minutes(1) });
    new QueueMonitoring(stack, 'Q', { ...base, queue: queue(stack, 'Queue'), freshnessSlaHours: 6 });
    new DeadLetterQueueMonitoring(stack, 'D', { ...base, queue: queue(stack, 'Dlq') });
    new DatasetMonitoring(stack, 'S', { ...base, freshnessSlaHours: 6 });
    new WorkgroupMonitoring(stack, 'W', { ...options, workgroupName: 'wg', dailyScanBudgetBytes: GIB });
    new JanitorMonitoring(stack, 'J', { ...options, deadLetterQueue: queue(stack, 'JanitorDlq') });
    const alarms = Object.values(alarmsByName(Template.fromStack(stack)));
    expect(alarms).toHaveLength(10); // 3 function + queue + dlq + 2 dataset + workgroup + 2 janitor
    for (const alarm of alarms) {
      expect([alarm.AlarmName, alarm.AlarmActions, alarm.OKActions, alarm.InsufficientDataActions ?? [], alarm.ActionsEnabled]).toEqual([alarm.AlarmName, [topicRef], [topicRef], [], true]);
      expect(alarm.AlarmName.length).toBeLessThanOrEqual(255);
      expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });
});
