/** Helpers for tests of S3 adapters over aws-sdk-client-mock. */
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** A GetObject body holding `text`. */
export const bodyOf = (text: string | Buffer) => sdkStreamMixin(Readable.from([Buffer.from(text)]));

/** Reads the streamed PutObject bodies the mock receives, keyed by bucket/key. */
export function capturePuts(s3Mock: AwsClientStub<S3Client>): Map<string, Buffer> {
  const bodies = new Map<string, Buffer>();
  s3Mock.on(PutObjectCommand).callsFake(async (input) => {
    const chunks: Buffer[] = [];
    for await (const c of input.Body as Readable) chunks.push(Buffer.from(c));
    bodies.set(`${input.Bucket}/${input.Key}`, Buffer.concat(chunks));
    return {};
  });
  return bodies;
}
