import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeDeadLetterQueue } from '../acknowledge';

export interface LakehouseQueueProps {
  /** The customer-managed key the queue is encrypted with (services that send to it must be allowed to use it). */
  readonly encryptionKey: kms.IKey;
  /** @default false */
  readonly fifo?: boolean;
  /** @default false */
  readonly contentBasedDeduplication?: boolean;
  /** @default Duration.days(4) */
  readonly retentionPeriod?: Duration;
  /** @default - SQS's default (30 s) */
  readonly visibilityTimeout?: Duration;
  /** Where messages go after `maxReceiveCount` receives. @default - none (only for dead-letter queues themselves) */
  readonly deadLetterQueue?: sqs.DeadLetterQueue;
}

/** Dead-letter queues keep what failed for two weeks. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The platform's SQS queue: KMS with a customer-managed key and TLS-only access, always. One
 * definition for every queue so the settings the DataOps rules check cannot drift between them.
 */
export function lakehouseQueue(scope: Construct, id: string, props: LakehouseQueueProps): sqs.Queue {
  return new sqs.Queue(scope, id, {
    fifo: props.fifo,
    contentBasedDeduplication: props.contentBasedDeduplication,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: props.encryptionKey,
    enforceSSL: true,
    retentionPeriod: props.retentionPeriod ?? Duration.days(4),
    visibilityTimeout: props.visibilityTimeout,
    deadLetterQueue: props.deadLetterQueue,
  });
}

/**
 * A dead-letter queue: a lakehouse queue kept 14 days, acknowledged as having no redrive target of its
 * own (`unrecognisedBySqs3`: it is an SNS subscription's or an EventBridge rule target's DLQ, which AwsSolutions-SQS3 does not recognise).
 */
export function deadLetterQueue(scope: Construct, id: string, props: { readonly encryptionKey: kms.IKey; readonly fifo?: boolean; readonly unrecognisedBySqs3?: boolean }): sqs.Queue {
  const queue = lakehouseQueue(scope, id, { encryptionKey: props.encryptionKey, fifo: props.fifo, retentionPeriod: DEAD_LETTER_RETENTION });
  acknowledgeDeadLetterQueue(queue, { unrecognisedBySqs3: props.unrecognisedBySqs3 });
  return queue;
}
