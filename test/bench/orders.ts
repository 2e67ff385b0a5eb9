/**
 * A seeded generator of "orders" files for the transform benchmark:
 * CSV with a header or NDJSON, about 1% bad rows of the kinds the transform must quarantine.
 * Orders fall uniformly on ORDER_DAYS consecutive days from ORDER_FIRST_DAY (one file holding a
 * couple of months of orders, as a monthly-ish export would).
 * Deterministic for a given seed; streams to disk so 4M-row files do not sit in memory.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DatasetContract } from '../../lambda/shared/dataset';
import { seededRandom } from '../helpers/random';

export const ORDERS_CONTRACT: DatasetContract = {
  version: 1,
  domain: 'sales',
  dataset: 'orders',
  format: 'csv',
  columns: [
    { name: 'order_id', type: 'bigint', required: true },
    { name: 'customer_id', type: 'int', required: true },
    { name: 'amount', type: 'decimal(12,2)', required: true, range: { min: 0 } },
    { name: 'currency', type: 'string', required: true, allowedValues: ['EUR', 'USD', 'GBP'] },
    { name: 'order_date', type: 'date', required: true },
    { name: 'ordered_at', type: 'timestamp', required: true },
    { name: 'status', type: 'string', allowedValues: ['placed', 'shipped', 'delivered', 'cancelled'] },
    { name: 'is_gift', type: 'boolean' },
    { name: 'quantity', type: 'int', range: { min: 1, max: 1000 } },
    { name: 'note', type: 'string' },
  ],
  partitionColumn: 'order_date',
  partitionName: 'order_date',
};

const COLUMNS = ORDERS_CONTRACT.columns.map((c) => c.name);
const STATUSES = ['placed', 'shipped', 'delivered', 'cancelled'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];
const NOTES = ['', '', '', 'gift wrap', 'leave at door', 'call first, then ring', 'fragile'];


const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** How many days the generated orders span, from ORDER_FIRST_DAY (UTC). */
export const ORDER_DAYS = 60;
export const ORDER_FIRST_DAY = '2024-03-01';
/** Changes whenever the generated content changes, so cached `.bench/` files are not reused. */
export const GENERATOR_VERSION = 2;
const DAY_MS = 86_400_000;
const FIRST_DAY_MS = Date.parse(`${ORDER_FIRST_DAY}T00:00:00Z`);
/** `YYYY-MM-DD` of the n-th day (0-based) of the span. */
export const orderDay = (n: number) => new Date(FIRST_DAY_MS + n * DAY_MS).toISOString().slice(0, 10);

/** The kinds of bad row the generator injects, with how they are expected to fail. */
export const BAD_KINDS = [
  'decimal-in-int',
  'bad-date',
  'missing-required',
  'unknown-status',
  'too-many-decimals',
  'no-offset',
  'malformed', // CSV: a field with a stray quote; NDJSON: broken JSON
  'field-count',
] as const;

export interface GenerateOptions {
  readonly rows: number;
  readonly format: 'csv' | 'ndjson';
  readonly path: string;
  readonly seed?: number;
  /** Share of rows made bad. @default 0.01 */
  readonly badRate?: number;
}

export interface GenerateResult {
  readonly rows: number;
  readonly badRows: number;
  readonly bytes: number;
}

/** Writes an orders file; returns how many rows (and bad rows) it holds. */
export async function generateOrders(opts: GenerateOptions): Promise<GenerateResult> {
  const rand = seededRandom(opts.seed ?? 42);
  const badRate = opts.badRate ?? 0.01;
  const out = createWriteStream(opts.path);
  let bytes = 0;
  let badRows = 0;
  let buf: string[] = [];
  const flush = async () => {
    const s = buf.join('');
    buf = [];
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  if (opts.format === 'csv') buf.push(COLUMNS.join(',') + '\n');
  for (let i = 0; i < opts.rows; i++) {
    const day = orderDay(Math.floor(rand() * ORDER_DAYS));
    const hh = Math.floor(rand() * 24);
    const rec: Record<string, string | number | boolean | null> = {
      order_id: 1_000_000_000 + i,
      customer_id: 1 + Math.floor(rand() * 2_000_000),
      amount: (Math.floor(rand() * 10_000_000) / 100).toFixed(2),
      currency: CURRENCIES[Math.floor(rand() * 3)],
      order_date: day,
      ordered_at: `${day}T${pad(hh)}:${pad(Math.floor(rand() * 60))}:${pad(Math.floor(rand() * 60))}.${pad(Math.floor(rand() * 1000), 3)}Z`,
      status: STATUSES[Math.floor(rand() * 4)],
      is_gift: rand() < 0.1,
      quantity: 1 + Math.floor(rand() * 20),
      note: NOTES[Math.floor(rand() * NOTES.length)],
    };
    let kind: (typeof BAD_KINDS)[number] | undefined;
    if (rand() < badRate) {
      kind = BAD_KINDS[Math.floor(rand() * BAD_KINDS.length)];
      badRows++;
      if (kind === 'decimal-in-int') rec.quantity = '2.5';
      else if (kind === 'bad-date') rec.order_date = '2024-02-30';
      else if (kind === 'missing-required') rec.customer_id = null;
      else if (kind === 'unknown-status') rec.status = 'lost';
      else if (kind === 'too-many-decimals') rec.amount = '12.345';
      else if (kind === 'no-offset') rec.ordered_at = `${day}T10:00:00`;
    }
    if (opts.format === 'csv') {
      const cells = COLUMNS.map((c) => {
        const v = rec[c];
        if (v === null || v === '') return '';
        const s = String(v);
        return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      });
      if (kind === 'malformed') cells[9] = 'a "quoted" word';
      if (kind === 'field-count') cells.push('surplus');
      buf.push(cells.join(',') + '\n');
    } else {
      const obj: Record<string, unknown> = {};
      for (const c of COLUMNS) {
        const v = rec[c];
        if (v === null) continue;
        obj[c] = c === 'amount' && kind !== 'too-many-decimals' ? Number(v) : v;
      }
      let line = JSON.stringify(obj);
      if (kind === 'malformed' || kind === 'field-count') line = line.slice(0, -1); // truncated object
      buf.push(line + '\n');
    }
    if (buf.length >= 4096) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows: opts.rows, badRows, bytes };
}

/** gzip-compresses a file (streaming). */
export async function gzipFile(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createGzip({ level: 6 }), createWriteStream(to));
}
