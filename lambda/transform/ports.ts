/**
 * What the transform needs from the outside world. The AWS adapters are in aws.ts; the local
 * runner (s3rver) and the tests supply their own.
 */
import type { DatasetContract } from '../shared/dataset';
import type { OutputObjects } from './core/outputs';

/**
 * Objects in buckets, moved through local files (never held in memory); and the listing, markers
 * and deletes with which a run replaces what its source produced before (outputs.ts).
 */
export interface ObjectStore extends OutputObjects {
  /** Streams one object (a given version when `versionId` is set) into `toPath`. */
  download(bucket: string, key: string, versionId: string | undefined, toPath: string): Promise<void>;
  /** Streams a local file into an object. */
  upload(bucket: string, key: string, fromPath: string, contentType: string): Promise<void>;
}

/** Where a dataset's contract is read from (the Glue catalog). */
export interface ContractSource {
  get(database: string, table: string): Promise<DatasetContract>;
}
