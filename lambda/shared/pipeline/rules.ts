/**
 * The value rules of the dataset contract, as DuckDB SQL.
 *
 * Every value arrives as text (DuckDB reads all fields as VARCHAR; an empty field is NULL).
 * A column's rule gives three expressions over that text `c`:
 * - `typed`: the stored value, or NULL when missing or invalid. Syntax is checked with a regular
 *   expression BEFORE any cast, because DuckDB's casts are lenient where the contract is strict
 *   (`TRY_CAST('12.5' AS INTEGER)` is 13, `'12.345'::DECIMAL(12,2)` is 12.35, a timestamp cast
 *   accepts a missing offset);
 * - `ok`: true when the value passes (the fast path: cheap checks on `c` and the typed value);
 * - `reason`: why it does not, or NULL — evaluated only for rows whose `ok` failed, so it may be
 *   slow and precise.
 * A row is good when every `ok` holds, or when every `reason` is NULL (`ok` is allowed to be
 * pessimistic, e.g. for padded values, never optimistic).
 *
 * Decisions:
 * - Missing: an absent or empty field (JSON: absent or `null`) is missing; a required column
 *   rejects it. For non-string types a value of only spaces/tabs is missing too.
 * - Spaces/tabs around a value are ignored for every type but `string`; a `string` is stored
 *   as received (spaces kept), except with `allowedValues`, where the trimmed (canonical) text
 *   is compared and stored.
 * - `int`/`bigint`: optional sign and digits only (`12.0`, `1e3`, `0x1F`, `1_000` are rejected),
 *   leading zeros allowed; outside the 32/64-bit range is rejected.
 * - `double`: a decimal number with an optional exponent; `NaN`/`Infinity` and overflow rejected.
 * - `decimal(p,s)`: a plain decimal number; more than `s` fractional digits is rejected (never
 *   rounded) unless the surplus digits are zeros; more than `p - s` integer digits is rejected.
 * - `boolean`: `true`/`false`, any case; `1`/`0`/`yes`/`no`/`t`/`f` are rejected.
 * - `date`: `YYYY-MM-DD` and a real calendar date.
 * - `timestamp`: ISO-8601 `YYYY-MM-DD(T| )hh:mm:ss[.ffffff]` with `Z` or a `±hh[:mm]`/`±hhmm`
 *   offset, stored as UTC; no offset is rejected (the instant would be a guess); more than 6
 *   fractional digits is rejected (Parquet keeps microseconds; no silent truncation); hour 24
 *   and second 60 are rejected.
 * - `allowedValues`: compared with the trimmed text, case-sensitive; `range`: inclusive, on the
 *   typed value (numeric columns).
 * - NDJSON: a JSON string, number or boolean is read as its text and then checked like CSV text
 *   (so `"12"` and `12` both fill an int column; a number as written: the first pass writes
 *   fractions and exponents as strings, json.ts); an object or array is rejected.
 */
import { decimalOf, type ColumnDefinition } from '../dataset';

/** Joins the reasons of one row in SQL; never appears in a reason. */
export const REASON_SEPARATOR = '\u001f';

// The value patterns (full match). Also used to check a contract's allowed values at synthesis.
export const INT_RE = '[+-]?[0-9]+';
const NUMBER_RE = '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)';
export const DOUBLE_RE = `${NUMBER_RE}([eE][+-]?[0-9]+)?`;
export const DATE_RE = '[0-9]{4}-[0-9]{2}-[0-9]{2}';
const TIME_RE = '([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,6})?';
const OFFSET_RE = '(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)';
export const TIMESTAMP_RE = `${DATE_RE}[T ]${TIME_RE}${OFFSET_RE}`;
const TIMESTAMP_NO_OFFSET_RE = `${DATE_RE}[T ]${TIME_RE}`;
const TIMESTAMP_LONG_FRACTION_RE = `${DATE_RE}[T ][0-9:]+[.][0-9]{7,}.*`;

/** A string literal for SQL. */
export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** An identifier for SQL. */
export const sqlIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The SQL engine the rules are written for. The function's transform runs them on DuckDB; a raw
 * file too big for the function is checked by Athena (Trino), with the same expressions except
 * for the few functions the two spell differently (see `TRINO`).
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'trino';
  /** True when `x` matches the regular expression `re` as a whole. */
  fullMatch(x: string, re: string): string;
  /** `x` without leading and trailing spaces and tabs. */
  trimBlank(x: string): string;
  /** True for a finite double. */
  isFinite(x: string): string;
  /** The typed value of text known to match the column's pattern, NULL when the cast fails. */
  tryCast(x: string, col: ColumnDefinition): string;
}

