/**
 * Acknowledgement decisions shared by every construct that meets the same finding: one call site,
 * one reason, however many resources it covers (the budget counts decisions).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from './acknowledge';

/**
 * A dead-letter queue is where failures end; it has no redrive target of its own
 * (Serverless-SQSRedrivePolicy). Every dead-letter queue of the platform is alarmed on.
 */
export function acknowledgeDeadLetterQueue(queue: sqs.IQueue): void {
  acknowledge(queue, {
    id: 'Serverless-SQSRedrivePolicy',
    reason: 'This queue is a dead-letter queue (of a queue, a function, an EventBridge target or an SNS subscription); failures end here and are alarmed on, so it has no redrive target.',
  });
}

/**
 * AwsSolutions-SQS3 recognises a dead-letter queue only by another queue's RedrivePolicy or a
 * function's DeadLetterConfig. The dead-letter queues of SNS subscriptions (the alarm topic's) and
 * of EventBridge rule targets only (a domain bus's forwarding rule) are dead-letter queues all the
 * same: each is alarmed on, and `DataOps-SQSDeadLetterQueue` recognises them.
 */
export function acknowledgeUnrecognisedDeadLetterQueue(queue: sqs.IQueue): void {
  acknowledge(queue, {
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the dead-letter queue of an SNS subscription (the alarm topic\'s) or of an EventBridge rule target (a domain bus\'s forwarding rule), which AwsSolutions-SQS3 does not recognise as DLQ use; it is alarmed on.',
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
