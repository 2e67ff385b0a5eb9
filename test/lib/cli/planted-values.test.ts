/**
 * The planted-value test: after `npx lakehouse run` (and `run-model`) on files with known e-mail
 * addresses and user ids, no byte of any clean or curated Parquet file contains any of them — the
 * files' bytes are scanned, not only their decoded columns — and the tokens in clean are the
 * HMAC-SHA256 of the values under the local key. Reruns and a second source give the same tokens.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../../../lib/cli/main';
import { LOCAL_DIR, LOCAL_TOKEN_KEY_FILE } from '../../../lib/cli/local';
import { parseTokenSecret } from '../../../lambda/shared/pipeline/tokens';

const EMAILS = ['ann.planted@example.com', 'bob.planted@example.org', 'zoë.planted@exämple.de'];
const USER_IDS = ['987654321987', '123456789123'];

const orders = (first: number) =>
  [
    'order_id,line_no,customer_email,sku,quantity,unit_price,currency,is_gift,ordered_at',
    `${first},1,${EMAILS[0]},SKU-1,2,19.90,EUR,false,2026-03-01T09:15:00Z`,
    `${first},2,${EMAILS[0]},SKU-2,1,5.00,EUR,true,2026-03-01T09:15:00Z`,
    `${first + 1},1,${EMAILS[1]},SKU-3,3,9.99,USD,,2026-03-01T23:30:00-05:00`,
    `${first + 2},1,"${EMAILS[2]}",SKU-4,1,1.00,GBP,false,2026-03-02T08:00:00Z`,
    // Bad rows: the address reaches quarantine in clear (original lines), never clean.
    `${first + 3},1,${EMAILS[1]},SKU-5,0,1.00,EUR,false,2026-03-02T08:00:00Z`,
  ].join('\n') + '\n';

const pageViews = USER_IDS.map((id, i) => JSON.stringify({ event_id: `e${i}`, event_date: '2026-03-01', session_id: `s${i}`, user_id: Number(id), page: '/home', device: 'mobile', duration_ms: 10, viewed_at: '2026-03-01T10:00:00Z' }))
  .concat([JSON.stringify({ event_id: 'e9', event_date: '2026-03-01', session_id: 's9', page: '/anonymous', viewed_at: '2026-03-01T10:00:00Z' })])
  .join('\n') + '\n';

function io(root: string) {
  let out = '';
  return { opts: { root, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } }, json: () => out.trim().split('\n').map((l) => JSON.parse(l)) };
}

function parquetFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet')).map((f) => path.join(dir, f));
}

async function column(files: readonly string[], name: string): Promise<(string | null)[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const list = files.map((f) => `'${f}'`).join(', ');
    const rows = (await c.runAndReadAll(`SELECT ${name} FROM read_parquet([${list}], hive_partitioning = false, union_by_name = true) ORDER BY 1 NULLS LAST`)).getRows();
    return rows.map(([v]) => (v === null ? null : String(v)));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

test('no clean or curated Parquet byte holds a planted value; the tokens are the HMAC of the values under the local key', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-planted-'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-planted-files-'));
  const file = (name: string, body: string | Buffer) => (fs.writeFileSync(path.join(dir, name), body), path.join(dir, name));
  const salesFile = file('orders.csv', orders(1001));
  const marketplaceFile = file('marketplace-orders.csv', orders(2001));
  const webFile = file('page_views.ndjson.gz', gzipSync(pageViews));

  // The web shop's file, then the marketplace partner's (its own source prefix), then the web events.
  const a = io(root);
  expect(await main(['run', 'sales/orders', salesFile], a.opts)).toBe(0);
  expect(await main(['run', 'sales/orders', marketplaceFile, '--source', 'marketplace'], a.opts)).toBe(0);
  expect(await main(['run', 'web_events/page_views', webFile], a.opts)).toBe(0);
  const [webshopRun, marketplaceRun] = a.json();
  expect([webshopRun.rowsOut, webshopRun.rowsQuarantined, marketplaceRun.rowsOut]).toEqual([4, 1, 4]);
  expect(fs.existsSync(path.join(root, LOCAL_DIR, 'raw', 'sales', 'webshop', 'orders', 'orders.csv'))).toBe(true);
  expect(fs.existsSync(path.join(root, LOCAL_DIR, 'raw', 'sales', 'marketplace', 'orders', 'marketplace-orders.csv'))).toBe(true);
  expect(await main(['run-model', 'sales/daily_revenue'], io(root).opts)).toBe(0);
  expect(await main(['run-model', 'web_events/daily_page_views'], io(root).opts)).toBe(0);

  const clean = parquetFiles(path.join(root, LOCAL_DIR, 'clean'));
  const curated = parquetFiles(path.join(root, LOCAL_DIR, 'curated'));
  expect(clean.length).toBeGreaterThanOrEqual(5);
  expect(curated.length).toBeGreaterThanOrEqual(3);
  for (const f of [...clean, ...curated]) {
    const bytes = fs.readFileSync(f);
    for (const value of [...EMAILS, ...USER_IDS]) {
      expect({ file: path.relative(root, f), value, found: bytes.includes(Buffer.from(value, 'utf8')) }).toEqual({ file: path.relative(root, f), value, found: false });
    }
  }
  // Quarantine is a clear zone: the bad row's address is there, for the steward.
  const quarantine = fs.readdirSync(path.join(root, LOCAL_DIR, 'quarantine'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ndjson'));
  expect(quarantine.some((f) => fs.readFileSync(path.join(root, LOCAL_DIR, 'quarantine', f), 'utf8').includes(EMAILS[1]))).toBe(true);

  // The tokens are HMAC-SHA256 of the values under the generated key (owner-only file, the secret's form).
  const keyFile = path.join(root, LOCAL_DIR, LOCAL_TOKEN_KEY_FILE);
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  const { key } = parseTokenSecret(fs.readFileSync(keyFile, 'utf8'), keyFile);
  const salesClean = clean.filter((f) => f.includes(`${path.sep}sales${path.sep}`));
  const emailTokens = await column(salesClean, 'customer_email');
  // Two files of three customers each; the same address has the same token whichever source sent it.
  expect(emailTokens).toEqual([EMAILS[0], EMAILS[0], EMAILS[1], EMAILS[2]].flatMap((e) => [key.token(e), key.token(e)]).sort());
  const userTokens = await column(clean.filter((f) => f.includes('web_events')), 'user_id');
  expect(userTokens).toEqual([...USER_IDS.map((id) => key.token(id)).sort(), null]);

  // A rerun gives the same tokens (the key is kept), and the models count customers by token.
  expect(await main(['run', 'sales/orders', salesFile], io(root).opts)).toBe(0);
  expect(await column(parquetFiles(path.join(root, LOCAL_DIR, 'clean', 'sales')), 'customer_email')).toEqual(emailTokens);
  expect(await column(curated.filter((f) => f.includes('daily_page_views')), 'users')).toEqual(['0', '2']);
});

test('fails with usage if the source does not deliver the dataset', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-planted-'));
  const file = path.join(root, 'x.csv');
  fs.writeFileSync(file, 'a\n');
  let err = '';
  const code = await main(['run', 'sales/orders', file, '--source', 'erp'], { root, stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } });
  expect(code).toBe(2);
  expect(err).toMatch(/sales\/orders is delivered by webshop, marketplace, not by erp/);
});
