import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CLOUDWATCH_LOGS_KEY_ACTIONS, DENY_GRANTS_SID, LakehouseKey, LOGS_KEY_ID } from '../../../constructs/keys';

describe('LakehouseKey', () => {
  test('rotates, keeps a 30-day deletion window and denies grants not made for AWS resources or by AWS services', () => {
    const stack = new Stack(new App(), 'Test');
    new LakehouseKey(stack, 'Key', { description: 'test' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      PendingWindowInDays: 30,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: DENY_GRANTS_SID,
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          },
        ]),
      },
    });
  });

  test('grantCloudWatchLogs: the regional logs principal, for log groups of this account and region, once', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new LakehouseKey(stack, 'Key', { description: 'test' });
    expect(key.grantCloudWatchLogs()).toBe(key.grantCloudWatchLogs());
    const statements = (Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0] as any).Properties.KeyPolicy.Statement;
    const logs = statements.filter((s: any) => s.Principal?.Service);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ Effect: 'Allow', Action: CLOUDWATCH_LOGS_KEY_ACTIONS, Resource: '*' });
    // logs.<region>.<url suffix>, and log groups of this account and region only.
    expect(flatten(logs[0].Principal.Service)).toBe('logs.eu-west-1.${AWS::URLSuffix}');
    expect(flatten(logs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toBe('arn:${AWS::Partition}:logs:eu-west-1:123456789012:log-group:*');
  });

  test('logsKeyOf: one logs key per stack, at the stack root, allowing CloudWatch Logs', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    const key = LakehouseKey.logsKeyOf(a);
    expect(LakehouseKey.logsKeyOf(a)).toBe(key);
    expect(LakehouseKey.logsKeyOf(b)).not.toBe(key);
    expect(key.node.path).toBe(`A/${LOGS_KEY_ID}`);
    Template.fromStack(a).resourceCountIs('AWS::KMS::Key', 1);
    Template.fromStack(a).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } })]) },
    });
  });
});

/** A rendered value as text: Fn::Join joined, Refs as ${Name}. */
function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `\${${value.Ref}}`;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}
