import * as fs from 'fs';
import * as path from 'path';
import {
  DEFAULT_MONITORING_THRESHOLDS,
  MAX_ALARM_WINDOW_HOURS,
  MonitoringThresholds,
  freshnessWindow,
  queueAgeThresholdSeconds,
  resolveMonitoringThresholds,
  validateMonitoringThresholds,
} from '../../../constructs/monitoring';

const SOURCE = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'constructs', 'monitoring', 'thresholds.ts'), 'utf8');

/** `field: @default value` pairs read from the TSDoc of the MonitoringThresholds interface. */
function documentedDefaults(): Record<string, string> {
  const body = SOURCE.slice(SOURCE.indexOf('export interface MonitoringThresholds'), SOURCE.indexOf('export const DEFAULT_MONITORING_THRESHOLDS'));
  const out: Record<string, string> = {};
  const re = /@default\s+(\S+)\s*\*\/\s*readonly\s+(\w+)\?:/g;
  for (let m = re.exec(body); m; m = re.exec(body)) out[m[2]] = m[1];
  return out;
}

describe('MonitoringThresholds', () => {
  test('every documented @default equals DEFAULT_MONITORING_THRESHOLDS, field for field', () => {
    const documented = documentedDefaults();
    expect(Object.keys(documented).sort()).toEqual(Object.keys(DEFAULT_MONITORING_THRESHOLDS).sort());
    for (const [key, text] of Object.entries(documented)) {
      expect([key, Number(text)]).toEqual([key, DEFAULT_MONITORING_THRESHOLDS[key as keyof MonitoringThresholds]]);
    }
  });

  test('the defaults are valid', () => {
    expect(validateMonitoringThresholds()).toEqual([]);
    expect(validateMonitoringThresholds(DEFAULT_MONITORING_THRESHOLDS)).toEqual([]);
  });

  test('resolve keeps explicit values, including 0, and fills the rest', () => {
    const t = resolveMonitoringThresholds({ functionErrors: 3, freshnessGraceHours: 0 });
    expect(t.functionErrors).toBe(3);
    expect(t.freshnessGraceHours).toBe(0);
    expect(t.quarantineRatio).toBe(DEFAULT_MONITORING_THRESHOLDS.quarantineRatio);
  });

  test.each<[string, MonitoringThresholds, string, string]>([
    ['functionErrors is negative', { functionErrors: -1 }, 'functionErrors', 'LH150'],
    ['functionThrottles is fractional', { functionThrottles: 0.5 }, 'functionThrottles', 'LH150'],
    ['deadLetterQueueMessages is NaN', { deadLetterQueueMessages: NaN }, 'deadLetterQueueMessages', 'LH150'],
    ['durationTimeoutFraction is 1 (only timeouts could trip it)', { durationTimeoutFraction: 1 }, 'durationTimeoutFraction', 'LH151'],
    ['durationTimeoutFraction is 0', { durationTimeoutFraction: 0 }, 'durationTimeoutFraction', 'LH151'],
    ['queueAgeSlaFraction exceeds 1', { queueAgeSlaFraction: 1.5 }, 'queueAgeSlaFraction', 'LH151'],
    ['quarantineRatio is 1', { quarantineRatio: 1 }, 'quarantineRatio', 'LH151'],
    ['quarantineRatio is negative', { quarantineRatio: -0.1 }, 'quarantineRatio', 'LH151'],
    ['queueAgeFloorSeconds is below a minute', { queueAgeFloorSeconds: 30 }, 'queueAgeFloorSeconds', 'LH152'],
    ['queueAgeCapSeconds is below the floor', { queueAgeFloorSeconds: 3600, queueAgeCapSeconds: 600 }, 'queueAgeCapSeconds', 'LH152'],
    ['queueAgeCapSeconds exceeds the SQS retention', { queueAgeCapSeconds: 15 * 24 * 3600 }, 'queueAgeCapSeconds', 'LH152'],
    ['quarantineRatioPeriodMinutes is not a multiple of 5', { quarantineRatioPeriodMinutes: 7 }, 'quarantineRatioPeriodMinutes', 'LH153'],
    ['quarantineRatioPeriodMinutes exceeds a day', { quarantineRatioPeriodMinutes: 1445 }, 'quarantineRatioPeriodMinutes', 'LH153'],
    ['freshnessGraceHours is negative', { freshnessGraceHours: -1 }, 'freshnessGraceHours', 'LH153'],
    ['janitorMaxHoursWithoutRun is one day (the daily run would flap)', { janitorMaxHoursWithoutRun: 24 }, 'janitorMaxHoursWithoutRun', 'LH153'],
    ['janitorMaxHoursWithoutRun exceeds the 7-day alarm window', { janitorMaxHoursWithoutRun: 169 }, 'janitorMaxHoursWithoutRun', 'LH153'],
  ])('fails if %s', (_name, thresholds, key, code) => {
    const problems = validateMonitoringThresholds(thresholds);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key, code });
    expect(problems[0].fix.length).toBeGreaterThan(0);
  });

  test('reports every problem, not only the first', () => {
    expect(validateMonitoringThresholds({ functionErrors: -1, quarantineRatio: 2, freshnessGraceHours: 99 }).map((p) => p.key)).toEqual([
      'functionErrors',
      'quarantineRatio',
      'freshnessGraceHours',
    ]);
  });
});

