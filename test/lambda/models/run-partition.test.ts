import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GlueClient, DeleteTableCommand } from '@aws-sdk/client-glue';
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AthenaQueries, AthenaQueryError, QueryTimeoutError } from '../../../lambda/shared/aws/athena-queries';
import { runPartition, RunSettings } from '../../../lambda/models/core/run-partition';
import { GlueCatalog } from '../../../lambda/shared/aws/glue-catalog';
import { S3Objects } from '../../../lambda/shared/aws/s3-objects';
import { ModelSpec } from '../../../lambda/shared/models';
import {
  CURATED_BUCKET,
  DATABASE,
  FakeClock,
  KMS_KEY_ARN,
  QueryAnswer,
  RESULTS_BUCKET,
  WORKGROUP,
  fakeAthena,
  fakeGlue,
  fakeS3,
  passingChecks,
  salesSpec,
} from './aws-fakes';

const PARTITION = 'sales/daily_revenue/order_date=2024-05-01/';
const RUNS = 'sales/_runs/daily_revenue/order_date=2024-05-01/';

/** Builds the ports over mocked clients; staged files appear where the CTAS "wrote" them. */
function setup(answer: (sql: string, i: number) => QueryAnswer, opts: { stagedFiles?: string[]; deadlineMs?: number; startFailures?: Error[] } = {}) {
  const clock = new FakeClock();
  const spec = salesSpec();
  const s3 = fakeS3(clock);
  const glue = fakeGlue([spec], clock);
  const athena = fakeAthena(answer, {
    startFailures: opts.startFailures,
    onCtasSucceeded: (table, location) => {
      glue.createStaging(table, location);
      const prefix = location.replace(`s3://${RESULTS_BUCKET}/`, '');
      for (const f of opts.stagedFiles ?? ['20240502_060000_00001_abcde_1', '20240502_060000_00001_abcde_2']) s3.put(RESULTS_BUCKET, `${prefix}${f}`, `parquet:${f}`);
    },
  });
  const queries = new AthenaQueries(new AthenaClient({}), WORKGROUP, { clock });
  const ports = { athena: queries, objects: new S3Objects(new S3Client({}), KMS_KEY_ARN), catalog: new GlueCatalog(new GlueClient({})), now: clock.now };
  const settings: RunSettings = { database: DATABASE, curatedBucket: CURATED_BUCKET, runId: 'r1', deadline: clock.now() + (opts.deadlineMs ?? 240_000), modelHash: 'h1' };
  return { clock, spec, s3, glue, athena, ports, settings, run: (s: ModelSpec = spec) => runPartition(s, '2024-05-01', ports, settings) };
}

