/**
 * How a file's columns map to the contract, on both routes: a CSV header matched to the contract
 * columns, NDJSON drift from the sampled keys. Free of DuckDB, so the big-file route's function
 * (which has no DuckDB) can use it.
 */
import type { DatasetContract } from '../dataset';
import { effectiveColumns, type CsvLayout } from './plan';

/** Matches the header to the contract: which field holds which column, what is extra, what is wrong. */
export function matchHeader(
  contract: DatasetContract,
  fields: readonly string[],
): { layout: CsvLayout; drift: string[]; missing: string[]; fileReason?: string } {
  const names = fields.map((f) => f.trim());
  const byName = new Map<string, number>();
  const repeated = new Set<string>();
  names.forEach((n, i) => {
    const k = n.toLowerCase();
    if (byName.has(k)) repeated.add(n);
    else byName.set(k, i);
  });
  const known = new Set(contract.columns.map((c) => c.name.toLowerCase()));
  const drift = names.filter((n) => !known.has(n.toLowerCase()));
  const fieldOf = new Map<string, number>();
  for (const c of contract.columns) {
    const i = byName.get(c.name.toLowerCase());
    if (i !== undefined) fieldOf.set(c.name, i);
  }
  const missing = contract.columns.filter((c) => !fieldOf.has(c.name)).map((c) => c.name);
  const missingRequired = effectiveColumns(contract)
    .filter((c) => c.required && !fieldOf.has(c.name))
    .map((c) => c.name);
  let fileReason: string | undefined;
  if (repeated.size > 0) fileReason = `header repeats column ${[...repeated].join(', ')}`;
  else if (missingRequired.length > 0) fileReason = `header lacks required column ${missingRequired.join(', ')}`;
  return { layout: { format: 'csv', fieldCount: fields.length, fieldOf }, drift, missing, fileReason };
}

/** What the first pass learns about a CSV file's columns (for NDJSON: see `keysDrift`). */
export interface FileColumns {
  /** Set once a CSV header was read. */
  layout?: CsvLayout;
  drift: string[];
  missing: string[];
}

/** The first pass's `onHeader` for a contract: fills `columns` and returns the file's reason, if any. */
export function headerReader(contract: DatasetContract): { readonly columns: FileColumns; readonly onHeader: (fields: string[] | Error) => string | undefined } {
  const columns: FileColumns = { drift: [], missing: [] };
  const onHeader = (fields: string[] | Error) => {
    if (fields instanceof Error) return `header is malformed: ${fields.message}`;
    const m = matchHeader(contract, fields);
    columns.layout = m.layout;
    columns.drift = m.drift;
    columns.missing = m.missing;
    return m.fileReason;
  };
  return { columns, onHeader };
}

/** NDJSON drift from the keys of the sampled records (sorted): keys the contract does not know, contract columns none had. */
export function keysDrift(contract: DatasetContract, keys: readonly string[]): { drift: string[]; missing: string[] } {
  const known = new Set(contract.columns.map((c) => c.name));
  const seen = new Set(keys);
  return { drift: keys.filter((k) => !known.has(k)), missing: contract.columns.filter((c) => !seen.has(c.name)).map((c) => c.name) };
}
