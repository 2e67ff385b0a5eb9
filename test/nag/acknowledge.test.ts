import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import {
  acknowledge,
  ACKNOWLEDGEMENT_BUDGET,
  acknowledgementSummary,
  assertAcknowledgementBudget,
  ErrorsOnlyAwsSolutionsChecks,
  renderAcknowledgementSummary,
} from '../../lib/nag';
import { findings, newStack } from './helpers';

const REASON = 'CDK-internal provider; runtime and architecture are fixed by CDK.';

function l1Function(stack: Stack, id = 'rFunction'): CfnFunction {
  return new CfnFunction(stack, id, {
    code: { zipFile: 'exports.handler = async () => {};' },
    role: 'arn:aws:iam::123456789012:role/test',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
  });
}

describe('acknowledge', () => {
  test('removes the finding from that resource only', () => {
    const stack = newStack();
    const acknowledged = l1Function(stack, 'rProvider');
    l1Function(stack, 'rHandler');
    acknowledge(acknowledged, { id: 'DataOps-LambdaArm64', reason: REASON });
    expect(findings(stack, 'DataOps-LambdaArm64')).toEqual(['Test/rHandler']);
  });

  test('covers the resources under the acknowledged construct', () => {
    const stack = newStack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    acknowledge(role, { id: 'DataOps-IAMNoS3WildcardAction', reason: 'Break-glass role reviewed by security (SEC-7).' });
    expect(findings(stack, 'DataOps-IAMNoS3WildcardAction')).toEqual([]);
  });

  test('records the reason, the construct path and the caller file:line', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    const line = Number(new Error().stack?.split('\n')[1]?.match(/:(\d+):\d+\)?$/)?.[1]) + 1;
    acknowledge(fn, { id: 'DataOps-LambdaArm64', reason: REASON });
    expect(acknowledgementSummary(stack.node.root).entries).toEqual([
      {
        pack: 'DataOps',
        rule: 'DataOps-LambdaArm64',
        id: 'DataOps-LambdaArm64',
        path: 'Test/rFunction',
        reason: REASON,
        source: `test/nag/acknowledge.test.ts:${line}`,
      },
    ]);
  });

  test('appliesTo narrows the acknowledgement to findings of the rule', () => {
    const stack = newStack();
    const bucket = new CfnBucket(stack, 'rBucket');
    acknowledge(bucket, {
      id: 'DataOps-CostAllocationTags',
      reason: 'Owner is set by the account vending pipeline after deploy.',
      appliesTo: ['lakehouse:owner'],
    });
    expect(findings(stack, 'DataOps-CostAllocationTags')).toEqual([
      'Test/rBucket [lakehouse:cost-center]',
      'Test/rBucket [lakehouse:environment]',
    ]);
    expect(acknowledgementSummary(stack.node.root).entries.map((e) => e.id)).toEqual([
      'DataOps-CostAllocationTags[lakehouse:owner]',
    ]);
  });

  test('in cdk-nag 3, acknowledging the rule id does not cover its findings', () => {
    const stack = newStack();
    const bucket = new CfnBucket(stack, 'rBucket', { tags: [{ key: 'lakehouse:owner', value: 'x' }] });
    acknowledge(bucket, { id: 'DataOps-CostAllocationTags', reason: 'Trying to silence every finding of the rule.' });
    expect(findings(stack, 'DataOps-CostAllocationTags')).toHaveLength(2);
  });

  test("narrows cdk-nag's own finding ids (AwsSolutions-IAM5[Action::s3:*])", () => {
    const stack = newStack();
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    acknowledge(role, { id: 'AwsSolutions-IAM5', reason: 'Replication needs every S3 action (ticket DATA-9).', appliesTo: ['Action::s3:*'] });
    (stack.node.root as App).synth();
    const iam5 = new ErrorsOnlyAwsSolutionsChecks(undefined)
      .validateScope(stack.node.root)
      .violations.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5'))
      .map((v) => v.ruleName);
    expect(iam5).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expect(acknowledgementSummary(stack.node.root).byPack).toEqual({ AwsSolutions: 1 });
  });

  test('counts per pack and rule, including acknowledgements made with Validations.of directly', () => {
    const stack = newStack();
    acknowledge(l1Function(stack, 'rA'), { id: 'DataOps-LambdaArm64', reason: REASON });
    acknowledge(l1Function(stack, 'rB'), { id: 'DataOps-LambdaArm64', reason: REASON });
    const queue = new CfnQueue(stack, 'rQueue');
    acknowledge(queue, { id: 'DataOps-SQSAlarm', reason: 'Queue is drained by an alarmed function only.' });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS4', reason: 'made without the helper' });
    const summary = acknowledgementSummary(stack.node.root);
    // Four acknowledged ids from four call sites: four decisions, four instances.
    expect(summary.total).toBe(4);
    expect(summary.instances).toBe(4);
    expect(summary.byPack).toEqual({ AwsSolutions: 1, DataOps: 3 });
    expect(summary.byRule).toEqual({ 'AwsSolutions-SQS4': 1, 'DataOps-LambdaArm64': 2, 'DataOps-SQSAlarm': 1 });
    expect(summary.entries.find((e) => e.rule === 'AwsSolutions-SQS4')?.source).toBeUndefined();

    const text = renderAcknowledgementSummary(summary);
    expect(text).toMatch(/^Nag acknowledgements: 4 of a budget of 15 \(decisions\), covering 4 finding\(s\)$/m);
    expect(text).toMatch(/^ {2}DataOps: 3$/m);
    expect(text).toMatch(/^ {4}DataOps-LambdaArm64: 2 \(2 finding\(s\)\)$/m);
    expect(text).toMatch(/^ {2}- DataOps-SQSAlarm \(test\/nag\/acknowledge\.test\.ts:\d+\): Queue is drained.* — 1 finding\(s\): Test\/rQueue DataOps-SQSAlarm$/m);
    expect(text).toMatch(/AwsSolutions-SQS4 \(source unknown: not made with acknowledge\(\)\)/);
  });

  test('one call site applied to several resources is one decision with several instances', () => {
    const stack = newStack();
    for (const id of ['rA', 'rB', 'rC']) acknowledge(l1Function(stack, id), { id: 'DataOps-LambdaArm64', reason: REASON });
    const summary = acknowledgementSummary(stack.node.root);
    expect(summary.total).toBe(1);
    expect(summary.instances).toBe(3);
    expect(summary.decisions[0].instances).toEqual(['Test/rA DataOps-LambdaArm64', 'Test/rB DataOps-LambdaArm64', 'Test/rC DataOps-LambdaArm64']);
  });

  test(`assertAcknowledgementBudget allows ${ACKNOWLEDGEMENT_BUDGET} and fails above`, () => {
    const stack = newStack();
    // Distinct reasons make distinct decisions even from one line.
    for (let i = 0; i < ACKNOWLEDGEMENT_BUDGET; i++) {
      acknowledge(l1Function(stack, `rFunction${i}`), { id: 'DataOps-LambdaArm64', reason: `${REASON} (case ${i})` });
    }
    expect(assertAcknowledgementBudget(stack.node.root).total).toBe(ACKNOWLEDGEMENT_BUDGET);
    acknowledge(l1Function(stack, 'rOneTooMany'), { id: 'DataOps-LambdaArm64', reason: `${REASON} (one too many)` });
    expect(() => assertAcknowledgementBudget(stack.node.root)).toThrow(/\[LH914\].*16 acknowledgement decisions, over the budget of 15/);
  });

  test('sameControl: one decision covers the same control in several packs, each rule listed', () => {
    const stack = newStack();
    for (const id of ['rA', 'rB']) {
      acknowledge(l1Function(stack, id), { id: 'CT.LAMBDA.PR.3', sameControl: ['NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC'], reason: 'No VPC: the functions reach AWS APIs only.' });
    }
    const summary = acknowledgementSummary(stack.node.root);
    expect(summary.total).toBe(1);
    expect(summary.instances).toBe(6);
    expect(summary.decisions[0]).toMatchObject({ pack: 'ControlTower', rule: 'CT.LAMBDA.PR.3', rules: ['CT.LAMBDA.PR.3', 'HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC'] });
    expect(summary.byPack).toEqual({ ControlTower: 1, 'HIPAA.Security': 1, 'NIST.800.53.R5': 1 });
    expect(renderAcknowledgementSummary(summary, 25, 'prod')).toMatch(/^Nag acknowledgements \(prod\): 1 of a budget of 25 \(decisions\), covering 6 finding\(s\)$/m);
  });

  test('counts only the packs the app runs: a decision whose packs are all off is not counted', () => {
    const stack = newStack();
    acknowledge(l1Function(stack, 'rA'), { id: 'CT.LAMBDA.PR.3', sameControl: ['NIST.800.53.R5-LambdaInsideVPC'], reason: 'No VPC: the functions reach AWS APIs only.' });
    acknowledge(l1Function(stack, 'rB'), { id: 'NIST.800.53.R5-LambdaConcurrency', reason: 'Bounded by the SQS event source instead.' });
    const summary = acknowledgementSummary(stack.node.root, { packs: ['ControlTower', 'DataOps'] });
    expect(summary.total).toBe(1);
    expect(summary.decisions.map((d) => d.rules)).toEqual([['CT.LAMBDA.PR.3']]);
    expect(acknowledgementSummary(stack.node.root).total).toBe(2);
  });

  test('fails if the scope is a whole stack', () => {
    const stack = newStack();
    expect(() => acknowledge(stack, { id: 'DataOps-LambdaArm64', reason: REASON })).toThrow(/\[LH910\] Test:/);
  });

  test.each([['DataOps::DataOps-LambdaArm64'], ['AwsSolutions-IAM5[Action::s3:*]'], ['LambdaArm64'], ['CT.S3.PR'], ['ct.s3.pr.1']])(
    'fails if the id is not a plain rule id (%s)',
    (id) => {
      const stack = newStack();
      expect(() => acknowledge(l1Function(stack), { id, reason: REASON })).toThrow(/\[LH911\]/);
    },
  );

  test('fails if the reason is too short', () => {
    const stack = newStack();
    expect(() => acknowledge(l1Function(stack), { id: 'DataOps-LambdaArm64', reason: 'ok' })).toThrow(/\[LH912\]/);
  });

  test('fails if appliesTo is empty', () => {
    const stack = newStack();
    expect(() => acknowledge(l1Function(stack), { id: 'AwsSolutions-IAM5', reason: REASON, appliesTo: [] })).toThrow(
      /\[LH913\]/,
    );
  });
});