describe('queueAgeThresholdSeconds (fraction of the SLA, floor, cap)', () => {
  test.each([
    [1, 900], // 0.25 × 1 h = 900 s = the floor
    [2, 1800],
    [6, 5400],
    [24, 21600],
    [96, 86400], // 0.25 × 96 h = 24 h = the cap
    [744, 86400], // capped
  ])('SLA %d h → %d s with the defaults', (sla, expected) => {
    expect(queueAgeThresholdSeconds(sla)).toBe(expected);
  });

  test('the floor applies below it and the configured fraction is used', () => {
    expect(queueAgeThresholdSeconds(1, { queueAgeSlaFraction: 0.1 })).toBe(900);
    expect(queueAgeThresholdSeconds(10, { queueAgeSlaFraction: 0.5 })).toBe(18000);
    expect(queueAgeThresholdSeconds(10, { queueAgeSlaFraction: 0.5, queueAgeCapSeconds: 7200 })).toBe(7200);
  });

  test('a fractional SLA rounds the threshold up to whole seconds', () => {
    expect(queueAgeThresholdSeconds(1.5, { queueAgeSlaFraction: 0.3333 })).toBe(Math.max(900, Math.ceil(0.3333 * 1.5 * 3600)));
  });
});

describe('freshnessWindow (hourly periods, CloudWatch 7-day cap)', () => {
  test('SLA + grace hours, rounded up', () => {
    expect(freshnessWindow(6)).toEqual({ hours: 7, requestedHours: 7, capped: false });
    expect(freshnessWindow(2.5)).toEqual({ hours: 4, requestedHours: 4, capped: false });
    expect(freshnessWindow(6, { freshnessGraceHours: 0 })).toEqual({ hours: 6, requestedHours: 6, capped: false });
  });

  test('167 h + 1 h grace fits exactly; 168 h does not', () => {
    expect(freshnessWindow(167)).toEqual({ hours: 168, requestedHours: 168, capped: false });
    expect(freshnessWindow(168)).toEqual({ hours: MAX_ALARM_WINDOW_HOURS, requestedHours: 169, capped: true });
  });

  test('the longest SLA (744 h) is capped at 168 hourly periods', () => {
    expect(freshnessWindow(744)).toEqual({ hours: 168, requestedHours: 745, capped: true });
    // period (3600 s) × evaluation periods ≤ 604,800 s: CloudWatch's limit for periods of an hour or more
    expect(freshnessWindow(744).hours * 3600).toBeLessThanOrEqual(604800);
  });
});
