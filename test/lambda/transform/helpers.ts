/** Shared fixtures for the transform tests. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatasetContract } from '../../../lambda/shared/dataset';
import { Engine } from '../../../lambda/transform/core/engine';
import { transformFile, type TransformResult } from '../../../lambda/transform/core/transform';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { ObjectStore } from '../../../lambda/shared/ports';
import type { TokenKey } from '../../../lambda/shared/pipeline/tokens';

export const ORDERS: DatasetContract = {
  version: 1,
  domain: 'sales',
  dataset: 'orders',
  format: 'csv',
  columns: [
    { name: 'order_id', type: 'bigint', required: true },
    { name: 'quantity', type: 'int', range: { min: 1 } },
    { name: 'amount', type: 'decimal(10,2)', required: true },
    { name: 'ordered_at', type: 'timestamp', required: true },
    { name: 'status', type: 'string', allowedValues: ['placed', 'shipped'] },
    { name: 'gift', type: 'boolean' },
    { name: 'note', type: 'string' },
  ],
  partitionColumn: 'ordered_at',
  partitionName: 'ordered_at_date',
};
export const ORDERS_NDJSON: DatasetContract = { ...ORDERS, format: 'ndjson' };
export const HEADER = 'order_id,quantity,amount,ordered_at,status,gift,note';

/** A contract with personal data: tokenized string and bigint columns (one with allowed values) and a dropped one. */
export const CUSTOMERS: DatasetContract = {
  version: 1,
  domain: 'sales',
  dataset: 'customers',
  format: 'csv',
  columns: [
    { name: 'customer_id', type: 'bigint', required: true },
    { name: 'email', type: 'string', required: true, pii: true },
    { name: 'loyalty_no', type: 'bigint', pii: true, range: { min: 1 } },
    { name: 'country', type: 'string', pii: true, allowedValues: ['DE', 'FR'] },
    { name: 'phone', type: 'string', pii: 'drop' },
    { name: 'signed_up', type: 'date', required: true },
  ],
  partitionColumn: 'signed_up',
  partitionName: 'signed_up',
};
export const CUSTOMERS_HEADER = 'customer_id,email,loyalty_no,country,phone,signed_up';

export function testEngine(): Promise<Engine> {
  return Engine.create({ threads: 2, memoryLimitMb: 256, tempDirectory: join(tmpdir(), 'duckdb-test') });
}

/**
 * Registers, for the calling test file, a DuckDB engine and a scratch directory made before its
 * tests and removed after them; `set` receives them.
 */
export function useEngineAndScratch(set: (engine: Engine, dir: string) => void): void {
  let engine: Engine | undefined;
  let cleanup: (() => void) | undefined;
  beforeAll(async () => {
    engine = await testEngine();
    const s = scratch();
    cleanup = s.cleanup;
    set(engine, s.dir);
  });
  afterAll(() => {
    engine?.close();
    cleanup?.();
  });
}

/** A temporary directory removed by `cleanup()`. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'transform-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run extends TransformResult {
  /** The quarantine file, parsed. */
  readonly quarantined: { line: number; record: string; reasons: string[]; source: string; recordBase64?: string }[];
}

/** The source `run` names by default (its quarantine lines and reasons carry its URI). */
export const TEST_SOURCE = { bucket: 'raw', key: 'sales/orders/2024/03/orders.csv', versionId: 'v1' };

/** Runs the core transform on `content` written to a file. */
export async function run(
  engine: Engine,
  dir: string,
  contract: DatasetContract,
  content: string | Buffer,
  source: { bucket?: string; key?: string; versionId?: string } = {},
  arrivalDate?: string,
  tokenKey?: TokenKey,
): Promise<Run> {
  const localPath = join(dir, `source-${Math.random().toString(36).slice(2)}`);
  writeFileSync(localPath, content);
  const result = await transformFile({
    contract,
    localPath,
    source: { bucket: source.bucket ?? TEST_SOURCE.bucket, key: source.key ?? TEST_SOURCE.key, versionId: source.versionId ?? TEST_SOURCE.versionId },
    workDir: dir,
    engine,
    arrivalDate,
    tokenKey,
  });
  const q = result.outputs.quarantineFile;
  const quarantined = q
    ? readFileSync(q.localPath, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l))
    : [];
  return { ...result, quarantined };
}

