import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath, stringValue } from '../../cfn';

/**
 * Glue crawlers run on a schedule that fires at most once per hour.
 *
 * A Glue schedule is `cron(Minutes Hours Day-of-month Month Day-of-week Year)`. It fires at most once per
 * clock hour exactly when its Minutes field selects a single minute (`15`, `0/60`); `*`, lists (`0,30`),
 * ranges (`0-5`) and steps (`0/15`, `*\/10`) select several and run more often than hourly. The other
 * fields can only make it rarer. A missing or unparseable expression is non-compliant.
 * @param node the CfnResource to check
 */
export function GlueCrawlerSchedule(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Glue::Crawler') return NagRuleCompliance.NOT_APPLICABLE;
  const expression = stringValue(
    node,
    getPath(cfnProperties(node), 'Schedule', 'ScheduleExpression'),
    'Schedule.ScheduleExpression',
  );
  if (expression === undefined) return NagRuleCompliance.NON_COMPLIANT;
  const runs = runsPerHour(expression);
  return runs !== undefined && runs <= 1 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * How many minutes of an hour a Glue cron expression selects (at most how many times it runs per hour),
 * or `undefined` when it is not a six-field `cron(...)` expression with a valid Minutes field.
 */
export function runsPerHour(expression: string): number | undefined {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  return minutesSelected(fields[0])?.size;
}

function minutesSelected(field: string): Set<number> | undefined {
  const minutes = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d{1,2}(?:-\d{1,2})?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    let start = 0;
    let end = 59;
    if (m[1] !== '*') {
      const [from, to] = m[1].split('-').map(Number);
      start = from;
      // `a/n` runs from a to the end of the hour; a bare `a` is one minute.
      end = to ?? (m[2] === undefined ? from : 59);
    }
    if (start > 59 || end > 59 || start > end || step < 1) return undefined;
    for (let v = start; v <= end; v += step) minutes.add(v);
  }
  return minutes;
}
