/**
 * The `ObjectStore` port (ports.ts) over S3: objects streamed to and from local files, SSE-KMS
 * uploads, the partition markers, listing and deletes (pipeline/outputs.ts).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deleteObjects, listObjects } from './s3-objects';
import type { ObjectStore } from '../ports';

export interface S3ObjectStoreOptions {
  /**
   * The lake key: every upload asks for SSE-KMS with it (the clean and quarantine bucket
   * policies deny puts without `x-amz-server-side-encryption: aws:kms`).
   * @default - no encryption headers (the bucket default applies)
   */
  readonly kmsKeyArn?: string;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly options: S3ObjectStoreOptions = {},
  ) {}

  async download(bucket: string, key: string, versionId: string | undefined, toPath: string): Promise<void> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    if (!(out.Body instanceof Readable)) throw new Error(`s3://${bucket}/${key}: GetObject returned no readable body`);
    await pipeline(out.Body, createWriteStream(toPath));
  }

  async upload(bucket: string, key: string, fromPath: string, contentType: string): Promise<void> {
    const { size } = await stat(fromPath);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: createReadStream(fromPath),
        ContentLength: size,
        ContentType: contentType,
        ...this.encryption(),
      }),
    );
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    return (await listObjects(this.s3, bucket, prefix)).map((o) => o.key);
  }

  async putMarker(bucket: string, key: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '', ContentLength: 0, ...this.encryption() }));
  }

  deleteKeys(bucket: string, keys: readonly string[]): Promise<void> {
    return deleteObjects(this.s3, bucket, keys);
  }

  private encryption(): { ServerSideEncryption?: 'aws:kms'; SSEKMSKeyId?: string } {
    return this.options.kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyArn } : {};
  }
}
