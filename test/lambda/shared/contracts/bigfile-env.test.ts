import { BIG_FILE_ENV } from '../../../../lambda/shared/contracts/bigfile-env';

describe('BIG_FILE_ENV', () => {
  test('reads every variable and ends the staging prefix with a slash', () => {
    const env = { DOMAIN: 'sales', DATASETS: 'orders, refunds', CLEAN_DATABASE: 'sales_clean', CLEAN_BUCKET: 'c', QUARANTINE_BUCKET: 'q', STAGING_BUCKET: 's', STAGING_PREFIX: 'p/bigfile', WORKGROUP: 'w', KMS_KEY_ARN: 'k' };
    expect(BIG_FILE_ENV.parse(env)).toEqual({ domain: 'sales', datasets: ['orders', 'refunds'], cleanDatabase: 'sales_clean', cleanBucket: 'c', quarantineBucket: 'q', stagingBucket: 's', stagingPrefix: 'p/bigfile/', workgroup: 'w', kmsKeyArn: 'k' });
  });

  test('fails if a variable is missing, naming it and the fix', () => {
    expect(() => BIG_FILE_ENV.parse({ DOMAIN: 'sales', STAGING_PREFIX: 'p/' })).toThrow("DATASETS is not set. Fix: set it in the function's environment (the BigFileRoute construct does).");
  });
});
