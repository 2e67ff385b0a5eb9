import 'aws-sdk-client-mock-jest';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CreateTableCommand, DeleteTableCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, type BigFileConfig, type BigFileDeps } from '../../../lambda/bigfile/handler';
import type { PreparedJob } from '../../../lambda/bigfile/core/convert';
import { bigFileTables } from '../../../lambda/shared/contracts/big-file-tables';
import { CONTRACT_PARAMETER } from '../../../lambda/shared/dataset';
import { METRICS_NAMESPACE } from '../../../lambda/shared/metrics';
import { sourceId } from '../../../lambda/shared/pipeline/keys';
import { CUSTOMERS, CUSTOMERS_HEADER, HEADER, ORDERS, scratch } from '../transform/helpers';
import { TokenKey } from '../../../lambda/shared/pipeline/tokens';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
const athena = mockClient(AthenaClient);
beforeEach(() => {
  s3.reset();
  glue.reset();
  athena.reset();
});

const CONFIG: BigFileConfig = {
  domain: 'sales',
  datasets: ['orders', 'refunds'],
  cleanDatabase: 'sales_clean',
  cleanBucket: 'clean-bucket',
  quarantineBucket: 'quarantine-bucket',
  stagingBucket: 'results-bucket',
  stagingPrefix: 'pipelines/bigfile/',
  workgroup: 'lakehouse-dev-pipelines',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
};
const CONTEXT = { functionName: 'big', awsRequestId: 'req-1', invokedFunctionArn: 'arn', getRemainingTimeInMillis: () => 600_000 } as unknown as Context;
const event = (key: string) => ({
  version: '0',
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'raw-bucket' }, object: { key, size: 4_000_000_000, etag: 'e1', 'version-id': 'v9' } },
});
const FILE = [HEADER, '1,2,12.50,2024-03-15T10:00:00Z,placed,false,', '2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,', '3,1,3.00,2024-03-16T10:00:00Z,shipped,true,'].join('\n') + '\n';

function setup() {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'big-file-route' });
  const published: Record<string, unknown>[] = [];
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    published.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    metrics.clearMetrics();
    return metrics;
  });
  const deps: BigFileDeps = {
    config: CONFIG,
    s3: new S3Client({}),
    glue: new GlueClient({}),
    athena: new AthenaClient({}),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics,
    workDir: dir,
  };
  return { published, deps, handler: createHandler(deps) };
}

