/**
 * Dataset transform — SQS-triggered Lambda handler (a thin adapter over core/transform.ts).
 *
 * Each SQS message announces raw objects `<domain>/<dataset>/<anything>` or, for a domain that
 * declares sources, `<domain>/<source>/<dataset>/<anything>` (../shared/sources.ts) (an S3 event
 * notification, an EventBridge "Object Created" event, or `s3:TestEvent`, which is ignored).
 * For each object: read the dataset contract from the Glue catalog (cached per container), stream
 * the object version to /tmp, transform it, upload the clean Parquet files and the quarantine
 * file (SSE-KMS with the lake key), publish the metrics, remove the local files.
 *
 * Idempotent under at-least-once delivery: output keys are derived from the source object's
 * key and version, so a redelivery rewrites the same objects and adds no rows; and what an
 * earlier run of the source wrote that this run does not (a partition it no longer has rows for
 * under a changed contract, a quarantine file) is removed (shared/pipeline/outputs.ts).
 * Partial batch failures: a message that fails is reported in `batchItemFailures`, so only it is
 * retried (and ends in the dead-letter queue after its retries); the rest of the batch succeeds.
 *
 * Personal data: a contract with `pii` columns is tokenized with the environment's key, read from
 * Secrets Manager (`TOKEN_SECRET_ARN` names the secret; ../shared/aws/token-secret.ts) and kept per
 * container. Logs carry counts, keys, line numbers and reasons: never a record's values or the key.
 *
 * Environment: `TRANSFORM_ENV` (../shared/contracts/transform-env.ts), read once per container.
 *
 * Metrics (namespace `GovernedLakehouse`, dimensions exactly Domain and Dataset), one data point
 * per file: RowsIn, RowsOut, RowsQuarantined, BytesIn, DriftColumns.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { publishDatasetMetrics } from '../shared/dataset-metrics';
import { observabilityFor, schemaDriftLogFields } from '../shared/observability';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DatasetContract } from '../shared/dataset';
import {
  DIMENSION_DATASET,
  DIMENSION_DOMAIN,
  METRICS_NAMESPACE,
  METRIC_BYTES_IN,
  METRIC_DRIFT_COLUMNS,
  METRIC_ROWS_IN,
  METRIC_ROWS_OUT,
  METRIC_ROWS_QUARANTINED,
} from '../shared/metrics';
import { GlueContractSource } from '../shared/aws/glue-catalog';
import { s3ClientConfigFromEnv } from '../shared/aws/s3-client-config';
import { S3ObjectStore } from '../shared/aws/s3-object-store';
import { sharedEngine, type Engine } from './core/engine';
import { parseMessage, type ObjectCreated } from '../shared/pipeline/events';
import { NDJSON_CONTENT_TYPE, PARQUET_CONTENT_TYPE, arrivalDateOf } from '../shared/pipeline/keys';
import { datasetOfRawKey, rawPrefixes } from '../shared/sources';
import { replaceOutputs } from '../shared/pipeline/outputs';
import { transformFile, type TransformResult } from './core/transform';
import type { ContractSource, ObjectStore, TokenKeySource } from '../shared/ports';
import { tokenKeysOfSecret } from '../shared/aws/token-secret';
import { tokenizedColumns } from '../shared/pipeline/tokens';
import { TRANSFORM_ENV, type TransformEnv } from '../shared/contracts/transform-env';

export { DIMENSION_DATASET, DIMENSION_DOMAIN, METRICS_NAMESPACE, METRIC_BYTES_IN, METRIC_DRIFT_COLUMNS, METRIC_ROWS_IN, METRIC_ROWS_OUT, METRIC_ROWS_QUARANTINED };

/** The metrics one transformed file publishes, in order. */
export const TRANSFORM_METRIC_NAMES = [METRIC_ROWS_IN, METRIC_ROWS_OUT, METRIC_ROWS_QUARANTINED, METRIC_BYTES_IN, METRIC_DRIFT_COLUMNS] as const;

/** The Powertools service name when POWERTOOLS_SERVICE_NAME is not set. */
export const TRANSFORM_SERVICE_NAME = 'dataset-transform';

export { NDJSON_CONTENT_TYPE, PARQUET_CONTENT_TYPE };

/** The function's configuration: its environment (contracts/transform-env.ts), and where it works. */
export type TransformConfig = TransformEnv & {
  /** Where per-file working directories are made. @default os.tmpdir() */
  readonly workDir?: string;
};

