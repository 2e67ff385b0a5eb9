import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertStaged, csvRecords, dropTables, type ConvertPorts, type PreparedJob } from '../../../lambda/bigfile/core/convert';
import { bigFileTables } from '../../../lambda/shared/contracts/big-file-tables';
import type { QueryOptions } from '../../../lambda/shared/ports';
import { REASON_SEPARATOR } from '../../../lambda/shared/pipeline/rules';
import { InvariantError } from '../../../lambda/shared/pipeline/invariant';
import { ORDERS, scratch } from '../transform/helpers';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = scratch()));
afterAll(() => cleanup());

const ID = '0123456789abcdef0123456789abcdef';
const JOB: PreparedJob = {
  contract: ORDERS,
  source: { bucket: 'raw', key: 'sales/orders/big.csv', versionId: 'v7' },
  sourceId: ID,
  runId: 'exec-1',
  database: 'sales_clean',
  rowsIn: 5,
  bytesIn: 123,
  driftColumns: 0,
};
const RESULTS = 'results';
const OUT_PREFIX = 'pipelines/tables/q-ctas/';

/** Athena result CSV: every field quoted, quotes doubled. */
const resultCsv = (rows: (string | number)[][]) =>
  ['"line","record","reasons"', ...rows.map((r) => r.map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','))].join('\n') + '\n';

function fakes(opts: { counts: Record<string, number>; files: string[]; quarantine: (string | number)[][]; existing?: string[] }) {
  const objects = new Map<string, number>();
  for (const f of opts.files) objects.set(`${RESULTS}/${OUT_PREFIX}${f}`, 10);
  for (const k of opts.existing ?? []) objects.set(`clean/${k}`, 10);
  const calls: string[] = [];
  const uploads = new Map<string, string>();
  const ports: ConvertPorts = {
    athena: {
      execute: async (sql: string, o: QueryOptions) => {
        calls.push(`execute ${o.label.split(' ').pop()}`);
        if (sql.startsWith('CREATE TABLE')) return { queryExecutionId: 'q-ctas' };
        return { queryExecutionId: 'q-bad', outputLocation: `s3://${RESULTS}/pipelines/q-bad.csv` };
      },
      query: async () => {
        calls.push('query count');
        return Object.entries(opts.counts).map(([p, n]) => ({ p, n: String(n) }));
      },
    },
    catalog: {
      getTable: async (_db, name) => ({ name, location: `s3://${RESULTS}/${OUT_PREFIX}`, parameters: {} }),
      deleteTable: async (_db, name) => {
        calls.push(`drop ${name}`);
      },
    },
    objects: {
      list: async (bucket, prefix) =>
        [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => ({ key: k.slice(bucket.length + 1), size: objects.get(k)! })),
      copy: async (r) => {
        calls.push(`copy ${r.toKey}`);
        objects.set(`${r.toBucket}/${r.toKey}`, 10);
      },
    },
    outputs: {
      listKeys: async (bucket, prefix) => [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1)),
      putMarker: async (bucket, key) => {
        calls.push(`mark ${key}`);
        objects.set(`${bucket}/${key}`, 0);
      },
      deleteKeys: async (bucket, keys) => {
        calls.push(`delete ${bucket}/${keys.join(' ')}`);
        for (const k of keys) objects.delete(`${bucket}/${k}`);
      },
    },
    download: async (bucket, key, toPath) => {
      expect(`${bucket}/${key}`).toBe(`${RESULTS}/pipelines/q-bad.csv`);
      writeFileSync(toPath, resultCsv(opts.quarantine));
    },
    upload: async (bucket, key, fromPath) => {
      calls.push(`upload ${bucket}/${key}`);
      uploads.set(`${bucket}/${key}`, readFileSync(fromPath, 'utf8'));
    },
  };
  return { ports, calls, uploads, objects };
}

const settings = () => ({ cleanBucket: 'clean', quarantineBucket: 'quarantine', workDir: dir, deadline: Date.now() + 60_000 });

