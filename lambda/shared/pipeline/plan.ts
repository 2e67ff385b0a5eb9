/**
 * The SQL of the DuckDB passes over the intermediate file written by the first pass (scan.ts).
 * Both stream: nothing proportional to the file is held in memory.
 *
 * - The checking pass types and checks every value (rules.ts) and keeps only the bad rows — line
 *   number, where to find the original text, reasons — in a small table; DuckDB's own reader
 *   rejects (wrong field count, bad UTF-8) land in a rejects table.
 * - The writing pass reads the file again, drops the bad rows with an anti-join on the line
 *   number, converts the rest with plain casts (their text already passed), replaces personal
 *   data by its token or leaves it out (tokens.ts) and writes Parquet.
 *
 * Reading twice costs less than holding the typed rows: the pattern checks run once, and memory
 * stays flat however large the file.
 */
import { sourceNameOf, type ColumnDefinition, type DatasetContract } from '../dataset';
import { csvFormatOf, duckDbDialect } from './dialect';
import { REASON_SEPARATOR, columnSql, sqlIdent, sqlString, type NotScalar } from './rules';
import { MAX_RECORD_BYTES, NDJSON_SEPARATOR } from './scan';
import { cleanSelectItems } from './tokens';

/** Columns the tables of the passes have besides the contract's columns. */
export const LINE_COLUMN = '__line';
export const OFFSET_COLUMN = '__off';
export const RAW_COLUMN = '__raw';
/** NDJSON: where the first pass quoted the record's numbers (json.ts `restoreNumbers`). */
export const NUMBERS_COLUMN = '__num';
export const REASONS_COLUMN = '__reasons';
export const KEYS_COLUMN = '__keys';
export const PARTITION_COLUMN = '__partition';
/** NDJSON: the keys of the records on these first lines are compared with the contract (drift). */
export const DRIFT_SAMPLE_LINES = 10_000;
/**
 * DuckDB's line limit: a record the first pass let through, plus its prefix, always fits. An
 * NDJSON record grows by at most 10 bytes for each number the first pass quotes (two quotes, and
 * up to 7 offset digits and a comma in the prefix), and each such number takes at least 6 bytes
 * of the record (`"":-0,`), so the line is at most 8/3 of the record, plus the line number.
 */
const MAX_LINE_BYTES = 3 * MAX_RECORD_BYTES;

export interface CsvLayout {
  readonly format: 'csv';
  /** Fields per record, as the header has them. */
  readonly fieldCount: number;
  /** Contract column name → field index in the header (absent: the column is not in the file). */
  readonly fieldOf: ReadonlyMap<string, number>;
  /** Whether the file has a header (without one, the fields are the columns in declaration order). @default true */
  readonly header?: boolean;
}
export interface NdjsonLayout {
  readonly format: 'ndjson';
}

/** The partition column must have a value: a record without one has nowhere to go. */
export function effectiveColumns(contract: DatasetContract): ColumnDefinition[] {
  return contract.columns.map((c) => (c.name === contract.partitionColumn && !c.required ? { ...c, required: true } : c));
}

export interface PassOptions {
  readonly contract: DatasetContract;
  readonly layout: CsvLayout | NdjsonLayout;
  readonly intermediatePath: string;
  /**
   * Read the intermediate file on one thread: needed when CSV records span lines (ScanResult.multiline).
   * @default false
   */
  readonly sequential?: boolean;
  /** The partition value (`YYYY-MM-DD`) of a contract partitioned by arrival: the UTC date the file arrived. */
  readonly arrivalDate?: string;
}

