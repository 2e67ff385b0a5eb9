import 'aws-sdk-client-mock-jest';
import { readFileSync, writeFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../../../lambda/shared/aws/s3-object-store';
import { NDJSON_CONTENT_TYPE, PARQUET_CONTENT_TYPE } from '../../../../lambda/shared/pipeline/keys';
import { scratch } from '../../transform/helpers';
import { bodyOf, capturePuts } from './s3-mock';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

describe('S3ObjectStore (aws-sdk-client-mock)', () => {
  const s3Mock = mockClient(S3Client);
  beforeEach(() => s3Mock.reset());

  test('S3ObjectStore streams a version to a file and uploads with SSE-KMS and a content length', async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: bodyOf('hello') as never });
    const bodies = capturePuts(s3Mock);
    const store = new S3ObjectStore(new S3Client({}), { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' });
    const path = `${dir}/download.txt`;
    await store.download('b', 'k', 'v1', path);
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'b', Key: 'k', VersionId: 'v1' });
    await store.upload('out', 'x/y.parquet', path, PARQUET_CONTENT_TYPE);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'out',
      Key: 'x/y.parquet',
      ContentLength: 5,
      ContentType: PARQUET_CONTENT_TYPE,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
    });
    expect(bodies.get('out/x/y.parquet')?.toString()).toBe('hello');
  });

  test('S3ObjectStore sends no encryption headers without a key', async () => {
    capturePuts(s3Mock);
    const path = `${dir}/plain.txt`;
    writeFileSync(path, 'x');
    await new S3ObjectStore(new S3Client({})).upload('out', 'k', path, NDJSON_CONTENT_TYPE);
    const input = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(input).not.toHaveProperty('ServerSideEncryption');
    expect(input).not.toHaveProperty('SSEKMSKeyId');
  });
});