describe('prepare', () => {
  test('streams the object version into gzip JSON parts and creates the staging table over them', async () => {
    const { handler } = setup();
    glue.on(GetTableCommand).resolves({ Table: { Name: 'orders', DatabaseName: 'sales_clean', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(ORDERS) } } });
    glue.on(DeleteTableCommand).rejects(Object.assign(new Error('gone'), { name: 'EntityNotFoundException' }));
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([gzipSync(FILE)])), ContentLength: gzipSync(FILE).length });
    s3.on(PutObjectCommand).resolves({});
    const job = (await handler({ step: 'prepare', event: event('sales/orders/2024/big.csv.gz'), runId: 'Run-42' }, CONTEXT)) as PreparedJob;

    const source = { bucket: 'raw-bucket', key: 'sales/orders/2024/big.csv.gz', versionId: 'v9', eTag: 'e1' };
    expect(job).toEqual({ contract: ORDERS, source, sourceId: sourceId(source), runId: 'Run-42', database: 'sales_clean', rowsIn: 3, bytesIn: 4_000_000_000, driftColumns: 0 });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'raw-bucket', Key: 'sales/orders/2024/big.csv.gz', VersionId: 'v9' });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ServerSideEncryption, p.SSEKMSKeyId])).toEqual([
      ['results-bucket', 'pipelines/bigfile/sales/orders/run_42/req_1/part-00000.json.gz', 'aws:kms', CONFIG.kmsKeyArn],
    ]);
    const records = gunzipSync(puts[0].Body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toEqual([
      { l: 2, o: '1,2,12.50,2024-03-15T10:00:00Z,placed,false,', c0: '1', c1: '2', c2: '12.50', c3: '2024-03-15T10:00:00Z', c4: 'placed', c5: 'false' },
      { l: 3, o: '2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,', c0: '2', c1: '2.5', c2: '1.00', c3: '2024-03-15T10:00:00Z', c4: 'placed', c5: 'false' },
      { l: 4, o: '3,1,3.00,2024-03-16T10:00:00Z,shipped,true,', c0: '3', c1: '1', c2: '3.00', c3: '2024-03-16T10:00:00Z', c4: 'shipped', c5: 'true' },
    ]);
    const t = bigFileTables('orders', 'Run-42');
    expect(glue).toHaveReceivedCommandWith(CreateTableCommand, {
      DatabaseName: 'sales_clean',
      TableInput: expect.objectContaining({
        Name: t.input,
        StorageDescriptor: expect.objectContaining({ Location: 's3://results-bucket/pipelines/bigfile/sales/orders/run_42/req_1/', SerdeInfo: expect.objectContaining({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }) }),
      }),
    });
  });

  test('a retried prepare step stages under its own prefix: no part of an earlier attempt lies under its table', async () => {
    const { handler } = setup();
    glue.on(GetTableCommand).resolves({ Table: { Name: 'orders', DatabaseName: 'sales_clean', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(ORDERS) } } });
    glue.on(DeleteTableCommand).resolves({});
    s3.on(GetObjectCommand).callsFake(() => ({ Body: sdkStreamMixin(Readable.from([gzipSync(FILE)])), ContentLength: gzipSync(FILE).length }));
    s3.on(PutObjectCommand).resolves({});
    for (const awsRequestId of ['req-1', 'req-2']) await handler({ step: 'prepare', event: event('sales/orders/2024/big.csv.gz'), runId: 'Run-42' }, { ...CONTEXT, awsRequestId });
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'pipelines/bigfile/sales/orders/run_42/req_1/part-00000.json.gz',
      'pipelines/bigfile/sales/orders/run_42/req_2/part-00000.json.gz',
    ]);
    const locations = glue.commandCalls(CreateTableCommand).map((c) => c.args[0].input.TableInput?.StorageDescriptor?.Location);
    expect(locations).toEqual(['s3://results-bucket/pipelines/bigfile/sales/orders/run_42/req_1/', 's3://results-bucket/pipelines/bigfile/sales/orders/run_42/req_2/']);
  });

  test('tokenizes pii columns with the key of the secret, and logs neither values nor the key', async () => {
    const keyText = 'big-file-route-test-key-never-logged-0123456789';
    const logger = new Logger({ serviceName: 'big-file-route', logLevel: 'DEBUG' });
    const handler = createHandler({ ...setup().deps, logger, tokenKeys: { get: async () => ({ generation: 7, key: TokenKey.fromText(keyText) }) } });
    const customers = { ...CUSTOMERS, dataset: 'orders' };
    glue.on(GetTableCommand).resolves({ Table: { Name: 'orders', DatabaseName: 'sales_clean', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(customers) } } });
    glue.on(DeleteTableCommand).resolves({});
    const file = `${CUSTOMERS_HEADER}\n1,alice@planted.example,0042,DE,+49 30 555,2024-03-01\n2,,x,IT,,2024-03-01\n`;
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(file)])) });
    s3.on(PutObjectCommand).resolves({});
    const written: string[] = [];
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    try {
      await handler({ step: 'prepare', event: event('sales/orders/big.csv'), runId: 'r1' }, CONTEXT);
    } finally {
      out.mockRestore();
    }
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const records = gunzipSync(put.Body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    const key = TokenKey.fromText(keyText);
    // t1: email, t2: loyalty_no (as its digits), t3: country; the bad row's tokens are made too (Athena quarantines it).
    expect(records[0]).toMatchObject({ t1: key.token('alice@planted.example'), t2: key.token('42'), t3: key.token('DE') });
    expect(records[1]).toMatchObject({ t3: key.token('IT') });
    expect(records[1]).not.toHaveProperty('t1');
    expect(glue).toHaveReceivedCommandWith(CreateTableCommand, {
      TableInput: expect.objectContaining({ StorageDescriptor: expect.objectContaining({ Columns: expect.arrayContaining([{ Name: 't1', Type: 'string' }]) }) }),
    });
    const logs = written.join('');
    expect(logs).toContain('"tokenKeyGeneration":7');
    for (const value of ['alice@planted.example', '+49 30 555', keyText]) expect(logs).not.toContain(value);
  });

  test('fails if the contract tokenizes a column and the function has no key', async () => {
    const { handler } = setup();
    glue.on(GetTableCommand).resolves({ Table: { Name: 'orders', DatabaseName: 'sales_clean', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify({ ...CUSTOMERS, dataset: 'orders' }) } } });
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(`${CUSTOMERS_HEADER}\n`)])) });
    await expect(handler({ step: 'prepare', event: event('sales/orders/big.csv'), runId: 'r1' }, CONTEXT)).rejects.toThrow(/tokenizes email, loyalty_no, country \(pii\) but no PII token key was given/);
  });

  test('fails if the object is not under one of the domain\'s datasets', async () => {
    const { handler } = setup();
    await expect(handler({ step: 'prepare', event: event('web/clicks/a.csv'), runId: 'r' }, CONTEXT)).rejects.toThrow(/not under one of sales's datasets \(orders, refunds\)/);
    await expect(handler({ step: 'prepare', event: event('sales/payments/a.csv'), runId: 'r' }, CONTEXT)).rejects.toThrow(/Fix: route only this domain's raw prefixes/);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  test('fails if the step is unknown', async () => {
    const { handler } = setup();
    await expect(handler({ step: 'publish' } as never, CONTEXT)).rejects.toThrow('unknown step "publish": expected prepare, convert or cleanup');
  });
});

