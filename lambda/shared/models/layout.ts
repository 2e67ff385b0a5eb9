/**
 * Where a model's data and records live: its partitions (UTC dates), the clean keys that trigger
 * it, its curated prefix and published file names, its run records, and its staging tables.
 */
import type { ModelSpec } from './spec';

/** Suffix that marks a staging table (`<model>__stg_<run>`); model names never contain `__`. */
export const STAGING_TABLE_MARKER = '__stg_';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is this a real calendar date written `yyyy-mm-dd`? */
export function isPartitionDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Throws unless `value` is a real calendar date written `yyyy-mm-dd`. */
export function assertPartitionDate(value: string): void {
  if (!isPartitionDate(value)) throw new Error(`partition value ${JSON.stringify(value)} is not a yyyy-mm-dd date`);
}

/** The UTC dates `days` back from `now`, oldest first, today included. */
export function lookbackDates(now: Date, days: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) {
    out.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i)).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The model partition a clean object's arrival affects: `<domain>/<dataset>/<partitionName>=<date>/…`
 * of one of the model's inputs gives `<date>`. Undefined for other keys (another dataset, a key
 * outside partitions, hidden `_`/`.` files).
 */
export function partitionOfCleanKey(spec: ModelSpec, key: string): string | undefined {
  for (const input of spec.inputs) {
    if (!key.startsWith(input.prefix)) continue;
    const rest = key.slice(input.prefix.length).split('/');
    if (rest.length < 2) return undefined;
    const file = rest[rest.length - 1];
    if (!file || file.startsWith('_') || file.startsWith('.')) return undefined;
    const m = new RegExp(`^${input.partitionName}=(\\d{4}-\\d{2}-\\d{2})$`).exec(rest[0]);
    return m && isPartitionDate(m[1]) ? m[1] : undefined;
  }
  return undefined;
}

/** Key prefix of the model's table in the curated zone: `<domain>/<model>/`. */
export function modelPrefix(spec: Pick<ModelSpec, 'domain' | 'name'>): string {
  return `${spec.domain}/${spec.name}/`;
}

/** Key prefix of one published partition: `<domain>/<model>/<partition>=<date>/`. */
export function partitionPrefix(spec: Pick<ModelSpec, 'domain' | 'name' | 'partition'>, date: string): string {
  assertPartitionDate(date);
  return `${modelPrefix(spec)}${spec.partition}=${date}/`;
}

/**
 * Where a partition's run records live, outside the table location:
 * `<domain>/_runs/<model>/<partition>=<date>/`. Each run writes one record whose key names its
 * start, outcome and model hash, so the runner learns what ran by listing keys — it never reads
 * curated objects (the governance proof forbids a role that writes curated from reading it).
 */
export function runRecordPrefix(spec: Pick<ModelSpec, 'domain' | 'name' | 'partition'>, date: string): string {
  assertPartitionDate(date);
  return `${spec.domain}/_runs/${spec.name}/${spec.partition}=${date}/`;
}

/** The deterministic name of the i-th published file of a partition. */
export function partFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}.parquet`;
}