export const DUCKDB: SqlDialect = {
  name: 'duckdb',
  fullMatch: (x, re) => `regexp_full_match(${x}, ${sqlString(re)})`,
  trimBlank: (x) => `trim(${x}, ' \t')`,
  isFinite: (x) => `isfinite(${x})`,
  tryCast: (x, col) => `TRY_CAST(${x} AS ${duckType(col)})`,
};

/**
 * Athena engine 3 (Trino). A timestamp is parsed with `from_iso8601_timestamp_nanos` (Trino's cast
 * from text wants a space before the zone and no `T`) and stored as UTC `timestamp(6)`, the type
 * a Hive table's Parquet column has; the pattern has already limited it to 6 fractional digits.
 */
export const TRINO: SqlDialect = {
  name: 'trino',
  // `\z`, not `$`: Java-style `$` also matches before a final newline.
  fullMatch: (x, re) => `regexp_like(${x}, ${sqlString(`^(?:${re})\\z`)})`,
  trimBlank: (x) => `trim(BOTH ' \t' FROM ${x})`,
  isFinite: (x) => `is_finite(${x})`,
  tryCast: (x, col) =>
    col.type === 'timestamp'
      ? `CAST(TRY(from_iso8601_timestamp_nanos(replace(${x}, ' ', 'T'))) AT TIME ZONE 'UTC' AS timestamp(6))`
      : `TRY_CAST(${x} AS ${trinoType(col)})`,
};

/** The SQL type of a column's stored value; `timestamp` is the dialect's type for a UTC instant. */
function storedType(col: ColumnDefinition, timestamp: string): string {
  const dec = decimalOf(col.type);
  if (dec) return `DECIMAL(${dec.precision},${dec.scale})`;
  switch (col.type) {
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return timestamp;
    default:
      return 'VARCHAR';
  }
}

/** The Trino (Athena) type of a column's stored value: a Hive table's timestamp has no zone. */
export const trinoType = (col: ColumnDefinition): string => storedType(col, 'TIMESTAMP(6)');

/** The DuckDB type a column is stored as (and written to Parquet as). */
export const duckType = (col: ColumnDefinition): string => storedType(col, 'TIMESTAMPTZ');

/** What a decimal(p,s) value must fully match: at most s fractional digits (plus trailing zeros). */
export function decimalPattern(scale: number): string {
  return scale === 0 ? '[+-]?([0-9]+([.]0*)?|[.]0+)' : `[+-]?([0-9]+([.][0-9]{0,${scale}}0*)?|[.][0-9]{1,${scale}}0*)`;
}

const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`range bound ${n} is not a finite number`);
  return String(n);
};

export interface ColumnSql {
  /** The value to store, typed (NULL when missing or invalid). */
  readonly typed: string;
  /**
   * The value to store, for text already known to pass (`typed` without the syntax checks):
   * what the second, writing pass computes for the rows the checking pass found good.
   */
  readonly cast: string;
  /** True when the value certainly passes; may be false for a value that passes after all. */
  readonly ok: string;
  /**
   * Like `ok`, but over the text `c` alone, with every sub-expression evaluated once (no reference
   * to the typed value): strict pattern on the unpadded text, one cast, one range test. What the
   * checking pass filters every row with; padded values, `TRUE` and the like fail it and are
   * decided by `reason`. Never true for a value that fails.
   */
  readonly fast: string;
  /** The reason the value fails, or NULL. Only evaluated where `ok` (or `fast`) is not true. */
  readonly reason: string;
}

/** The largest finite double: a range test with it also rejects infinities (and NaN never compares true). */
const MAX_DOUBLE = '1.7976931348623157e308';

/** NDJSON: conditions saying a value was an object or array rather than a single value. */
export interface NotScalar {
  /** Cheap, may be true for a string that merely starts with `{` or `[`. */
  readonly fast: string;
  /** Exact (slow). */
  readonly sure: string;
}

/**
 * The SQL for one column. `c` is the column's text (NULL when absent or empty), `v` how the
 * caller names the typed value once computed (the `ok`/`reason` expressions refer to it).
 */
