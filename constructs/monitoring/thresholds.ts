/**
 * Alarm thresholds: typed configuration with documented defaults.
 *
 * Every field is optional; `resolveMonitoringThresholds` fills the gaps from
 * `DEFAULT_MONITORING_THRESHOLDS`. A test reads the `@default` tags of this file and compares them
 * with `DEFAULT_MONITORING_THRESHOLDS`, so the documentation cannot drift from the code.
 * `validateMonitoringThresholds` returns every problem (it never throws); the caller (the
 * environment configuration) turns the first into a `LakehouseError`.
 */

/** CloudWatch: for alarms with a period ≥ 1 h, period × evaluation periods may not exceed 7 days. */
export const MAX_ALARM_WINDOW_HOURS = 7 * 24;
/** SQS: the longest message retention (14 days); a queue-age threshold above it can never fire. */
export const MAX_SQS_RETENTION_SECONDS = 14 * 24 * 3600;

export interface MonitoringThresholds {
  /**
   * Function `Errors` (Sum over 5 minutes) above which the function's errors alarm fires.
   * @default 0
   */
  readonly functionErrors?: number;
  /**
   * Function `Throttles` (Sum over 5 minutes) above which the function's throttles alarm fires.
   * @default 0
   */
  readonly functionThrottles?: number;
  /**
   * The duration alarm fires when p99 `Duration` (5 minutes) exceeds this fraction of the function's timeout.
   * @default 0.8
   */
  readonly durationTimeoutFraction?: number;
  /**
   * Queue age threshold as a fraction of the dataset's freshness SLA: a file waiting longer than
   * this part of the SLA puts the SLA at risk.
   * @default 0.25
   */
  readonly queueAgeSlaFraction?: number;
  /**
   * Lower bound of the queue age threshold, in seconds (short SLAs would otherwise alarm on normal batching).
   * @default 900
   */
  readonly queueAgeFloorSeconds?: number;
  /**
   * Upper bound of the queue age threshold, in seconds (long SLAs would otherwise let a stuck queue age for days).
   * @default 86400
   */
  readonly queueAgeCapSeconds?: number;
  /**
   * Visible messages in a dead-letter queue (Maximum over 5 minutes) above which its alarm fires.
   * @default 0
   */
  readonly deadLetterQueueMessages?: number;
  /**
   * Quarantine ratio (RowsQuarantined / RowsIn over `quarantineRatioPeriodMinutes`) above which the dataset's alarm fires.
   * @default 0.05
   */
  readonly quarantineRatio?: number;
  /**
   * Period of the quarantine ratio, in minutes: a multiple of 5, from 5 to 1440.
   * @default 60
   */
  readonly quarantineRatioPeriodMinutes?: number;
  /**
   * Whole hours added to the freshness SLA before the freshness alarm fires; absorbs the hourly
   * granularity of the alarm and metric delivery delay.
   * @default 1
   */
  readonly freshnessGraceHours?: number;
  /**
   * The janitor runs daily: hours without a `JanitorRuns` data point before the "did not run"
   * alarm fires (24 h plus slack for schedule and metric delivery delay).
   * @default 26
   */
  readonly janitorMaxHoursWithoutRun?: number;
}

/** The defaults, as documented on `MonitoringThresholds`. */
export const DEFAULT_MONITORING_THRESHOLDS: Readonly<Required<MonitoringThresholds>> = Object.freeze({
  functionErrors: 0,
  functionThrottles: 0,
  durationTimeoutFraction: 0.8,
  queueAgeSlaFraction: 0.25,
  queueAgeFloorSeconds: 900,
  queueAgeCapSeconds: 86400,
  deadLetterQueueMessages: 0,
  quarantineRatio: 0.05,
  quarantineRatioPeriodMinutes: 60,
  freshnessGraceHours: 1,
  janitorMaxHoursWithoutRun: 26,
});

