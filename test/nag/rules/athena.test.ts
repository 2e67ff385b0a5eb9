import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { findings, newStack, TEST_LIMITS } from '../helpers';

function workGroup(config?: CfnWorkGroup.WorkGroupConfigurationProperty): ReturnType<typeof newStack> {
  const stack = newStack();
  new CfnWorkGroup(stack, 'rWorkGroup', { name: 'analysts', workGroupConfiguration: config });
  return stack;
}

describe('DataOps-AthenaWorkGroupEnforced', () => {
  const RULE = 'DataOps-AthenaWorkGroupEnforced';
  test('Noncompliance 1: no configuration', () => {
    expect(findings(workGroup(), RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Noncompliance 2: not enforced', () => {
    expect(findings(workGroup({ enforceWorkGroupConfiguration: false }), RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Compliance', () => {
    expect(findings(workGroup({ enforceWorkGroupConfiguration: true }), RULE)).toEqual([]);
  });
});

describe('DataOps-AthenaBytesScannedCutoff', () => {
  const RULE = 'DataOps-AthenaBytesScannedCutoff';
  test('Noncompliance 1: no cutoff', () => {
    expect(findings(workGroup({ enforceWorkGroupConfiguration: true }), RULE)).toEqual(['Test/rWorkGroup']);
  });
  test("Noncompliance 2: cutoff above the environment's maximum", () => {
    const stack = workGroup({ bytesScannedCutoffPerQuery: TEST_LIMITS.maxBytesScannedCutoffPerQuery + 1 });
    expect(findings(stack, RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Noncompliance 3: a smaller maximum passed to the pack', () => {
    const stack = workGroup({ bytesScannedCutoffPerQuery: 1024 ** 3 });
    expect(findings(stack, RULE, { maxBytesScannedCutoffPerQuery: 100_000_000 })).toEqual(['Test/rWorkGroup']);
  });
  test("Compliance: cutoff equal to the environment's maximum", () => {
    const stack = workGroup({ bytesScannedCutoffPerQuery: TEST_LIMITS.maxBytesScannedCutoffPerQuery });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-AthenaResultsEncryptedWithKms', () => {
  const RULE = 'DataOps-AthenaResultsEncryptedWithKms';
  test('Noncompliance 1: no result encryption', () => {
    expect(findings(workGroup({ resultConfiguration: { outputLocation: 's3://results/' } }), RULE)).toEqual([
      'Test/rWorkGroup',
    ]);
  });
  test('Noncompliance 2: SSE_S3', () => {
    const stack = workGroup({ resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_S3' } } });
    expect(findings(stack, RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Noncompliance 3: managed query results without a KMS key', () => {
    const stack = workGroup({ managedQueryResultsConfiguration: { enabled: true } });
    expect(findings(stack, RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Compliance 1: SSE_KMS', () => {
    const stack = workGroup({
      resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: 'arn:key' } },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: CSE_KMS', () => {
    const stack = workGroup({
      resultConfiguration: { encryptionConfiguration: { encryptionOption: 'CSE_KMS', kmsKey: 'arn:key' } },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: managed query results with a KMS key', () => {
    const stack = workGroup({
      managedQueryResultsConfiguration: { enabled: true, encryptionConfiguration: { kmsKey: 'arn:key' } },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-AthenaCloudWatchMetrics', () => {
  const RULE = 'DataOps-AthenaCloudWatchMetrics';
  test('Noncompliance 1: not set', () => {
    expect(findings(workGroup({ enforceWorkGroupConfiguration: true }), RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Noncompliance 2: disabled', () => {
    expect(findings(workGroup({ publishCloudWatchMetricsEnabled: false }), RULE)).toEqual(['Test/rWorkGroup']);
  });
  test('Compliance', () => {
    expect(findings(workGroup({ publishCloudWatchMetricsEnabled: true }), RULE)).toEqual([]);
  });
});
