import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel } from 'cdk-nag';
import { DATAOPS_RULES, DataOpsChecks, dataOpsRuleId } from '../../lib/nag';
import { newStack, TEST_LIMITS, validate } from './helpers';

const RULES_DIR = path.join(__dirname, '../../lib/nag/rules');

describe('DataOps pack', () => {
  test('has exactly these rule ids', () => {
    const pack = new DataOpsChecks(undefined, TEST_LIMITS);
    expect([...pack.ruleIds].sort()).toEqual([
      'DataOps-AthenaBytesScannedCutoff',
      'DataOps-AthenaCloudWatchMetrics',
      'DataOps-AthenaResultsEncryptedWithKms',
      'DataOps-AthenaWorkGroupEnforced',
      'DataOps-CostAllocationTags',
      'DataOps-GlueCatalogEncryptionDeclared',
      'DataOps-GlueCatalogEncryptionKms',
      'DataOps-GlueCrawlerRecrawlPolicy',
      'DataOps-GlueCrawlerSchedule',
      'DataOps-GlueTableParameters',
      'DataOps-IAMNoS3WildcardAction',
      'DataOps-IAMNoWildcardAction',
      'DataOps-IAMResourceStarOnlyUnscopable',
      'DataOps-KMSGrantsForAwsServicesOnly',
      'DataOps-KMSKeyRotation',
      'DataOps-KMSNoWildcardPrincipal',
      'DataOps-LambdaAlarm',
      'DataOps-LambdaArm64',
      'DataOps-LambdaConcurrencyBounded',
      'DataOps-LambdaLogGroupDeclared',
      'DataOps-LambdaMemoryAndTimeout',
      'DataOps-LogGroupKmsEncryption',
      'DataOps-LogGroupRetention',
      'DataOps-S3AbortIncompleteMultipartUpload',
      'DataOps-S3ExpiringZoneExpiration',
      'DataOps-S3LifecycleConfigured',
      'DataOps-S3NoncurrentVersionExpiration',
      'DataOps-S3ZoneTag',
      'DataOps-SQSAlarm',
      'DataOps-SQSDeadLetterQueue',
      'DataOps-SQSKmsEncryption',
      'DataOps-SQSReportBatchItemFailures',
      'DataOps-SQSVisibilityTimeout',
    ]);
    expect(pack.name).toBe('DataOps');
    expect(pack.readPackName).toBe('DataOps');
  });

  test('each rule is the function of the same name in lib/nag/rules/<area>/<RuleName>.ts', () => {
    for (const rule of DATAOPS_RULES) {
      const file = path.join(RULES_DIR, rule.area, `${rule.check.name}.ts`);
      expect(fs.existsSync(file)).toBe(true);
      // The module exports the very function the pack applies.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule file is found by its path at run time
      expect((require(file) as Record<string, unknown>)[rule.check.name]).toBe(rule.check);
    }
  });

  test('every rule file under lib/nag/rules is applied by the pack', () => {
    const files = fs
      .readdirSync(RULES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(RULES_DIR, d.name)).map((f) => `${d.name}/${f.replace(/\.ts$/, '')}`))
      .sort();
    expect(files).toEqual(DATAOPS_RULES.map((r) => `${r.area}/${r.check.name}`).sort());
  });

  test('every rule states a cause and a fix', () => {
    for (const rule of DATAOPS_RULES) {
      expect(rule.info.length).toBeGreaterThan(20);
      expect(rule.explanation.length).toBeGreaterThan(rule.info.length / 2);
      expect(rule.explanation).not.toEqual(rule.info);
    }
  });

  test("findings carry the rule's explanation as the fix and its cause as the description", () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    const violation = validate(stack).violations.find((v) => v.ruleName === 'DataOps-SQSKmsEncryption');
    const rule = DATAOPS_RULES.find((r) => dataOpsRuleId(r) === 'DataOps-SQSKmsEncryption');
    expect(violation?.fix).toBe(rule?.explanation);
    expect(violation?.description).toBe(rule?.info);
    expect(violation?.severity).toBe('error');
  });

  test('a value only known at deploy time is reported as a finding of the rule', () => {
    const stack = newStack();
    const days = new CfnParameter(stack, 'RetentionDays', { type: 'Number' });
    new CfnLogGroup(stack, 'rLogGroup', { retentionInDays: days.valueAsNumber });
    const violation = validate(stack).violations.find((v) => v.ruleName === 'DataOps-LogGroupRetention');
    expect(violation?.description).toMatch(/^Rule threw an error during validation/);
    expect(violation?.violatingResources.map((r) => r.constructPath)).toEqual(['Test/rLogGroup']);
  });

  test('reports the whole report as unsuccessful only for ERROR findings', () => {
    const warningsOnly = newStack();
    new CfnQueue(warningsOnly, 'rQueue', {
      kmsMasterKeyId: 'alias/lake',
      redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq', maxReceiveCount: 3 },
      tags: [
        { key: 'lakehouse:environment', value: 'dev' },
        { key: 'lakehouse:owner', value: 'platform' },
        { key: 'lakehouse:cost-center', value: 'cc-42' },
      ],
    });
    const report = validate(warningsOnly);
    expect(report.violations.map((v) => `${v.ruleName}:${v.severity}`)).toEqual(['DataOps-SQSAlarm:warning']);
    expect(report.success).toBe(true);
    expect(validate(warningsOnly, { alarmRuleLevel: NagMessageLevel.ERROR }).success).toBe(false);
  });

  test('does not add findings to Annotations', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    expect(validate(stack).violations.length).toBeGreaterThan(0);
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('DataOps|SQS'))).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  test('fails if maxBytesScannedCutoffPerQuery is below the Athena minimum', () => {
    expect(() => new DataOpsChecks(undefined, { ...TEST_LIMITS, maxBytesScannedCutoffPerQuery: 1000 })).toThrow(
      /\[LH901\] DataOpsChecks.maxBytesScannedCutoffPerQuery: .* \(got 1000\)/,
    );
  });

  test('fails if maxLogRetentionDays is not a whole number of days', () => {
    expect(() => new DataOpsChecks(undefined, { ...TEST_LIMITS, maxLogRetentionDays: 0.5 })).toThrow(/\[LH902\]/);
  });

  test('fails if alarmRuleLevel is not a NagMessageLevel', () => {
    expect(
      () => new DataOpsChecks(undefined, { ...TEST_LIMITS, alarmRuleLevel: 'Loud' as unknown as NagMessageLevel }),
    ).toThrow(/\[LH903\]/);
  });

  test('fails if costAllocationTagKeys is empty', () => {
    expect(() => new DataOpsChecks(undefined, { ...TEST_LIMITS, costAllocationTagKeys: [] })).toThrow(/\[LH904\]/);
  });
});
