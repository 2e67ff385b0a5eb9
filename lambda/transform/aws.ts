/**
 * AWS SDK v3 adapters for the transform's ports: S3 (objects streamed to and from local files)
 * and the Glue catalog (the dataset contract).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { deleteObjects, listObjects } from '../models/s3-objects';
import { CONTRACT_PARAMETER, parseContract, type DatasetContract } from '../shared/dataset';
import type { ContractSource, ObjectStore } from './ports';

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

export class GlueContractSource implements ContractSource {
  constructor(private readonly glue: GlueClient) {}

  async get(database: string, table: string): Promise<DatasetContract> {
    const out = await this.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    const text = out.Table?.Parameters?.[CONTRACT_PARAMETER];
    if (!text) {
      throw new Error(`Glue table ${database}.${table} has no ${CONTRACT_PARAMETER} parameter. Fix: deploy the dataset's stack, which writes it.`);
    }
    return parseContract(text);
  }
}

/**
 * The S3 client for this environment. `S3_ENDPOINT` (and `S3_FORCE_PATH_STYLE=true`) point it
 * at a local S3 such as s3rver; checksums are then only sent when required, because s3rver
 * stores streamed bodies with the checksum's chunk encoding inside (FACTS.md).
 */
export function s3ClientConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!endpoint) return {};
  return {
    endpoint,
    forcePathStyle: (env.S3_FORCE_PATH_STYLE ?? '').trim().toLowerCase() === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
