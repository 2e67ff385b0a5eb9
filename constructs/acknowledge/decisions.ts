/**
 * Acknowledgement decisions shared by every construct that meets the same finding: one call site,
 * one reason, however many resources it covers (the budget counts decisions).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { acknowledge } from './acknowledge';
import { inCompliancePacks } from './packs';

/**
 * A dead-letter queue is where failures end; it has no dead-letter queue of its own. Packs check
 * that one control as Serverless-SQSRedrivePolicy and Control Tower CT.SQS.PR.1. AwsSolutions-SQS3
 * recognises a dead-letter queue only by another queue's RedrivePolicy or a function's
 * DeadLetterConfig, so for the DLQ of an SNS subscription (the alarm topic's) or of an EventBridge
 * rule target only (a domain bus's forwarding rule) it is covered too (`unrecognisedBySqs3`);
 * `DataOps-SQSDeadLetterQueue` recognises them. Every dead-letter queue of the platform is alarmed on.
 */
export function acknowledgeDeadLetterQueue(queue: sqs.IQueue, options: { readonly unrecognisedBySqs3?: boolean } = {}): void {
  acknowledge(queue, {
    id: 'Serverless-SQSRedrivePolicy',
    sameControl: ['CT.SQS.PR.1', ...(options.unrecognisedBySqs3 ? ['AwsSolutions-SQS3'] : [])],
    reason:
      'This queue is a dead-letter queue (of a queue, a function, an EventBridge target or an SNS subscription): failures end here and are alarmed on, so it has no dead-letter queue of its own (AwsSolutions-SQS3 does not recognise the DLQ of an SNS subscription or of an EventBridge rule target).',
  });
}

/**
 * X-Ray trace upload and sampling and the CloudWatch Logs log-delivery APIs support no resource-level
 * permissions, so CDK grants them on `*` to traced functions and to logging state machines.
 * Acknowledged for the `Resource::*` finding of those roles only; `DataOps-IAMResourceStarOnlyUnscopable`
 * fails synth if any other action is ever granted on `*`, so this cannot hide one.
 */
export function acknowledgeUnscopableActions(role: IConstruct): void {
  acknowledge(role, {
    id: 'AwsSolutions-IAM5',
    appliesTo: ['Resource::*'],
    reason:
      'X-Ray trace upload and sampling (xray:PutTraceSegments, …) and the CloudWatch Logs log-delivery APIs Step Functions logging uses (logs:CreateLogDelivery, …) support no resource-level permissions, so they are granted on "*"; DataOps-IAMResourceStarOnlyUnscopable fails synth for any other action on "*".',
  });
}

/**
 * Lambda supports on-failure destinations only for stream and Kafka sources; an SQS-fed function's
 * failures go to its queue's dead-letter queue (Serverless-LambdaEventSourceMappingDestination).
 */
export function acknowledgeSqsEventSource(fn: lambda.IFunction): void {
  acknowledge(fn, {
    id: 'Serverless-LambdaEventSourceMappingDestination',
    reason: "Lambda supports on-failure destinations only for stream and Kafka sources; for SQS, failed messages go to the queue's dead-letter queue after maxReceiveCount deliveries.",
  });
}

/**
 * CDK's grant methods put a role's statements into one `AWS::IAM::Policy` (`DefaultPolicy`) attached
 * to that role only: an inline policy in the compliance packs' sense (IAMNoInlinePolicy). Applied to
 * every role's DefaultPolicy under `scope`.
 */
export function acknowledgeGrantPolicies(scope: IConstruct): void {
  for (const c of scope.node.findAll()) {
    if (!(c instanceof iam.Policy) || c.node.id !== 'DefaultPolicy' || !(c.node.scope instanceof iam.Role)) continue;
    acknowledge(c, {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      sameControl: inCompliancePacks('IAMNoInlinePolicy').slice(1),
      reason: "CDK's intent-named grants write a role's statements into its one DefaultPolicy, attached to that role only and deployed and deleted with it; the DataOps IAM rules and the governance proof check its content. A different design (one customer-managed policy per role) would satisfy the rule with the same permissions.",
    });
  }
}
