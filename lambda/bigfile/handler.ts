/**
 * The big-file route's Lambda steps (thin adapters over core/), run by the domain's big-file
 * state machine for raw objects above the configured size. One function; the input's `step`
 * says which:
 *
 * - `prepare`  ({ event, runId }): reads the dataset contract from Glue, streams the raw object
 *   version (gunzipped when it is gzip) through the function's first pass into gzip JSON staging
 *   parts under `s3://<STAGING_BUCKET>/<STAGING_PREFIX><domain>/<dataset>/<runId>/`, and creates
 *   the staging table over them (`<dataset>__big_<run>_in` in the clean database). Nothing of the
 *   file is kept on disk or in memory.
 * - `convert`  (the prepared job): Athena checks and converts, the results are published where the
 *   function would have put them, the dataset metrics are published (core/convert.ts); the run's
 *   tables are dropped whatever happened.
 * - `cleanup`  ({ event, runId }): drops the run's tables after a failed run.
 * Staging parts and query results are not deleted here: they live in the query-results zone,
 * whose lifecycle expires them.
 *
 * Personal data: `prepare` tokenizes `pii: true` columns with the environment's key (Secrets
 * Manager, `TOKEN_SECRET_ARN`; ../shared/aws/token-secret.ts); Athena gets tokens, never the key.
 * Logs never carry record values or the key.
 *
 * Environment: `BIG_FILE_ENV` (../shared/contracts/bigfile-env.ts), read once per container.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { AthenaQueries } from '../shared/aws/athena-queries';
import { GlueCatalog, GlueContractSource } from '../shared/aws/glue-catalog';
import { s3ClientConfigFromEnv } from '../shared/aws/s3-client-config';
import { S3ObjectStore } from '../shared/aws/s3-object-store';
import { S3Objects } from '../shared/aws/s3-objects';
import { publishDatasetMetrics } from '../shared/dataset-metrics';
import { observabilityFor, schemaDriftLogFields } from '../shared/observability';
import { parseMessage } from '../shared/pipeline/events';
import { arrivalDateOf, sourceId, sourceUri, type SourceRef } from '../shared/pipeline/keys';
import { datasetOfRawKey } from '../shared/sources';
import { convertStaged, dropTables, type ConvertResult, type PreparedJob } from './core/convert';
import { prepareStaging } from './core/prepare';
import { sourceText } from '../shared/pipeline/scan';
import { stagingTableInput } from './core/sql';
import { bigFileTables, runKey } from '../shared/contracts/big-file-tables';
import { BIG_FILE_ENV, type BigFileEnv } from '../shared/contracts/bigfile-env';
import { tokenKeysOfSecret } from '../shared/aws/token-secret';
import { tokenizedColumns } from '../shared/pipeline/tokens';
import type { TokenKeySource } from '../shared/ports';

export const BIG_FILE_SERVICE_NAME = 'big-file-route';
/** Stop Athena queries this long before the function would time out. */
export const SAFETY_MARGIN_MS = 20_000;

/** The function's configuration: its environment (contracts/bigfile-env.ts). */
export type BigFileConfig = BigFileEnv;

/** What the state machine passes to `prepare` and `cleanup`. */
export interface RunInput {
  /** The EventBridge "Object Created" event that started the run. */
  readonly event: unknown;
  /** The execution's name: names the staging location and the run's tables. */
  readonly runId: string;
}

export interface BigFileDeps {
  readonly config: BigFileConfig;
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly athena: AthenaClient;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** @default os.tmpdir() */
  readonly workDir?: string;
  /** The PII token key (Secrets Manager): the prepare step tokenizes `pii: true` columns. @default - none */
  readonly tokenKeys?: TokenKeySource;
}

/** The object the event announces, checked to be one of this domain's datasets. */
export function objectOfEvent(config: BigFileConfig, event: unknown): { source: SourceRef; dataset: string; size?: number; eventTime?: string } {
  const parsed = parseMessage(JSON.stringify(event));
  if (parsed.kind !== 'objects' || parsed.objects.length !== 1) throw new Error('the big-file route expects one EventBridge "Object Created" event per run');
  const o = parsed.objects[0];
  const where = datasetOfRawKey(o.key, config.domain, config.datasets, config.sources ?? []);
  if (!where) {
    throw new Error(`s3://${o.bucket}/${o.key} is not under one of ${config.domain}'s datasets (${config.datasets.join(', ')}). Fix: route only this domain's raw prefixes to its big-file state machine.`);
  }
  return { source: { bucket: o.bucket, key: o.key, versionId: o.versionId, eTag: o.eTag }, dataset: where.dataset, size: o.size, eventTime: o.eventTime };
}

