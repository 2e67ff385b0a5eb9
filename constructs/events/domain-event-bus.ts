import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LakehouseError } from '../errors';
import { DeadLetterQueueMonitoring, MonitoringOptions } from '../monitoring';
import { deadLetterQueue } from '../queues';
import { LakeZone } from '../zones';
import { EVENT_BUS_NAME_RE, domainEventBusName } from './naming';
import { objectCreatedPattern } from './object-created';

export interface DomainEventBusProps {
  readonly environmentName: string;
  readonly domain: string;
  /**
   * The zones whose S3 "Object Created" events under `<domain>/` are forwarded to the domain bus
   * (the transform and the big-file route watch raw, the curated models watch clean).
   */
  readonly zones: readonly LakeZone[];
  /**
   * The role EventBridge forwards with: the platform's `EventDeliveryRole.deliveryRole`, which
   * may put events on `lakehouse-<env>-*`. Taken as is: no grant is added to it here.
   */
  readonly deliveryRole: iam.IRole;
  /** Key of the forwarding dead-letter queue (EventBridge must be allowed to use it). */
  readonly queueKey: kms.IKey;
  /** Where the dead-letter queue's alarm goes. */
  readonly monitoring: MonitoringOptions;
}

/**
 * A domain's own event bus, `lakehouse-<env>-<domain>`, and the one rule the domain adds to the
 * account's default bus: S3 "Object Created" of the given zone buckets under `<domain>/`,
 * forwarded to the domain bus. Every other rule of the domain (per dataset, the big-file route, per
 * model) lives on the domain bus, whose rule quota (300 by default) is the domain's own.
 *
 * The forwarding target has no configurable retry policy (EventBridge's default applies: 24 hours,
 * 185 attempts); what it cannot deliver is parked in `deadLetterQueue`, which alarms.
 */
export class DomainEventBus extends Construct {
  public readonly eventBus: events.EventBus;
  public readonly eventBusName: string;
  /** The default-bus rule that forwards the domain's S3 events. */
  public readonly forwardRule: events.Rule;
  /** Events the forwarding rule could not deliver to the domain bus. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly deadLetterQueueMonitoring: DeadLetterQueueMonitoring;

  constructor(scope: Construct, id: string, props: DomainEventBusProps) {
    super(scope, id);
    this.eventBusName = domainEventBusName(props.environmentName, props.domain);
    if (!EVENT_BUS_NAME_RE.test(this.eventBusName)) {
      throw new LakehouseError({ code: 'LH171', scope: this, value: this.eventBusName, problem: 'an event bus name is 1-256 letters, digits, . - or _', fix: 'rename the environment or the domain' });
    }
    if (props.zones.length === 0) {
      throw new LakehouseError({ code: 'LH172', scope: this, value: [], problem: 'a domain bus forwards the events of at least one zone', fix: 'pass the raw and clean zones' });
    }
    this.eventBus = new events.EventBus(this, 'Bus', {
      eventBusName: this.eventBusName,
      description: `${props.domain}: S3 events of the domain's prefixes and its schedules`,
    });
    this.deadLetterQueue = deadLetterQueue(this, 'ForwardDeadLetterQueue', { encryptionKey: props.queueKey, unrecognisedBySqs3: true });
    this.forwardRule = new events.Rule(this, 'Forward', {
      description: `${props.domain}: objects created under ${props.domain}/ in ${props.zones.map((z) => z.zone).join(', ')}, to ${this.eventBusName}`,
      eventPattern: objectCreatedPattern({ buckets: props.zones.map((z) => z.bucket), prefixes: [`${props.domain}/`] }),
      targets: [new targets.EventBus(this.eventBus, { role: props.deliveryRole, deadLetterQueue: this.deadLetterQueue })],
    });
    this.deadLetterQueueMonitoring = new DeadLetterQueueMonitoring(this, 'DeadLetterQueueMonitoring', {
      ...props.monitoring,
      domain: props.domain,
      dataset: 'events',
      label: 'forward-dlq',
      queue: this.deadLetterQueue,
      hint: `EventBridge could not forward an S3 event to ${this.eventBusName}: check the bus exists and the platform's event delivery role may put events on it, then send the parked event to the bus again`,
    });
  }
}