describe('convert', () => {
  test('runs the CTAS, count and quarantine queries in the workgroup, publishes, drops the tables and publishes the metrics', async () => {
    const { handler, published } = setup();
    const source = { bucket: 'raw-bucket', key: 'sales/orders/big.csv', versionId: 'v9' };
    const id = sourceId(source);
    const job: PreparedJob = { contract: ORDERS, source, sourceId: id, runId: 'run-1', database: 'sales_clean', rowsIn: 3, bytesIn: 4_000_000_000, driftColumns: 1 };
    const t = bigFileTables('orders', 'run-1');
    athena.on(StartQueryExecutionCommand).callsFake((input) => ({ QueryExecutionId: input.QueryString.startsWith('CREATE TABLE') ? 'q1' : input.QueryString.includes('count(*)') ? 'q2' : 'q3' }));
    athena.on(GetQueryExecutionCommand).callsFake((input) => ({
      QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: 'SUCCEEDED' }, ResultConfiguration: { OutputLocation: `s3://results-bucket/pipelines/${input.QueryExecutionId}.csv` } },
    }));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'p', Type: 'varchar' }, { Name: 'n', Type: 'bigint' }] },
        Rows: [{ Data: [{ VarCharValue: 'p' }, { VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '2024-03-15' }, { VarCharValue: '1' }] }, { Data: [{ VarCharValue: '2024-03-16' }, { VarCharValue: '1' }] }],
      },
    });
    glue.on(DeleteTableCommand).resolves({});
    glue.on(GetTableCommand).resolves({ Table: { Name: t.output, DatabaseName: 'sales_clean', StorageDescriptor: { Location: 's3://results-bucket/pipelines/tables/q1' } } });
    s3.on(ListObjectsV2Command, { Bucket: 'results-bucket' }).resolves({
      Contents: [{ Key: 'pipelines/tables/q1/__partition=2024-03-15/f1', Size: 10 }, { Key: 'pipelines/tables/q1/__partition=2024-03-16/f2', Size: 10 }],
    });
    s3.on(ListObjectsV2Command, { Bucket: 'clean-bucket' }).resolves({ Contents: [] });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(GetObjectCommand, { Bucket: 'results-bucket', Key: 'pipelines/q3.csv' }).resolves({
      Body: sdkStreamMixin(Readable.from([Buffer.from('"line","record","reasons"\n"3","2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,","column quantity: not an integer"\n')])),
    });
    s3.on(PutObjectCommand).resolves({});

    const result = await handler({ step: 'convert', job }, CONTEXT);
    expect(result).toEqual({
      rowsIn: 3,
      rowsOut: 2,
      rowsQuarantined: 1,
      cleanKeys: [`sales/orders/ordered_at_date=2024-03-15/${id}.parquet`, `sales/orders/ordered_at_date=2024-03-16/${id}.parquet`],
      removedKeys: [],
      quarantineKey: `sales/orders/${id}.ndjson`,
    });
    for (const call of athena.commandCalls(StartQueryExecutionCommand)) expect(call.args[0].input.WorkGroup).toBe('lakehouse-dev-pipelines');
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input.QueryString).toMatch(/^CREATE TABLE "sales_clean"\."orders__big_run_1_out"/);
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { Bucket: 'clean-bucket', Key: `sales/orders/ordered_at_date=2024-03-15/${id}.parquet`, CopySource: 'results-bucket/pipelines/tables/q1/__partition%3D2024-03-15/f1', ServerSideEncryption: 'aws:kms' });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: 'quarantine-bucket', Key: `sales/orders/${id}.ndjson`, ServerSideEncryption: 'aws:kms' });
    expect(glue.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.Name)).toEqual([t.output, t.input, t.output]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ Domain: 'sales', Dataset: 'orders', RowsIn: 3, RowsOut: 2, RowsQuarantined: 1, BytesIn: 4_000_000_000, DriftColumns: 1 });
    expect(published[0]).not.toHaveProperty('service');
  });
});