/** The logger and metrics of `deps`, or the process-wide defaults. */
const observability = observabilityFor(BIG_FILE_SERVICE_NAME);

export function createPrepare(deps: BigFileDeps): (input: RunInput, context: Pick<Context, 'awsRequestId'>) => Promise<PreparedJob> {
  const { config } = deps;
  const contracts = new GlueContractSource(deps.glue);
  const catalog = new GlueCatalog(deps.glue);
  return async (input, context) => {
    const log = observability(deps).logger;
    const { source, dataset, size, eventTime } = objectOfEvent(config, input.event);
    const contract = await contracts.get(config.cleanDatabase, dataset);
    if (contract.partitionBy === 'arrival' && !eventTime) {
      throw new Error(`${contract.domain}/${contract.dataset} is partitioned by arrival, but the event for s3://${source.bucket}/${source.key} has no time. Fix: start the state machine with the EventBridge "Object Created" event as it came.`);
    }
    const tables = bigFileTables(dataset, input.runId);
    // One prefix per attempt: a retried step (same run) never finds an earlier attempt's parts under its table.
    const prefix = `${config.stagingPrefix}${config.domain}/${dataset}/${runKey(input.runId)}/${runKey(context.awsRequestId)}/`;
    const got = await deps.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: source.versionId }));
    if (!(got.Body instanceof Readable)) throw new Error(`s3://${source.bucket}/${source.key}: GetObject returned no readable body`);
    // A body shorter than the object (a dropped connection) fails the step, to be retried; a
    // corrupt or undecodable object is quarantined whole (prepared.unreadable).
    const { stream, gzip, encoding } = await sourceText(got.Body, { encoding: contract.encoding, expectedBytes: got.ContentLength });
    const token = tokenizedColumns(contract).length > 0 ? await deps.tokenKeys?.get() : undefined;
    const prepared = await prepareStaging({
      contract,
      sourceUri: sourceUri(source),
      input: stream,
      tokenKey: token?.key,
      putPart: async (name, body) => {
        await deps.s3.send(
          new PutObjectCommand({ Bucket: config.stagingBucket, Key: `${prefix}${name}`, Body: body, ContentType: 'application/gzip', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: config.kmsKeyArn, BucketKeyEnabled: true }),
        );
      },
    });
    // A retried step finds the table of its earlier attempt.
    await catalog.deleteTable(config.cleanDatabase, tables.input);
    await deps.glue.send(new CreateTableCommand({ DatabaseName: config.cleanDatabase, TableInput: stagingTableInput(contract, tables.input, `s3://${config.stagingBucket}/${prefix}`) }));
    const job: PreparedJob = {
      contract,
      source,
      sourceId: sourceId(source),
      runId: input.runId,
      database: config.cleanDatabase,
      rowsIn: prepared.rowsIn,
      bytesIn: size ?? got.ContentLength ?? prepared.bytesDecompressed,
      driftColumns: prepared.driftColumns.length + prepared.missingColumns.length,
      ...(contract.partitionBy === 'arrival' ? { arrivalDate: arrivalDateOf(eventTime!) } : {}),
      ...(prepared.unreadable ? { unreadable: prepared.unreadable } : {}),
    };
    if (prepared.unreadable) log.error('file unreadable: quarantined whole', { source, reason: prepared.unreadable, rowsIn: prepared.rowsIn });
    if (prepared.driftColumns.length > 0 || prepared.missingColumns.length > 0) {
      log.warn('schema drift', { source, ...schemaDriftLogFields(contract, prepared.driftColumns, prepared.missingColumns) });
    }
    log.info('file staged for Athena', { source, sourceId: job.sourceId, gzip, encoding: encoding(), rowsIn: prepared.rowsIn, rejected: prepared.rejected, bytesDecompressed: prepared.bytesDecompressed, parts: prepared.parts.length, table: tables.input, tokenKeyGeneration: token?.generation });
    return job;
  };
}

