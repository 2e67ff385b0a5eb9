/**
 * Monitoring classes: each watches one kind of resource, creates its alarms (with ALARM and OK
 * actions) next to the resource — the same stack, so the DataOps alarm rules find them — and
 * offers its dashboard widgets. Metrics come from the metric factory (metrics.ts), thresholds from
 * typed configuration (thresholds.ts).
 */
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { JANITOR_SERVICE_NAME } from '../../lambda/shared/metrics';
import { LakehouseError } from '../errors';
import {
  DAY,
  DatasetMetrics,
  DEFAULT_PERIOD,
  HOUR,
  athenaBytesScanned,
  datasetMetrics,
  functionMetrics,
  janitorMetrics,
  queueMetrics,
  quarantineRatio,
} from './metrics';
import {
  AlarmSubject,
  MAX_ALARM_DESCRIPTION_LENGTH,
  MAX_ALARM_NAME_LENGTH,
  PLATFORM_DOMAIN,
  alarmDescription,
  alarmName,
  isAlarmNamePart,
} from './naming';
import {
  MAX_FRESHNESS_SLA_HOURS,
  MIN_FRESHNESS_SLA_HOURS,
  MonitoringThresholds,
  freshnessWindow,
  queueAgeThresholdSeconds,
  resolveMonitoringThresholds,
  validateMonitoringThresholds,
} from './thresholds';

/** Where alarms go and which thresholds apply: what a stack hands down to the constructs it builds. */
export interface MonitoringOptions {
  /** Environment name (first part of every alarm name). */
  readonly environmentName: string;
  /** Sent on ALARM and on OK, e.g. `AlarmTopic.alarmAction`. The topic may live in another stack. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** @default DEFAULT_MONITORING_THRESHOLDS */
  readonly thresholds?: MonitoringThresholds;
}

/** Props every monitoring class takes: the options plus what is watched. */
export interface MonitoringBaseProps extends MonitoringOptions {
  /** Domain name, or `platform` (PLATFORM_DOMAIN) for shared resources. */
  readonly domain: string;
  /** Dataset name, or the platform component. */
  readonly dataset: string;
}

/** What dashboards read from a monitoring class. */
export interface IMonitor {
  /** Every alarm it created. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /** The alarms' names as plain strings (usable from another stack without a reference). */
  readonly alarmNames: readonly string[];
  /** Its dashboard widgets, one row's worth or more. */
  widgets(): cloudwatch.IWidget[];
}

interface AlarmSpec {
  /** Last part of the alarm name, e.g. `transform-errors`. */
  readonly what: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly condition: string;
  readonly thresholdKey: string;
  readonly hint: string;
}

/** Alarm names already used in each app: CloudWatch alarm names are unique per account and region. */
const NAMES_BY_APP = new WeakMap<IConstruct, Set<string>>();

const WIDGET_WIDTH = 8;
const WIDGET_HEIGHT = 6;

function graph(title: string, left: cloudwatch.IMetric[], annotations: cloudwatch.HorizontalAnnotation[] = [], right: cloudwatch.IMetric[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, leftAnnotations: annotations, width: WIDGET_WIDTH, height: WIDGET_HEIGHT, leftYAxis: { min: 0 } });
}

function label(metric: cloudwatch.Metric, text: string): cloudwatch.Metric {
  return metric.with({ label: text });
}

/** Rows in, out (clean) and quarantined of a dataset, labelled for a graph. */
export function rowsSeries(m: DatasetMetrics): cloudwatch.IMetric[] {
  return [label(m.rowsIn, 'Rows in'), label(m.rowsOut, 'Rows out (clean)'), label(m.rowsQuarantined, 'Rows quarantined')];
}

function minutes(d: Duration): string {
  return `${d.toMinutes()} min`;
}

