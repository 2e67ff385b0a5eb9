import 'aws-sdk-client-mock-jest';
import { mkdirSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FullBatchFailureError } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CONTRACT_PARAMETER, type ColumnDefinition, type DatasetContract } from '../../../lambda/shared/dataset';
import { GlueContractSource } from '../../../lambda/shared/aws/glue-catalog';
import { S3ObjectStore } from '../../../lambda/shared/aws/s3-object-store';
import type { Engine } from '../../../lambda/transform/core/engine';
import { sourceId } from '../../../lambda/shared/pipeline/keys';
import {
  ContractCache,
  METRICS_NAMESPACE,
  NDJSON_CONTENT_TYPE,
  PARQUET_CONTENT_TYPE,
  TRANSFORM_METRIC_NAMES,
  createHandler,
  processS3Object,
  type TransformConfig,
} from '../../../lambda/transform/handler';
import { HEADER, MemoryObjectStore, ORDERS, readParquet, s3NotificationBody, sqsEvent, useEngineAndScratch } from './helpers';
import { bodyOf, capturePuts } from '../shared/aws/s3-mock';

let engine: Engine;
let dir: string;
useEngineAndScratch((e, d) => ((engine = e), (dir = d)));

const RAW = 'raw-bucket';
const CONTEXT = { functionName: 'transform', awsRequestId: 'req-1', invokedFunctionArn: 'arn', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const config = (): TransformConfig => ({
  cleanBucket: 'clean-bucket',
  quarantineBucket: 'quarantine-bucket',
  glueDatabase: 'sales',
  glueTable: 'orders',
  domain: 'sales',
  dataset: 'orders',
  workDir: dir,
});

const FILE = [HEADER, '1,2,12.50,2024-03-15T10:00:00Z,placed,false,', '2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,', '3,1,3.00,2024-03-16T10:00:00Z,shipped,true,'].join('\n') + '\n';

const s3Body = (key: string, versionId = 'v1') => s3NotificationBody(RAW, key, versionId);

/** A handler over an in-memory store, with the EMF documents it publishes captured. */
function setup(contract: DatasetContract = ORDERS) {
  const store = new MemoryObjectStore(dir);
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'transform-sales-orders' });
  const published: Record<string, unknown>[] = [];
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    published.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    metrics.clearMetrics();
    metrics.clearDimensions();
    return metrics;
  });
  const get = jest.fn(async () => contract);
  const deps = { config: config(), objects: store, contracts: new ContractCache({ get }), engine, metrics, logger: new Logger({ logLevel: 'SILENT' }) };
  return { store, published, get, deps, handler: createHandler(deps) };
}

async function cleanRows(store: MemoryObjectStore): Promise<Record<string, string | null>[]> {
  const paths = await Promise.all(store.keys('clean-bucket').map((k) => store.toFile('clean-bucket', k)));
  return readParquet(engine, paths);
}

