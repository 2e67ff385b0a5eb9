import { CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnFunction, CfnFunctionProps } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { LakehouseKey } from '../../../constructs/keys';
import { LakehouseLogGroup } from '../../../constructs/logs';
import { findings, newStack } from '../helpers';

const CODE = { zipFile: 'exports.handler = async () => {};' };
const ROLE = 'arn:aws:iam::123456789012:role/test';

function l1Function(stack: ReturnType<typeof newStack>, props: Partial<CfnFunctionProps> = {}): CfnFunction {
  return new CfnFunction(stack, 'rFunction', { code: CODE, role: ROLE, handler: 'index.handler', runtime: 'nodejs22.x', ...props });
}

describe('DataOps-LogGroupRetention', () => {
  const RULE = 'DataOps-LogGroupRetention';
  test('Noncompliance 1: no retention (never expires)', () => {
    const stack = newStack();
    new CfnLogGroup(stack, 'rLogGroup');
    expect(findings(stack, RULE)).toEqual(['Test/rLogGroup']);
  });
  test("Noncompliance 2: retention above the environment's maximum", () => {
    const stack = newStack();
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 365 });
    expect(findings(stack, RULE)).toEqual(['Test/rLogGroup']);
  });
  test('Noncompliance 3: Custom::LogRetention above the maximum', () => {
    const stack = newStack();
    new CfnResource(stack, 'rLogRetention', {
      type: 'Custom::LogRetention',
      properties: { ServiceToken: 'arn:provider', LogGroupName: '/aws/lambda/f', RetentionInDays: 3653 },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rLogRetention']);
  });
  test('Noncompliance 4: the log group CDK makes for a lambda.Function (default 2 years)', () => {
    const stack = newStack();
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    expect(findings(stack, RULE)).toEqual(['Test/Fn/LogGroup/Resource']);
  });
  test('Compliance 1: log group with retention at most the maximum', () => {
    const stack = newStack();
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 90 });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: Custom::LogRetention within the maximum', () => {
    const stack = newStack();
    new CfnResource(stack, 'rLogRetention', {
      type: 'Custom::LogRetention',
      properties: { ServiceToken: 'arn:provider', LogGroupName: '/aws/lambda/f', RetentionInDays: 7 },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-LambdaLogGroupDeclared', () => {
  const RULE = 'DataOps-LambdaLogGroupDeclared';
  test('Noncompliance 1: no log group for the function', () => {
    const stack = newStack();
    l1Function(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test("Noncompliance 2: a log group for another function's name", () => {
    const stack = newStack();
    l1Function(stack, { functionName: 'ingest' });
    new CfnLogGroup(stack, 'rLogGroup', { logGroupName: '/aws/lambda/ingest-v2', retentionInDays: 30 });
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Compliance 1: LoggingConfig.LogGroup', () => {
    const stack = newStack();
    const logGroup = new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30 });
    l1Function(stack, { loggingConfig: { logGroup: logGroup.ref } });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a log group named /aws/lambda/<Ref function>', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    new CfnLogGroup(stack, 'rLogGroup', { logGroupName: Fn.join('', ['/aws/lambda/', fn.ref]), retentionInDays: 30 });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: a log group named after the literal function name', () => {
    const stack = newStack();
    l1Function(stack, { functionName: 'ingest' });
    new CfnLogGroup(stack, 'rLogGroup', { logGroupName: '/aws/lambda/ingest', retentionInDays: 30 });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 4: Custom::LogRetention for the function', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    new CfnResource(stack, 'rLogRetention', {
      type: 'Custom::LogRetention',
      properties: { ServiceToken: 'arn:provider', LogGroupName: Fn.sub('/aws/lambda/${rFunction}'), RetentionInDays: 7 },
    }).node.addDependency(fn);
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 5: lambda.Function with the useCdkManagedLogGroup flag', () => {
    const stack = newStack();
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      timeout: Duration.seconds(10),
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-LogGroupKmsEncryption', () => {
  const RULE = 'DataOps-LogGroupKmsEncryption';
  const logsStatement = (principal: unknown, condition: object | null = { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:123456789012:log-group:*' } }) => ({
    Effect: 'Allow',
    Principal: { Service: principal },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  });
  const root = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' };
  function keyWith(stack: ReturnType<typeof newStack>, ...statements: object[]): CfnKey {
    return new CfnKey(stack, 'rKey', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: [root, ...statements] } });
  }

  test('Noncompliance 1: no KmsKeyId', () => {
    const stack = newStack();
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30 });
    expect(findings(stack, RULE)).toEqual(['Test/rLogGroup']);
  });
  test('Noncompliance 2: a key whose policy does not allow CloudWatch Logs', () => {
    const stack = newStack();
    const key = keyWith(stack);
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30, kmsKeyId: key.attrArn });
    expect(findings(stack, RULE)).toEqual(['Test/rLogGroup']);
  });
  test('Noncompliance 3: the global logs principal, or no encryption-context condition', () => {
    for (const statement of [logsStatement('logs.amazonaws.com'), logsStatement('logs.eu-west-1.amazonaws.com', null)]) {
      const stack = newStack();
      const key = keyWith(stack, statement);
      new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30, kmsKeyId: key.attrArn });
      expect(findings(stack, RULE)).toEqual(['Test/rLogGroup']);
    }
  });
  test('Noncompliance 4: a key from another stack (Control Tower accepts only a local reference)', () => {
    const stack = newStack();
    const other = new Stack(stack.node.root, 'Keys');
    const key = new LakehouseKey(other, 'Key', { description: 'logs' });
    key.grantCloudWatchLogs();
    new logs.LogGroup(stack, 'rLogGroup', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: key });
    expect(findings(stack, RULE)).toEqual(['Test/rLogGroup/Resource']);
  });
  test('Compliance 1: a key of the stack that allows CloudWatch Logs of the region', () => {
    const stack = newStack();
    const key = keyWith(stack, logsStatement({ 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] }));
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30, kmsKeyId: key.attrArn });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a literal key ARN', () => {
    const stack = newStack();
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30, kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: a LakehouseLogGroup', () => {
    const stack = newStack();
    new LakehouseLogGroup(stack, 'rLogGroup', { retention: logs.RetentionDays.ONE_MONTH });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