export function columnSql(col: ColumnDefinition, c: string, v: string, notScalar?: NotScalar, dialect: SqlDialect = DUCKDB): ColumnSql {
  const msg = (m: string) => sqlString(`column ${col.name}: ${m}`);
  const dec = decimalOf(col.type);
  const match = dialect.fullMatch;
  const t = `NULLIF(${dialect.trimBlank(c)}, '')`;
  const allowed = col.allowedValues?.map((a) => sqlString(a.trim())).join(', ');

  /** Typed from a syntax pattern and a cast; padded text takes the slow second branch. */
  const viaPattern = (re: string, conv: (x: string) => string) =>
    `CASE WHEN ${match(c, re)} THEN ${conv(c)} WHEN ${match(t, re)} THEN ${conv(t)} END`;
  const tryCast = (x: string) => dialect.tryCast(x, col);
  // Text that passed needs no pattern: the cast gives its value (casts skip spaces and tabs).
  let cast = tryCast(c);

  let typed: string;
  let invalid: string; // why a present value has no typed value (slow path)
  if (dec) {
    typed = viaPattern(decimalPattern(dec.scale), tryCast);
    invalid =
      `CASE WHEN NOT ${match(t, NUMBER_RE)} THEN ${msg('not a decimal number')} ` +
      `WHEN NOT ${match(t, decimalPattern(dec.scale))} THEN ${msg(`more than ${dec.scale} fractional digits for ${col.type}`)} ` +
      `ELSE ${msg(`more than ${dec.precision - dec.scale} integer digits for ${col.type}`)} END`;
  } else {
    switch (col.type) {
      case 'int':
      case 'bigint':
        typed = viaPattern(INT_RE, tryCast);
        invalid = `CASE WHEN ${match(t, INT_RE)} THEN ${msg(`out of range for ${col.type}`)} ELSE ${msg('not an integer')} END`;
        break;
      case 'double':
        typed = viaPattern(DOUBLE_RE, tryCast);
        invalid = msg('not a number');
        break;
      case 'boolean':
        typed = `CASE ${c} WHEN 'true' THEN true WHEN 'false' THEN false ELSE (CASE lower(${t}) WHEN 'true' THEN true WHEN 'false' THEN false END) END`;
        cast = typed;
        invalid = msg('not true or false');
        break;
      case 'date':
        typed = viaPattern(DATE_RE, tryCast);
        invalid = `CASE WHEN ${match(t, DATE_RE)} THEN ${msg('not a calendar date')} ELSE ${msg('not a date (YYYY-MM-DD)')} END`;
        break;
      case 'timestamp':
        typed = viaPattern(TIMESTAMP_RE, tryCast);
        invalid =
          `CASE WHEN ${match(t, TIMESTAMP_NO_OFFSET_RE)} THEN ${msg('timestamp has no UTC offset (add Z or ±hh:mm)')} ` +
          `WHEN ${match(t, TIMESTAMP_LONG_FRACTION_RE)} THEN ${msg('more than 6 fractional second digits')} ` +
          `WHEN ${match(t, TIMESTAMP_RE)} THEN ${msg('not a calendar date and time')} ` +
          `ELSE ${msg('not an ISO-8601 timestamp with offset')} END`;
        break;
      default:
        // A string is stored as received (an empty one is missing); with allowed values, its
        // trimmed (canonical) text.
        typed = allowed ? `CASE WHEN ${c} IN (${allowed}) THEN ${c} ELSE ${t} END` : `NULLIF(${c}, '')`;
        cast = typed;
        invalid = 'NULL';
    }
  }

  // Fast path: present and typed (or absent and optional), then the value checks.
  const okParts: string[] = [];
  if (col.required) okParts.push(`${v} IS NOT NULL`);
  else if (col.type !== 'string') okParts.push(`(${c} IS NULL OR ${v} IS NOT NULL)`);
  // Other types reject an object's text anyway (it is no number, date, …).
  if (notScalar && col.type === 'string') okParts.push(`NOT ${notScalar.fast}`);
  if (col.type === 'double') okParts.push(`(${v} IS NULL OR ${dialect.isFinite(v)})`);
  // Allowed values are compared with the text (trimmed), not the typed value: `01` is not `1`.
  if (allowed) okParts.push(`(${v} IS NULL OR ${col.type === 'string' ? v : t} IN (${allowed}))`);
  if (col.range?.min !== undefined) okParts.push(`(${v} IS NULL OR ${v} >= ${num(col.range.min)})`);
  if (col.range?.max !== undefined) okParts.push(`(${v} IS NULL OR ${v} <= ${num(col.range.max)})`);

  // Slow path: the first failing check, in order.
  // A string keeps its spaces, so only an empty one is missing; with allowed values its trimmed
  // text is what counts (and what is stored), so a blank one is missing too.
  const missing = col.type === 'string' && !allowed ? `NULLIF(${c}, '') IS NULL` : `${t} IS NULL`;
  const checks: string[] = [];
  if (notScalar) checks.push(`WHEN ${notScalar.sure} THEN ${msg('an object or array, not a single value')}`);
  checks.push(`WHEN ${missing} THEN ${col.required ? msg('required value is missing') : 'NULL'}`);
  if (col.type !== 'string') checks.push(`WHEN ${v} IS NULL THEN ${invalid}`);
  if (col.type === 'double') checks.push(`WHEN NOT ${dialect.isFinite(v)} THEN ${msg('out of range for double')}`);
  if (allowed) {
    checks.push(`WHEN ${col.type === 'string' ? v : t} NOT IN (${allowed}) THEN ${msg(`not one of the allowed values (${col.allowedValues?.join(', ')})`)}`);
  }
  if (col.range?.min !== undefined) checks.push(`WHEN ${v} < ${num(col.range.min)} THEN ${msg(`below the minimum ${col.range.min}`)}`);
  if (col.range?.max !== undefined) checks.push(`WHEN ${v} > ${num(col.range.max)} THEN ${msg(`above the maximum ${col.range.max}`)}`);

  const fast = fastOk(col, c, dec ? decimalPattern(dec.scale) : undefined, allowed, notScalar, dialect);
  return { typed, cast, ok: okParts.length > 0 ? okParts.join(' AND ') : 'true', fast, reason: `CASE ${checks.join(' ')} END` };
}