describe('createHandler', () => {
  test('transforms an announced file: clean Parquet per partition, quarantine NDJSON, metrics', async () => {
    const { store, published, handler } = setup();
    store.put(RAW, 'sales/orders/2024/orders.csv', FILE);
    const res = await handler(sqsEvent(s3Body('sales/orders/2024/orders.csv')), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    const cleanKeys = store.keys('clean-bucket');
    expect(cleanKeys).toHaveLength(2);
    expect(cleanKeys[0]).toMatch(/^sales\/orders\/ordered_at_date=2024-03-15\/[0-9a-f]{32}\.parquet$/);
    expect(cleanKeys[1]).toMatch(/^sales\/orders\/ordered_at_date=2024-03-16\/[0-9a-f]{32}\.parquet$/);
    const [qKey] = store.keys('quarantine-bucket');
    expect(qKey).toMatch(/^sales\/orders\/[0-9a-f]{32}\.ndjson$/);
    expect(JSON.parse(store.get('quarantine-bucket', qKey)!.toString())).toEqual({
      line: 3,
      record: '2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,',
      reasons: ['column quantity: not an integer'],
      source: `s3://${RAW}/sales/orders/2024/orders.csv?versionId=v1`,
    });
    expect(store.puts.map((p) => p.contentType).sort()).toEqual([PARQUET_CONTENT_TYPE, PARQUET_CONTENT_TYPE, NDJSON_CONTENT_TYPE]);
    expect(store.gets).toEqual([{ bucket: RAW, key: 'sales/orders/2024/orders.csv', versionId: 'v1' }]);
    expect((await cleanRows(store)).map((r) => r.order_id)).toEqual(['1', '3']);

    // One EMF document: namespace, exactly Domain and Dataset, the five metrics.
    expect(published).toHaveLength(1);
    const emf = published[0] as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('GovernedLakehouse');
    expect(directive.Dimensions).toEqual([['Domain', 'Dataset']]);
    expect(directive.Metrics.map((m) => m.Name)).toEqual([...TRANSFORM_METRIC_NAMES]);
    expect(directive.Metrics.find((m) => m.Name === 'BytesIn')?.Unit).toBe('Bytes');
    expect(emf).toMatchObject({ Domain: 'sales', Dataset: 'orders', RowsIn: 3, RowsOut: 2, RowsQuarantined: 1, BytesIn: Buffer.byteLength(FILE), DriftColumns: 0 });
    expect(emf).not.toHaveProperty('service');
  });

  test('a duplicate delivery rewrites the same objects and adds no rows', async () => {
    const { store, handler } = setup();
    store.put(RAW, 'sales/orders/a.csv', FILE);
    await handler(sqsEvent(s3Body('sales/orders/a.csv')), CONTEXT);
    const first = { clean: store.keys('clean-bucket'), quarantine: store.keys('quarantine-bucket'), rows: await cleanRows(store) };
    await handler(sqsEvent(s3Body('sales/orders/a.csv'), s3Body('sales/orders/a.csv')), CONTEXT);
    expect(store.puts).toHaveLength(9);
    expect({ clean: store.keys('clean-bucket'), quarantine: store.keys('quarantine-bucket'), rows: await cleanRows(store) }).toEqual(first);
    expect(first.rows).toHaveLength(2);
  });

  test('a poison message fails alone; the rest of the batch succeeds', async () => {
    const { store, handler } = setup();
    store.put(RAW, 'sales/orders/good.csv', FILE);
    const res = await handler(
      sqsEvent(s3Body('sales/orders/good.csv'), 'this is not an event', s3Body('sales/orders/missing.csv'), s3Body('other/dataset/x.csv')),
      CONTEXT,
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(store.keys('clean-bucket')).toHaveLength(2);
  });

  test('the s3:TestEvent is ignored', async () => {
    const { store, handler, get, published } = setup();
    const res = await handler(sqsEvent(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: RAW })), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    expect([store.gets, store.puts, published]).toEqual([[], [], []]);
    expect(get).not.toHaveBeenCalled();
  });

  test('URL-encoded keys are decoded before the object is read', async () => {
    const { store, handler } = setup();
    store.put(RAW, 'sales/orders/march 2024 (1)+x.csv', FILE);
    const res = await handler(sqsEvent(s3Body('sales/orders/march+2024+%281%29%2Bx.csv')), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(store.gets[0].key).toBe('sales/orders/march 2024 (1)+x.csv');
    expect(store.keys('clean-bucket')).toHaveLength(2);
  });

  test('EventBridge "Object Created" events are accepted', async () => {
    const { store, handler } = setup();
    store.put(RAW, 'sales/orders/eb.csv', FILE);
    const body = JSON.stringify({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: RAW }, object: { key: 'sales/orders/eb.csv', 'version-id': 'v9', etag: 'e', size: Buffer.byteLength(FILE) } },
    });
    expect(await handler(sqsEvent(body), CONTEXT)).toEqual({ batchItemFailures: [] });
    expect(store.gets).toEqual([{ bucket: RAW, key: 'sales/orders/eb.csv', versionId: 'v9' }]);
  });

  test('gzip objects are read; an empty file writes nothing and still publishes zeros', async () => {
    const { store, handler, published } = setup();
    store.put(RAW, 'sales/orders/a.csv.gz', gzipSync(Buffer.from(FILE)));
    store.put(RAW, 'sales/orders/empty.csv', '');
    const res = await handler(sqsEvent(s3Body('sales/orders/a.csv.gz'), s3Body('sales/orders/empty.csv')), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(store.keys('clean-bucket')).toHaveLength(2);
    expect(store.puts).toHaveLength(3);
    expect(published[1]).toMatchObject({ RowsIn: 0, RowsOut: 0, RowsQuarantined: 0, BytesIn: 0, DriftColumns: 0 });
  });

  test('the contract is read once per container (until its cache entry expires)', async () => {
    const { store, handler, get } = setup();
    store.put(RAW, 'sales/orders/a.csv', FILE);
    await handler(sqsEvent(s3Body('sales/orders/a.csv'), s3Body('sales/orders/a.csv')), CONTEXT);
    await handler(sqsEvent(s3Body('sales/orders/a.csv')), CONTEXT);
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith('sales', 'orders');
  });

  test('a truncated gzip is quarantined whole, not retried: the message succeeds, the metrics count every row as quarantined, raw keeps the file', async () => {
    const { store, handler, published } = setup();
    const gz = gzipSync(Buffer.from(FILE));
    const cut = gz.subarray(0, gz.length - 12);
    store.put(RAW, 'sales/orders/cut.csv.gz', cut);
    const res = await handler(sqsEvent(s3Body('sales/orders/cut.csv.gz')), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(store.keys('clean-bucket')).toEqual([]);
    const [qKey] = store.keys('quarantine-bucket');
    const lines = store.get('quarantine-bucket', qKey)!.toString().trim().split('\n').map((l) => JSON.parse(l));
    const reason = `unreadable file s3://${RAW}/sales/orders/cut.csv.gz?versionId=v1: the gzip data ends before its stream does (the file is truncated) at compressed byte ${cut.length}, the end of the file; the whole file is quarantined and nothing of it is published`;
    expect(lines.every((l) => l.reasons.length === 1 && l.reasons[0] === reason)).toBe(true);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ RowsIn: lines.length, RowsOut: 0, RowsQuarantined: lines.length, BytesIn: cut.length });
    expect(lines.length).toBeGreaterThan(0);
    expect(store.get(RAW, 'sales/orders/cut.csv.gz')).toEqual(cut);
  });

  test('a download shorter than the event\'s object version is retried, not taken for a truncated file', async () => {
    const { store, handler } = setup();
    store.put(RAW, 'sales/orders/a.csv', FILE);
    const body = JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: RAW }, object: { key: 'sales/orders/a.csv', versionId: 'v1', size: Buffer.byteLength(FILE) + 100 } } }] });
    await expect(handler(sqsEvent(body), CONTEXT)).rejects.toThrow(FullBatchFailureError);
    expect(store.puts).toEqual([]);
  });

  test('a dataset partitioned by arrival takes the UTC date of the event time', async () => {
    const { store, handler } = setup({ ...ORDERS, partitionColumn: 'arrival_date', partitionName: 'arrival_date', partitionBy: 'arrival' });
    store.put(RAW, 'sales/orders/a.csv', FILE);
    const body = JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3', time: '2026-02-28T23:59:59-01:00', detail: { bucket: { name: RAW }, object: { key: 'sales/orders/a.csv', 'version-id': 'v1' } } });
    expect(await handler(sqsEvent(body), CONTEXT)).toEqual({ batchItemFailures: [] });
    expect(store.keys('clean-bucket')).toEqual([expect.stringMatching(/^sales\/orders\/arrival_date=2026-03-01\/[0-9a-f]{32}\.parquet$/)]);
    // Without an event time, such a dataset's message fails (and is retried) instead of guessing a date.
    const { handler: h2, store: s2 } = setup({ ...ORDERS, partitionColumn: 'arrival_date', partitionName: 'arrival_date', partitionBy: 'arrival' });
    s2.put(RAW, 'sales/orders/a.csv', FILE);
    await expect(h2(sqsEvent(s3Body('sales/orders/a.csv')), CONTEXT)).rejects.toThrow(FullBatchFailureError);
  });

  test('fails every message when the contract belongs to another dataset (a whole failed batch throws)', async () => {
    const { store, handler } = setup({ ...ORDERS, dataset: 'refunds' });
    store.put(RAW, 'sales/orders/a.csv', FILE);
    await expect(handler(sqsEvent(s3Body('sales/orders/a.csv'), s3Body('sales/orders/a.csv')), CONTEXT)).rejects.toThrow(FullBatchFailureError);
    expect(store.puts).toEqual([]);
  });
});