/** How the intermediate file is read, and how each contract column's text is reached. */
function source(opts: PassOptions, rejects?: { table: string; scan: string }) {
  const cols = effectiveColumns(opts.contract);
  const csv = opts.layout.format === 'csv';
  const columns: [string, string][] = [[LINE_COLUMN, 'BIGINT']];
  if (opts.layout.format === 'csv') {
    columns.push([OFFSET_COLUMN, 'BIGINT']);
    for (let i = 0; i < opts.layout.fieldCount; i++) columns.push([`f${i}`, 'VARCHAR']);
  } else {
    columns.push([NUMBERS_COLUMN, 'VARCHAR'], [RAW_COLUMN, 'VARCHAR']);
  }
  const spec = columns.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ');
  const dialect = csv ? duckDbDialect(csvFormatOf(opts.contract.csv)) : `delim=${sqlString(String.fromCharCode(NDJSON_SEPARATOR))}, quote='', escape=''`;
  const errors = rejects
    ? `store_rejects=true, rejects_table=${sqlString(rejects.table)}, rejects_scan=${sqlString(rejects.scan)}`
    : 'ignore_errors=true';
  const read =
    `read_csv(${sqlString(opts.intermediatePath)}, header=false, auto_detect=false, ${dialect}, new_line='\\n', ` +
    `columns={${spec}}, ${errors}, max_line_size=${MAX_LINE_BYTES}, strict_mode=true${opts.sequential ? ', parallel=false' : ''})`;

  if (opts.layout.format === 'csv') {
    const fieldOf = opts.layout.fieldOf;
    return {
      cols,
      from: `SELECT * FROM ${read}`,
      text: (col: ColumnDefinition) => {
        const idx = fieldOf.get(col.name);
        return idx === undefined ? 'NULL::VARCHAR' : `f${idx}`;
      },
    };
  }
  // Keys are the columns' source names (`header`); json_transform matches them exactly.
  const json = JSON.stringify(Object.fromEntries(cols.map((c) => [sourceNameOf(c), 'VARCHAR'])));
  return {
    cols,
    /** `__j`: the record's values as text. The first pass let only JSON objects through. */
    from: `SELECT ${LINE_COLUMN}, ${NUMBERS_COLUMN}, ${RAW_COLUMN}, json_transform(${RAW_COLUMN}, ${sqlString(json)}) AS __j FROM ${read}`,
    text: (col: ColumnDefinition) => `__j.${sqlIdent(sourceNameOf(col))}`,
  };
}

/**
 * The checking pass: the bad rows only — `__line`, then (CSV) `__off`, the offset of the original
 * text in the intermediate file, or (NDJSON) `__num` and `__raw`, the line as the first pass wrote
 * it, and `__reasons` (joined by REASON_SEPARATOR). For NDJSON also the sampled records (`__keys`
 * set, `__reasons` NULL when good).
 */
