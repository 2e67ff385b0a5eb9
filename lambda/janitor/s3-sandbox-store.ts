/**
 * The janitor's port to the sandbox bucket, and its S3 adapter (AWS SDK v3).
 */
import { DeleteObjectsCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { ListedObject, MAX_DELETE_BATCH } from './core';

/** A key S3 refused to delete, with S3's error code and message. */
export interface DeleteFailure {
  readonly key: string;
  readonly code: string;
  readonly message: string;
}

export interface DeleteResult {
  /** Keys S3 did not report as failed. */
  readonly deleted: readonly string[];
  /** Keys S3 reported in the response's `Errors`. */
  readonly failed: readonly DeleteFailure[];
}

/** What the janitor needs from the sandbox bucket. */
export interface SandboxStore {
  /** Listing pages (≤ 1000 objects each) of the whole bucket, or of one prefix. */
  list(prefix?: string): AsyncIterable<readonly ListedObject[]>;
  /** Deletes up to 1000 keys in one request. */
  deleteKeys(keys: readonly string[]): Promise<DeleteResult>;
}

export class S3SandboxStore implements SandboxStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  public async *list(prefix?: string): AsyncIterable<readonly ListedObject[]> {
    const pages = paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, ...(prefix ? { Prefix: prefix } : {}) });
    for await (const page of pages) {
      yield page.Contents ?? [];
    }
  }

  public async deleteKeys(keys: readonly string[]): Promise<DeleteResult> {
    if (keys.length === 0) return { deleted: [], failed: [] };
    if (keys.length > MAX_DELETE_BATCH) {
      throw new Error(`DeleteObjects takes at most ${MAX_DELETE_BATCH} keys (got ${keys.length})`);
    }
    // Quiet: the response lists only the keys that failed.
    const out = await this.s3.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed: DeleteFailure[] = (out.Errors ?? []).map((e) => ({
      key: e.Key ?? '(no key)',
      code: e.Code ?? 'Unknown',
      message: e.Message ?? '',
    }));
    const failedKeys = new Set(failed.map((f) => f.key));
    return { deleted: keys.filter((k) => !failedKeys.has(k)), failed };
  }
}
