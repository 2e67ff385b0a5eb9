/**
 * What the function cores need from the outside world, as small interfaces. The AWS SDK v3
 * adapters are in `aws/`; the local runner (s3rver) and the tests supply their own.
 *
 * | port | adapter | used by |
 * |---|---|---|
 * | `ObjectStore` (objects through local files, partition markers) | `aws/s3-object-store.ts` | transform, big-file convert |
 * | `ObjectMover` (list, server-side copy, delete, small JSON records) | `aws/s3-objects.ts` | model runner, big-file convert |
 * | `ContractSource` (a dataset's contract) | `aws/glue-catalog.ts` | transform, big-file prepare |
 * | `Catalog` (tables: read, list, delete) | `aws/glue-catalog.ts` | model runner, big-file route |
 * | `QueryRunner` (SQL on Athena) | `aws/athena-queries.ts` | model runner, big-file convert |
 * | `TokenKeySource` (the environment's PII token key) | `aws/token-secret.ts` | transform, big-file prepare |
 */
import type { DatasetContract } from './dataset';
import type { OutputObjects } from './pipeline/outputs';
import type { TokenKey } from './pipeline/tokens';

/**
 * Objects in buckets, moved through local files (never held in memory); and the listing, markers
 * and deletes with which a run replaces what its source produced before (pipeline/outputs.ts).
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

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date;
}

export interface CopyRequest {
  readonly fromBucket: string;
  readonly fromKey: string;
  readonly toBucket: string;
  readonly toKey: string;
  /** Extra object metadata (`x-amz-meta-*`). */
  readonly metadata?: Record<string, string>;
}

/** Objects moved inside S3, never through the function: what publishing a query's files needs. */
export interface ObjectMover {
  list(bucket: string, prefix: string): Promise<ObjectInfo[]>;
  copy(request: CopyRequest): Promise<void>;
  deleteKeys(bucket: string, keys: readonly string[]): Promise<void>;
  putJson(bucket: string, key: string, value: unknown): Promise<void>;
}

export interface TableInfo {
  readonly name: string;
  readonly location?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly createTime?: Date;
}

export interface Catalog {
  getTable(database: string, name: string): Promise<TableInfo | undefined>;
  /** Deletes a table; a table that is already gone is fine. */
  deleteTable(database: string, name: string): Promise<void>;
  /** Tables whose name starts with `prefix`. */
  listTables(database: string, prefix: string): Promise<TableInfo[]>;
}

/** One result row; every engine's values normalised to text (Athena returns text anyway). */
export type ResultRow = Readonly<Record<string, string | null>>;

export interface QueryOptions {
  /** Names the query in logs and errors. */
  readonly label: string;
  /** Epoch milliseconds after which the query is stopped and a timeout error thrown. */
  readonly deadline: number;
}

export interface QueryOutcome {
  readonly queryExecutionId: string;
  readonly dataScannedBytes?: number;
  readonly engineMs?: number;
  /** Where Athena wrote the result file (`s3://…/<query id>.csv` for a SELECT). */
  readonly outputLocation?: string;
}

/** SQL in one workgroup: statements, and SELECTs read back as rows. */
export interface QueryRunner {
  execute(sql: string, opts: QueryOptions): Promise<QueryOutcome>;
  query(sql: string, opts: QueryOptions): Promise<ResultRow[]>;
  /** Waits before retry `attempt` of `operation` (exponential backoff, full jitter). */
  backoff(attempt: number, opts: QueryOptions, operation: string, error: unknown): Promise<void>;
}

/** The environment's PII token key and its generation (which changes when the key is rotated). */
export interface TokenKeyVersion {
  readonly generation: number;
  readonly key: TokenKey;
}

/** Where the PII token key is read from (Secrets Manager; locally, `.lakehouse/`). */
export interface TokenKeySource {
  get(): Promise<TokenKeyVersion>;
}
