import { CfnRule } from 'aws-cdk-lib/aws-events';
import { CfnEventSourceMapping, CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { findings, newStack } from '../helpers';

const CODE = { zipFile: 'exports.handler = async () => {};' };
const ROLE = 'arn:aws:iam::123456789012:role/test';

function l1Function(stack: ReturnType<typeof newStack>, timeout?: number, id = 'rFunction'): CfnFunction {
  return new CfnFunction(stack, id, { code: CODE, role: ROLE, handler: 'index.handler', runtime: 'nodejs22.x', timeout });
}

describe('DataOps-SQSKmsEncryption', () => {
  const RULE = 'DataOps-SQSKmsEncryption';
  test('Noncompliance 1: not encrypted with KMS', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 2: SQS-managed SSE only', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue', { sqsManagedSseEnabled: true });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Compliance', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue', { kmsMasterKeyId: 'alias/lakehouse' });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-SQSDeadLetterQueue', () => {
  const RULE = 'DataOps-SQSDeadLetterQueue';
  test('Noncompliance 1: no dead-letter queue', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 2: maxReceiveCount above 10', () => {
    const stack = newStack();
    const dlq = new CfnQueue(stack, 'rDlq');
    new CfnQueue(stack, 'rQueue', { redrivePolicy: { deadLetterTargetArn: dlq.attrArn, maxReceiveCount: 50 } });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 3: RedrivePolicy without maxReceiveCount', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue', {
      redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Compliance 1: a dead-letter queue with maxReceiveCount 5; the dead-letter queue itself is exempt', () => {
    const stack = newStack();
    const dlq = new CfnQueue(stack, 'rDlq');
    new CfnQueue(stack, 'rQueue', { redrivePolicy: { deadLetterTargetArn: dlq.attrArn, maxReceiveCount: 5 } });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test("Compliance 2: a queue that is a function's dead-letter target is exempt", () => {
    const stack = newStack();
    const dlq = new CfnQueue(stack, 'rDlq');
    new CfnFunction(stack, 'rFunction', {
      code: CODE,
      role: ROLE,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      deadLetterConfig: { targetArn: dlq.attrArn },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Noncompliance 4: an EventBridge rule whose targets name another dead-letter queue does not exempt this one', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    new CfnRule(stack, 'rRule', { eventPattern: { source: ['aws.s3'] }, targets: [{ id: 't', arn: 'arn:aws:sqs:eu-west-1:123456789012:target', deadLetterConfig: { arn: 'arn:aws:sqs:eu-west-1:123456789012:other' } }] });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test("Compliance 3: a queue that is an EventBridge rule target's dead-letter queue (any target) is exempt", () => {
    const stack = newStack();
    const dlq = new CfnQueue(stack, 'rDlq');
    new CfnRule(stack, 'rRule', {
      eventPattern: { source: ['aws.s3'] },
      targets: [
        { id: 'a', arn: 'arn:aws:sqs:eu-west-1:123456789012:a' },
        { id: 'b', arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/b', deadLetterConfig: { arn: dlq.attrArn } },
      ],
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test("Compliance 4: a queue that is a Scheduler schedule's dead-letter queue is exempt", () => {
    const stack = newStack();
    const dlq = new CfnQueue(stack, 'rDlq');
    new CfnSchedule(stack, 'rSchedule', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/b', roleArn: ROLE, deadLetterConfig: { arn: dlq.attrArn } },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-SQSVisibilityTimeout', () => {
  const RULE = 'DataOps-SQSVisibilityTimeout';
  test('Noncompliance 1: default visibility (30 s) for a 10 s function', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue');
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: l1Function(stack, 10).ref, eventSourceArn: queue.attrArn });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 2: 10 s visibility for a function with the default timeout (3 s)', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue', { visibilityTimeout: 10 });
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: l1Function(stack).ref, eventSourceArn: queue.attrArn });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 3: long enough for one consumer but not for the slower one', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue', { visibilityTimeout: 60 });
    new CfnEventSourceMapping(stack, 'rMappingA', { functionName: l1Function(stack, 10, 'rFast').ref, eventSourceArn: queue.attrArn });
    new CfnEventSourceMapping(stack, 'rMappingB', { functionName: l1Function(stack, 60, 'rSlow').ref, eventSourceArn: queue.attrArn });
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Compliance 1: visibility exactly 6 times the timeout', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue', { visibilityTimeout: 60 });
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: l1Function(stack, 10).attrArn, eventSourceArn: queue.attrArn });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a queue no function consumes is not applicable', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue', { visibilityTimeout: 1 });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-SQSReportBatchItemFailures', () => {
  const RULE = 'DataOps-SQSReportBatchItemFailures';
  test('Noncompliance 1: mapping from a queue of the stack', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue');
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: l1Function(stack).ref, eventSourceArn: queue.attrArn });
    expect(findings(stack, RULE)).toEqual(['Test/rMapping']);
  });
  test('Noncompliance 2: mapping from an imported queue ARN', () => {
    const stack = newStack();
    new CfnEventSourceMapping(stack, 'rMapping', {
      functionName: 'ingest',
      eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:landing-events',
    });
    expect(findings(stack, RULE)).toEqual(['Test/rMapping']);
  });
  test('Compliance 1: reports batch item failures', () => {
    const stack = newStack();
    const queue = new CfnQueue(stack, 'rQueue');
    new CfnEventSourceMapping(stack, 'rMapping', {
      functionName: l1Function(stack).ref,
      eventSourceArn: queue.attrArn,
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a Kinesis mapping is not applicable', () => {
    const stack = newStack();
    new CfnEventSourceMapping(stack, 'rMapping', {
      functionName: 'ingest',
      eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks',
      startingPosition: 'LATEST',
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