describe('an unreadable source (prepare found a truncated gzip)', () => {
  test('prepare stages what it read and the unread rest; convert publishes nothing, quarantines every row with the one reason, and counts it in the metrics', async () => {
    const { handler, published } = setup();
    glue.on(GetTableCommand).resolves({ Table: { Name: 'orders', DatabaseName: 'sales_clean', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(ORDERS) } } });
    glue.on(DeleteTableCommand).resolves({});
    const gz = gzipSync(FILE);
    const cut = gz.subarray(0, gz.length - 10);
    s3.on(GetObjectCommand, { Bucket: 'raw-bucket' }).resolves({ Body: sdkStreamMixin(Readable.from([cut])), ContentLength: cut.length });
    s3.on(PutObjectCommand).resolves({});
    const job = (await handler({ step: 'prepare', event: event('sales/orders/2024/big.csv.gz'), runId: 'Run-9' }, CONTEXT)) as PreparedJob;
    const reason = `unreadable file s3://raw-bucket/sales/orders/2024/big.csv.gz?versionId=v9: the gzip data ends before its stream does (the file is truncated) at compressed byte ${cut.length}, the end of the file; the whole file is quarantined and nothing of it is published`;
    expect(job.unreadable).toBe(reason);
    const staged = gunzipSync(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body as Buffer).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(staged.length).toBe(job.rowsIn);
    expect(staged[staged.length - 1]).toMatchObject({ r: reason });

    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q9' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'q9', Status: { State: 'SUCCEEDED' }, ResultConfiguration: { OutputLocation: 's3://results-bucket/pipelines/q9.csv' } } });
    const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const rows = staged.map((r) => [String(r.l), r.o, reason, ''].map(csvField).join(','));
    s3.on(GetObjectCommand, { Bucket: 'results-bucket', Key: 'pipelines/q9.csv' }).resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(['"line","record","reasons","bytes"', ...rows].join('\n') + '\n')])) });
    s3.on(ListObjectsV2Command, { Bucket: 'clean-bucket' }).resolves({ Contents: [] });
    const result = (await handler({ step: 'convert', job }, CONTEXT)) as { rowsIn: number; rowsOut: number; rowsQuarantined: number; cleanKeys: string[] };
    expect(result).toMatchObject({ rowsIn: job.rowsIn, rowsOut: 0, rowsQuarantined: job.rowsIn, cleanKeys: [] });
    // No CTAS: one query, the whole-file quarantine select.
    const queries = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString!);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/^SELECT l AS line, o AS record, 'unreadable file .*' AS reasons, b AS bytes FROM/);
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ RowsIn: job.rowsIn, RowsOut: 0, RowsQuarantined: job.rowsIn });
  });
});

describe('cleanup', () => {
  test('drops the run\'s tables of the dataset the event names', async () => {
    const { handler } = setup();
    glue.on(DeleteTableCommand).resolves({});
    const t = bigFileTables('refunds', 'run-7');
    expect(await handler({ step: 'cleanup', event: event('sales/refunds/big.csv'), runId: 'run-7' }, CONTEXT)).toEqual({ dropped: [t.input, t.output] });
    expect(glue.commandCalls(DeleteTableCommand).map((c) => [c.args[0].input.DatabaseName, c.args[0].input.Name])).toEqual([
      ['sales_clean', t.input],
      ['sales_clean', t.output],
    ]);
  });
});