/** See `ColumnSql.fast`. */
function fastOk(col: ColumnDefinition, c: string, decimalRe: string | undefined, allowed: string | undefined, notScalar: NotScalar | undefined, dialect: SqlDialect): string {
  const min = col.range?.min;
  const max = col.range?.max;
  let present: string;
  if (col.type === 'string' && !col.required && !allowed && !notScalar) return 'true';
  if (col.type === 'string') {
    // Stored as received; with allowed values the text must be one of them as it stands.
    present = allowed ? `${c} IN (${allowed})` : `${c} <> ''`;
    if (notScalar) present = `${present} AND NOT ${notScalar.fast}`;
  } else if (col.type === 'boolean') {
    present = allowed ? `${c} IN (${allowed}) AND ${c} IN ('true', 'false')` : `${c} IN ('true', 'false')`;
  } else {
    const re = decimalRe ?? (col.type === 'int' || col.type === 'bigint' ? INT_RE : col.type === 'double' ? DOUBLE_RE : col.type === 'date' ? DATE_RE : TIMESTAMP_RE);
    // The cast appears once: one test on it (BETWEEN evaluates its input once).
    const cast = dialect.tryCast(`CASE WHEN ${dialect.fullMatch(c, re)} THEN ${c} END`, col);
    const lo = min !== undefined ? num(min) : col.type === 'double' ? `-${MAX_DOUBLE}` : undefined;
    const hi = max !== undefined ? num(max) : col.type === 'double' ? MAX_DOUBLE : undefined;
    if (allowed) {
      // Rare (allowed values on a non-string type): the text is one of them, as it stands, and
      // the typed value passes the type and range (compared twice).
      present = `${c} IN (${allowed}) AND ${cast} IS NOT NULL` + (lo !== undefined ? ` AND ${cast} >= ${lo}` : '') + (hi !== undefined ? ` AND ${cast} <= ${hi}` : '');
    } else if (lo !== undefined && hi !== undefined) present = `${cast} BETWEEN ${lo} AND ${hi}`;
    else if (lo !== undefined) present = `${cast} >= ${lo}`;
    else if (hi !== undefined) present = `${cast} <= ${hi}`;
    else present = `${cast} IS NOT NULL`;
  }
  // NULL (e.g. an empty field) counts as not passing: COALESCE keeps the result a plain boolean.
  const whenPresent = `COALESCE(${present}, false)`;
  if (col.required) return whenPresent;
  // An optional string may be empty (a JSON `""`; CSV reads an empty field as NULL): missing, so good.
  return col.type === 'string' ? `(${c} IS NULL OR ${c} = '' OR ${whenPresent})` : `(${c} IS NULL OR ${whenPresent})`;
}

/** The checks of one column applied to a list of texts (NULL = absent), in SQL over `VALUES`. */
export function valuesQuery(col: ColumnDefinition, texts: readonly (string | null)[]): string {
  const rows = texts.map((t, i) => `(${i}, ${t === null ? 'NULL' : sqlString(t)})`).join(', ');
  const r = columnSql(col, 'c', 'v');
  return (
    `SELECT i, v, CASE WHEN ${r.fast} THEN NULL ELSE ${r.reason} END AS reason ` +
    `FROM (SELECT i, c, ${r.typed} AS v FROM (VALUES ${rows}) t(i, c)) ORDER BY i`
  );
}