describe('convertStaged', () => {
  test('publishes each partition at the function\'s key, the quarantine in its format, and removes this source\'s surplus files', async () => {
    const f = fakes({
      counts: { '2024-03-15': 2, '2024-03-16': 1 },
      files: ['__partition=2024-03-15/20240101_a', '__partition=2024-03-16/20240101_b'],
      quarantine: [
        [3, '3,x,"a\nb",z', `column quantity: not an integer${REASON_SEPARATOR}column amount: not a decimal number`],
        [7, 'say "hi"', 'malformed CSV: 1 fields, the header has 7'],
      ],
      existing: [`sales/orders/ordered_at_date=2024-03-15/${ID}-00000.parquet`, `sales/orders/ordered_at_date=2024-03-15/other.parquet`],
    });
    const r = await convertStaged(JOB, f.ports, settings());
    expect(r).toEqual({
      rowsIn: 5,
      rowsOut: 3,
      rowsQuarantined: 2,
      cleanKeys: [`sales/orders/ordered_at_date=2024-03-15/${ID}.parquet`, `sales/orders/ordered_at_date=2024-03-16/${ID}.parquet`],
      removedKeys: [`sales/orders/ordered_at_date=2024-03-15/${ID}-00000.parquet`],
      quarantineKey: `sales/orders/${ID}.ndjson`,
    });
    const tables = bigFileTables('orders', 'exec-1');
    expect(f.calls.slice(0, 4)).toEqual([`drop ${tables.output}`, 'execute convert', 'query count', 'execute quarantine']);
    // Another file of the partition (another source) is kept.
    expect(f.objects.has('clean/sales/orders/ordered_at_date=2024-03-15/other.parquet')).toBe(true);
    const source = 's3://raw/sales/orders/big.csv?versionId=v7';
    expect(f.uploads.get(`quarantine/sales/orders/${ID}.ndjson`)).toBe(
      [
        { line: 3, record: '3,x,"a\nb",z', reasons: ['column quantity: not an integer', 'column amount: not a decimal number'], source },
        { line: 7, record: 'say "hi"', reasons: ['malformed CSV: 1 fields, the header has 7'], source },
      ]
        .map((o) => JSON.stringify(o) + '\n')
        .join(''),
    );
  });

  test('like the function, removes what an earlier run of the source wrote that this one does not: a partition, the quarantine file', async () => {
    const marker = (day: string) => `sales/_sources/orders/${ID}/ordered_at_date=${day}`;
    const f = fakes({
      counts: { '2024-03-15': 5 },
      files: ['__partition=2024-03-15/a'],
      quarantine: [],
      existing: [`sales/orders/ordered_at_date=2024-03-16/${ID}.parquet`, marker('2024-03-16')],
    });
    const r = await convertStaged(JOB, f.ports, settings());
    expect(r.removedKeys).toEqual([`sales/orders/ordered_at_date=2024-03-16/${ID}.parquet`]);
    expect([...f.objects.keys()].filter((k) => k.startsWith('clean/')).sort()).toEqual([`clean/${marker('2024-03-15')}`, `clean/sales/orders/ordered_at_date=2024-03-15/${ID}.parquet`]);
    // The new partition is marked before its file is copied; the quarantine key is deleted (no bad rows).
    const publish = f.calls.filter((c) => /^(mark|copy|delete)/.test(c));
    expect(publish).toEqual([
      `mark ${marker('2024-03-15')}`,
      `copy sales/orders/ordered_at_date=2024-03-15/${ID}.parquet`,
      `delete clean/sales/orders/ordered_at_date=2024-03-16/${ID}.parquet`,
      `delete quarantine/sales/orders/${ID}.ndjson`,
      `delete clean/${marker('2024-03-16')}`,
    ]);
  });

  test('names the files of a partition Athena split in several, and removes the single-file key of an earlier run', async () => {
    const f = fakes({
      counts: { '2024-03-15': 5 },
      files: ['__partition=2024-03-15/b', '__partition=2024-03-15/a'],
      quarantine: [],
      existing: [`sales/orders/ordered_at_date=2024-03-15/${ID}.parquet`],
    });
    const r = await convertStaged(JOB, f.ports, settings());
    expect(r.cleanKeys).toEqual([`sales/orders/ordered_at_date=2024-03-15/${ID}-00000.parquet`, `sales/orders/ordered_at_date=2024-03-15/${ID}-00001.parquet`]);
    expect(r.removedKeys).toEqual([`sales/orders/ordered_at_date=2024-03-15/${ID}.parquet`]);
    expect(r.quarantineKey).toBeUndefined();
    expect(f.uploads.size).toBe(0);
  });

  test('fails if the rows do not add up, before publishing anything', async () => {
    const f = fakes({ counts: { '2024-03-15': 3 }, files: ['__partition=2024-03-15/a'], quarantine: [[2, 'x', 'bad']] });
    await expect(convertStaged(JOB, f.ports, settings())).rejects.toThrow(new InvariantError('rows do not add up for s3://raw/sales/orders/big.csv?versionId=v7: 5 in, 3 out, 1 quarantined'));
    expect(f.calls.filter((c) => c.startsWith('copy') || c.startsWith('upload'))).toEqual([]);
  });

  test('fails if a partition has rows but no file', async () => {
    const f = fakes({ counts: { '2024-03-15': 4, '2024-03-16': 1 }, files: ['__partition=2024-03-15/a'], quarantine: [] });
    await expect(convertStaged(JOB, f.ports, settings())).rejects.toThrow(/partition 2024-03-16 has 1 rows but no file/);
    expect(f.calls.filter((c) => c.startsWith('copy'))).toEqual([]);
  });

  test('dropTables drops the input and output tables of the run', async () => {
    const f = fakes({ counts: {}, files: [], quarantine: [] });
    const t = bigFileTables('orders', 'exec-1');
    expect(await dropTables({ database: 'sales_clean', dataset: 'orders', runId: 'exec-1' }, f.ports.catalog)).toEqual([t.input, t.output]);
    expect(f.calls).toEqual([`drop ${t.input}`, `drop ${t.output}`]);
  });
});

describe('csvRecords', () => {
  test('streams RFC 4180 records with quoted newlines and quotes across read chunks', async () => {
    const big = 'x'.repeat(1_500_000);
    const path = join(dir, 'results.csv');
    writeFileSync(path, resultCsv([[1, 'a,"b"\nc', 'r1'], [2, big, 'r2'], [3, '', 'r3']]));
    const out: string[][] = [];
    for await (const r of csvRecords(path, true)) out.push(r);
    expect(out).toEqual([
      ['1', 'a,"b"\nc', 'r1'],
      ['2', big, 'r2'],
      ['3', '', 'r3'],
    ]);
  });

  test('fails if a record is malformed', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'h\n"a"b\n');
    await expect(async () => {
      for await (const r of csvRecords(path, true)) void r;
    }).rejects.toThrow(/malformed CSV record/);
  });
});