describe('processS3Object (the local runner entry)', () => {
  test('takes a contract directly and returns counts and output locations; work files are removed', async () => {
    const store = new MemoryObjectStore(dir);
    store.put(RAW, 'sales/orders/b.csv', FILE);
    const deps = { config: { ...config(), workDir: `${dir}/runner` }, objects: store, engine, logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) };
    jest.spyOn(deps.metrics, 'publishStoredMetrics').mockImplementation(() => deps.metrics);
    mkdirSync(deps.config.workDir, { recursive: true });
    const out = await processS3Object({ deps, contract: ORDERS, bucket: RAW, key: 'sales/orders/b.csv', versionId: 'v3' });
    expect(out).toMatchObject({ rowsIn: 3, rowsOut: 2, rowsQuarantined: 1, driftColumns: [], missingColumns: [], bytesIn: Buffer.byteLength(FILE) });
    expect(out.clean.map((c) => [c.bucket, c.partition, c.rows])).toEqual([
      ['clean-bucket', '2024-03-15', 1],
      ['clean-bucket', '2024-03-16', 1],
    ]);
    expect(out.quarantine).toEqual({ bucket: 'quarantine-bucket', key: `sales/orders/${out.sourceId}.ndjson`, rows: 1 });
    expect(readdirSync(deps.config.workDir)).toEqual([]);
  });

  test('a re-run under a changed contract removes the partitions and the quarantine file the source no longer has', async () => {
    const store = new MemoryObjectStore(dir);
    store.put(RAW, 'sales/orders/c.csv', FILE);
    const deps = { config: config(), objects: store, engine, logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) };
    jest.spyOn(deps.metrics, 'publishStoredMetrics').mockImplementation(() => deps.metrics);
    const run = (contract: DatasetContract) => processS3Object({ deps, contract, bucket: RAW, key: 'sales/orders/c.csv', versionId: 'v1' });
    const quarantined = (id: string) => (store.get('quarantine-bucket', `sales/orders/${id}.ndjson`)?.toString() ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l).line);
    const withColumns = (changes: Record<string, Partial<ColumnDefinition>>): DatasetContract => ({ ...ORDERS, columns: ORDERS.columns.map((c) => ({ ...c, ...changes[c.name] })) });

    // Rows 1 (2024-03-15) and 3 (2024-03-16) clean, row 2 (quantity 2.5) quarantined.
    const first = await run(ORDERS);
    const id = first.sourceId;
    const file = (day: string) => `sales/orders/ordered_at_date=${day}/${id}.parquet`;
    const marker = (day: string) => `sales/_sources/orders/${id}/ordered_at_date=${day}`;
    expect([store.keys('clean-bucket'), store.markerKeys('clean-bucket'), quarantined(id)]).toEqual([[file('2024-03-15'), file('2024-03-16')], [marker('2024-03-15'), marker('2024-03-16')], [3]]);

    // Quantity becomes a double (row 2 passes), status allows only 'placed' (row 3, the only row of 2024-03-16, fails).
    const second = await run(withColumns({ quantity: { type: 'double' }, status: { allowedValues: ['placed'] } }));
    expect(second).toMatchObject({ rowsIn: 3, rowsOut: 2, rowsQuarantined: 1, removed: [{ bucket: 'clean-bucket', key: file('2024-03-16') }] });
    expect([store.keys('clean-bucket'), store.markerKeys('clean-bucket'), quarantined(id)]).toEqual([[file('2024-03-15')], [marker('2024-03-15')], [4]]);
    expect((await cleanRows(store)).map((r) => r.order_id)).toEqual(['1', '2']);

    // Both changes settled the other way: every row is good; 2024-03-16 is back and the quarantine file is gone.
    const third = await run(withColumns({ quantity: { type: 'double' } }));
    expect(third).toMatchObject({ rowsIn: 3, rowsOut: 3, rowsQuarantined: 0, removed: [{ bucket: 'quarantine-bucket', key: `sales/orders/${id}.ndjson` }] });
    expect([store.keys('clean-bucket'), store.markerKeys('clean-bucket'), store.keys('quarantine-bucket')]).toEqual([[file('2024-03-15'), file('2024-03-16')], [marker('2024-03-15'), marker('2024-03-16')], []]);
    expect((await cleanRows(store)).map((r) => r.order_id).sort()).toEqual(['1', '2', '3']);
  });

  test("after the big-file route ran the source (the size threshold changed), its part files leave every partition the function writes", async () => {
    const store = new MemoryObjectStore(dir);
    store.put(RAW, 'sales/orders/d.csv', FILE);
    const deps = { config: config(), objects: store, engine, logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'Test' }) };
    jest.spyOn(deps.metrics, 'publishStoredMetrics').mockImplementation(() => deps.metrics);
    const id = sourceId({ bucket: RAW, key: 'sales/orders/d.csv', versionId: 'v1' });
    const file = (day: string, suffix = '') => `sales/orders/ordered_at_date=${day}/${id}${suffix}.parquet`;
    const marker = (day: string) => `sales/_sources/orders/${id}/ordered_at_date=${day}`;
    // What a big-file run of the same source left: Athena split both partitions in two files; their markers.
    for (const day of ['2024-03-15', '2024-03-16']) {
      store.put('clean-bucket', marker(day), '');
      for (const part of ['-00000', '-00001']) store.put('clean-bucket', file(day, part), 'PAR1');
    }
    const other = `sales/orders/ordered_at_date=2024-03-15/${'f'.repeat(32)}-00000.parquet`;
    store.put('clean-bucket', other, 'PAR1');

    const out = await processS3Object({ deps, contract: ORDERS, bucket: RAW, key: 'sales/orders/d.csv', versionId: 'v1' });
    expect(store.keys('clean-bucket')).toEqual([file('2024-03-15'), other, file('2024-03-16')]);
    expect(store.markerKeys('clean-bucket')).toEqual([marker('2024-03-15'), marker('2024-03-16')]);
    expect(out.removed).toEqual(['2024-03-15', '2024-03-16'].flatMap((day) => ['-00000', '-00001'].map((part) => ({ bucket: 'clean-bucket', key: file(day, part) }))));
  });
});

