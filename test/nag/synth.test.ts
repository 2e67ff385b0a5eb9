/**
 * What `app.synth()` does with the packs registered the way bin/app.ts registers them: ERROR findings fail
 * synthesis with the rule id and the resource path in the message; WARN findings are printed and written
 * to cdk.out/validation-report.json without failing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { TAG_KEYS } from '../../lambda/shared/zones';
import { acknowledge, acknowledgementSummary, DataOpsChecks, ErrorsOnlyAwsSolutionsChecks, ErrorsOnlyServerlessChecks } from '../../lib/nag';
import { newApp, TEST_LIMITS } from './helpers';

interface ReportJson {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string; severity: string }> }>;
}

function newTaggedApp(): { app: App; stack: Stack } {
  const app = newApp();
  Tags.of(app).add(TAG_KEYS.environment, 'test');
  Tags.of(app).add(TAG_KEYS.owner, 'platform');
  Tags.of(app).add(TAG_KEYS.costCenter, 'cc-42');
  return { app, stack: new Stack(app, 'Test') };
}

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A function that passes every DataOps rule except the alarm rule (WARN by default). */
function functionWithoutAlarm(stack: Stack): CfnFunction {
  const logGroup = new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: 30, kmsKeyId: KEY_ARN });
  return new CfnFunction(stack, 'rFunction', {
    code: { zipFile: 'exports.handler = async () => {};' },
    role: 'arn:aws:iam::123456789012:role/test',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    memorySize: 256,
    timeout: 10,
    reservedConcurrentExecutions: 2,
    loggingConfig: { logGroup: logGroup.ref },
  });
}

function report(directory: string): ReportJson {
  return JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')) as ReportJson;
}

let consoleError: jest.SpyInstance;
beforeEach(() => {
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

describe('DataOps pack at synth', () => {
  test('fails synth on an ERROR finding, naming the rule id and the resource path, with the fix', () => {
    const { app, stack } = newTaggedApp();
    new CfnQueue(stack, 'rQueue');
    Validations.of(app).addPlugins(new DataOpsChecks(app, TEST_LIMITS));
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/DataOps-SQSKmsEncryption/);
    expect(message).toMatch(/Test\/rQueue/);
    expect(message).toMatch(/Suggested fix: Set encryption: sqs.QueueEncryption.KMS/);
  });

  test('prints WARN findings and writes them to validation-report.json without failing synth', () => {
    const { app, stack } = newTaggedApp();
    functionWithoutAlarm(stack);
    Validations.of(app).addPlugins(new DataOpsChecks(app, TEST_LIMITS));
    const assembly = app.synth();
    const dataOps = report(assembly.directory).pluginReports.find((r) => r.pluginName === 'DataOps');
    expect(dataOps?.conclusion).toBe('success');
    expect(dataOps?.violations.map((v) => `${v.ruleName}:${v.severity}`)).toEqual(['DataOps-LambdaAlarm:warning']);
    expect(consoleError.mock.calls.flat().join('\n')).toMatch(/WARNING .*no alarm[\s\S]*Test\/rFunction/);
  });

  test('an acknowledged ERROR finding no longer fails synth', () => {
    const { app, stack } = newTaggedApp();
    functionWithoutAlarm(stack);
    const unbounded = new CfnLogGroup(stack, 'rLegacyLogGroup', { kmsKeyId: KEY_ARN });
    acknowledge(unbounded, { id: 'DataOps-LogGroupRetention', reason: 'Audit log group kept forever by regulation R-12.' });
    Validations.of(app).addPlugins(new DataOpsChecks(app, TEST_LIMITS));
    expect(() => app.synth()).not.toThrow();
  });

  test("the id CDK prints ('Acknowledge with DataOps::DataOps-…') also acknowledges, and is counted", () => {
    const { app, stack } = newTaggedApp();
    functionWithoutAlarm(stack);
    const unbounded = new CfnLogGroup(stack, 'rLegacyLogGroup', { kmsKeyId: KEY_ARN });
    Validations.of(unbounded).acknowledge({ id: 'DataOps::DataOps-LogGroupRetention', reason: 'Audit log kept forever (R-12).' });
    Validations.of(app).addPlugins(new DataOpsChecks(app, TEST_LIMITS));
    expect(() => app.synth()).not.toThrow();
    expect(acknowledgementSummary(app).byRule).toEqual({ 'DataOps-LogGroupRetention': 1 });
  });
});

describe("cdk-nag's packs and their errors-only variants", () => {
  function dynamoTable(stack: Stack): void {
    new CfnTable(stack, 'rTable', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    });
  }

  test('AwsSolutionsChecks fails synth on a WARN finding (the behaviour the variants fix)', () => {
    const { app, stack } = newTaggedApp();
    dynamoTable(stack);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/WARNING The DynamoDB table does not have Point-in-time Recovery enabled/);
  });

  test('ErrorsOnlyAwsSolutionsChecks reports the same WARN finding and does not fail synth', () => {
    const { app, stack } = newTaggedApp();
    dynamoTable(stack);
    Validations.of(app).addPlugins(new ErrorsOnlyAwsSolutionsChecks(app));
    const assembly = app.synth();
    const solutions = report(assembly.directory).pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(solutions?.conclusion).toBe('success');
    expect(solutions?.violations.map((v) => `${v.ruleName}:${v.severity}`)).toEqual(['AwsSolutions-DDB3:warning']);
  });

  test('ErrorsOnlyAwsSolutionsChecks still fails synth on an ERROR finding', () => {
    const { app, stack } = newTaggedApp();
    new CfnQueue(stack, 'rQueue');
    Validations.of(app).addPlugins(new ErrorsOnlyAwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3[\s\S]*Test\/rQueue/);
  });

  test('ServerlessChecks fails synth on a WARN finding; ErrorsOnlyServerlessChecks does not', () => {
    const plain = newTaggedApp();
    new CfnLogGroup(plain.stack, 'rLogGroup');
    Validations.of(plain.app).addPlugins(new ServerlessChecks(plain.app));
    expect(() => plain.app.synth()).toThrow(/Serverless-CloudWatchLogGroupRetentionPeriod/);

    const errorsOnly = newTaggedApp();
    new CfnLogGroup(errorsOnly.stack, 'rLogGroup');
    Validations.of(errorsOnly.app).addPlugins(new ErrorsOnlyServerlessChecks(errorsOnly.app));
    const assembly = errorsOnly.app.synth();
    const serverless = report(assembly.directory).pluginReports.find((r) => r.pluginName === 'Serverless');
    expect(serverless?.violations.map((v) => `${v.ruleName}:${v.severity}`)).toEqual([
      'Serverless-CloudWatchLogGroupRetentionPeriod:warning',
    ]);
  });
});