/** The given thresholds over the defaults (`??` per field: an explicit 0 is kept). */
export function resolveMonitoringThresholds(thresholds: MonitoringThresholds = {}): Required<MonitoringThresholds> {
  const d = DEFAULT_MONITORING_THRESHOLDS;
  return {
    functionErrors: thresholds.functionErrors ?? d.functionErrors,
    functionThrottles: thresholds.functionThrottles ?? d.functionThrottles,
    durationTimeoutFraction: thresholds.durationTimeoutFraction ?? d.durationTimeoutFraction,
    queueAgeSlaFraction: thresholds.queueAgeSlaFraction ?? d.queueAgeSlaFraction,
    queueAgeFloorSeconds: thresholds.queueAgeFloorSeconds ?? d.queueAgeFloorSeconds,
    queueAgeCapSeconds: thresholds.queueAgeCapSeconds ?? d.queueAgeCapSeconds,
    deadLetterQueueMessages: thresholds.deadLetterQueueMessages ?? d.deadLetterQueueMessages,
    quarantineRatio: thresholds.quarantineRatio ?? d.quarantineRatio,
    quarantineRatioPeriodMinutes: thresholds.quarantineRatioPeriodMinutes ?? d.quarantineRatioPeriodMinutes,
    freshnessGraceHours: thresholds.freshnessGraceHours ?? d.freshnessGraceHours,
    janitorMaxHoursWithoutRun: thresholds.janitorMaxHoursWithoutRun ?? d.janitorMaxHoursWithoutRun,
  };
}