export function checkQuery(opts: PassOptions & { readonly rejectsTable: string; readonly rejectsScan: string }): string {
  const { cols, from, text } = source(opts, { table: opts.rejectsTable, scan: opts.rejectsScan });
  const ndjson = opts.layout.format === 'ndjson';
  const v = (i: number) => `__v${i}`;
  const notScalar = (c: string, col: ColumnDefinition): NotScalar | undefined => {
    if (!ndjson) return undefined;
    const fast = `(starts_with(${c}, '{') OR starts_with(${c}, '['))`;
    const pointer = '/' + sourceNameOf(col).replace(/~/g, '~0').replace(/\//g, '~1');
    return { fast, sure: `${fast} AND json_type(${RAW_COLUMN}, ${sqlString(pointer)}) IN ('OBJECT', 'ARRAY')` };
  };
  const parts = cols.map((col, i) => {
    const c = text(col);
    return { i, ...columnSql(col, c, v(i), notScalar(c, col)) };
  });

  // Every row is tested with the cheap `fast` checks (text only, each pattern and cast once);
  // only the rows that fail them get typed values and reasons (rules.ts), so the expensive
  // expressions run on a few rows. A row failing `fast` whose reasons come out NULL (a padded
  // value, `TRUE`) is good after all and does not land in the table.
  const fastAll = parts.map((p) => `(${p.fast})`).join(' AND ');
  const allOk = parts.map((p) => `(${p.ok})`).join(' AND ');
  const reasons = `NULLIF(concat_ws(${sqlString(REASON_SEPARATOR)}, ${parts.map((p) => p.reason).join(', ')}), '')`;
  const typed = (where: string) => `SELECT *, ${parts.map((p) => `${p.typed} AS ${v(p.i)}`).join(', ')} FROM (SELECT * FROM (${from}) WHERE ${where})`;
  if (!ndjson) {
    const checked = `SELECT ${LINE_COLUMN}, ${OFFSET_COLUMN}, CASE WHEN ${allOk} THEN NULL ELSE ${reasons} END AS ${REASONS_COLUMN} FROM (${typed(`NOT (${fastAll})`)})`;
    return `SELECT * FROM (${checked}) WHERE ${REASONS_COLUMN} IS NOT NULL`;
  }
  const reasonExpr = `CASE WHEN ${allOk} THEN NULL ELSE ${reasons} END`;
  // Keys cost another parse of each line: drift is looked for in the first DRIFT_SAMPLE_LINES lines only.
  const sampled = `${LINE_COLUMN} <= ${DRIFT_SAMPLE_LINES}`;
  const keys = `CASE WHEN ${sampled} THEN json_keys(${RAW_COLUMN}) END AS ${KEYS_COLUMN}`;
  const checked = `SELECT ${LINE_COLUMN}, ${NUMBERS_COLUMN}, ${RAW_COLUMN}, ${keys}, ${reasonExpr} AS ${REASONS_COLUMN} FROM (${typed(`${sampled} OR NOT (${fastAll})`)})`;
  const bad = (c: string) => `CASE WHEN ${REASONS_COLUMN} IS NOT NULL THEN ${c} END AS ${c}`;
  return (
    `SELECT ${LINE_COLUMN}, ${bad(NUMBERS_COLUMN)}, ${bad(RAW_COLUMN)}, ${REASONS_COLUMN}, ${KEYS_COLUMN} ` +
    `FROM (${checked}) WHERE ${REASONS_COLUMN} IS NOT NULL OR ${KEYS_COLUMN} IS NOT NULL`
  );
}

/**
 * The writing pass: the good rows (every row not in `badTable`, whose `__reasons` are set), the
 * contract's columns typed, plus `__partition`: the partition column's DATE (the UTC date for a
 * timestamp), or the arrival date. Partitioning on the DATE itself costs less than on its text (no string per row to
 * format, hash and compare); DuckDB names the directory after the date's text, `YYYY-MM-DD` for
 * years 1–9999; transform.ts names every partition as `strftime(date, '%Y-%m-%d')` does.
 */
export function writeQuery(opts: PassOptions & { readonly badTable: string }): string {
  const { cols, from, text } = source(opts);
  // Personal data: a `pii` column's token, or nothing (tokens.ts; the token function is defined on the connection).
  const values = cleanSelectItems(cols, (col) => columnSql(col, text(col), 'NULL').cast);
  // NOT IN (a mark join) builds its hash table on the few bad lines; an ANTI JOIN would build
  // it on the whole file.
  const bad = `SELECT ${LINE_COLUMN} FROM ${sqlIdent(opts.badTable)} WHERE ${REASONS_COLUMN} IS NOT NULL AND ${LINE_COLUMN} IS NOT NULL`;
  const rows = `SELECT ${values.join(', ')} FROM (${from}) WHERE ${LINE_COLUMN} NOT IN (${bad})`;
  return `SELECT *, ${partitionValue(opts.contract, opts.arrivalDate, (c) => `CAST(${sqlIdent(c)} AS DATE)`)} AS ${PARTITION_COLUMN} FROM (${rows})`;
}

/**
 * The partition value of a good row, in SQL: the partition column's date (`ofColumn`), or, by
 * arrival, the arrival date as a DATE literal (both routes; `arrivalDate` must then be set).
 */
export function partitionValue(contract: DatasetContract, arrivalDate: string | undefined, ofColumn: (column: string) => string): string {
  if (contract.partitionBy !== 'arrival') return ofColumn(contract.partitionColumn);
  if (arrivalDate === undefined || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(arrivalDate)) {
    throw new Error(`${contract.domain}/${contract.dataset} is partitioned by arrival, but the arrival date is ${JSON.stringify(arrivalDate)}: pass the object's event time`);
  }
  return `DATE ${sqlString(arrivalDate)}`;
}
