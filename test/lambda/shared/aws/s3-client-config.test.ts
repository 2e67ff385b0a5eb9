import { s3ClientConfigFromEnv } from '../../../../lambda/shared/aws/s3-client-config';

describe('s3ClientConfigFromEnv', () => {
  test('points S3 at a local endpoint when asked', () => {
    expect(s3ClientConfigFromEnv({})).toEqual({});
    expect(s3ClientConfigFromEnv({ S3_ENDPOINT: 'http://localhost:4568', S3_FORCE_PATH_STYLE: 'true' })).toEqual({
      endpoint: 'http://localhost:4568',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
});
