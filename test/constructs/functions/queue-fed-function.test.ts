import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_RECEIVE_COUNT, QueueFedFunctionProps, VISIBILITY_TIMEOUT_FACTOR, queueFedFunction } from '../../../constructs/functions';
import { DeadLetterQueueMonitoring, QueueMonitoring } from '../../../constructs/monitoring';
import { deadLetterQueue } from '../../../constructs/queues';
import { testApp } from '../../helpers/app';
import { testMonitoring } from '../../helpers/stacks';

type Alarms = { queue: QueueMonitoring; deadLetterQueue: DeadLetterQueueMonitoring };

function build(overrides: (owner: Construct, key: kms.IKey) => Partial<QueueFedFunctionProps<Alarms>> = () => ({})) {
  const stack = new Stack(testApp(), 'Test');
  const owner = new Construct(stack, 'Owner');
  const key = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
  const monitoring = testMonitoring(stack);
  const subject = { ...monitoring, domain: 'sales', dataset: 'orders' };
  const fed = queueFedFunction<Alarms>(owner, {
    functionId: 'Handler',
    function: {
      entry: path.join(__dirname, '..', '..', '..', 'lambda', 'janitor', 'handler.ts'),
      description: 'test',
      serviceName: 'test',
      logRetention: logs.RetentionDays.ONE_MONTH,
      timeout: Duration.minutes(2),
      monitoring: subject,
    },
    encryptionKey: key,
    batchSize: 7,
    monitoring: ({ queue, deadLetterQueue: parked }) => ({
      queue: new QueueMonitoring(owner, 'QueueMonitoring', { ...subject, queue, freshnessSlaHours: 24 }),
      deadLetterQueue: new DeadLetterQueueMonitoring(owner, 'DeadLetterQueueMonitoring', { ...subject, queue: parked }),
    }),
    ...overrides(owner, key),
  });
  return { stack, owner, key, fed, t: Template.fromStack(stack) };
}

const arn = (stack: Stack, queue: sqs.IQueue) => ({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] });

describe('queueFedFunction', () => {
  test('creates the dead-letter queue, the function and the queue in the caller\'s scope, under the ids the constructs have always used', () => {
    const { owner, fed } = build();
    expect([fed.deadLetterQueue, fed.handler, fed.queue].map((c) => c.node.path)).toEqual(['Test/Owner/DeadLetterQueue', 'Test/Owner/Handler', 'Test/Owner/Queue']);
    expect(owner.node.children.map((c) => c.node.id)).toEqual(['DeadLetterQueue', 'Handler', 'Queue', 'QueueMonitoring', 'DeadLetterQueueMonitoring']);
  });

  test('a KMS queue with a dead-letter queue after MAX_RECEIVE_COUNT deliveries and visibility VISIBILITY_TIMEOUT_FACTOR× the timeout, kept 4 days', () => {
    const { t, stack, key, fed } = build();
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] },
      VisibilityTimeout: 120 * VISIBILITY_TIMEOUT_FACTOR,
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: arn(stack, fed.deadLetterQueue), maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, RedrivePolicy: Match.absent() });
    t.resourceCountIs('AWS::SQS::Queue', 2);
  });

  test('the queue drives the function with partial batch responses and bounded concurrency (5 by default), never reserved concurrency', () => {
    const { t, stack, fed } = build();
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(stack, fed.queue),
      BatchSize: 7,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: Match.absent(), DeadLetterConfig: { TargetArn: arn(stack, fed.deadLetterQueue) } });
    build(() => ({ maxConcurrency: 40 })).t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 40 } });
  });

  test('the alarms are created from the parts, on the queue and on the dead-letter queue', () => {
    const { fed, t, stack } = build();
    expect(fed.monitoring.queue.alarmNames).toEqual(['dev-sales-orders-queue-age']);
    expect(fed.monitoring.deadLetterQueue.alarmNames).toEqual(['dev-sales-orders-dlq-messages']);
    const dimensions = (name: string) => (Object.values(t.findResources('AWS::CloudWatch::Alarm')) as any[]).find((a) => a.Properties.AlarmName === name).Properties.Dimensions;
    expect(dimensions('dev-sales-orders-queue-age')).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(fed.queue.node.defaultChild as any), 'QueueName'] } }]);
    expect(dimensions('dev-sales-orders-dlq-messages')).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(fed.deadLetterQueue.node.defaultChild as any), 'QueueName'] } }]);
  });

  test('FIFO: queue and dead-letter queue FIFO, deduplicated by content; failed asynchronous invocations go to the standard queue given', () => {
    let standard: sqs.Queue | undefined;
    const { t, stack, fed } = build((owner, key) => {
      standard = deadLetterQueue(owner, 'Delivery', { encryptionKey: key });
      return { fifo: true, functionDeadLetterQueue: standard, batchSize: 10 };
    });
    expect([fed.queue.fifo, fed.deadLetterQueue.fifo]).toEqual([true, true]);
    t.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: true, RedrivePolicy: { deadLetterTargetArn: arn(stack, fed.deadLetterQueue), maxReceiveCount: MAX_RECEIVE_COUNT } });
    t.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: arn(stack, standard!) } });
  });

  test('fails if maxConcurrency is outside 2-1000 or not whole (LH090, naming the caller)', () => {
    for (const maxConcurrency of [1, 1001, 2.5]) {
      expect(() => build(() => ({ maxConcurrency }))).toThrow(new RegExp(`LH090\\] Test/Owner: SQS maximum concurrency is 2-1000 \\(got ${maxConcurrency}\\)`));
    }
  });

  test('fails if a FIFO queue has no standard queue for failed asynchronous invocations (LH094)', () => {
    expect(() => build(() => ({ fifo: true }))).toThrow(/LH094.*Test\/Owner.*pass a standard queue as functionDeadLetterQueue/);
  });
});