describe('ContractCache', () => {
  test('re-reads after the time to live, and after a failed read', async () => {
    let now = 0;
    const get = jest.fn().mockRejectedValueOnce(new Error('throttled')).mockResolvedValue(ORDERS);
    const cache = new ContractCache({ get }, 1000, () => now);
    await expect(cache.get('d', 't')).rejects.toThrow('throttled');
    await expect(cache.get('d', 't')).resolves.toBe(ORDERS);
    now = 999;
    await cache.get('d', 't');
    expect(get).toHaveBeenCalledTimes(2);
    now = 2500;
    await cache.get('d', 't');
    expect(get).toHaveBeenCalledTimes(3);
  });
});

describe('over the AWS adapters (aws-sdk-client-mock)', () => {
  const s3Mock = mockClient(S3Client);
  const glueMock = mockClient(GlueClient);
  beforeEach(() => {
    s3Mock.reset();
    glueMock.reset();
  });

  test('the handler end to end over mocked S3 and Glue clients', async () => {
    glueMock.on(GetTableCommand).resolves({ Table: { Name: 'orders', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(ORDERS) } } });
    s3Mock.on(GetObjectCommand, { Bucket: RAW, Key: 'sales/orders/c d.csv', VersionId: 'v5' }).callsFake(async () => ({ Body: bodyOf(FILE) }));
    const bodies = capturePuts(s3Mock);
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    s3Mock.on(DeleteObjectsCommand).resolves({});
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
    jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const handler = createHandler({
      config: { ...config(), kmsKeyArn: 'arn:key' },
      objects: new S3ObjectStore(new S3Client({}), { kmsKeyArn: 'arn:key' }),
      contracts: new ContractCache(new GlueContractSource(new GlueClient({}))),
      engine,
      metrics,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const res = await handler(sqsEvent(s3Body('sales/orders/c+d.csv', 'v5')), CONTEXT);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(glueMock).toHaveReceivedCommandTimes(GetTableCommand, 1);
    // Two partition markers (the source had none), two Parquet files, the quarantine file; all SSE-KMS.
    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 5);
    for (const call of s3Mock.commandCalls(PutObjectCommand)) {
      expect(call.args[0].input).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:key' });
    }
    const id = sourceId({ bucket: RAW, key: 'sales/orders/c d.csv', versionId: 'v5' });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Bucket: 'clean-bucket', Prefix: `sales/_sources/orders/${id}/` });
    const markers = [...bodies].filter(([k]) => k.includes('/_sources/'));
    expect(markers.map(([k, body]) => [k, body.length])).toEqual([
      [`clean-bucket/sales/_sources/orders/${id}/ordered_at_date=2024-03-15`, 0],
      [`clean-bucket/sales/_sources/orders/${id}/ordered_at_date=2024-03-16`, 0],
    ]);
    // Nothing to remove: the source had no markers, and it has a quarantine file.
    expect(s3Mock).toHaveReceivedCommandTimes(DeleteObjectsCommand, 0);
    const quarantine = [...bodies].find(([k]) => k.startsWith('quarantine-bucket/'));
    expect(JSON.parse(quarantine![1].toString())).toMatchObject({ line: 3, source: `s3://${RAW}/sales/orders/c d.csv?versionId=v5` });
    const parquet = [...bodies].filter(([k]) => k.startsWith('clean-bucket/') && !k.includes('/_sources/'));
    expect(parquet).toHaveLength(2);
    for (const [, body] of parquet) expect(body.subarray(0, 4).toString()).toBe('PAR1');
  });
});
