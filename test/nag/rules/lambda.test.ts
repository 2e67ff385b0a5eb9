import { CfnEventSourceMapping, CfnFunction, CfnFunctionProps } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { findings, newStack } from '../helpers';

const CODE = { zipFile: 'exports.handler = async () => {};' };
const ROLE = 'arn:aws:iam::123456789012:role/test';

function l1Function(stack: ReturnType<typeof newStack>, props: Partial<CfnFunctionProps> = {}, id = 'rFunction'): CfnFunction {
  return new CfnFunction(stack, id, { code: CODE, role: ROLE, handler: 'index.handler', runtime: 'nodejs22.x', ...props });
}

function sqsMapping(
  stack: ReturnType<typeof newStack>,
  fn: CfnFunction,
  id: string,
  scalingConfig?: CfnEventSourceMapping.ScalingConfigProperty,
): CfnEventSourceMapping {
  const queue = new CfnQueue(stack, `${id}Queue`);
  return new CfnEventSourceMapping(stack, id, { functionName: fn.ref, eventSourceArn: queue.attrArn, scalingConfig });
}

describe('DataOps-LambdaArm64', () => {
  const RULE = 'DataOps-LambdaArm64';
  test('Noncompliance 1: default architecture (x86_64)', () => {
    const stack = newStack();
    l1Function(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 2: x86_64', () => {
    const stack = newStack();
    l1Function(stack, { architectures: ['x86_64'] });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Compliance', () => {
    const stack = newStack();
    l1Function(stack, { architectures: ['arm64'] });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-LambdaMemoryAndTimeout', () => {
  const RULE = 'DataOps-LambdaMemoryAndTimeout';
  test('Noncompliance 1: neither', () => {
    const stack = newStack();
    l1Function(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 2: memory only', () => {
    const stack = newStack();
    l1Function(stack, { memorySize: 512 });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 3: timeout only', () => {
    const stack = newStack();
    l1Function(stack, { timeout: 30 });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Compliance', () => {
    const stack = newStack();
    l1Function(stack, { memorySize: 512, timeout: 30 });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-LambdaConcurrencyBounded', () => {
  const RULE = 'DataOps-LambdaConcurrencyBounded';
  test('Noncompliance 1: no reserved concurrency, no event source mapping', () => {
    const stack = newStack();
    l1Function(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 2: an event source mapping without maximum concurrency', () => {
    const stack = newStack();
    sqsMapping(stack, l1Function(stack), 'rMapping');
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 3: one of two event source mappings is unbounded', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    sqsMapping(stack, fn, 'rMappingA', { maximumConcurrency: 5 });
    sqsMapping(stack, fn, 'rMappingB');
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 4: reserved concurrency 0 (the function can never run)', () => {
    const stack = newStack();
    l1Function(stack, { reservedConcurrentExecutions: 0 });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 5: a bounded mapping of another function does not count', () => {
    const stack = newStack();
    l1Function(stack);
    sqsMapping(stack, l1Function(stack, { reservedConcurrentExecutions: 2 }, 'rOther'), 'rMapping', { maximumConcurrency: 2 });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Compliance 1: reserved concurrency', () => {
    const stack = newStack();
    l1Function(stack, { reservedConcurrentExecutions: 5 });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: every event source mapping sets maximum concurrency', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    sqsMapping(stack, fn, 'rMappingA', { maximumConcurrency: 5 });
    sqsMapping(stack, fn, 'rMappingB', { maximumConcurrency: 2 });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
