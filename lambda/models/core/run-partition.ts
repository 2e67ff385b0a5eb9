/**
 * One run of one model for one partition: stage → check → publish.
 *
 * 1. Stage: a CTAS writes the partition's rows (`SELECT <casts> FROM (<model>) WHERE p = DATE 'D'`)
 *    as Parquet/ZSTD into a temporary table `<model>__stg_<run>_a<n>` of the curated database.
 *    The pipelines workgroup enforces its result location, so Athena puts the files under
 *    `<query-results>/<workgroup>/tables/<query-id>/` (where CTAS must write in an enforced
 *    workgroup; the zone's lifecycle expires them). A CTAS that fails with a retryable error is
 *    run again under a new table name (a CTAS location must be empty).
 * 2. Check: row count and every assertion run on Athena against the staged table. A failure
 *    blocks publication: the published partition stays as it was, and the run is recorded as
 *    `blocked` with the failed assertions and a sample.
 * The runner lists curated (the partition's files, the run records) but never reads a curated
 * object.
 * 3. Publish: the staged files are copied to `curated/<domain>/<model>/<p>=<D>/part-NNNNN.parquet`
 *    (deterministic names, SSE-KMS), then the partition's surplus previous files are deleted, and
 *    the run record is written (state.ts).
 * Finally the staging tables are dropped (Glue DeleteTable), whatever happened.
 */
import { ModelSpec } from '../../shared/models/spec';
import { partitionPrefix, runRecordPrefix, STAGING_TABLE_MARKER } from '../../shared/models/layout';
import { quoteIdent, stagedSelectSql, thisRelation } from '../../shared/models/sql';
import { AssertionResult, CheckReport, describeFailures, runChecks } from '../../shared/models/checks';
import { AthenaQueryError } from '../../shared/aws/athena-queries';
import { MAX_SINGLE_COPY_BYTES, parseS3Url } from '../../shared/aws/s3-objects';
import type { Catalog, ObjectMover, QueryOptions, QueryRunner } from '../../shared/ports';
import { planPublish } from './publish';
import { RUN_RECORDS_KEPT, RunRecord, runMarkers, runRecordKey } from './state';

export interface RunLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export interface RunPorts {
  readonly athena: QueryRunner;
  readonly objects: ObjectMover;
  readonly catalog: Catalog;
  readonly now: () => number;
  readonly log?: RunLog;
}

export interface RunSettings {
  /** The curated Glue database (`<domain>_curated`). */
  readonly database: string;
  readonly curatedBucket: string;
  readonly runId: string;
  /** Epoch ms: queries still running then are stopped. */
  readonly deadline: number;
  readonly modelHash: string;
  /** CTAS runs when Athena reports a retryable failure. @default 3 */
  readonly ctasAttempts?: number;
  /** Staging tables older than this are swept (left behind by a crashed run). @default 1 hour */
  readonly staleStagingMs?: number;
}

export interface RunResult {
  readonly status: 'published' | 'blocked';
  readonly model: string;
  readonly partition: string;
  readonly runId: string;
  readonly rows: number;
  /** Files published (0 when blocked). */
  readonly files: number;
  /** Previous files deleted (0 when blocked). */
  readonly removed: number;
  /** Key of the run record written. */
  readonly record: string;
  readonly assertions: readonly AssertionResult[];
  readonly startedAt: string;
  readonly finishedAt: string;
  /** For a blocked run: which assertions failed, where they are declared, with a sample. */
  readonly failure?: string;
}

/** Glue table names are lower case; run ids are made to fit. */
export function stagingTableName(model: string, runId: string, attempt: number): string {
  return `${model}${STAGING_TABLE_MARKER}${runId}_a${attempt}`;
}

/** The CTAS that stages one partition (Parquet, ZSTD; location set by the enforced workgroup). */
export function ctasSql(spec: ModelSpec, date: string, database: string, table: string): string {
  return [`CREATE TABLE ${database}.${table}`, "WITH (format = 'PARQUET', write_compression = 'ZSTD')", 'AS', stagedSelectSql(spec, date)].join('\n');
}