export function createConvert(deps: BigFileDeps): (job: PreparedJob, context: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<ConvertResult> {
  const { config } = deps;
  const catalog = new GlueCatalog(deps.glue);
  const athena = new AthenaQueries(deps.athena, config.workgroup);
  const objects = new S3Objects(deps.s3, config.kmsKeyArn);
  const files = new S3ObjectStore(deps.s3, { kmsKeyArn: config.kmsKeyArn });
  return async (job, context) => {
    const { logger, metrics } = observability(deps);
    if (job.contract.domain !== config.domain || !config.datasets.includes(job.contract.dataset)) {
      throw new Error(`job for ${job.contract.domain}/${job.contract.dataset} sent to ${config.domain}'s big-file route`);
    }
    const workDir = await mkdtemp(join(deps.workDir ?? tmpdir(), 'bigfile-'));
    try {
      const result = await convertStaged(
        job,
        {
          athena,
          catalog,
          objects,
          outputs: files,
          download: (bucket, key, toPath) => files.download(bucket, key, undefined, toPath),
          upload: (bucket, key, fromPath, contentType) => files.upload(bucket, key, fromPath, contentType),
        },
        { cleanBucket: config.cleanBucket, quarantineBucket: config.quarantineBucket, workDir, deadline: Date.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS },
      );
      publishDatasetMetrics(metrics, job.contract.domain, job.contract.dataset, { ...result, bytesIn: job.bytesIn, driftColumns: job.driftColumns });
      logger.info('file converted on Athena', { source: job.source, sourceId: job.sourceId, rowsIn: result.rowsIn, rowsOut: result.rowsOut, rowsQuarantined: result.rowsQuarantined, files: result.cleanKeys.length, removed: result.removedKeys.length, quarantineKey: result.quarantineKey });
      return result;
    } finally {
      await rm(workDir, { recursive: true, force: true });
      await dropTables({ database: job.database, dataset: job.contract.dataset, runId: job.runId }, catalog).catch((e) => logger.warn('could not drop the run\'s tables; the next run of this step drops them', { error: String(e) }));
    }
  };
}

export function createCleanup(deps: BigFileDeps): (input: RunInput) => Promise<{ dropped: string[] }> {
  const catalog = new GlueCatalog(deps.glue);
  return async (input) => {
    const { dataset } = objectOfEvent(deps.config, input.event);
    return { dropped: await dropTables({ database: deps.config.cleanDatabase, dataset, runId: input.runId }, catalog) };
  };
}

/** What the state machine sends: which step, and its input. */
export type StepInput = ({ readonly step: 'prepare' } & RunInput) | { readonly step: 'convert'; readonly job: PreparedJob } | ({ readonly step: 'cleanup' } & RunInput);

/** One function, three steps: the state machine names the step. */
export function createHandler(deps: BigFileDeps): (input: StepInput, context: Context) => Promise<unknown> {
  const steps = { prepare: createPrepare(deps), convert: createConvert(deps), cleanup: createCleanup(deps) };
  return async (input, context) => {
    observability(deps).logger.addContext(context);
    switch (input.step) {
      case 'prepare':
        return steps.prepare(input, context);
      case 'convert':
        return steps.convert(input.job, context);
      case 'cleanup':
        return steps.cleanup(input);
      default:
        throw new Error(`unknown step ${JSON.stringify((input as { step?: unknown }).step)}: expected prepare, convert or cleanup`);
    }
  };
}

let defaultHandler: ReturnType<typeof createHandler> | undefined;

/** The Lambda entry point: dependencies from the environment, built once per container. */
export const handler = (input: StepInput, context: Context): Promise<unknown> => {
  if (!defaultHandler) {
    const config = BIG_FILE_ENV.parse(process.env);
    defaultHandler = createHandler({
      config,
      s3: new S3Client(s3ClientConfigFromEnv(process.env)),
      glue: new GlueClient({}),
      athena: new AthenaClient({}),
      tokenKeys: tokenKeysOfSecret(config.tokenSecretArn),
    });
  }
  return defaultHandler(input, context);
};
