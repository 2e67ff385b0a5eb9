import { MODEL_RUNNER_ENV } from '../../../../lambda/shared/contracts/models-env';

describe('MODEL_RUNNER_ENV', () => {
  const env = { DOMAIN: 'sales', CURATED_DATABASE: 'sales_curated', CURATED_BUCKET: 'cur', CLEAN_BUCKET: 'cl', WORKGROUP: 'w', KMS_KEY_ARN: 'k', MODELS: 'a, b', LOOKBACK_DAYS: '2' };
  test('reads its configuration from the environment and names what is missing', () => {
    expect(MODEL_RUNNER_ENV.parse(env)).toEqual({ domain: 'sales', database: 'sales_curated', curatedBucket: 'cur', cleanBucket: 'cl', workgroup: 'w', kmsKeyArn: 'k', models: ['a', 'b'], lookbackDays: 2 });
    expect(MODEL_RUNNER_ENV.parse({ ...env, LOOKBACK_DAYS: undefined }).lookbackDays).toBe(3);
    expect(() => MODEL_RUNNER_ENV.parse({ ...env, WORKGROUP: '' })).toThrow(/WORKGROUP is not set/);
    expect(() => MODEL_RUNNER_ENV.parse({ ...env, LOOKBACK_DAYS: '0' })).toThrow(/LOOKBACK_DAYS must be a whole number of days, 1-31/);
  });
});
