import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** What a sender needs on a queue to put a message in it. */
export const QUEUE_SENDER_ACTIONS = ['sqs:SendMessage'];
/** …and on the queue's key (SQS SSE-KMS with a customer-managed key). */
export const QUEUE_KEY_SENDER_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

export interface QueueSenderOptions {
  /**
   * Who sends.
   * @default - EventBridge (`events.amazonaws.com`): rule targets and the dead-letter queues of rule targets
   */
  readonly sender?: iam.IGrantable;
  /** The resource-policy statement's Sid. @default - none */
  readonly sid?: string;
}

/**
 * Lets a sender put messages in the queues encrypted with `key`: EventBridge (a rule's target
 * queue, the dead-letter queue of a rule's target), or the role EventBridge Scheduler parks
 * undeliverable events with. One statement in the key's policy.
 */
export function grantQueueKeyToSender(key: kms.IKey, options: QueueSenderOptions = {}): iam.Grant {
  return grantOnResourcePolicy(key, ['*'], QUEUE_KEY_SENDER_ACTIONS, options);
}

/**
 * Lets a sender put messages in `queue`: one statement in the queue's policy. For senders whose
 * policy cannot take it (CDK's `grantSendMessages` would try the sender's policy first).
 */
export function grantQueueToSender(queue: sqs.IQueue, options: QueueSenderOptions = {}): iam.Grant {
  return grantOnResourcePolicy(queue, [queue.queueArn], QUEUE_SENDER_ACTIONS, options);
}

/**
 * Always the resource's policy, never the sender's: a service principal has no policy, and a role
 * taken from another stack (`withoutPolicyUpdates()`) would drop the statement silently.
 */
function grantOnResourcePolicy(resource: iam.IResourceWithPolicy, resourceArns: string[], actions: string[], options: QueueSenderOptions): iam.Grant {
  const sender = options.sender ?? new iam.ServicePrincipal('events.amazonaws.com');
  return iam.Grant.addStatementToResourcePolicy({
    grantee: sender,
    actions,
    resourceArns,
    resource,
    statement: new iam.PolicyStatement({ sid: options.sid, principals: [sender.grantPrincipal], actions, resources: resourceArns }),
  });
}
