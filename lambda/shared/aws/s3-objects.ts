/**
 * The `ObjectMover` port (ports.ts) over S3, for the model runner and the big-file route: list a
 * prefix, copy an object into a zone (SSE-KMS with the lake key, as the zones' bucket policies
 * require), delete keys (checking each DeleteObjects response's Errors), and write the small JSON
 * run records. It reads no object: the model runner's role may list and write curated, never
 * read it. `listObjects` and `deleteObjects` also serve `S3ObjectStore`.
 */
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PARQUET_CONTENT_TYPE } from '../pipeline/keys';
import type { CopyRequest, ObjectInfo, ObjectMover } from '../ports';

/** S3 CopyObject copies at most 5 GB in one request. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
const DELETE_BATCH = 1000;

export class S3Objects implements ObjectMover {
  constructor(
    private readonly client: S3Client,
    /** The lake key: every object this writes is SSE-KMS with it. */
    private readonly kmsKeyArn: string,
  ) {}

  list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
    return listObjects(this.client, bucket, prefix);
  }

  async copy(r: CopyRequest): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: r.toBucket,
        Key: r.toKey,
        CopySource: `${r.fromBucket}/${r.fromKey.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'REPLACE',
        Metadata: r.metadata,
        ContentType: PARQUET_CONTENT_TYPE,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.kmsKeyArn,
        BucketKeyEnabled: true,
      }),
    );
  }

  deleteKeys(bucket: string, keys: readonly string[]): Promise<void> {
    return deleteObjects(this.client, bucket, keys);
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value, null, 2),
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: this.kmsKeyArn,
        BucketKeyEnabled: true,
      }),
    );
  }
}

/** Every object under a prefix (ListObjectsV2, page by page). */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Deletes keys (DeleteObjects, 1,000 at a time); fails if S3 reports an error for any key. A missing key is no error. */
export async function deleteObjects(client: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    const result = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    const errors = result.Errors ?? [];
    if (errors.length > 0) {
      const sample = errors.slice(0, 5).map((e) => `${e.Key}: ${e.Code}`).join(', ');
      throw new Error(`S3 DeleteObjects failed for ${errors.length} of ${batch.length} key(s) in ${bucket}: ${sample}`);
    }
  }
}

/** Splits `s3://bucket/prefix/` into its parts. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an S3 URL: ${JSON.stringify(url)}`);
  const prefix = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
  return { bucket: m[1], prefix };
}
