import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledgementSummary } from '../../../constructs/acknowledge';
import { LakehouseKey, LOGS_KEY_ID } from '../../../constructs/keys';
import { LakehouseLogGroup } from '../../../constructs/logs';

describe('LakehouseLogGroup', () => {
  test("is encrypted with its stack's logs key (a local reference), keeps its retention, and is retained by default", () => {
    const stack = new Stack(new App(), 'Test');
    const group = new LakehouseLogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    expect(group.encryptionKey).toBe(LakehouseKey.logsKeyOf(stack));
    const t = Template.fromStack(stack);
    const keyId = stack.getLogicalId(group.encryptionKey.node.defaultChild as any);
    t.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    expect(group.encryptionKey.node.id).toBe(LOGS_KEY_ID);
  });

  test('several log groups of a stack share one key; the removal policy and name are passed on', () => {
    const stack = new Stack(new App(), 'Test');
    new LakehouseLogGroup(stack, 'A', { retention: logs.RetentionDays.ONE_WEEK });
    new LakehouseLogGroup(stack, 'B', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY, logGroupName: '/lakehouse/b' });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/lakehouse/b' }, DeletionPolicy: 'Delete' });
  });

  test('acknowledges CT.CLOUDWATCH.PR.2 once, as one decision for every log group', () => {
    const stack = new Stack(new App(), 'Test');
    new LakehouseLogGroup(stack, 'A', { retention: logs.RetentionDays.ONE_WEEK });
    new LakehouseLogGroup(stack, 'B', { retention: logs.RetentionDays.ONE_WEEK });
    const summary = acknowledgementSummary(stack.node.root);
    expect(summary.total).toBe(1);
    expect(summary.decisions[0]).toMatchObject({ rule: 'CT.CLOUDWATCH.PR.2', instances: ['Test/A CT.CLOUDWATCH.PR.2', 'Test/B CT.CLOUDWATCH.PR.2'] });
  });
});
