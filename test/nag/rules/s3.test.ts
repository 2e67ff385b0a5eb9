import { Tags } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { TAG_KEYS } from '../../../lambda/shared/zones';
import { findings, newStack } from '../helpers';

const WHOLE_BUCKET_RULE = { status: 'Enabled', abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };

describe('DataOps-S3LifecycleConfigured', () => {
  const RULE = 'DataOps-S3LifecycleConfigured';
  test('Noncompliance 1: no lifecycle configuration', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 2: only disabled rules', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      lifecycleConfiguration: { rules: [{ status: 'Disabled', expirationInDays: 30 }] },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Compliance', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] } });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-S3AbortIncompleteMultipartUpload', () => {
  const RULE = 'DataOps-S3AbortIncompleteMultipartUpload';
  test('Noncompliance 1: no lifecycle configuration', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 2: uploads aborted after more than 7 days', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      lifecycleConfiguration: { rules: [{ status: 'Enabled', abortIncompleteMultipartUpload: { daysAfterInitiation: 8 } }] },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 3: the abort rule only covers a prefix', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      lifecycleConfiguration: { rules: [{ ...WHOLE_BUCKET_RULE, prefix: 'uploads/' }] },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 4: the abort rule is disabled', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { lifecycleConfiguration: { rules: [{ ...WHOLE_BUCKET_RULE, status: 'Disabled' }] } });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Compliance', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { lifecycleConfiguration: { rules: [WHOLE_BUCKET_RULE] } });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-S3NoncurrentVersionExpiration', () => {
  const RULE = 'DataOps-S3NoncurrentVersionExpiration';
  test('Noncompliance 1: versioned, noncurrent versions never expire', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      versioningConfiguration: { status: 'Enabled' },
      lifecycleConfiguration: { rules: [WHOLE_BUCKET_RULE] },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 2: versioned, only a prefix expires noncurrent versions', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      versioningConfiguration: { status: 'Enabled' },
      lifecycleConfiguration: {
        rules: [{ status: 'Enabled', prefix: 'tmp/', noncurrentVersionExpiration: { noncurrentDays: 30 } }],
      },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Compliance 1: versioned, noncurrent versions expire', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      versioningConfiguration: { status: 'Enabled' },
      lifecycleConfiguration: { rules: [{ status: 'Enabled', noncurrentVersionExpiration: { noncurrentDays: 30 } }] },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: unversioned bucket is not applicable', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-S3ExpiringZoneExpiration', () => {
  const RULE = 'DataOps-S3ExpiringZoneExpiration';
  test('Noncompliance 1: sandbox bucket without expiration', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      tags: [{ key: TAG_KEYS.zone, value: 'sandbox' }],
      lifecycleConfiguration: { rules: [WHOLE_BUCKET_RULE] },
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 2: query-results bucket (tagged with Tags.of) expiring only a prefix', () => {
    const stack = newStack();
    const bucket = new CfnBucket(stack, 'rBucket', {
      lifecycleConfiguration: { rules: [{ status: 'Enabled', prefix: 'wg-a/', expirationInDays: 7 }] },
    });
    Tags.of(bucket).add(TAG_KEYS.zone, 'query-results');
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Compliance 1: quarantine bucket expiring objects', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', {
      tags: [{ key: TAG_KEYS.zone, value: 'quarantine' }],
      lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a raw-zone bucket is not applicable', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { tags: [{ key: TAG_KEYS.zone, value: 'raw' }] });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-S3ZoneTag', () => {
  const RULE = 'DataOps-S3ZoneTag';
  test('Noncompliance 1: no zone tag', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Noncompliance 2: a zone that does not exist', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { tags: [{ key: TAG_KEYS.zone, value: 'bronze' }] });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket']);
  });
  test('Compliance 1: tag on the L1', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { tags: [{ key: TAG_KEYS.zone, value: 'curated' }] });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: tag applied with Tags.of', () => {
    const stack = newStack();
    Tags.of(new CfnBucket(stack, 'rBucket')).add(TAG_KEYS.zone, 'landing');
    expect(findings(stack, RULE)).toEqual([]);
  });
});
