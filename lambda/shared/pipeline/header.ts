/**
 * How a file's columns map to the contract, on both routes: a CSV header matched to the contract
 * columns by their source names (a column's `header`, else its name), a header-less CSV's fields
 * in declaration order, NDJSON drift from the sampled keys. Free of DuckDB, so the big-file
 * route's function (which has no DuckDB) can use it.
 */
import { sourceNameOf, type DatasetContract } from '../dataset';
import { csvFormatOf, headerHint } from './dialect';
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
  const sourceName = (c: { name: string; header?: string }) => sourceNameOf(c).trim().toLowerCase();
  const known = new Set(contract.columns.map(sourceName));
  const drift = names.filter((n) => !known.has(n.toLowerCase()));
  const fieldOf = new Map<string, number>();
  for (const c of contract.columns) {
    const i = byName.get(sourceName(c));
    if (i !== undefined) fieldOf.set(c.name, i);
  }
  const missing = contract.columns.filter((c) => !fieldOf.has(c.name)).map((c) => c.name);
  const missingRequired = effectiveColumns(contract)
    .filter((c) => c.required && !fieldOf.has(c.name))
    .map((c) => c.name);
  let fileReason: string | undefined;
  if (repeated.size > 0) fileReason = `header repeats column ${[...repeated].join(', ')}`;
  else if (missingRequired.length > 0) {
    const wanted = (name: string) => {
      const col = contract.columns.find((c) => c.name === name)!;
      return col.header === undefined ? name : `${name} (header ${JSON.stringify(col.header)})`;
    };
    fileReason = `header lacks required column ${missingRequired.map(wanted).join(', ')}`;
  } else if (fieldOf.size === 0) {
    // No column of the contract at all (data in the header line, another delimiter, another file):
    // without this, a contract with no required column would publish every row as NULLs.
    fileReason = `header has none of the dataset's columns (${contract.columns.map((c) => c.name).join(', ')})`;
  }
  return { layout: { format: 'csv', fieldCount: fields.length, fieldOf, header: true }, drift, missing, fileReason };
}

/** A header-less CSV: its fields are the contract's columns in declaration order. */
export function headerlessLayout(contract: DatasetContract): CsvLayout {
  return { format: 'csv', fieldCount: contract.columns.length, fieldOf: new Map(contract.columns.map((c, i) => [c.name, i])), header: false };
}

/** What the first pass learns about a CSV file's columns (for NDJSON: see `keysDrift`). */
export interface FileColumns {
  /** Set once a CSV header was read. */
  layout?: CsvLayout;
  drift: string[];
  missing: string[];
}

/**
 * The first pass's `onHeader` for a contract: fills `columns` and returns the file's reason, if
 * any — with what the header suggests when it does not match (another delimiter, not UTF-8). A
 * header-less CSV has its layout from the start.
 */
export function headerReader(contract: DatasetContract): { readonly columns: FileColumns; readonly onHeader: (fields: string[] | Error, text: string) => string | undefined } {
  const format = csvFormatOf(contract.csv);
  const columns: FileColumns = { drift: [], missing: [] };
  if (contract.format === 'csv' && !format.header) columns.layout = headerlessLayout(contract);
  const withHint = (reason: string, text: string) => {
    const hint = headerHint(contract, text, format);
    return hint ? `${reason}; ${hint}` : reason;
  };
  const onHeader = (fields: string[] | Error, text: string) => {
    if (fields instanceof Error) return withHint(`header is malformed: ${fields.message}`, text);
    const m = matchHeader(contract, fields);
    columns.layout = m.layout;
    columns.drift = m.drift;
    columns.missing = m.missing;
    return m.fileReason === undefined ? undefined : withHint(m.fileReason, text);
  };
  return { columns, onHeader };
}

/** NDJSON drift from the keys of the sampled records (sorted): keys the contract does not know, contract columns none had. */
export function keysDrift(contract: DatasetContract, keys: readonly string[]): { drift: string[]; missing: string[] } {
  const known = new Set(contract.columns.map(sourceNameOf));
  const seen = new Set(keys);
  return { drift: keys.filter((k) => !known.has(k)), missing: contract.columns.filter((c) => !seen.has(sourceNameOf(c))).map((c) => c.name) };
}