/** The shared part: validation, naming and alarm creation with both actions. */
abstract class MonitoringBase extends Construct implements IMonitor {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly alarmNames: string[] = [];
  /** The thresholds in force (defaults filled in). */
  public readonly thresholds: Required<MonitoringThresholds>;
  protected readonly subject: AlarmSubject;
  private readonly alarmAction: cloudwatch.IAlarmAction;

  protected constructor(scope: Construct, id: string, props: MonitoringBaseProps) {
    super(scope, id);
    for (const [key, value] of [['environmentName', props.environmentName], ['domain', props.domain], ['dataset', props.dataset]] as const) {
      if (Token.isUnresolved(value) || !isAlarmNamePart(value)) {
        throw new LakehouseError({ code: 'LH154', scope: this, value, problem: `${key} is part of alarm names and must be a plain string of letters, digits, _ . or - (not starting with -)`, fix: `pass the ${key} as written in the configuration or domain file` });
      }
    }
    const problems = validateMonitoringThresholds(props.thresholds);
    if (problems.length > 0) {
      const [p] = problems;
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((q) => q.key).join(', ')})` : '';
      throw new LakehouseError({ code: p.code, scope: this, value: p.value, problem: `monitoring.${p.key} ${p.problem}${more}`, fix: p.fix });
    }
    this.thresholds = resolveMonitoringThresholds(props.thresholds);
    this.subject = { environmentName: props.environmentName, domain: props.domain, dataset: props.dataset };
    this.alarmAction = props.alarmAction;
  }

  public abstract widgets(): cloudwatch.IWidget[];

  /** A label is the part of alarm names before `-<what>`: the same characters as the other parts. */
  protected checkLabel(label: string): string {
    if (!isAlarmNamePart(label)) {
      throw new LakehouseError({ code: 'LH154', scope: this, value: label, problem: 'label is part of alarm names and must be letters, digits, _ . or -', fix: "use a label such as 'transform' or 'queue'" });
    }
    return label;
  }

  protected addAlarm(id: string, spec: AlarmSpec): cloudwatch.Alarm {
    const name = alarmName(this.subject, spec.what);
    if (name.length > MAX_ALARM_NAME_LENGTH) {
      throw new LakehouseError({ code: 'LH155', scope: this, value: name, problem: `alarm names are at most ${MAX_ALARM_NAME_LENGTH} characters`, fix: 'shorten the domain, dataset or component name' });
    }
    const used = NAMES_BY_APP.get(this.node.root) ?? new Set<string>();
    NAMES_BY_APP.set(this.node.root, used);
    if (used.has(name)) {
      throw new LakehouseError({ code: 'LH156', scope: this, value: name, problem: 'another alarm in this app already has this name (CloudWatch alarm names are unique per account and region)', fix: 'give each monitored resource its own domain/dataset/label' });
    }
    const description = alarmDescription(this.subject, spec.what, spec);
    if (description.length > MAX_ALARM_DESCRIPTION_LENGTH) {
      throw new LakehouseError({ code: 'LH155', scope: this, value: description.length, problem: `alarm descriptions are at most ${MAX_ALARM_DESCRIPTION_LENGTH} characters`, fix: 'shorten the hint' });
    }
    used.add(name);
    const evaluationPeriods = spec.evaluationPeriods ?? 1;
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparisonOperator,
      evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? evaluationPeriods,
      treatMissingData: spec.treatMissingData,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    this.alarms.push(alarm);
    this.alarmNames.push(name);
    return alarm;
  }
}

export interface FunctionMonitoringProps extends MonitoringBaseProps {
  /** The function watched (its alarms' dimension FunctionName is a Ref to it). */
  readonly function: lambda.IFunction;
  /** The function's timeout; the duration alarm fires at `durationTimeoutFraction` of it. */
  readonly timeout: Duration;
  /**
   * What the function is, in alarm names: `<env>-<domain>-<dataset>-<label>-errors`.
   * @default 'function'
   */
  readonly label?: string;
  /**
   * One line for the errors alarm: what to check first.
   * @default - look in the function's log group for records at level ERROR
   */
  readonly errorsHint?: string;
}

/** What a function construct (e.g. `LakehouseFunction`) takes as its `monitoring` prop: everything but the function itself. */
export type FunctionMonitoringOptions = Omit<FunctionMonitoringProps, 'function' | 'timeout'>;

/** Every function: errors > threshold, throttles > threshold, p99 duration > fraction × timeout. */
export class FunctionMonitoring extends MonitoringBase {
  public readonly errorsAlarm: cloudwatch.Alarm;
  public readonly throttlesAlarm: cloudwatch.Alarm;
  public readonly durationAlarm: cloudwatch.Alarm;
  private readonly label: string;
  private readonly metrics: ReturnType<typeof functionMetrics>;

  constructor(scope: Construct, id: string, props: FunctionMonitoringProps) {
    super(scope, id, props);
    this.label = this.checkLabel(props.label ?? 'function');
    const timeoutSeconds = props.timeout.toSeconds();
    this.metrics = functionMetrics(props.function);
    const t = this.thresholds;
    this.errorsAlarm = this.addAlarm('ErrorsAlarm', {
      what: `${this.label}-errors`,
      metric: this.metrics.errors,
      threshold: t.functionErrors,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `Errors > ${t.functionErrors} (Sum over ${minutes(DEFAULT_PERIOD)})`,
      thresholdKey: 'monitoring.functionErrors',
      hint: props.errorsHint ?? "search the function's log group for level ERROR; the record names the failing input",
    });
    this.throttlesAlarm = this.addAlarm('ThrottlesAlarm', {
      what: `${this.label}-throttles`,
      metric: this.metrics.throttles,
      threshold: t.functionThrottles,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `Throttles > ${t.functionThrottles} (Sum over ${minutes(DEFAULT_PERIOD)})`,
      thresholdKey: 'monitoring.functionThrottles',
      hint: "the function hit its reserved concurrency or the account's concurrency limit; compare ConcurrentExecutions with the reserved / SQS maximum concurrency",
    });
    const durationThresholdMs = Math.round(t.durationTimeoutFraction * timeoutSeconds * 1000);
    this.durationAlarm = this.addAlarm('DurationAlarm', {
      what: `${this.label}-duration`,
      metric: this.metrics.durationP99,
      threshold: durationThresholdMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `p99 Duration > ${durationThresholdMs} ms (${Math.round(t.durationTimeoutFraction * 100)} % of the ${timeoutSeconds} s timeout, over ${minutes(DEFAULT_PERIOD)})`,
      thresholdKey: 'monitoring.durationTimeoutFraction',
      hint: "find the slowest invocations in the log group (REPORT lines) and what they processed; raise memory or timeout, or split the input, before invocations time out",
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    return [
      graph(`${this.label}: invocations, errors, throttles`, [label(this.metrics.invocations, 'Invocations'), label(this.metrics.errors, 'Errors'), label(this.metrics.throttles, 'Throttles')], [this.errorsAlarm.toAnnotation()]),
      graph(`${this.label}: p99 duration (ms)`, [label(this.metrics.durationP99, 'Duration p99')], [this.durationAlarm.toAnnotation()]),
    ];
  }
}

export interface QueueMonitoringProps extends MonitoringBaseProps {
  readonly queue: sqs.IQueue;
  /** The dataset's freshness SLA (1-744 h); the age threshold is derived from it (queueAgeThresholdSeconds). */
  readonly freshnessSlaHours: number;
  /**
   * What the queue is, in alarm names.
   * @default 'queue'
   */
  readonly label?: string;
  /**
   * One line: what to check first.
   * @default - the consumer is failing, throttled or too slow
   */
  readonly hint?: string;
}

/** Every queue: age of the oldest message above a threshold derived from the dataset's SLA. */
export class QueueMonitoring extends MonitoringBase {
  public readonly ageAlarm: cloudwatch.Alarm;
  /** The derived threshold, in seconds. */
  public readonly ageThresholdSeconds: number;
  private readonly label: string;
  private readonly metrics: ReturnType<typeof queueMetrics>;

  constructor(scope: Construct, id: string, props: QueueMonitoringProps) {
    super(scope, id, props);
    assertSla(this, props.freshnessSlaHours);
    this.label = this.checkLabel(props.label ?? 'queue');
    this.metrics = queueMetrics(props.queue);
    this.ageThresholdSeconds = queueAgeThresholdSeconds(props.freshnessSlaHours, this.thresholds);
    const t = this.thresholds;
    this.ageAlarm = this.addAlarm('AgeAlarm', {
      what: `${this.label}-age`,
      metric: this.metrics.ageOfOldestMessage,
      threshold: this.ageThresholdSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `ApproximateAgeOfOldestMessage > ${this.ageThresholdSeconds} s (max over ${minutes(DEFAULT_PERIOD)}; ${t.queueAgeSlaFraction} × the ${props.freshnessSlaHours} h SLA, within ${t.queueAgeFloorSeconds}-${t.queueAgeCapSeconds} s)`,
      thresholdKey: 'monitoring.queueAgeSlaFraction / queueAgeFloorSeconds / queueAgeCapSeconds',
      hint: props.hint ?? 'files are waiting: the consumer is failing, throttled or too slow — check its errors and throttles alarms, then its log group',
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    return [
      graph(
        `${this.label}: age of oldest message (s)`,
        [label(this.metrics.ageOfOldestMessage, 'Age of oldest message (s)')],
        [this.ageAlarm.toAnnotation()],
        [label(this.metrics.visibleMessages, 'Visible messages'), label(this.metrics.inFlightMessages, 'In-flight messages')],
      ),
    ];
  }
}

export interface DeadLetterQueueMonitoringProps extends MonitoringBaseProps {
  readonly queue: sqs.IQueue;
  /**
   * What the queue is, in alarm names.
   * @default 'dlq'
   */
  readonly label?: string;
  /**
   * One line: what to check first.
   * @default - read the parked messages, fix the cause, redrive
   */
  readonly hint?: string;
}

/** Every dead-letter queue: any visible message (above `deadLetterQueueMessages`, default 0). */
export class DeadLetterQueueMonitoring extends MonitoringBase {
  public readonly visibleMessagesAlarm: cloudwatch.Alarm;
  private readonly label: string;
  private readonly metrics: ReturnType<typeof queueMetrics>;

  constructor(scope: Construct, id: string, props: DeadLetterQueueMonitoringProps) {
    super(scope, id, props);
    this.label = this.checkLabel(props.label ?? 'dlq');
    this.metrics = queueMetrics(props.queue);
    const t = this.thresholds;
    this.visibleMessagesAlarm = this.addAlarm('VisibleMessagesAlarm', {
      what: `${this.label}-messages`,
      metric: this.metrics.visibleMessages,
      threshold: t.deadLetterQueueMessages,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // A queue holding messages stays active, so SQS keeps publishing while anything is parked.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `ApproximateNumberOfMessagesVisible > ${t.deadLetterQueueMessages} (max over ${minutes(DEFAULT_PERIOD)})`,
      thresholdKey: 'monitoring.deadLetterQueueMessages',
      hint: props.hint ?? 'messages were parked after failing: read one (SQS console, poll for messages), fix the cause, then redrive them to the source queue',
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    return [graph(`${this.label}: messages parked`, [label(this.metrics.visibleMessages, 'Visible messages')], [this.visibleMessagesAlarm.toAnnotation()])];
  }
}

export interface StateMachineMonitoringProps extends MonitoringBaseProps {
  readonly stateMachine: sfn.IStateMachine;
  /**
   * What the state machine is, in alarm names: `<env>-<domain>-<dataset>-<label>-failed`.
   * @default 'state-machine'
   */
  readonly label?: string;
  /**
   * One line: what to check first when an execution fails.
   * @default - open the failed execution in the Step Functions console
   */
  readonly hint?: string;
}

/** Every state machine: executions failed, timed out or aborted (above `functionErrors`, default 0, in 5 min). */
export class StateMachineMonitoring extends MonitoringBase {
  public readonly failedAlarm: cloudwatch.Alarm;
  public readonly timedOutAlarm: cloudwatch.Alarm;
  public readonly abortedAlarm: cloudwatch.Alarm;
  private readonly label: string;
  private readonly metrics: Record<'failed' | 'timedOut' | 'aborted' | 'succeeded' | 'started', cloudwatch.Metric>;

  constructor(scope: Construct, id: string, props: StateMachineMonitoringProps) {
    super(scope, id, props);
    this.label = this.checkLabel(props.label ?? 'state-machine');
    const sm = props.stateMachine;
    const opts = { period: DEFAULT_PERIOD, statistic: 'Sum' };
    this.metrics = {
      failed: sm.metricFailed(opts),
      timedOut: sm.metricTimedOut(opts),
      aborted: sm.metricAborted(opts),
      succeeded: sm.metricSucceeded(opts),
      started: sm.metricStarted(opts),
    };
    const t = this.thresholds;
    const alarm = (id: string, what: string, metric: cloudwatch.Metric, name: string) =>
      this.addAlarm(id, {
        what: `${this.label}-${what}`,
        metric,
        threshold: t.functionErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: `${name} > ${t.functionErrors} (sum over ${minutes(DEFAULT_PERIOD)})`,
        thresholdKey: 'monitoring.functionErrors',
        hint: props.hint ?? 'open the execution in the Step Functions console: the failed state and its error say what to fix; then start it again with the same input',
      });
    this.failedAlarm = alarm('FailedAlarm', 'failed', this.metrics.failed, 'ExecutionsFailed');
    this.timedOutAlarm = alarm('TimedOutAlarm', 'timed-out', this.metrics.timedOut, 'ExecutionsTimedOut');
    this.abortedAlarm = alarm('AbortedAlarm', 'aborted', this.metrics.aborted, 'ExecutionsAborted');
  }

  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    return [
      graph(
        `${this.label}: executions`,
        [label(m.started, 'Started'), label(m.succeeded, 'Succeeded'), label(m.failed, 'Failed'), label(m.timedOut, 'Timed out'), label(m.aborted, 'Aborted')],
        [this.failedAlarm.toAnnotation()],
      ),
    ];
  }
}

export interface DatasetMonitoringProps extends MonitoringBaseProps {
  /** The dataset's freshness SLA, 1-744 h (`freshnessSlaHours` of the dataset declaration). */
  readonly freshnessSlaHours: number;
}

/**
 * Every dataset, from the transform's custom metrics (GovernedLakehouse, Domain/Dataset):
 * - quarantine ratio RowsQuarantined / RowsIn above `quarantineRatio` (missing data: not breaching);
 * - freshness: no clean row (RowsOut Sum < 1) in any of the last ceil(SLA) + grace hours, where an
 *   hour without data counts as breaching — no run at all is exactly what the alarm is for.
 */
export class DatasetMonitoring extends MonitoringBase {
  public readonly quarantineRatioAlarm: cloudwatch.Alarm;
  public readonly freshnessAlarm: cloudwatch.Alarm;
  /** Hourly periods the freshness alarm evaluates (capped at 168). */
  public readonly freshnessWindowHours: number;
  private readonly hourly: ReturnType<typeof datasetMetrics>;
  private readonly ratio: cloudwatch.MathExpression;

  constructor(scope: Construct, id: string, props: DatasetMonitoringProps) {
    super(scope, id, props);
    assertSla(this, props.freshnessSlaHours);
    const t = this.thresholds;
    const ratioPeriod = Duration.minutes(t.quarantineRatioPeriodMinutes);
    this.ratio = quarantineRatio(props.domain, props.dataset, ratioPeriod);
    this.hourly = datasetMetrics(props.domain, props.dataset, HOUR);

    this.quarantineRatioAlarm = this.addAlarm('QuarantineRatioAlarm', {
      what: 'quarantine-ratio',
      metric: this.ratio,
      threshold: t.quarantineRatio,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `RowsQuarantined / RowsIn > ${t.quarantineRatio} (over ${minutes(ratioPeriod)})`,
      thresholdKey: 'monitoring.quarantineRatio',
      hint: `open the quarantine zone under ${props.domain}/${props.dataset}/ and read the rejection reasons of the newest file: a source change or a contract too strict`,
    });

    const window = freshnessWindow(props.freshnessSlaHours, t);
    this.freshnessWindowHours = window.hours;
    if (window.capped) {
      Annotations.of(this).addWarningV2(
        '@governed-lakehouse/monitoring:freshnessWindowCapped',
        `The freshness SLA of ${props.domain}/${props.dataset} (${props.freshnessSlaHours} h + ${t.freshnessGraceHours} h grace) exceeds CloudWatch's 7-day alarm window: the alarm fires after ${window.hours} h without clean data, before the SLA is breached.`,
      );
    }
    this.freshnessAlarm = this.addAlarm('FreshnessAlarm', {
      what: 'freshness',
      metric: this.hourly.rowsOut,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: window.hours,
      datapointsToAlarm: window.hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      condition: `no clean rows (RowsOut Sum < 1) in each of the last ${window.hours} hours (SLA ${props.freshnessSlaHours} h + ${t.freshnessGraceHours} h grace${window.capped ? `, capped at ${window.hours} h by CloudWatch` : ''}); no data counts as breaching`,
      thresholdKey: 'the dataset\'s freshnessSlaHours and monitoring.freshnessGraceHours',
      hint: `did files arrive under raw/${props.domain}/${props.dataset}/? If yes, check the transform's queue and errors alarms; if not, ask the source owner`,
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    return [
      graph('Rows in / out / quarantined (per hour)', rowsSeries(this.hourly)),
      graph('Quarantine ratio', [this.ratio], [this.quarantineRatioAlarm.toAnnotation()]),
      new cloudwatch.AlarmWidget({ title: `Freshness: clean rows per hour (alarm after ${this.freshnessWindowHours} h without)`, alarm: this.freshnessAlarm, width: WIDGET_WIDTH, height: WIDGET_HEIGHT, leftYAxis: { min: 0 } }),
      graph('Bytes in (per hour) and drifting columns', [label(this.hourly.bytesIn, 'Bytes in')], [], [label(this.hourly.driftColumns, 'Drifting columns (max per file)')]),
    ];
  }
}