describe('runPartition: stage → check → publish on Athena', () => {
  test('stages with a CTAS in the pipelines workgroup, checks the staged table, then swaps the partition in with deterministic names', async () => {
    const t = setup(passingChecks(2));
    // The previous run published three files.
    for (const f of ['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']) t.s3.put(CURATED_BUCKET, `${PARTITION}${f}`, 'old');

    const result = await t.run();

    expect(result).toMatchObject({ status: 'published', model: 'daily_revenue', partition: '2024-05-01', runId: 'r1', rows: 2, files: 2, removed: 1 });
    const [ctas, count, ...checks] = t.athena.started;
    expect(t.athena.started.every((q) => q.workgroup === WORKGROUP)).toBe(true);
    expect(ctas.sql.split('\n').slice(0, 3)).toEqual(['CREATE TABLE sales_curated.daily_revenue__stg_r1_a1', "WITH (format = 'PARQUET', write_compression = 'ZSTD')", 'AS']);
    expect(ctas.sql).toContain(`WHERE "model"."order_date" = DATE '2024-05-01'`);
    expect(count.sql).toContain(`FROM (SELECT *, DATE '2024-05-01' AS "order_date" FROM "sales_curated"."daily_revenue__stg_r1_a1") AS t`);
    expect(checks).toHaveLength(5);
    // Published: the two staged files under deterministic names; the surplus old file deleted.
    expect(t.s3.keys(CURATED_BUCKET, PARTITION)).toEqual([`${PARTITION}part-00000.parquet`, `${PARTITION}part-00001.parquet`]);
    expect(t.s3.get(CURATED_BUCKET, `${PARTITION}part-00000.parquet`)).toMatchObject({
      body: 'parquet:20240502_060000_00001_abcde_1',
      sse: 'aws:kms',
      kmsKey: KMS_KEY_ARN,
      metadata: { 'lakehouse-model': 'daily_revenue', 'lakehouse-run-id': 'r1' },
    });
    expect(t.s3.mock.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({ CopySource: `${RESULTS_BUCKET}/${WORKGROUP}/tables/q1/20240502_060000_00001_abcde_1` });
    expect(t.s3.mock.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete!.Objects).toEqual([{ Key: `${PARTITION}part-00002.parquet` }]);
    // Copies come before the delete: readers never see the partition empty.
    const order = t.s3.mock.calls().map((c) => c.args[0].constructor.name).filter((n) => n === 'CopyObjectCommand' || n === 'DeleteObjectsCommand');
    expect(order).toEqual(['CopyObjectCommand', 'CopyObjectCommand', 'DeleteObjectsCommand']);
    // The run record (its key says when, what and which model), and the staging table is gone.
    expect(result.record).toBe(`${RUNS}20240502T060000000Z_published_h1_r1.json`);
    expect(t.s3.keys(CURATED_BUCKET, RUNS)).toEqual([result.record]);
    expect(t.s3.json(CURATED_BUCKET, result.record)).toMatchObject({ version: 1, model: 'daily_revenue', partition: '2024-05-01', status: 'published', runId: 'r1', rows: 2, files: 2, modelHash: 'h1', queryExecutionIds: ['q1'] });
    expect(t.s3.get(CURATED_BUCKET, result.record)).toMatchObject({ sse: 'aws:kms', kmsKey: KMS_KEY_ARN });
    expect(t.glue.tables.has('daily_revenue__stg_r1_a1')).toBe(false);
    // It never reads a curated object (the role may list and write curated, not read it).
    expect(t.s3.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('a rerun of the same partition replaces it: same keys, nothing added', async () => {
    const first = setup(passingChecks(2));
    await first.run();
    const keys = first.s3.keys(CURATED_BUCKET, PARTITION);
    await runPartition(first.spec, '2024-05-01', first.ports, { ...first.settings, runId: 'r2' });
    expect(first.s3.keys(CURATED_BUCKET, PARTITION)).toEqual(keys);
    expect(first.s3.get(CURATED_BUCKET, `${PARTITION}part-00000.parquet`)!.metadata).toMatchObject({ 'lakehouse-run-id': 'r2' });
  });

  test('a failed assertion blocks publication: the previous partition stays and the failure names the assertion with a sample', async () => {
    const t = setup((sql) =>
      sql.includes('NOT IN (') ? { rows: [{ lakehouse_failing_rows: '1', currency: 'JPY', rejected_rows: '4' }] } : passingChecks(3)(sql),
    );
    t.s3.put(CURATED_BUCKET, `${PARTITION}part-00000.parquet`, 'previously published');
    t.s3.put(CURATED_BUCKET, `${RUNS}20240501T060000000Z_published_h1_r0.json`, '{}');

    const result = await t.run();

    expect(result.status).toBe('blocked');
    expect(result.failure).toBe('accepted_values(currency) (lib/domains/sales/daily_revenue.sql:17) failed on 1 row(s), e.g. [{"currency":"JPY","rejected_rows":"4"}]');
    expect(t.s3.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(t.s3.mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    expect(t.s3.keys(CURATED_BUCKET, PARTITION)).toEqual([`${PARTITION}part-00000.parquet`]);
    expect(t.s3.get(CURATED_BUCKET, `${PARTITION}part-00000.parquet`)!.body).toBe('previously published');
    expect(t.s3.keys(CURATED_BUCKET, RUNS)).toEqual([`${RUNS}20240501T060000000Z_published_h1_r0.json`, `${RUNS}20240502T060000000Z_blocked_h1_r1.json`]);
    expect(t.s3.json(CURATED_BUCKET, result.record)).toMatchObject({ status: 'blocked', runId: 'r1', rows: 3, files: 0 });
    expect(t.s3.json(CURATED_BUCKET, result.record).assertions.filter((a: any) => !a.ok)).toEqual([
      { name: 'accepted_values(currency)', kind: 'accepted_values', line: 17, ok: false, failingRows: 1, sample: [{ currency: 'JPY', rejected_rows: '4' }] },
    ]);
    expect(t.glue.tables.has('daily_revenue__stg_r1_a1')).toBe(false);
  });

  test('polls a running query with growing delays until it succeeds', async () => {
    const t = setup((sql, i) => (i === 0 ? { states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'] } : passingChecks(1)(sql)));
    await t.run();
    expect(t.clock.sleeps).toEqual([500, 750, 1125]);
    expect(t.athena.mock.commandCalls(GetQueryExecutionCommand).filter((c) => c.args[0].input.QueryExecutionId === 'q1')).toHaveLength(4);
  });

  test('a failed query fails the run with Athena\'s reason; nothing is published and no state is written', async () => {
    const t = setup((sql, i) => (i === 0 ? { error: { message: "COLUMN_NOT_FOUND: line 3:10: Column 'currency' cannot be resolved" } } : passingChecks()(sql)));
    t.s3.put(CURATED_BUCKET, `${PARTITION}part-00000.parquet`, 'previously published');
    const error = await t.run().then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(AthenaQueryError);
    expect(error.message).toMatch(/daily_revenue 2024-05-01 stage \(attempt 1\)" \(q1\) FAILED: COLUMN_NOT_FOUND/);
    expect(t.athena.started).toHaveLength(1);
    expect(t.s3.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(t.s3.keys(CURATED_BUCKET, RUNS)).toEqual([]);
    expect(t.s3.get(CURATED_BUCKET, `${PARTITION}part-00000.parquet`)!.body).toBe('previously published');
    expect(t.glue.mock.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.Name)).toContain('daily_revenue__stg_r1_a1');
  });

  test('a CTAS failure Athena marks retryable is staged again under a new table after a backoff', async () => {
    const t = setup((sql, i) => (i === 0 ? { error: { message: 'Query exhausted resources at this scale factor', retryable: true, category: 1 } } : passingChecks()(sql)));
    const result = await t.run();
    expect(result.status).toBe('published');
    const ctas = t.athena.started.filter((q) => q.sql.startsWith('CREATE TABLE'));
    expect(ctas.map((q) => q.sql.split('\n')[0])).toEqual(['CREATE TABLE sales_curated.daily_revenue__stg_r1_a1', 'CREATE TABLE sales_curated.daily_revenue__stg_r1_a2']);
    expect(t.clock.sleeps).toEqual([500]);
    expect(t.s3.keys(CURATED_BUCKET, PARTITION)).toHaveLength(2);
    expect([...t.glue.tables.keys()].filter((n) => n.includes('__stg_'))).toEqual([]);
  });

  test('throttled starts are retried with exponential backoff and the same client request token (no duplicate query)', async () => {
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } });
    const t = setup(passingChecks(), { startFailures: [throttle, throttle] });
    const result = await t.run();
    expect(result.status).toBe('published');
    const calls = t.athena.mock.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(calls).toHaveLength(t.athena.started.length + 2);
    // The two throttled calls and the accepted one carry the same token: a start that did reach Athena is not run twice.
    expect(new Set(calls.slice(0, 3)).size).toBe(1);
    expect(new Set(t.athena.started.map((q) => q.token)).size).toBe(t.athena.started.length);
    expect(t.clock.sleeps).toEqual([500, 1000]);
  });

  test('a query still running at the deadline is stopped and the run fails with a timeout; nothing is published', async () => {
    const t = setup(() => ({ states: ['RUNNING'] }), { deadlineMs: 3_000 });
    await expect(t.run()).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(t.athena.mock.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input.QueryExecutionId)).toEqual(['q1']);
    expect(t.clock.sleeps).toEqual([500, 750, 1125]);
    expect(t.s3.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  test('transient errors that do not go away fail the run after the retry budget', async () => {
    const t = setup(passingChecks());
    t.athena.mock.on(GetQueryExecutionCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }));
    await expect(t.run()).rejects.toThrow(/internal/);
    expect(t.athena.mock.commandCalls(GetQueryExecutionCommand)).toHaveLength(6);
    expect(t.clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('fails if S3 reports keys it could not delete', async () => {
    const t = setup(passingChecks());
    t.s3.put(CURATED_BUCKET, `${PARTITION}part-00007.parquet`, 'old');
    t.s3.mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: `${PARTITION}part-00007.parquet`, Code: 'AccessDenied' }] });
    await expect(t.run()).rejects.toThrow(/DeleteObjects failed for 1 of 1 key\(s\) in curated: .*part-00007.parquet: AccessDenied/);
  });

  test('fails if the CTAS staged rows but no data file is found (nothing is published)', async () => {
    const t = setup(passingChecks(5), { stagedFiles: [] });
    t.s3.put(CURATED_BUCKET, `${PARTITION}part-00000.parquet`, 'previously published');
    await expect(t.run()).rejects.toThrow(/staged 5 row\(s\) but found no data file/);
    expect(t.s3.get(CURATED_BUCKET, `${PARTITION}part-00000.parquet`)!.body).toBe('previously published');
  });

  test('keeps the newest 10 run records of a partition', async () => {
    const t = setup(passingChecks());
    for (let day = 1; day <= 12; day++) t.s3.put(CURATED_BUCKET, `${RUNS}202404${String(day).padStart(2, '0')}T000000000Z_published_h0_r${day}.json`, '{}');
    t.s3.put(CURATED_BUCKET, `${RUNS}notes.txt`, 'not a record');
    await t.run();
    const kept = t.s3.keys(CURATED_BUCKET, RUNS);
    expect(kept).toHaveLength(11);
    expect(kept).toContain(`${RUNS}notes.txt`);
    expect(kept).toContain(`${RUNS}20240502T060000000Z_published_h1_r1.json`);
    expect(kept).not.toContain(`${RUNS}20240403T000000000Z_published_h0_r3.json`);
    expect(kept).toContain(`${RUNS}20240404T000000000Z_published_h0_r4.json`);
  });

  test('sweeps staging tables a crashed run left behind', async () => {
    const t = setup(passingChecks());
    t.glue.tables.set('daily_revenue__stg_rold_a1', { parameters: {}, createTime: new Date(t.clock.now() - 2 * 3600_000) });
    t.glue.tables.set('daily_revenue__stg_rnew_a1', { parameters: {}, createTime: new Date(t.clock.now() - 60_000) });
    await t.run();
    expect(t.glue.tables.has('daily_revenue__stg_rold_a1')).toBe(false);
    expect(t.glue.tables.has('daily_revenue__stg_rnew_a1')).toBe(true);
  });
});