export async function runPartition(spec: ModelSpec, date: string, ports: RunPorts, settings: RunSettings): Promise<RunResult> {
  const { athena, objects, catalog, log } = ports;
  const startedAt = new Date(ports.now()).toISOString();
  const opts = (label: string): QueryOptions => ({ label: `${spec.domain}/${spec.name} ${date} ${label}`, deadline: settings.deadline });
  const stagingTables: string[] = [];
  const queryIds: string[] = [];
  await sweepStaleStaging(spec, ports, settings);
  try {
    // 1. Stage.
    const attempts = settings.ctasAttempts ?? 3;
    let table = '';
    for (let attempt = 1; ; attempt++) {
      table = stagingTableName(spec.name, settings.runId, attempt);
      stagingTables.push(table);
      try {
        const outcome = await athena.execute(ctasSql(spec, date, settings.database, table), opts(`stage (attempt ${attempt})`));
        queryIds.push(outcome.queryExecutionId);
        log?.info('partition staged', { model: spec.name, partition: date, table, queryExecutionId: outcome.queryExecutionId, dataScannedBytes: outcome.dataScannedBytes });
        break;
      } catch (e) {
        if (!(e instanceof AthenaQueryError) || !e.retryable || attempt >= attempts) throw e;
        queryIds.push(e.queryExecutionId);
        log?.warn('staging failed with a retryable error; staging again under a new table', { model: spec.name, partition: date, table, error: e.message });
        await catalog.deleteTable(settings.database, table);
        await athena.backoff(attempt, opts('stage'), 'CTAS', e);
      }
    }
    const staged = await catalog.getTable(settings.database, table);
    if (!staged?.location) throw new Error(`staging table ${settings.database}.${table} has no location after its CTAS succeeded`);
    const stagedAt = parseS3Url(staged.location);

    // 2. Check.
    const self = thisRelation(spec, `${quoteIdent(settings.database)}.${quoteIdent(table)}`, date);
    const report = await runChecks(spec, self, (sql, label) => athena.query(sql, opts(label)));
    if (!report.ok) {
      const failure = describeFailures(spec, report);
      const key = await recordRun(spec, ports, settings, record('blocked', report, 0));
      log?.warn('publication blocked by failed assertions; the published partition is unchanged', { model: spec.name, partition: date, failure });
      return result('blocked', report, 0, 0, key, failure);
    }

    // 3. Publish.
    const target = partitionPrefix(spec, date);
    const stagedObjects = await objects.list(stagedAt.bucket, stagedAt.prefix);
    const existing = await objects.list(settings.curatedBucket, target);
    const plan = planPublish(stagedObjects, existing, target);
    if (report.rows > 0 && plan.copies.length === 0) {
      throw new Error(`staged ${report.rows} row(s) but found no data file under ${staged.location}; nothing was published`);
    }
    const tooBig = plan.copies.find((c) => c.size > MAX_SINGLE_COPY_BYTES);
    if (tooBig) throw new Error(`staged file ${tooBig.from} is ${tooBig.size} bytes, above S3's single-copy limit; nothing was published`);
    for (const copy of plan.copies) {
      await objects.copy({
        fromBucket: stagedAt.bucket,
        fromKey: copy.from,
        toBucket: settings.curatedBucket,
        toKey: copy.to,
        metadata: { 'lakehouse-model': spec.name, 'lakehouse-run-id': settings.runId },
      });
    }
    if (plan.deletes.length > 0) await objects.deleteKeys(settings.curatedBucket, plan.deletes);
    const key = await recordRun(spec, ports, settings, record('published', report, plan.copies.length));
    log?.info('partition published', { model: spec.name, partition: date, rows: report.rows, files: plan.copies.length, removed: plan.deletes.length });
    return result('published', report, plan.copies.length, plan.deletes.length, key);
  } finally {
    for (const t of stagingTables) {
      try {
        await catalog.deleteTable(settings.database, t);
      } catch (e) {
        log?.warn('could not drop a staging table; a later run sweeps it', { table: t, error: (e as Error).message });
      }
    }
  }

  function record(status: RunRecord['status'], report: CheckReport, files: number): RunRecord {
    return {
      version: 1,
      model: spec.name,
      partition: date,
      runId: settings.runId,
      status,
      startedAt,
      finishedAt: new Date(ports.now()).toISOString(),
      modelHash: settings.modelHash,
      rows: report.rows,
      files,
      assertions: report.assertions,
      queryExecutionIds: queryIds,
    };
  }

  function result(status: RunResult['status'], report: CheckReport, files: number, removed: number, key: string, failure?: string): RunResult {
    return {
      status,
      model: spec.name,
      partition: date,
      runId: settings.runId,
      rows: report.rows,
      files,
      removed,
      record: key,
      assertions: report.assertions,
      startedAt,
      finishedAt: new Date(ports.now()).toISOString(),
      ...(failure ? { failure } : {}),
    };
  }
}

/** Writes the run's record, then deletes all but the newest RUN_RECORDS_KEPT records of the partition. */
async function recordRun(spec: ModelSpec, ports: RunPorts, settings: RunSettings, run: RunRecord): Promise<string> {
  const key = runRecordKey(spec, run);
  await ports.objects.putJson(settings.curatedBucket, key, run);
  const existing = await ports.objects.list(settings.curatedBucket, runRecordPrefix(spec, run.partition));
  const stale = runMarkers(existing.map((o) => o.key)).slice(RUN_RECORDS_KEPT).map((m) => m.key);
  if (stale.length > 0) await ports.objects.deleteKeys(settings.curatedBucket, stale);
  return key;
}

async function sweepStaleStaging(spec: ModelSpec, ports: RunPorts, settings: RunSettings): Promise<void> {
  const maxAge = settings.staleStagingMs ?? 60 * 60 * 1000;
  try {
    const tables = await ports.catalog.listTables(settings.database, `${spec.name}${STAGING_TABLE_MARKER}`);
    for (const t of tables) {
      if (t.createTime && ports.now() - t.createTime.getTime() > maxAge) {
        await ports.catalog.deleteTable(settings.database, t.name);
        ports.log?.info('swept a stale staging table', { table: t.name, createdAt: t.createTime.toISOString() });
      }
    }
  } catch (e) {
    ports.log?.warn('could not sweep stale staging tables', { error: (e as Error).message });
  }
}