/** One problem with a thresholds object; `key` is the field name. */
export interface MonitoringThresholdProblem {
  readonly code: string;
  readonly key: keyof MonitoringThresholds;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isWhole = (v: unknown): v is number => isFiniteNumber(v) && Number.isInteger(v);

/**
 * Every problem of a thresholds object (after resolving defaults), in field order; `[]` when valid.
 * Codes: LH150 (counts), LH151 (fractions), LH152 (queue age bounds), LH153 (periods and windows).
 */
export function validateMonitoringThresholds(thresholds: MonitoringThresholds = {}): MonitoringThresholdProblem[] {
  const t = resolveMonitoringThresholds(thresholds);
  const out: MonitoringThresholdProblem[] = [];
  const push = (code: string, key: keyof MonitoringThresholds, problem: string, fix: string) => out.push({ code, key, value: t[key], problem, fix });

  for (const key of ['functionErrors', 'functionThrottles', 'deadLetterQueueMessages'] as const) {
    if (!isWhole(t[key]) || t[key] < 0) push('LH150', key, 'must be a whole number ≥ 0 (the alarm fires above it)', `set ${key}, e.g. 0 to alarm on any occurrence`);
  }
  if (!isFiniteNumber(t.durationTimeoutFraction) || t.durationTimeoutFraction <= 0 || t.durationTimeoutFraction >= 1) {
    push('LH151', 'durationTimeoutFraction', 'must be a fraction of the timeout between 0 and 1 (exclusive): at 1 or above the alarm could only fire after timeouts', 'set durationTimeoutFraction, e.g. 0.8');
  }
  if (!isFiniteNumber(t.queueAgeSlaFraction) || t.queueAgeSlaFraction <= 0 || t.queueAgeSlaFraction > 1) {
    push('LH151', 'queueAgeSlaFraction', 'must be a fraction of the SLA in (0, 1]: a file waiting longer than the SLA has already breached it', 'set queueAgeSlaFraction, e.g. 0.25');
  }
  if (!isFiniteNumber(t.quarantineRatio) || t.quarantineRatio < 0 || t.quarantineRatio >= 1) {
    push('LH151', 'quarantineRatio', 'must be a ratio in [0, 1): the alarm fires when the quarantined share of rows exceeds it', 'set quarantineRatio, e.g. 0.05 for 5 %');
  }
  if (!isWhole(t.queueAgeFloorSeconds) || t.queueAgeFloorSeconds < 60) {
    push('LH152', 'queueAgeFloorSeconds', 'must be a whole number of seconds ≥ 60 (SQS publishes the metric once a minute)', 'set queueAgeFloorSeconds, e.g. 900');
  }
  if (!isWhole(t.queueAgeCapSeconds) || t.queueAgeCapSeconds > MAX_SQS_RETENTION_SECONDS) {
    push('LH152', 'queueAgeCapSeconds', `must be a whole number of seconds ≤ ${MAX_SQS_RETENTION_SECONDS} (the longest SQS retention)`, 'set queueAgeCapSeconds, e.g. 86400');
  } else if (isWhole(t.queueAgeFloorSeconds) && t.queueAgeCapSeconds < t.queueAgeFloorSeconds) {
    push('LH152', 'queueAgeCapSeconds', `must not be below queueAgeFloorSeconds (${t.queueAgeFloorSeconds})`, 'raise queueAgeCapSeconds or lower queueAgeFloorSeconds');
  }
  if (!isWhole(t.quarantineRatioPeriodMinutes) || t.quarantineRatioPeriodMinutes < 5 || t.quarantineRatioPeriodMinutes > 1440 || t.quarantineRatioPeriodMinutes % 5 !== 0) {
    push('LH153', 'quarantineRatioPeriodMinutes', 'must be a whole number of minutes, a multiple of 5, from 5 to 1440', 'set quarantineRatioPeriodMinutes, e.g. 60');
  }
  if (!isWhole(t.freshnessGraceHours) || t.freshnessGraceHours < 0 || t.freshnessGraceHours > 24) {
    push('LH153', 'freshnessGraceHours', 'must be a whole number of hours from 0 to 24', 'set freshnessGraceHours, e.g. 1');
  }
  if (!isWhole(t.janitorMaxHoursWithoutRun) || t.janitorMaxHoursWithoutRun < 25 || t.janitorMaxHoursWithoutRun > MAX_ALARM_WINDOW_HOURS) {
    push('LH153', 'janitorMaxHoursWithoutRun', `must be a whole number of hours from 25 (the janitor runs daily) to ${MAX_ALARM_WINDOW_HOURS} (CloudWatch's 7-day evaluation limit)`, 'set janitorMaxHoursWithoutRun, e.g. 26');
  }
  return out;
}

/** The freshness SLA range the domain validation accepts (`LH105`): 1 to 744 hours (31 days). */
export const MIN_FRESHNESS_SLA_HOURS = 1;
export const MAX_FRESHNESS_SLA_HOURS = 744;

/**
 * The queue-age threshold of a dataset's queue, in seconds:
 *
 *   clamp(queueAgeSlaFraction × freshnessSlaHours × 3600, queueAgeFloorSeconds, queueAgeCapSeconds), rounded up
 *
 * A file that has waited this long has used that share of the SLA before the transform even
 * started. The floor keeps short SLAs from alarming on ordinary batching and one retry (the
 * queue's visibility timeout is 6× the function timeout, 30 minutes for the transform); the cap
 * keeps long SLAs from letting a stuck queue age for days (and stays below the queue's retention).
 * Defaults: 2 h SLA → 1,800 s; 6 h → 5,400 s; 24 h → 21,600 s; 744 h → 86,400 s (cap); 1 h → 900 s (floor).
 */
export function queueAgeThresholdSeconds(freshnessSlaHours: number, thresholds: MonitoringThresholds = {}): number {
  const t = resolveMonitoringThresholds(thresholds);
  const derived = Math.ceil(t.queueAgeSlaFraction * freshnessSlaHours * 3600);
  return Math.min(t.queueAgeCapSeconds, Math.max(t.queueAgeFloorSeconds, derived));
}

/** How the freshness alarm evaluates: hourly periods, all of which must be empty. */
export interface FreshnessWindow {
  /** Hours evaluated (= evaluation periods = datapoints to alarm, period 1 h). */
  readonly hours: number;
  /** Hours the SLA plus grace asked for, before the cap. */
  readonly requestedHours: number;
  /** Whether the window was cut to CloudWatch's 7-day limit (SLA + grace > 168 h). */
  readonly capped: boolean;
}

/**
 * The freshness alarm's window: ceil(freshnessSlaHours) + freshnessGraceHours hourly periods, at
 * most MAX_ALARM_WINDOW_HOURS (168). CloudWatch limits period × evaluation periods to 7 days for
 * periods of an hour or more (1 day below an hour), so an SLA above 167 h cannot be watched over
 * its full length: the window is capped at 168 h and the alarm then fires after 7 days without
 * clean data — earlier than the SLA, never later.
 */
export function freshnessWindow(freshnessSlaHours: number, thresholds: MonitoringThresholds = {}): FreshnessWindow {
  const t = resolveMonitoringThresholds(thresholds);
  const requestedHours = Math.ceil(freshnessSlaHours) + t.freshnessGraceHours;
  const hours = Math.min(requestedHours, MAX_ALARM_WINDOW_HOURS);
  return { hours, requestedHours, capped: hours < requestedHours };
}
