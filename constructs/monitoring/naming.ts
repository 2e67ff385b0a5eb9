/**
 * Alarm names and descriptions. Pure: no constructs.
 *
 * Name: `<environment>-<domain>-<dataset>-<what>`, e.g. `dev-sales-orders-transform-errors`,
 * `prod-platform-sandbox-janitor-did-not-run`. Shared resources use the domain `platform` and name
 * their component in the dataset slot. CloudWatch allows 255 characters; names are unique per
 * account and region, so the environment prefix keeps environments sharing an account apart.
 */

/** The domain slot of shared (platform) resources. */
export const PLATFORM_DOMAIN = 'platform';
/** CloudWatch limits. */
export const MAX_ALARM_NAME_LENGTH = 255;
export const MAX_ALARM_DESCRIPTION_LENGTH = 1024;

/** What an alarm watches, for its name and description. */
export interface AlarmSubject {
  /** Environment name, e.g. `dev`. */
  readonly environmentName: string;
  /** Domain name, or PLATFORM_DOMAIN for shared resources. */
  readonly domain: string;
  /** Dataset name, or the platform component (e.g. `sandbox-janitor`, a workgroup name). */
  readonly dataset: string;
}

const PART_RE = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** Whether a name part is usable: letters, digits, `_`, `.`, `-`, not starting with `-`. */
export function isAlarmNamePart(part: string): boolean {
  return PART_RE.test(part);
}

/** `<environment>-<domain>-<dataset>-<what>`; the caller checks the parts and the length. */
export function alarmName(subject: AlarmSubject, what: string): string {
  return [subject.environmentName, subject.domain, subject.dataset, what].join('-');
}

/** What the description says about one alarm. */
export interface AlarmDescriptionParts {
  /** The condition in words, e.g. `Errors > 0 (Sum over 5 min)`. */
  readonly condition: string;
  /** Where the threshold is configured, e.g. `monitoring.functionErrors`. */
  readonly thresholdKey: string;
  /** One line: what to check first. */
  readonly hint: string;
}

/**
 * `[<env>] <domain>/<dataset> — <what>: <condition>. First check: <hint> (threshold: <key>)`.
 * Carries the environment, domain and dataset, so a notification e-mail is readable on its own.
 */
export function alarmDescription(subject: AlarmSubject, what: string, parts: AlarmDescriptionParts): string {
  return `[${subject.environmentName}] ${subject.domain}/${subject.dataset} — ${what}: ${parts.condition}. First check: ${parts.hint} (threshold: ${parts.thresholdKey})`;
}
