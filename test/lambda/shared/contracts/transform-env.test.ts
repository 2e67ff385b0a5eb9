import { TRANSFORM_ENV } from '../../../../lambda/shared/contracts/transform-env';

describe('TRANSFORM_ENV', () => {
  const env = { CLEAN_BUCKET: 'c', QUARANTINE_BUCKET: 'q', GLUE_DATABASE: 'db', GLUE_TABLE: 't', DOMAIN: 'sales', DATASET: 'orders', KMS_KEY_ARN: 'arn:key' };
  test('reads the function environment', () => {
    expect(TRANSFORM_ENV.parse(env)).toEqual({ cleanBucket: 'c', quarantineBucket: 'q', glueDatabase: 'db', glueTable: 't', domain: 'sales', dataset: 'orders', kmsKeyArn: 'arn:key' });
    expect(TRANSFORM_ENV.parse({ ...env, DOMAIN: undefined, DATASET: '', KMS_KEY_ARN: undefined })).toEqual({ cleanBucket: 'c', quarantineBucket: 'q', glueDatabase: 'db', glueTable: 't' });
  });
  test('fails if a required variable is missing', () => {
    expect(() => TRANSFORM_ENV.parse({ ...env, GLUE_TABLE: ' ' })).toThrow("GLUE_TABLE is not set. Fix: set it in the function's environment (the DatasetTransform construct does).");
  });
  test('the environment the construct sets', () => {
    expect(TRANSFORM_ENV.environment({ domain: 'sales', dataset: 'orders', glueDatabase: 'db', glueTable: 't', cleanBucket: 'c', quarantineBucket: 'q', kmsKeyArn: 'arn:key' })).toEqual(env);
  });
});