export interface WorkgroupMonitoringProps extends Omit<MonitoringBaseProps, 'domain' | 'dataset'> {
  /** The workgroup's name (`LakeWorkgroup.workgroupName`). */
  readonly workgroupName: string;
  /** Budget of bytes scanned per day (`config.athena.dailyScanBudgetBytes`). */
  readonly dailyScanBudgetBytes: number;
  /**
   * @default 'platform'
   */
  readonly domain?: string;
}

/** Every Athena workgroup: bytes scanned by DML queries over a rolling day above the budget. */
export class WorkgroupMonitoring extends MonitoringBase {
  public readonly bytesScannedAlarm: cloudwatch.Alarm;
  private readonly scanned: cloudwatch.MathExpression;
  private readonly workgroupName: string;

  constructor(scope: Construct, id: string, props: WorkgroupMonitoringProps) {
    super(scope, id, { ...props, domain: props.domain ?? PLATFORM_DOMAIN, dataset: props.workgroupName });
    if (!(typeof props.dailyScanBudgetBytes === 'number' && Number.isFinite(props.dailyScanBudgetBytes) && props.dailyScanBudgetBytes > 0)) {
      throw new LakehouseError({ code: 'LH157', scope: this, value: props.dailyScanBudgetBytes, problem: 'the daily scan budget must be a positive number of bytes', fix: 'set athena.dailyScanBudgetBytes, e.g. 200 GiB (214748364800)' });
    }
    this.workgroupName = props.workgroupName;
    this.scanned = athenaBytesScanned(props.workgroupName, DAY);
    const gib = (props.dailyScanBudgetBytes / 1024 ** 3).toFixed(1);
    this.bytesScannedAlarm = this.addAlarm('BytesScannedAlarm', {
      what: 'athena-bytes-scanned',
      metric: this.scanned,
      threshold: props.dailyScanBudgetBytes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `ProcessedBytes (DML, all terminal states) > ${props.dailyScanBudgetBytes} bytes (${gib} GiB) over a rolling day`,
      thresholdKey: 'athena.dailyScanBudgetBytes',
      hint: `Athena console → Query history of workgroup ${props.workgroupName}, sort by data scanned: find the heavy queries and add partition filters, or lower the per-query cutoff`,
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    return [graph(`Athena ${this.workgroupName}: bytes scanned per day`, [this.scanned], [this.bytesScannedAlarm.toAnnotation()])];
  }
}

export interface JanitorMonitoringProps extends Omit<MonitoringBaseProps, 'domain' | 'dataset'> {
  /** The janitor's dead-letter queue (failed scheduled invocations); gets the any-message alarm. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The sandbox janitor: "did not run" (no `JanitorRuns` data point in `janitorMaxHoursWithoutRun`
 * hours, missing data breaching) and its dead-letter queue. Its function's errors are watched by
 * the FunctionMonitoring of its LakehouseFunction.
 */
export class JanitorMonitoring extends MonitoringBase {
  public readonly didNotRunAlarm: cloudwatch.Alarm;
  public readonly deadLetterQueue: DeadLetterQueueMonitoring;
  private readonly metrics: ReturnType<typeof janitorMetrics>;

  constructor(scope: Construct, id: string, props: JanitorMonitoringProps) {
    super(scope, id, { ...props, domain: PLATFORM_DOMAIN, dataset: JANITOR_SERVICE_NAME });
    const hours = this.thresholds.janitorMaxHoursWithoutRun;
    this.metrics = janitorMetrics(HOUR);
    this.didNotRunAlarm = this.addAlarm('DidNotRunAlarm', {
      what: 'did-not-run',
      metric: this.metrics.runs,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      condition: `no JanitorRuns data point (Sum < 1) in each of the last ${hours} hours; no data counts as breaching`,
      thresholdKey: 'monitoring.janitorMaxHoursWithoutRun',
      hint: "check the schedule rule is enabled, then the janitor's dead-letter queue and its function's errors alarm",
    });
    this.deadLetterQueue = new DeadLetterQueueMonitoring(this, 'DeadLetterQueue', {
      ...props,
      domain: PLATFORM_DOMAIN,
      dataset: JANITOR_SERVICE_NAME,
      queue: props.deadLetterQueue,
      hint: 'EventBridge could not invoke the janitor (after 2 retries) or an invocation failed: check the janitor function\'s errors alarm and log group',
    });
    this.alarms.push(...this.deadLetterQueue.alarms);
    this.alarmNames.push(...this.deadLetterQueue.alarmNames);
  }

  public widgets(): cloudwatch.IWidget[] {
    return [
      new cloudwatch.AlarmWidget({ title: `Janitor runs per hour (alarm after ${this.thresholds.janitorMaxHoursWithoutRun} h without)`, alarm: this.didNotRunAlarm, width: WIDGET_WIDTH, height: WIDGET_HEIGHT, leftYAxis: { min: 0 } }),
      graph('Janitor: workspaces and objects', [label(this.metrics.workspacesDeleted, 'Workspaces deleted'), label(this.metrics.workspacesKept, 'Workspaces kept')], [], [label(this.metrics.objectsDeleted, 'Objects deleted')]),
      ...this.deadLetterQueue.widgets(),
    ];
  }
}

export interface ScheduleGroupMonitoringProps extends Omit<MonitoringBaseProps, 'domain' | 'dataset'> {
  /** The environment's schedule group: every domain's schedule is in it, so one alarm covers them all. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
}

/**
 * A schedule group: events Scheduler dropped (retries exhausted, no dead-letter queue) or could
 * not park in a dead-letter queue, above `functionErrors` (default 0) in 5 min. What it parks is
 * covered by each dead-letter queue's own alarm.
 */
export class ScheduleGroupMonitoring extends MonitoringBase {
  public readonly undeliveredAlarm: cloudwatch.Alarm;
  private readonly metrics: Record<'attempts' | 'targetErrors' | 'sentToDlq' | 'dropped' | 'failedToDlq', cloudwatch.Metric>;
  private readonly undelivered: cloudwatch.MathExpression;

  constructor(scope: Construct, id: string, props: ScheduleGroupMonitoringProps) {
    super(scope, id, { ...props, domain: PLATFORM_DOMAIN, dataset: 'schedules' });
    const opts = { period: DEFAULT_PERIOD, statistic: cloudwatch.Stats.SUM };
    const group = props.scheduleGroup;
    this.metrics = {
      attempts: group.metricAttempts(opts),
      targetErrors: group.metricTargetErrors(opts),
      sentToDlq: group.metricSentToDLQ(opts),
      dropped: group.metricDropped(opts),
      failedToDlq: group.metricFailedToBeSentToDLQ(undefined, opts),
    };
    this.undelivered = new cloudwatch.MathExpression({
      expression: 'dropped + failedToDlq',
      usingMetrics: { dropped: this.metrics.dropped, failedToDlq: this.metrics.failedToDlq },
      period: DEFAULT_PERIOD,
      label: 'Dropped or not parked',
    });
    const t = this.thresholds;
    this.undeliveredAlarm = this.addAlarm('UndeliveredAlarm', {
      what: 'undelivered-events',
      metric: this.undelivered,
      threshold: t.functionErrors,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: `InvocationDroppedCount + InvocationsFailedToBeSentToDeadLetterCount > ${t.functionErrors} (sum over ${minutes(DEFAULT_PERIOD)}, every schedule of the group)`,
      thresholdKey: 'monitoring.functionErrors',
      hint: "a schedule's event was lost: check the schedules' dead-letter queues exist and the delivery role may send to them and use their keys, then run the missed models by hand",
    });
  }

  public widgets(): cloudwatch.IWidget[] {
    const m = this.metrics;
    return [
      graph(
        'Schedules (every domain): invocations',
        [label(m.attempts, 'Attempts'), label(m.targetErrors, 'Target errors'), label(m.sentToDlq, 'Sent to dead-letter queues'), this.undelivered],
        [this.undeliveredAlarm.toAnnotation()],
      ),
    ];
  }
}

function assertSla(scope: IConstruct, slaHours: number): void {
  if (!(typeof slaHours === 'number' && Number.isFinite(slaHours) && slaHours >= MIN_FRESHNESS_SLA_HOURS && slaHours <= MAX_FRESHNESS_SLA_HOURS)) {
    throw new LakehouseError({ code: 'LH158', scope, value: slaHours, problem: `the freshness SLA is ${MIN_FRESHNESS_SLA_HOURS} to ${MAX_FRESHNESS_SLA_HOURS} hours`, fix: 'set freshnessSlaHours in the dataset declaration, e.g. 24' });
  }
}
