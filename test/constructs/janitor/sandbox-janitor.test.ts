import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SandboxJanitor } from '../../../constructs/janitor';
import { zonesStack } from '../../helpers/stacks';

const monitoring = (stack: Stack) => ({ environmentName: 'dev', alarmAction: new actions.SnsAction(new sns.Topic(stack, 'AlarmTopic')) });

function build(idleDays = 14) {
  const { stack, zones } = zonesStack();
  const janitor = new SandboxJanitor(stack, 'Janitor', { sandbox: zones.zones.sandbox, idleDays, logRetention: logs.RetentionDays.ONE_MONTH, encryptionKey: zones.key, monitoring: monitoring(stack) });
  return { stack, zones, janitor, t: Template.fromStack(stack) };
}

describe('SandboxJanitor', () => {
  test('a daily schedule runs one bounded arm64 function with the idle threshold', () => {
    const { t, stack, zones } = build(21);
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 3 * * ? *)', State: 'ENABLED' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      MemorySize: 256,
      Environment: { Variables: Match.objectLike({ IDLE_DAYS: '21', SANDBOX_BUCKET: { Ref: stack.getLogicalId(zones.zones.sandbox.bucket.node.defaultChild as any) } }) },
      DeadLetterConfig: Match.objectLike({ TargetArn: Match.anyValue() }),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('may list the sandbox and delete its objects, and nothing else in S3', () => {
    const { t, stack, zones } = build();
    const sandboxId = stack.getLogicalId(zones.zones.sandbox.bucket.node.defaultChild as any);
    const policies = Object.values(t.findResources('AWS::IAM::Policy')) as any[];
    const janitorPolicy = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('JanitorRole'));
    const s3Statements = janitorPolicy.Properties.PolicyDocument.Statement.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [sandboxId, 'Arn'] } }),
      expect.objectContaining({ Action: 's3:DeleteObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [sandboxId, 'Arn'] }, '/*']] } }),
    ]);
  });

  test('fails if it is pointed at another zone', () => {
    const { stack, zones } = zonesStack();
    expect(() => new SandboxJanitor(stack, 'J', { sandbox: zones.zones.curated, idleDays: 3, logRetention: logs.RetentionDays.ONE_DAY, encryptionKey: zones.key, monitoring: monitoring(stack) })).toThrow(/LH070.*"curated"/);
  });

  test('fails if idleDays is not a positive whole number', () => {
    const { stack, zones } = zonesStack();
    expect(() => new SandboxJanitor(stack, 'J', { sandbox: zones.zones.sandbox, idleDays: 0, logRetention: logs.RetentionDays.ONE_DAY, encryptionKey: zones.key, monitoring: monitoring(stack) })).toThrow(/LH071/);
  });
});
