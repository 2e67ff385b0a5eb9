import { parseS3Url } from '../../../../lambda/shared/aws/s3-objects';

describe('parseS3Url', () => {
  test('parses S3 URLs', () => {
    expect(parseS3Url('s3://results/wg/tables/q1')).toEqual({ bucket: 'results', prefix: 'wg/tables/q1/' });
    expect(() => parseS3Url('https://x')).toThrow(/not an S3 URL/);
  });
});