/** Contracts read from the catalog, kept for `ttlMs` (a warm container re-reads after that). */
export class ContractCache {
  private readonly entries = new Map<string, { contract: Promise<DatasetContract>; expires: number }>();
  constructor(
    private readonly source: ContractSource,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(database: string, table: string): Promise<DatasetContract> {
    const id = `${database}.${table}`;
    const hit = this.entries.get(id);
    if (hit && hit.expires > this.now()) return hit.contract;
    const contract = this.source.get(database, table);
    this.entries.set(id, { contract, expires: this.now() + this.ttlMs });
    contract.catch(() => this.entries.delete(id));
    return contract;
  }
}

export interface TransformDeps {
  readonly config: TransformConfig;
  readonly objects: ObjectStore;
  /** Where contracts come from (the Glue catalog). Needed unless every call passes a contract. */
  readonly contracts?: ContractSource | ContractCache;
  /** @default - the process-wide DuckDB engine */
  readonly engine?: Engine;
  /** @default - a Powertools Logger */
  readonly logger?: Logger;
  /** @default - a Powertools Metrics with namespace `GovernedLakehouse` */
  readonly metrics?: Metrics;
  /** Uploads in flight at once. @default 8 */
  readonly uploadConcurrency?: number;
  /** The PII token key (Secrets Manager). Needed when a contract has `pii: true` columns. @default - none */
  readonly tokenKeys?: TokenKeySource;
}

/**
 * One created object to transform (the event's fields, `ObjectCreated`: the key decoded; `eTag`
 * identifies the content when the bucket is not versioned; a download of another `size` fails, to be
 * retried; without `eventTime` a dataset partitioned by arrival fails).
 */
export interface ProcessS3ObjectInput extends ObjectCreated {
  readonly deps: TransformDeps;
  /** The contract to apply. @default - read from the catalog (`deps.contracts`) */
  readonly contract?: DatasetContract;
}

export interface ProcessS3ObjectResult {
  readonly source: { readonly bucket: string; readonly key: string; readonly versionId?: string };
  readonly sourceId: string;
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsQuarantined: number;
  readonly driftColumns: readonly string[];
  readonly missingColumns: readonly string[];
  readonly bytesIn: number;
  readonly clean: readonly { readonly bucket: string; readonly key: string; readonly partition: string; readonly rows: number }[];
  readonly quarantine?: { readonly bucket: string; readonly key: string; readonly rows: number };
  /**
   * What this source produced before and this run does not (outputs.ts): its files in partitions
   * it no longer has rows for, and its quarantine key when it has no bad rows (deleted whether or
   * not it existed).
   */
  readonly removed: readonly { readonly bucket: string; readonly key: string }[];
  /** Set when the source could not be read to its end and was quarantined whole: the reason. */
  readonly unreadable?: string;
  readonly timings: TransformResult['timings'] & { readonly downloadMs: number; readonly uploadMs: number };
}

/** The logger and metrics of `deps`, or the process-wide defaults. */
const observability = observabilityFor(TRANSFORM_SERVICE_NAME);

async function contractFor(deps: TransformDeps): Promise<DatasetContract> {
  if (!deps.contracts) throw new Error('no contract given and no contract source configured');
  return deps.contracts.get(deps.config.glueDatabase, deps.config.glueTable);
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Transforms one raw object end to end: download, transform, upload, metrics. Used by the
 * Lambda handler and by the local runner (`npx lakehouse run`, against s3rver).
 */
export async function processS3Object(input: ProcessS3ObjectInput): Promise<ProcessS3ObjectResult> {
  const { deps } = input;
  const { config } = deps;
  const log = observability(deps).logger;
  const contract = input.contract ?? (await contractFor(deps));
  if (!datasetOfRawKey(input.key, contract.domain, [contract.dataset], contract.sources ?? [])) {
    throw new Error(
      `s3://${input.bucket}/${input.key} is not under ${rawPrefixes(contract.domain, contract.dataset, contract.sources ?? []).join(' or ')} (the contract's dataset). Fix: route only this dataset's prefixes to this function.`,
    );
  }
  if ((config.domain && config.domain !== contract.domain) || (config.dataset && config.dataset !== contract.dataset)) {
    throw new Error(
      `the contract in ${config.glueDatabase}.${config.glueTable} is for ${contract.domain}/${contract.dataset}, not ${config.domain}/${config.dataset}. Fix: point ${TRANSFORM_ENV.vars.glueTable.name} at this dataset's table.`,
    );
  }

  if (contract.partitionBy === 'arrival' && !input.eventTime) {
    throw new Error(
      `${contract.domain}/${contract.dataset} is partitioned by arrival, but s3://${input.bucket}/${input.key} came without an event time. Fix: send the S3 or EventBridge event as it came (it carries the time).`,
    );
  }

  const dir = await mkdtemp(join(config.workDir ?? tmpdir(), 'transform-'));
  try {
    let t0 = performance.now();
    const localPath = join(dir, 'source');
    await deps.objects.download(input.bucket, input.key, input.versionId, localPath);
    const downloadMs = Math.round(performance.now() - t0);
    // A short download (a dropped connection) must not pass for a truncated file: retry instead.
    // (Only for a version: an unversioned key may have been overwritten since the event.)
    const downloaded = (await stat(localPath)).size;
    if (input.size !== undefined && input.versionId !== undefined && downloaded !== input.size) {
      throw new Error(`s3://${input.bucket}/${input.key}: downloaded ${downloaded} bytes of the object's ${input.size}; the message is retried`);
    }

    const token = tokenizedColumns(contract).length > 0 ? await deps.tokenKeys?.get() : undefined;
    const result = await transformFile({
      contract,
      localPath,
      source: { bucket: input.bucket, key: input.key, versionId: input.versionId, eTag: input.eTag },
      workDir: dir,
      engine: deps.engine ?? (await sharedEngine()),
      arrivalDate: contract.partitionBy === 'arrival' ? arrivalDateOf(input.eventTime!) : undefined,
      tokenKey: token?.key,
    });

    t0 = performance.now();
    const { cleanFiles, quarantineFile } = result.outputs;
    const replaced = await replaceOutputs(
      deps.objects,
      { contract, sourceId: result.sourceId, cleanBucket: config.cleanBucket, quarantineBucket: config.quarantineBucket },
      cleanFiles.map((f) => ({ partition: f.partition, key: f.key })),
      quarantineFile !== undefined,
      async () => {
        await mapLimit(cleanFiles, deps.uploadConcurrency ?? 8, (f) => deps.objects.upload(config.cleanBucket, f.key, f.localPath, PARQUET_CONTENT_TYPE));
        if (quarantineFile) await deps.objects.upload(config.quarantineBucket, quarantineFile.key, quarantineFile.localPath, NDJSON_CONTENT_TYPE);
      },
    );
    const uploadMs = Math.round(performance.now() - t0);

    const out: ProcessS3ObjectResult = {
      source: { bucket: input.bucket, key: input.key, versionId: input.versionId },
      sourceId: result.sourceId,
      rowsIn: result.rowsIn,
      rowsOut: result.rowsOut,
      rowsQuarantined: result.rowsQuarantined,
      driftColumns: result.driftColumns,
      missingColumns: result.missingColumns,
      bytesIn: result.bytesIn,
      clean: cleanFiles.map((f) => ({ bucket: config.cleanBucket, key: f.key, partition: f.partition, rows: f.rows })),
      quarantine: quarantineFile ? { bucket: config.quarantineBucket, key: quarantineFile.key, rows: result.rowsQuarantined } : undefined,
      removed: [
        ...replaced.removedCleanKeys.map((key) => ({ bucket: config.cleanBucket, key })),
        ...(replaced.clearedQuarantineKey ? [{ bucket: config.quarantineBucket, key: replaced.clearedQuarantineKey }] : []),
      ],
      ...(result.unreadable ? { unreadable: result.unreadable } : {}),
      timings: { ...result.timings, downloadMs, uploadMs },
    };
    publish(deps, contract, result);
    if (result.driftColumns.length > 0 || result.missingColumns.length > 0) {
      log.warn('schema drift', { source: out.source, ...schemaDriftLogFields(contract, result.driftColumns, result.missingColumns) });
    }
    if (result.unreadable) log.error('file unreadable: quarantined whole', { source: out.source, reason: result.unreadable, rowsIn: out.rowsIn });
    log.info('file transformed', {
      source: out.source,
      sourceId: out.sourceId,
      gzip: result.gzip,
      encoding: result.encoding,
      rowsIn: out.rowsIn,
      rowsOut: out.rowsOut,
      rowsQuarantined: out.rowsQuarantined,
      bytesIn: out.bytesIn,
      bytesDecompressed: result.bytesDecompressed,
      partitions: cleanFiles.length,
      quarantineKey: quarantineFile?.key,
      removedCleanKeys: replaced.removedCleanKeys,
      tokenKeyGeneration: token?.generation,
      timings: out.timings,
    });
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function publish(deps: TransformDeps, contract: DatasetContract, r: TransformResult): void {
  publishDatasetMetrics(observability(deps).metrics, contract.domain, contract.dataset, {
    rowsIn: r.rowsIn,
    rowsOut: r.rowsOut,
    rowsQuarantined: r.rowsQuarantined,
    bytesIn: r.bytesIn,
    driftColumns: r.driftColumns.length + r.missingColumns.length,
  });
}

/** Builds the handler; the exported `handler` is this with dependencies from the environment. */
export function createHandler(deps: TransformDeps): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const log = observability(deps).logger;
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const message = parseMessage(record.body);
    if (message.kind === 'test-event') {
      log.info('s3:TestEvent ignored', { messageId: record.messageId });
      return;
    }
    if (message.ignored > 0) log.info('events other than object creation ignored', { messageId: record.messageId, ignored: message.ignored });
    for (const o of message.objects) {
      await processS3Object({ deps, bucket: o.bucket, key: o.key, versionId: o.versionId, eTag: o.eTag, size: o.size, eventTime: o.eventTime });
    }
  };

  return async (event, context) => {
    log.addContext(context);
    // One file at a time: each uses all vCPUs, the memory limit and /tmp.
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  };
}

let defaultHandler: ReturnType<typeof createHandler> | undefined;

/** The Lambda entry point: dependencies from the environment, built once per container. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  if (!defaultHandler) {
    const config = TRANSFORM_ENV.parse(process.env);
    defaultHandler = createHandler({
      config,
      objects: new S3ObjectStore(new S3Client(s3ClientConfigFromEnv(process.env)), { kmsKeyArn: config.kmsKeyArn }),
      contracts: new ContractCache(new GlueContractSource(new GlueClient({}))),
      tokenKeys: tokenKeysOfSecret(config.tokenSecretArn),
    });
  }
  return defaultHandler(event, context);
};
