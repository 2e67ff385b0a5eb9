import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';
import { LakehouseError } from '../errors';
import { environmentResourcePrefix, scheduleGroupName } from './naming';

/** What the delivery role may do: put events on the environment's domain buses. */
export const EVENT_DELIVERY_PUT_ACTIONS = ['events:PutEvents'];
/** …and start the environment's state machines (the big-file route). */
export const EVENT_DELIVERY_START_ACTIONS = ['states:StartExecution'];

const ENVIRONMENT_NAME_RE = /^[a-z][a-z0-9]{0,9}$/;

export interface EventDeliveryRoleProps {
  /** The environment (`lakehouse-<env>-*` is what the role may deliver to). */
  readonly environmentName: string;
}

/**
 * The one role EventBridge and EventBridge Scheduler use, in the whole environment, to deliver to
 * the domains: put events on the domain buses `lakehouse-<env>-*` (the default bus's forwarding
 * rules and the domains' schedules) and start the state machines `lakehouse-<env>-*` (the
 * big-file route). It is granted on those name patterns, built with `Stack.formatArn`, so it does
 * not grow with domains, and nobody outside the environment's names is reachable through it.
 *
 * Trust: `events.amazonaws.com` from this account (`aws:SourceAccount`), and
 * `scheduler.amazonaws.com` from this account for schedules of the environment's schedule group
 * `lakehouse-<env>` only (`aws:SourceArn`), against the confused deputy.
 *
 * Domain stacks take `deliveryRole` (`withoutPolicyUpdates()`): a grant made there cannot add a
 * statement to this role, so no cyclic cross-stack reference appears. What Scheduler needs in a
 * domain (sending to its dead-letter queue, using that queue's key) is granted on the domain's
 * resource policies instead (`grantScheduleDeadLetters` of `CuratedModels`).
 *
 * The role has no `lakehouse:role` tag: the governance proof judges it `unclassified`, and it
 * touches no zone.
 */
export class EventDeliveryRole extends Construct {
  public readonly role: iam.Role;
  /** The environment's schedule group (`lakehouse-<env>`): the only schedules that may use the role. */
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role for other stacks: usable as a target role, immune to policy updates. */
  public readonly deliveryRole: iam.IRole;

  constructor(scope: Construct, id: string, props: EventDeliveryRoleProps) {
    super(scope, id);
    if (!ENVIRONMENT_NAME_RE.test(props.environmentName)) {
      throw new LakehouseError({ code: 'LH170', scope: this, value: props.environmentName, problem: 'the environment name is part of the name patterns the delivery role is granted on', fix: 'use the configured environment name (lower case letters and digits, ≤ 10)' });
    }
    const stack = Stack.of(this);
    const prefix = environmentResourcePrefix(props.environmentName);
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: scheduleGroupName(props.environmentName) });
    const thisAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    this.role = new iam.Role(this, 'Role', {
      description: `lakehouse ${props.environmentName}: EventBridge and Scheduler deliver to the domain buses and state machines ${prefix}*`,
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('events.amazonaws.com', { conditions: thisAccount }),
        new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { ...thisAccount, ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn } },
        }),
      ),
    });
    const busArns = stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: `${prefix}*` });
    const stateMachineArns = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'PutEventsOnTheDomainBuses', actions: EVENT_DELIVERY_PUT_ACTIONS, resources: [busArns] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'StartTheBigFileStateMachines', actions: EVENT_DELIVERY_START_ACTIONS, resources: [stateMachineArns] }));
    acknowledge(this.role, {
      id: 'AwsSolutions-IAM5',
      appliesTo: [
        `Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/${prefix}*`,
        `Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${prefix}*`,
      ],
      reason: `One delivery role for the whole environment: it may put events on the domain buses and start the state machines named ${prefix}<domain>…, by name pattern, so the platform stack and the account's IAM roles do not grow with domains. Nothing outside the environment's names matches.`,
    });
    this.deliveryRole = this.role.withoutPolicyUpdates();
  }
}