/** Reads Parquet files back with DuckDB: rows as objects of strings, ordered by the first column. */
export async function readParquet(engine: Engine, paths: readonly string[]): Promise<Record<string, string | null>[]> {
  if (paths.length === 0) return [];
  return engine.withConnection(async (c) => {
    const list = paths.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ');
    const r = await c.runAndReadAll(`SELECT * FROM read_parquet([${list}], hive_partitioning = false) ORDER BY 1`);
    const names = r.columnNames();
    return r.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i], v === null ? null : String(v)])));
  });
}

/** The column names and DuckDB types of a Parquet file. */
export async function parquetSchema(engine: Engine, path: string): Promise<Record<string, string>> {
  return engine.withConnection(async (c) => {
    const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}', hive_partitioning = false)`);
    return Object.fromEntries(r.getRows().map(([name, type]) => [String(name), String(type)]));
  });
}

/** An ObjectStore over a map, for handler tests: uploads are read into memory (`puts`: the data uploads only). */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  readonly puts: { bucket: string; key: string; contentType: string }[] = [];
  readonly gets: { bucket: string; key: string; versionId?: string }[] = [];
  readonly markerPuts: { bucket: string; key: string }[] = [];
  readonly deletes: { bucket: string; key: string }[] = [];
  constructor(private readonly dir: string) {}

  put(bucket: string, key: string, body: string | Buffer): void {
    this.objects.set(`${bucket}/${key}`, Buffer.from(body));
  }
  get(bucket: string, key: string): Buffer | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }
  /** Every key of a bucket, the outputs' partition markers included. */
  allKeys(bucket: string): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).map((k) => k.slice(bucket.length + 1)).sort();
  }
  /** The data keys of a bucket (no partition markers, outputs.ts). */
  keys(bucket: string): string[] {
    return this.allKeys(bucket).filter((k) => !k.includes('/_sources/'));
  }
  /** The partition markers of a bucket. */
  markerKeys(bucket: string): string[] {
    return this.allKeys(bucket).filter((k) => k.includes('/_sources/'));
  }
  /** Writes an object to a local file (to read Parquet back). */
  async toFile(bucket: string, key: string): Promise<string> {
    const path = join(this.dir, 'objects', bucket, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.get(bucket, key)!);
    return path;
  }

  async download(bucket: string, key: string, versionId: string | undefined, toPath: string): Promise<void> {
    this.gets.push({ bucket, key, versionId });
    const body = this.get(bucket, key);
    if (!body) throw Object.assign(new Error(`NoSuchKey: ${bucket}/${key}`), { name: 'NoSuchKey' });
    await writeFile(toPath, body);
  }
  async upload(bucket: string, key: string, fromPath: string, contentType: string): Promise<void> {
    this.puts.push({ bucket, key, contentType });
    this.objects.set(`${bucket}/${key}`, readFileSync(fromPath));
  }
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    return this.allKeys(bucket).filter((k) => k.startsWith(prefix));
  }
  async putMarker(bucket: string, key: string): Promise<void> {
    this.markerPuts.push({ bucket, key });
    this.objects.set(`${bucket}/${key}`, Buffer.alloc(0));
  }
  async deleteKeys(bucket: string, keys: readonly string[]): Promise<void> {
    this.deletes.push(...keys.map((key) => ({ bucket, key })));
    for (const key of keys) this.objects.delete(`${bucket}/${key}`);
  }
}

/** An S3 "Object Created" notification as an SQS message body. */
export const s3NotificationBody = (bucket: string, key: string, versionId = 'v1'): string =>
  JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key, versionId, eTag: 'e' } } }] });

/** An SQS event with one record per body. */
export function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map(
      (body, i): SQSRecord => ({
        messageId: `m${i}`,
        receiptHandle: `r${i}`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q',
        awsRegion: 'eu-west-1',
      }),
    ),
  };
}
