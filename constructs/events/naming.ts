/**
 * Names of the event-routing resources. Pure: no constructs.
 *
 * Everything an environment's routing delivers to is named `lakehouse-<env>-…`: each domain's event
 * bus (`lakehouse-<env>-<domain>`), the big-file state machines (`lakehouse-<env>-<domain>-big-files`)
 * and the Scheduler schedule group (`lakehouse-<env>`). The platform's one delivery role is granted
 * on those name patterns, so it does not change when a domain is added.
 */

/** The prefix of every routed-to resource of an environment: `lakehouse-<env>-`. */
export function environmentResourcePrefix(environmentName: string): string {
  return `lakehouse-${environmentName}-`;
}

/** The event bus of one domain: `lakehouse-<env>-<domain>`. */
export function domainEventBusName(environmentName: string, domain: string): string {
  return `${environmentResourcePrefix(environmentName)}${domain}`;
}

/** The environment's Scheduler schedule group: `lakehouse-<env>`. */
export function scheduleGroupName(environmentName: string): string {
  return `lakehouse-${environmentName}`;
}

/** EventBridge event bus names: 1-256 of letters, digits, `.`, `-`, `_` (and `/` for partner buses, not used). */
export const EVENT_BUS_NAME_RE = /^[A-Za-z0-9._-]{1,256}$/;

/**
 * What the domain bus's schedule rules match: the event EventBridge Scheduler puts on the bus.
 * A custom `source` cannot start with `aws.`, so no one can pass a schedule off as an S3 event or
 * the reverse.
 */
export const SCHEDULE_EVENT_SOURCE = 'lakehouse.scheduler';
export const MODELS_SCHEDULE_DETAIL_TYPE = 'Curated models schedule';
