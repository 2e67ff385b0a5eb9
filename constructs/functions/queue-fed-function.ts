import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeSqsEventSource } from '../acknowledge';
import { LakehouseError } from '../errors';
import { deadLetterQueue, lakehouseQueue } from '../queues';
import { LakehouseFunction, LakehouseFunctionProps } from './lakehouse-function';

/** Deliveries of a message before it is parked in the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** SQS visibility timeout as a multiple of the consumer's timeout (AWS guidance: ≥ 6×). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** How long the queue keeps a message nobody has consumed. */
export const QUEUE_RETENTION = Duration.days(4);
/** The range of an SQS event source's maximum concurrency. */
export const SQS_MAX_CONCURRENCY_RANGE = { min: 2, max: 1000 } as const;

/** What a queue-fed function is made of, as its alarms see it. */
export interface QueueFedFunctionParts {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly handler: LakehouseFunction;
}

/** A queue-fed function: its parts, the event source and the alarms `monitoring` created. */
export interface QueueFedFunction<M> extends QueueFedFunctionParts {
  readonly eventSource: sources.SqsEventSource;
  readonly monitoring: M;
}

export interface QueueFedFunctionProps<M> {
  /** The function's construct id in `scope` (the queues are `Queue` and `DeadLetterQueue`). */
  readonly functionId: string;
  /** The function. Its concurrency is bounded by the event source (`maxConcurrency`), never reserved. */
  readonly function: Omit<LakehouseFunctionProps, 'deadLetterQueue' | 'reservedConcurrentExecutions'>;
  /** Key of the queue and its dead-letter queue (whoever sends to the queue must be allowed to use it). */
  readonly encryptionKey: kms.IKey;
  /** A FIFO queue and dead-letter queue, deduplicated by content. @default false */
  readonly fifo?: boolean;
  /**
   * Where the function's failed asynchronous invocations go (Lambda takes a standard queue only).
   * @default - the queue's dead-letter queue (required when `fifo`)
   */
  readonly functionDeadLetterQueue?: sqs.IQueue;
  /** Messages per invocation (a FIFO event source takes at most 10). */
  readonly batchSize: number;
  /** Concurrent function instances the queue may drive (SQS maximum concurrency, 2-1000). @default 5 */
  readonly maxConcurrency?: number;
  /**
   * The alarms on the queue and the dead-letter queue (the function's own are `handler.monitoring`),
   * created in the caller's scope once the queues exist.
   */
  readonly monitoring: (parts: QueueFedFunctionParts) => M;
}

/**
 * A function fed by an SQS queue: the dead-letter queue, the function, the queue (KMS,
 * dead-letter queue after MAX_RECEIVE_COUNT deliveries, visibility VISIBILITY_TIMEOUT_FACTOR× the
 * function's timeout, kept QUEUE_RETENTION), the event source (partial batch responses,
 * concurrency bounded by `maxConcurrency`) and the queues' alarms.
 *
 * A helper, not a construct: it creates `DeadLetterQueue`, `<functionId>` and `Queue` in `scope`,
 * where the dataset transform and the curated-model runner have always had them, so their logical
 * IDs stay as they are. One queue-fed function per scope.
 */
export function queueFedFunction<M>(scope: Construct, props: QueueFedFunctionProps<M>): QueueFedFunction<M> {
  const maxConcurrency = props.maxConcurrency ?? 5;
  const { min, max } = SQS_MAX_CONCURRENCY_RANGE;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < min || maxConcurrency > max) {
    throw new LakehouseError({ code: 'LH090', scope, value: maxConcurrency, problem: `SQS maximum concurrency is ${min}-${max}`, fix: 'set maxConcurrency within range' });
  }
  const fifo = props.fifo ?? false;
  if (fifo && props.functionDeadLetterQueue === undefined) {
    throw new LakehouseError({ code: 'LH094', scope, value: props.functionId, problem: 'a FIFO dead-letter queue cannot take the function\'s failed asynchronous invocations (Lambda takes a standard queue only)', fix: 'pass a standard queue as functionDeadLetterQueue' });
  }
  const dlq = deadLetterQueue(scope, 'DeadLetterQueue', { encryptionKey: props.encryptionKey, fifo });
  const handler = new LakehouseFunction(scope, props.functionId, {
    ...props.function,
    // Only the queue invokes it; a stray asynchronous invocation also ends in a dead-letter queue.
    deadLetterQueue: props.functionDeadLetterQueue ?? dlq,
  });
  const queue = lakehouseQueue(scope, 'Queue', {
    fifo,
    contentBasedDeduplication: fifo ? true : undefined,
    encryptionKey: props.encryptionKey,
    visibilityTimeout: Duration.seconds(handler.timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    retentionPeriod: QUEUE_RETENTION,
    deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
  });
  const eventSource = new sources.SqsEventSource(queue, { batchSize: props.batchSize, maxConcurrency, reportBatchItemFailures: true });
  handler.function.addEventSource(eventSource);
  acknowledgeSqsEventSource(handler.function);
  const parts = { queue, deadLetterQueue: dlq, handler };
  return { ...parts, eventSource, monitoring: props.monitoring(parts) };
}
