import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { ModelRunFailures, parseMessage } from '../../../lambda/models/core/batch';
import { COVERAGE_SKEW_MS, isCovered, parseRunRecordKey, runMarkers } from '../../../lambda/models/core/state';
import { RunnerConfig, createHandler, modelHash, newRunId } from '../../../lambda/models/handler';
import { ModelSpec } from '../../../lambda/shared/models';
import {
  CLEAN_BUCKET,
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

const CONFIG: RunnerConfig = {
  domain: 'sales',
  database: DATABASE,
  curatedBucket: CURATED_BUCKET,
  cleanBucket: CLEAN_BUCKET,
  workgroup: WORKGROUP,
  kmsKeyArn: KMS_KEY_ARN,
  models: ['daily_revenue'],
  lookbackDays: 3,
};
const RUNS = (date: string) => `sales/_runs/daily_revenue/order_date=${date}/`;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as any;
const noMetrics = { addMetric: () => undefined, publishStoredMetrics: () => undefined } as any;

function setup(answer: (sql: string, i: number) => QueryAnswer = passingChecks(2), remainingMs = 300_000) {
  const clock = new FakeClock();
  const spec = salesSpec();
  const s3 = fakeS3(clock);
  const glue = fakeGlue([spec], clock);
  const athena = fakeAthena(answer, {
    onCtasSucceeded: (table, location) => {
      glue.createStaging(table, location);
      s3.put(RESULTS_BUCKET, `${location.replace(`s3://${RESULTS_BUCKET}/`, '')}data-1`, 'parquet');
    },
  });
  let runs = 0;
  const handler = createHandler({
    config: CONFIG,
    athena: new AthenaClient({}),
    s3: new S3Client({}),
    glue: new GlueClient({}),
    clock,
    runId: () => `r${++runs}`,
    logger: silent,
    metrics: noMetrics,
  });
  const invoke = (...bodies: unknown[]) =>
    handler({ Records: bodies.map((b, i) => ({ messageId: `m${i + 1}`, body: typeof b === 'string' ? b : JSON.stringify(b) })) } as SQSEvent, { getRemainingTimeInMillis: () => remainingMs });
  const ctas = () => athena.started.filter((q) => q.sql.startsWith('CREATE TABLE')).map((q) => q.sql.match(/order_date" = DATE '([\d-]+)'/)![1]);
  return { clock, spec, s3, glue, athena, invoke, ctas };
}

const created = (key: string, time: string) => ({ kind: 'object-created', model: 'daily_revenue', bucket: CLEAN_BUCKET, key, time });
const KEY = 'sales/orders/ordered_at_date=2024-05-01/part-0.parquet';

describe('curated model runner handler', () => {
  test('an input partition landing in clean runs that partition of the model and publishes it', async () => {
    const t = setup();
    const response = await t.invoke(created(KEY, '2024-05-02T05:59:00Z'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(t.ctas()).toEqual(['2024-05-01']);
    expect(t.s3.keys(CURATED_BUCKET, 'sales/daily_revenue/')).toEqual(['sales/daily_revenue/order_date=2024-05-01/part-00000.parquet']);
    expect(t.s3.keys(CURATED_BUCKET, RUNS('2024-05-01'))).toEqual([`${RUNS('2024-05-01')}20240502T060000000Z_published_${modelHash(t.spec)}_r1.json`]);
    expect(t.s3.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('several arrivals for one partition in a batch cause one run; a redelivery after it is skipped', async () => {
    const t = setup();
    await t.invoke(created(KEY, '2024-05-02T05:58:00Z'), created(KEY.replace('part-0', 'part-1'), '2024-05-02T05:59:00Z'));
    expect(t.ctas()).toEqual(['2024-05-01']);
    t.clock.t += 60_000;
    await t.invoke(created(KEY, '2024-05-02T05:58:00Z'));
    expect(t.ctas()).toEqual(['2024-05-01']);
  });

  test('data that landed after the last run started, or a changed model, runs again', async () => {
    const t = setup();
    await t.invoke(created(KEY, '2024-05-02T05:59:00Z'));
    t.clock.t += 600_000;
    await t.invoke(created(KEY, new Date(t.clock.t - 60_000).toISOString()));
    expect(t.ctas()).toEqual(['2024-05-01', '2024-05-01']);
    // A deployed change of the model: its spec hash differs from the last run's.
    const [latest] = runMarkers(t.s3.keys(CURATED_BUCKET, RUNS('2024-05-01')));
    const changed: ModelSpec = { ...t.spec, minRows: 2 };
    expect(isCovered(latest, modelHash(changed), 0)).toBe(false);
    expect(isCovered(latest, modelHash(t.spec), 0)).toBe(true);
  });

  test('a schedule message runs the lookback partitions whose inputs changed since their last run, and skips the others', async () => {
    const t = setup();
    const at = (iso: string) => new Date(iso);
    t.s3.put(CLEAN_BUCKET, 'sales/orders/ordered_at_date=2024-04-29/part-0.parquet', 'x', at('2024-05-01T01:00:00Z')); // before the window; 04-30 has no data
    t.s3.put(CLEAN_BUCKET, 'sales/orders/ordered_at_date=2024-05-01/part-0.parquet', 'x', at('2024-05-01T23:00:00Z'));
    t.s3.put(CLEAN_BUCKET, 'sales/orders/ordered_at_date=2024-05-02/part-0.parquet', 'x', at('2024-05-02T05:00:00Z'));
    // 2024-05-01 was already run after its data landed.
    t.s3.put(CURATED_BUCKET, `${RUNS('2024-05-01')}20240502T000000000Z_published_${modelHash(t.spec)}_r0.json`, '{}');
    await t.invoke({ kind: 'schedule', model: 'daily_revenue', time: '2024-05-02T06:00:00Z' });
    expect(t.ctas()).toEqual(['2024-05-02']);
    const listed = t.s3.mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input).filter((i) => i.Bucket === CLEAN_BUCKET).map((i) => i.Prefix);
    expect(listed).toEqual(['sales/orders/ordered_at_date=2024-04-30/', 'sales/orders/ordered_at_date=2024-05-01/', 'sales/orders/ordered_at_date=2024-05-02/']);
  });

  test('an operator backfill message always runs the partitions it names', async () => {
    const t = setup();
    await t.invoke({ kind: 'run', model: 'daily_revenue', partitions: ['2024-04-01', '2024-04-02', '2024-04-01'] });
    expect(t.ctas()).toEqual(['2024-04-01', '2024-04-02']);
  });

  test('fails the invocation when assertions block a publication, naming the assertion and a sample; the old partition stays', async () => {
    const t = setup((sql) => (sql.includes('HAVING COUNT(*) > 1') ? { rows: [{ lakehouse_failing_rows: '1', order_date: '2024-05-01', currency: 'EUR', duplicate_rows: '2' }] } : passingChecks(2)(sql)));
    t.s3.put(CURATED_BUCKET, 'sales/daily_revenue/order_date=2024-05-01/part-00000.parquet', 'published before');
    const error = await t.invoke(created(KEY, '2024-05-02T05:59:00Z')).then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(ModelRunFailures);
    expect(error.message).toMatch(/daily_revenue 2024-05-01: publication blocked: unique\(order_date, currency\) \(lib\/domains\/sales\/daily_revenue.sql:16\) failed on 1 row\(s\), e\.g\. \[\{"order_date":"2024-05-01","currency":"EUR","duplicate_rows":"2"\}\]/);
    expect(t.s3.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(t.s3.get(CURATED_BUCKET, 'sales/daily_revenue/order_date=2024-05-01/part-00000.parquet')!.body).toBe('published before');
    // The redelivery of the same message is covered by the blocked run: no second Athena run for the same data.
    t.clock.t += 60_000;
    await expect(t.invoke(created(KEY, '2024-05-02T05:59:00Z'))).resolves.toEqual({ batchItemFailures: [] });
    expect(t.ctas()).toHaveLength(1);
  });

  test('fails the invocation when Athena fails; the other messages of the batch still run', async () => {
    const t = setup((sql, i) => (i === 0 ? { error: { message: 'HIVE_CANNOT_OPEN_SPLIT: boom' } } : passingChecks(1)(sql)));
    const error = await t.invoke(created(KEY, '2024-05-02T05:59:00Z'), { kind: 'run', model: 'daily_revenue', partitions: ['2024-04-01'] }).then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(ModelRunFailures);
    expect(error.failures).toEqual([{ messageId: 'm1', model: 'daily_revenue', error: expect.stringMatching(/AthenaQueryError: .*HIVE_CANNOT_OPEN_SPLIT: boom/) }]);
    // The model's later message waits (its group keeps its order): only the failed run was attempted.
    expect(t.ctas()).toEqual(['2024-05-01']);
  });

  test('defers the batch (batch item failures, no error) when too little time is left for a run', async () => {
    const t = setup(passingChecks(), 30_000);
    await expect(t.invoke(created(KEY, '2024-05-02T05:59:00Z'), { kind: 'schedule', model: 'daily_revenue' })).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }],
    });
    expect(t.athena.mock.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  test('ignores keys that are no input partition file; fails on malformed messages and unknown models', async () => {
    const t = setup();
    await expect(t.invoke(created('sales/orders/_SUCCESS', '2024-05-02T05:59:00Z'))).resolves.toEqual({ batchItemFailures: [] });
    expect(t.athena.started).toHaveLength(0);
    await expect(t.invoke('not json')).rejects.toThrow(/message body is not JSON/);
    await expect(t.invoke({ kind: 'object-created', model: 'weekly', key: KEY, time: '2024-05-02T05:59:00Z' })).rejects.toThrow(/weekly: unknown model \(this function runs daily_revenue\)/);
  });

  test('fails if the model table carries no model (the domain stack was not deployed)', async () => {
    const t = setup();
    t.glue.tables.get('daily_revenue')!.parameters = {};
    await expect(t.invoke(created(KEY, '2024-05-02T05:59:00Z'))).rejects.toThrow(/sales_curated\.daily_revenue has no lakehouse\.model parameter/);
  });
});

describe('messages, coverage and run ids', () => {
  test('parses the three message kinds and rejects anything else', () => {
    expect(parseMessage(JSON.stringify(created(KEY, '2024-05-02T05:59:00Z')))).toEqual({ kind: 'object-created', model: 'daily_revenue', bucket: CLEAN_BUCKET, key: KEY, time: '2024-05-02T05:59:00Z' });
    expect(parseMessage('{"kind":"schedule","model":"m"}')).toEqual({ kind: 'schedule', model: 'm', time: undefined });
    expect(() => parseMessage('{"kind":"run","model":"m","partitions":["May 1"]}')).toThrow(/yyyy-mm-dd/);
    expect(() => parseMessage('{"kind":"object-created","model":"m","key":"k"}')).toThrow(/needs key and time/);
    expect(() => parseMessage('{"kind":"drop","model":"m"}')).toThrow(/unknown message kind "drop"/);
    expect(() => parseMessage('{"kind":"schedule"}')).toThrow(/no model/);
  });

  test('a run covers data that changed at least the skew margin before it started', () => {
    const marker = parseRunRecordKey('sales/_runs/m/d=2024-05-01/20240502T060010000Z_blocked_ab12_r7.json')!;
    expect(marker).toMatchObject({ status: 'blocked', modelHash: 'ab12', runId: 'r7', startedAt: Date.parse('2024-05-02T06:00:10Z') });
    const started = marker.startedAt;
    expect(isCovered(marker, 'ab12', started - COVERAGE_SKEW_MS)).toBe(true);
    expect(isCovered(marker, 'ab12', started - COVERAGE_SKEW_MS + 1)).toBe(false);
    expect(isCovered(marker, 'other', 0)).toBe(false);
    expect(isCovered(undefined, 'ab12', 0)).toBe(false);
    expect(parseRunRecordKey('sales/_runs/m/d=2024-05-01/notes.txt')).toBeUndefined();
    expect(runMarkers(['p/20240501T000000000Z_published_aa_r1.json', 'p/x', 'p/20240502T000000000Z_blocked_aa_r2.json']).map((m) => m.runId)).toEqual(['r2', 'r1']);
  });

  test('run ids are valid Glue name parts', () => {
    expect(newRunId(Date.parse('2024-05-02T06:07:08Z'))).toMatch(/^r20240502060708_[0-9a-f]{6}$/);
  });
});
