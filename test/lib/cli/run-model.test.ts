import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { UsageError } from '../../../lib/cli/commands/common';
import { runModelCommand } from '../../../lib/cli/commands/run-model';
import { SALES, WEB_EVENTS, exampleModelText, tempDomainsDir } from '../../lambda/models/fixtures';

/** Runs SQL on a throwaway DuckDB (writing test inputs, reading outputs back). */
async function duck<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Writes one clean Parquet file (partition column in the path only, as the transform writes it). */
async function writeClean(root: string, rel: string, select: string): Promise<void> {
  const file = path.join(root, '.lakehouse', 'clean', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await duck(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
}

const ORDERS = (rows: string) => `SELECT * FROM (VALUES ${rows}) AS t(order_id, line_no, customer_email, sku, quantity, unit_price, currency, is_gift, ordered_at)`;
const order = (id: number, line: number, qty: number, price: string, currency: string, gift: string, at: string) =>
  `(${id}::BIGINT, ${line}::INTEGER, 'c${id}@example.com', 'sku-${line}', ${qty}::INTEGER, ${price}::DECIMAL(12,2), '${currency}', ${gift}::BOOLEAN, TIMESTAMP '${at}')`;

async function salesRoot(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-root-'));
  await writeClean(root, 'sales/orders/ordered_at_date=2024-05-01/part-0.parquet', ORDERS([
    order(1, 1, 2, '10.00', 'EUR', 'false', '2024-05-01 10:00:00'),
    order(1, 2, 1, '5.50', 'EUR', 'true', '2024-05-01 10:00:00'),
    order(2, 1, 3, '1.00', 'USD', 'NULL', '2024-05-01 23:59:59'),
  ].join(', ')));
  await writeClean(root, 'sales/orders/ordered_at_date=2024-05-02/part-0.parquet', ORDERS(order(3, 1, 1, '100.00', 'GBP', 'false', '2024-05-02 00:00:00')));
  return root;
}

function capture() {
  const lines: string[] = [];
  return { stdout: { write: (s: string) => lines.push(s) }, json: () => lines.map((l) => JSON.parse(l)), lines };
}

const curated = (root: string, rel: string) => path.join(root, '.lakehouse', 'curated', rel);
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('npx lakehouse run-model (DuckDB, local zones)', () => {
  const domainsDir = tempDomainsDir();

  test('runs the sales example over every partition, publishes Parquet per partition and prints one JSON line', async () => {
    const root = await salesRoot();
    const out = capture();
    const code = await runModelCommand(['sales/daily_revenue'], { root, stdout: out.stdout, domainsDir });
    expect(out.lines).toHaveLength(1);
    const [result] = out.json();
    expect(code).toBe(0);
    expect(result).toMatchObject({ model: 'sales/daily_revenue', engine: 'duckdb', ok: true, rows: 3, output: '.lakehouse/curated/sales/daily_revenue' });
    expect(result.partitions.map((p: any) => [p.partition, p.rows, p.published])).toEqual([
      ['2024-05-01', 2, true],
      ['2024-05-02', 1, true],
    ]);
    const names = result.partitions[0].assertions.map((a: any) => [a.name, a.ok]);
    expect(names).toEqual([
      ['min_rows(1)', true],
      ['not_null(currency, orders, order_lines, revenue)', true],
      ['unique(order_date, currency)', true],
      ['accepted_values(currency)', true],
      ['sql(revenue_not_negative)', true],
      ['sql(orders_within_lines)', true],
    ]);
    expect(fs.readdirSync(curated(root, 'sales/daily_revenue'))).toEqual(['order_date=2024-05-01', 'order_date=2024-05-02']);
    expect(fs.readdirSync(curated(root, 'sales/daily_revenue/order_date=2024-05-01'))).toEqual(['part-00000.parquet']);
    // No staging left behind.
    expect(fs.existsSync(curated(root, 'sales/_staging'))).toBe(false);

    const rows = await duck(`SELECT CAST(order_date AS VARCHAR) AS d, currency, orders, order_lines, units, CAST(revenue AS VARCHAR) AS revenue, gift_lines
      FROM read_parquet('${curated(root, 'sales/daily_revenue')}/*/*.parquet', hive_partitioning = true) ORDER BY d, currency`);
    expect(rows).toEqual([
      { d: '2024-05-01', currency: 'EUR', orders: '1', order_lines: '2', units: '3', revenue: '25.50', gift_lines: '1' },
      { d: '2024-05-01', currency: 'USD', orders: '1', order_lines: '1', units: '3', revenue: '3.00', gift_lines: '0' },
      { d: '2024-05-02', currency: 'GBP', orders: '1', order_lines: '1', units: '1', revenue: '100.00', gift_lines: '0' },
    ]);
    // The file holds the declared types, without the partition column (it is in the path).
    const schema = await duck<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet('${curated(root, 'sales/daily_revenue/order_date=2024-05-01/part-00000.parquet')}', hive_partitioning = false)`);
    expect(schema.map((c) => [c.column_name, c.column_type])).toEqual([
      ['currency', 'VARCHAR'],
      ['orders', 'BIGINT'],
      ['order_lines', 'BIGINT'],
      ['units', 'BIGINT'],
      ['revenue', 'DECIMAL(18,2)'],
      ['gift_lines', 'BIGINT'],
    ]);
  });

  test('a rerun replaces a partition and never duplicates it (surplus files of an earlier run are removed)', async () => {
    const root = await salesRoot();
    expect(await runModelCommand(['sales/daily_revenue'], { root, stdout: capture().stdout, domainsDir })).toBe(0);
    const dir = curated(root, 'sales/daily_revenue/order_date=2024-05-01');
    fs.copyFileSync(path.join(dir, 'part-00000.parquet'), path.join(dir, 'part-00001.parquet')); // an earlier run's second file
    expect(await runModelCommand(['sales/daily_revenue', '--partition', '2024-05-01'], { root, stdout: capture().stdout, domainsDir })).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['part-00000.parquet']);
    const [count] = await duck<{ n: string }>(`SELECT COUNT(*) AS n FROM read_parquet('${curated(root, 'sales/daily_revenue')}/*/*.parquet')`);
    expect(count.n).toBe('3');
  });

  test('a failed assertion blocks publication: the previous partition stays, the failure names the assertion with a sample', async () => {
    const root = await salesRoot();
    expect(await runModelCommand(['sales/daily_revenue'], { root, stdout: capture().stdout, domainsDir })).toBe(0);
    const published = curated(root, 'sales/daily_revenue/order_date=2024-05-01/part-00000.parquet');
    const before = sha(published);
    await writeClean(root, 'sales/orders/ordered_at_date=2024-05-01/part-1.parquet', ORDERS(order(9, 1, 1, '2.00', 'JPY', 'false', '2024-05-01 12:00:00')));

    const out = capture();
    const code = await runModelCommand(['sales/daily_revenue'], { root, stdout: out.stdout, domainsDir });
    const [result] = out.json();
    expect(code).toBe(1);
    expect(result.ok).toBe(false);
    const may1 = result.partitions.find((p: any) => p.partition === '2024-05-01');
    expect(may1).toMatchObject({ published: false, rows: 3, files: [] });
    const failed = may1.assertions.filter((a: any) => !a.ok);
    expect(failed).toEqual([{ name: 'accepted_values(currency)', kind: 'accepted_values', line: 17, ok: false, failingRows: 1, sample: [{ currency: 'JPY', rejected_rows: '1' }] }]);
    expect(sha(published)).toBe(before);
    // The other partition was unaffected and republished.
    expect(result.partitions.find((p: any) => p.partition === '2024-05-02')).toMatchObject({ published: true });
  });

  test('the web_events example runs unchanged; --partition limits the run', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-root-'));
    const views = (rows: string) => `SELECT * FROM (VALUES ${rows}) AS t(event_id, session_id, user_id, page, device, duration_ms, viewed_at)`;
    await writeClean(root, 'web_events/page_views/event_date=2024-05-01/part-0.parquet', views([
      `('e1', 's1', 7::BIGINT, '/home', 'mobile', 1000::BIGINT, TIMESTAMP '2024-05-01 08:00:00')`,
      `('e2', 's1', 7::BIGINT, '/home', 'mobile', 3000::BIGINT, TIMESTAMP '2024-05-01 08:01:00')`,
      `('e3', 's2', NULL::BIGINT, '/home', NULL, NULL::BIGINT, TIMESTAMP '2024-05-01 09:00:00')`,
    ].join(', ')));
    await writeClean(root, 'web_events/page_views/event_date=2024-05-02/part-0.parquet', views(`('e4', 's3', 8::BIGINT, '/cart', 'desktop', 500::BIGINT, TIMESTAMP '2024-05-02 10:00:00')`));
    const out = capture();
    expect(await runModelCommand(['web_events/daily_page_views', '--partition', '2024-05-01'], { root, stdout: out.stdout, domainsDir })).toBe(0);
    expect(out.json()[0].partitions.map((p: any) => p.partition)).toEqual(['2024-05-01']);
    expect(fs.readdirSync(curated(root, 'web_events/daily_page_views'))).toEqual(['event_date=2024-05-01']);
    const rows = await duck(`SELECT page, device, views, sessions, users, avg_duration_ms FROM read_parquet('${curated(root, 'web_events/daily_page_views')}/*/*.parquet') ORDER BY device`);
    expect(rows).toEqual([
      { page: '/home', device: 'mobile', views: '2', sessions: '1', users: '1', avg_duration_ms: 2000 },
      { page: '/home', device: 'unknown', views: '1', sessions: '1', users: '0', avg_duration_ms: null },
    ]);
  });

  test('an input without files is an empty view: the partition fails min_rows and nothing is published', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-root-'));
    const out = capture();
    expect(await runModelCommand(['sales/daily_revenue', '--partition', '2024-05-01'], { root, stdout: out.stdout, domainsDir })).toBe(1);
    const [result] = out.json();
    expect(result.partitions[0]).toMatchObject({ partition: '2024-05-01', rows: 0, published: false });
    expect(result.partitions[0].assertions[0]).toMatchObject({ name: 'min_rows(1)', ok: false, sample: [{ row_count: '0' }] });
    expect(fs.existsSync(curated(root, 'sales/daily_revenue'))).toBe(false);
  });

  test('fails with a usage error for bad arguments', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-root-'));
    const cases: Array<[string[], RegExp]> = [
      [[], /which model/],
      [['sales'], /not <domain>\/<model>/],
      [['sales/daily_revenue', '--partition', 'yesterday'], /--partition needs a yyyy-mm-dd date/],
      [['sales/daily_revenue', '--fast'], /unknown option --fast/],
      [['a/b', 'c/d'], /one model at a time/],
    ];
    for (const [args, message] of cases) {
      const out = capture();
      const error = await runModelCommand(args, { root, stdout: out.stdout, domainsDir }).then(() => undefined, (e) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(message);
      expect(out.lines).toEqual([]);
    }
  });

  test('fails with exit code 2 and says why for an unknown domain or model', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-root-'));
    const cases: Array<[string[], RegExp]> = [
      [['sales/weekly'], /unknown model sales\/weekly.*daily_revenue/],
      [['stock/daily'], /unknown domain stock.*sales, web_events/],
    ];
    for (const [args, message] of cases) {
      const out = capture();
      expect(await runModelCommand(args, { root, stdout: out.stdout, domainsDir })).toBe(2);
      expect(out.json()[0]).toMatchObject({ ok: false, error: expect.stringMatching(message) });
    }
  });

  test('fails with exit code 2 naming file, line and fix for a bad model file', async () => {
    const bad = exampleModelText('sales', 'daily_revenue').replace('-- @assert unique order_date, currency', '-- @assert unique order_day, currency');
    const dir = tempDomainsDir([SALES, WEB_EVENTS], { sales: { daily_revenue: bad } });
    const out = capture();
    expect(await runModelCommand(['sales/daily_revenue'], { root: os.tmpdir(), stdout: out.stdout, domainsDir: dir })).toBe(2);
    expect(out.json()[0].error).toMatch(/LH130.*daily_revenue\.sql:16.*order_day, which is not a declared @column.*Fix: declare it/);
  });
});
