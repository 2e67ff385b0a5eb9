/**
 * Checks a domain definition before anything is built from it. Pure: returns the problems, each
 * with the definition path, the bad value and the fix; the domain stack turns the first into a
 * LakehouseError with the construct path.
 */
import { ARRIVAL_PARTITION_NAME, CSV_DELIMITERS, DatasetDefinition, DatasetVolume, DomainDefinition, TEXT_ENCODINGS, decimalOf, isColumnType } from '../../lambda/shared/dataset';
import { showChar } from '../../lambda/shared/pipeline/dialect';
import { DATE_RE, DOUBLE_RE, INT_RE, TIMESTAMP_RE, decimalPattern } from '../../lambda/shared/pipeline/rules';
import { LakehouseError } from '../errors';
import { TOKENIZABLE_TYPES, isTokenizable } from '../../lambda/shared/pipeline/tokens';
import { RAW_SOURCE_PARTITION, datasetsOfSource, sourcesOfDataset } from '../../lambda/shared/sources';

export interface DefinitionProblem {
  readonly code: string;
  /** Where in the definition, e.g. `datasets[0].columns[2].name`. */
  readonly at: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/** Glue/Athena: lower snake case names; Glue allows 255 characters. */
const NAME_RE = /^[a-z][a-z0-9_]*$/;
export const MAX_DOMAIN_NAME = 40;
export const MAX_DATASET_NAME = 100;
export const MAX_COLUMN_NAME = 255;
export const MAX_COLUMNS = 500;

/**
 * Words Athena (Hive DDL and Trino DML) reserves. A column or table with such a name needs quoting
 * in every query; the platform refuses them instead.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'all', 'alter', 'and', 'array', 'as', 'authorization', 'between', 'bigint', 'binary', 'boolean', 'both', 'by', 'case',
  'cast', 'char', 'column', 'commit', 'conf', 'constraint', 'create', 'cross', 'cube', 'current', 'current_date',
  'current_time', 'current_timestamp', 'cursor', 'database', 'date', 'day', 'deallocate', 'decimal', 'delete', 'describe',
  'distinct', 'double', 'drop', 'else', 'end', 'escape', 'except', 'exchange', 'execute', 'exists', 'extended',
  'external', 'extract', 'false', 'fetch', 'float', 'following', 'for', 'foreign', 'from', 'full', 'function', 'grant',
  'group', 'grouping', 'having', 'hour', 'if', 'import', 'in', 'inner', 'insert', 'int', 'integer', 'intersect',
  'interval', 'into', 'is', 'join', 'lateral', 'left', 'less', 'like', 'limit', 'local', 'localtime', 'localtimestamp',
  'macro', 'map', 'minute', 'month', 'more', 'natural', 'none', 'normalize', 'not', 'null', 'numeric', 'of', 'on', 'only',
  'or', 'order', 'out', 'outer', 'over', 'partialscan', 'partition', 'percent', 'preceding', 'precision', 'prepare',
  'preserve', 'primary', 'procedure', 'range', 'reads', 'recursive', 'reduce', 'references', 'regexp', 'revoke', 'right',
  'rlike', 'rollback', 'rollup', 'row', 'rows', 'second', 'select', 'set', 'smallint', 'start', 'table', 'tablesample',
  'then', 'time', 'timestamp', 'to', 'transform', 'trigger', 'true', 'truncate', 'uescape', 'unbounded', 'union',
  'uniquejoin', 'unnest', 'update', 'user', 'using', 'utc_timestamp', 'values', 'varchar', 'views', 'when', 'where',
  'window', 'with', 'year',
]);

function checkName(kind: string, at: string, value: unknown, max: number, code: string, out: DefinitionProblem[]): boolean {
  if (typeof value !== 'string' || !NAME_RE.test(value)) {
    out.push({ code, at, value, problem: `a ${kind} name is lower snake case: a-z, 0-9 and _, starting with a letter`, fix: `rename it, e.g. "${kind === 'column' ? 'order_id' : 'sales'}"` });
    return false;
  }
  if (value.length > max) {
    out.push({ code, at, value, problem: `a ${kind} name has at most ${max} characters (AWS Glue/Athena limits)`, fix: 'shorten it' });
    return false;
  }
  if (RESERVED_WORDS.has(value)) {
    out.push({ code, at, value, problem: `"${value}" is an Athena reserved word`, fix: `choose another name, e.g. "${value}_value"` });
    return false;
  }
  return true;
}

export function validateDomainDefinition(def: DomainDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  checkName('domain', 'name', def.name, MAX_DOMAIN_NAME, 'LH100', out);
  if (typeof def.owner !== 'string' || !def.owner.trim()) {
    out.push({ code: 'LH101', at: 'owner', value: def.owner, problem: 'a domain needs an owner', fix: 'set owner to the owning team' });
  }
  if (typeof def.costCenter !== 'string' || !/^[\w.:/=+\-@ ]{1,256}$/.test(def.costCenter)) {
    out.push({ code: 'LH101', at: 'costCenter', value: def.costCenter, problem: 'a domain needs a cost center (a tag value)', fix: 'set costCenter, e.g. "cc-2000"' });
  }
  if (!Array.isArray(def.datasets) || def.datasets.length === 0) {
    out.push({ code: 'LH102', at: 'datasets', value: def.datasets, problem: 'a domain declares at least one dataset', fix: 'add a dataset' });
    return out;
  }
  const seen = new Set<string>();
  def.datasets.forEach((ds, i) => {
    const at = `datasets[${i}]`;
    if (checkName('dataset', `${at}.name`, ds.name, MAX_DATASET_NAME, 'LH103', out)) {
      if (seen.has(ds.name)) out.push({ code: 'LH103', at: `${at}.name`, value: ds.name, problem: 'duplicate dataset name', fix: 'give each dataset its own name' });
      seen.add(ds.name);
    }
    validateDataset(ds, at, out);
    if (ds.volume !== undefined) validateVolume(ds.volume, `${at}.volume`, out);
    validateFileOptions(ds, at, out);
    validatePersonalData(ds, at, out);
  });
  validateSources(def, out);
  if (def.monthlyBudgetUsd !== undefined && !(typeof def.monthlyBudgetUsd === 'number' && Number.isFinite(def.monthlyBudgetUsd) && def.monthlyBudgetUsd > 0)) {
    out.push({ code: 'LH191', at: 'monthlyBudgetUsd', value: def.monthlyBudgetUsd, problem: 'a monthly budget is a positive number of US dollars', fix: 'set monthlyBudgetUsd, e.g. 50, or remove it' });
  }
  return out;
}

/** Files, bytes and rows per day are whole numbers ≥ 0 (files ≥ 1 when bytes or rows arrive); growth is a fraction from -1 to 10. */
function validateVolume(volume: DatasetVolume, at: string, out: DefinitionProblem[]): void {
  for (const key of ['filesPerDay', 'bytesPerDay', 'rowsPerDay'] as const) {
    const value = volume[key];
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      out.push({ code: 'LH190', at: `${at}.${key}`, value, problem: `${key} is a number ≥ 0`, fix: `set ${key} to the expected daily figure` });
    }
  }
  if (volume.filesPerDay === 0 && (volume.bytesPerDay > 0 || volume.rowsPerDay > 0)) {
    out.push({ code: 'LH190', at: `${at}.filesPerDay`, value: volume.filesPerDay, problem: 'bytes and rows arrive in files: filesPerDay cannot be 0 when they are not', fix: 'set filesPerDay, e.g. 24 for hourly files' });
  }
  const growth = volume.monthlyGrowth;
  if (growth !== undefined && !(typeof growth === 'number' && Number.isFinite(growth) && growth > -1 && growth <= 10)) {
    out.push({ code: 'LH190', at: `${at}.monthlyGrowth`, value: growth, problem: 'monthlyGrowth is a fraction per month above -1 (0.05 = +5 %)', fix: 'set monthlyGrowth, e.g. 0.05, or remove it for no growth' });
  }
}

/**
 * The first problem of a domain definition as the LakehouseError synth and every `npx lakehouse`
 * command throw (the same code, path, value, problem and fix; `where` says where the definition
 * is: the domain stack's path at synth, `lib/domains/<name>.ts` in the CLI), or undefined.
 */
export function domainDefinitionError(def: DomainDefinition, where: string): LakehouseError | undefined {
  const problems = validateDomainDefinition(def);
  if (problems.length === 0) return undefined;
  const [first] = problems;
  const more = problems.length > 1 ? ` (${problems.length - 1} more problem(s): ${problems.slice(1).map((p) => `${p.at}: ${p.problem}`).join('; ')})` : '';
  return new LakehouseError({ code: first.code, path: `${where} domain ${def.name} ${first.at}`, value: first.value, problem: first.problem + more, fix: first.fix });
}

function validateDataset(ds: DatasetDefinition, at: string, out: DefinitionProblem[]): void {
  if (ds.format !== 'csv' && ds.format !== 'ndjson') {
    out.push({ code: 'LH104', at: `${at}.format`, value: ds.format, problem: 'unknown arrival format', fix: 'use "csv" (with a header row) or "ndjson"' });
  }
  if (!(typeof ds.freshnessSlaHours === 'number' && ds.freshnessSlaHours >= 1 && ds.freshnessSlaHours <= 24 * 31)) {
    out.push({ code: 'LH105', at: `${at}.freshnessSlaHours`, value: ds.freshnessSlaHours, problem: 'the freshness SLA is 1 to 744 hours', fix: 'set freshnessSlaHours, e.g. 24' });
  }
  if (!Array.isArray(ds.columns) || ds.columns.length === 0 || ds.columns.length > MAX_COLUMNS) {
    out.push({ code: 'LH106', at: `${at}.columns`, value: ds.columns?.length, problem: `a dataset has 1 to ${MAX_COLUMNS} columns`, fix: 'declare the columns' });
    return;
  }
  const names = new Set<string>();
  ds.columns.forEach((col, j) => {
    const cat = `${at}.columns[${j}]`;
    if (checkName('column', `${cat}.name`, col.name, MAX_COLUMN_NAME, 'LH107', out)) {
      if (names.has(col.name)) out.push({ code: 'LH107', at: `${cat}.name`, value: col.name, problem: 'duplicate column name', fix: 'give each column its own name' });
      names.add(col.name);
    }
    if (!isColumnType(String(col.type))) {
      out.push({ code: 'LH108', at: `${cat}.type`, value: col.type, problem: 'unknown column type', fix: 'use string, int, bigint, double, decimal(p,s) with 1 ≤ p ≤ 38 and 0 ≤ s ≤ p, boolean, date or timestamp' });
    }
    const numeric = ['int', 'bigint', 'double'].includes(String(col.type)) || decimalOf(String(col.type)) !== undefined;
    if (col.range !== undefined) {
      if (!numeric) out.push({ code: 'LH109', at: `${cat}.range`, value: col.range, problem: 'a range applies to numeric columns only', fix: 'remove the range or change the type' });
      else if (col.range.min !== undefined && col.range.max !== undefined && col.range.min > col.range.max) {
        out.push({ code: 'LH109', at: `${cat}.range`, value: col.range, problem: 'range.min is greater than range.max', fix: 'swap them' });
      }
    }
    if (col.allowedValues !== undefined && (!Array.isArray(col.allowedValues) || col.allowedValues.length === 0)) {
      out.push({ code: 'LH109', at: `${cat}.allowedValues`, value: col.allowedValues, problem: 'allowedValues must list at least one value', fix: 'list the values or remove allowedValues' });
    } else if (col.allowedValues !== undefined && isColumnType(String(col.type))) {
      col.allowedValues.forEach((v: unknown, k: number) => {
        const problem = typeof v === 'string' ? literalProblem(String(col.type), v.trim()) : 'is not text';
        if (problem) {
          out.push({ code: 'LH109', at: `${cat}.allowedValues[${k}]`, value: v, problem: `the allowed value ${problem}`, fix: `write each allowed value as the text of a valid ${col.type}, as it arrives in the file (values are compared as trimmed text)` });
        }
      });
    }
  });
  if (ds.partition === undefined || ds.partition === null || typeof ds.partition !== 'object') {
    out.push({ code: 'LH110', at: `${at}.partition`, value: ds.partition, problem: 'a dataset declares its partition', fix: 'set partition: { column: "<a date or timestamp column>" }, or partition: { arrival: true }' });
    return;
  }
  if (validateArrivalPartition(ds, at, names, out)) return;
  const partition = ds.columns.find((c) => c.name === ds.partition?.column);
  if (!partition) {
    const dates = ds.columns.filter((c) => c.type === 'date' || c.type === 'timestamp').map((c) => c.name);
    out.push({ code: 'LH110', at: `${at}.partition.column`, value: ds.partition?.column, problem: 'the partition column is not one of the dataset columns', fix: dates.length > 0 ? `use one of: ${dates.join(', ')}` : 'the dataset has no date or timestamp column: partition by the date the file arrived, partition: { arrival: true }' });
  } else if (partition.type !== 'date' && partition.type !== 'timestamp') {
    out.push({ code: 'LH110', at: `${at}.partition.column`, value: ds.partition.column, problem: `the partition column must be a date or timestamp (it is ${partition.type})`, fix: 'partition by a date column, by the date of a timestamp column, or by the date the file arrived (partition: { arrival: true })' });
  } else if (ds.partition.name !== undefined) {
    checkName('partition', `${at}.partition.name`, ds.partition.name, MAX_COLUMN_NAME, 'LH110', out);
    if (ds.partition.name !== ds.partition.column && names.has(ds.partition.name)) {
      out.push({ code: 'LH110', at: `${at}.partition.name`, value: ds.partition.name, problem: 'the partition name collides with another column', fix: 'choose another partition name' });
    }
  } else if (partition.type === 'timestamp' && names.has(`${partition.name}_date`)) {
    out.push({ code: 'LH110', at: `${at}.partition`, value: `${partition.name}_date`, problem: 'the derived partition name collides with a column', fix: 'set partition.name' });
  }
}

/**
 * A partition by arrival (`partition: { arrival: true }`): not together with a column, and its
 * name (default `arrival_date`) a valid name no column has. Returns false when the partition is
 * by a column (validateDataset checks that).
 */
function validateArrivalPartition(ds: DatasetDefinition, at: string, names: ReadonlySet<string>, out: DefinitionProblem[]): boolean {
  const { arrival, column, name } = ds.partition as { arrival?: unknown; column?: unknown; name?: unknown };
  if (arrival === undefined) return false;
  if (arrival !== true) {
    out.push({ code: 'LH110', at: `${at}.partition.arrival`, value: arrival, problem: 'arrival is true or left out', fix: 'set partition: { arrival: true }, or partition by a column' });
    return true;
  }
  if (column !== undefined) {
    out.push({ code: 'LH110', at: `${at}.partition`, value: ds.partition, problem: 'a dataset partitions by a column or by arrival, not both', fix: 'remove partition.column (partition by the date the file arrived) or partition.arrival' });
    return true;
  }
  const partitionName = name ?? ARRIVAL_PARTITION_NAME;
  if (name !== undefined && !checkName('partition', `${at}.partition.name`, name, MAX_COLUMN_NAME, 'LH110', out)) return true;
  if (names.has(String(partitionName))) {
    out.push({ code: 'LH110', at: `${at}.partition${name === undefined ? '' : '.name'}`, value: partitionName, problem: `the partition name ${partitionName} is also a column`, fix: 'set partition.name to a name no column has' });
  }
  return true;
}

/** Printable ASCII other than letters, digits and space: what a quote or escape character may be. */
const DIALECT_CHAR_RE = /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/;

/**
 * The file options of a dataset: its CSV dialect (LH111), encoding (LH112), the columns' source
 * names (LH113) and unique key (LH114). Each problem names what to write instead.
 */
function validateFileOptions(ds: DatasetDefinition, at: string, out: DefinitionProblem[]): void {
  const csv = ds.format === 'csv';
  if (ds.csv !== undefined) {
    const d = ds.csv as { delimiter?: unknown; quote?: unknown; escape?: unknown; header?: unknown };
    if (!csv || typeof ds.csv !== 'object' || ds.csv === null) {
      out.push({ code: 'LH111', at: `${at}.csv`, value: ds.csv, problem: 'a CSV dialect applies to CSV datasets only', fix: csv ? 'set csv: { delimiter, quote, escape, header } or leave it out' : 'remove csv, or set format: "csv"' });
    } else {
      if (d.delimiter !== undefined && !(CSV_DELIMITERS as readonly unknown[]).includes(d.delimiter)) {
        const longer = typeof d.delimiter === 'string' && d.delimiter.length > 1;
        out.push({
          code: 'LH111',
          at: `${at}.csv.delimiter`,
          value: d.delimiter,
          problem: longer ? 'a delimiter is one character' : 'the delimiter is not one the transform reads',
          fix: `use one of ${CSV_DELIMITERS.map((c) => showChar(c)).join(', ')}`,
        });
      }
      for (const key of ['quote', 'escape'] as const) {
        const v = d[key];
        if (v === undefined) continue;
        if (typeof v !== 'string' || !DIALECT_CHAR_RE.test(v)) {
          out.push({ code: 'LH111', at: `${at}.csv.${key}`, value: v, problem: `the ${key} character is one printable ASCII character that is not a letter, digit or space`, fix: key === 'quote' ? `use '"' (the default) or "'"` : `use '\\' for backslash escapes, or leave escape out to double the quote ('""')` });
        } else if (v === (d.delimiter ?? ',')) {
          out.push({ code: 'LH111', at: `${at}.csv.${key}`, value: v, problem: `the ${key} character is the delimiter`, fix: `choose a ${key} character other than ${showChar(v)}` });
        }
      }
      if (d.header !== undefined && typeof d.header !== 'boolean') {
        out.push({ code: 'LH111', at: `${at}.csv.header`, value: d.header, problem: 'header is true (the first line names the columns) or false', fix: 'set header: false for a file without a header line, or leave it out' });
      }
    }
  }
  if (ds.encoding !== undefined && !(TEXT_ENCODINGS as readonly unknown[]).includes(ds.encoding)) {
    const utf16 = typeof ds.encoding === 'string' && /^utf-?16/i.test(ds.encoding);
    out.push({
      code: 'LH112',
      at: `${at}.encoding`,
      value: ds.encoding,
      problem: utf16 ? 'UTF-16 is not declared: it is detected by its byte-order mark' : 'unknown encoding',
      fix: utf16 ? 'leave encoding out (files must start with a byte-order mark, as spreadsheet exports do)' : `use one of ${TEXT_ENCODINGS.map((e) => `'${e}'`).join(', ')}`,
    });
  }
  if (!Array.isArray(ds.columns)) return;
  const headerless = csv && ds.csv?.header === false;
  const seen = new Map<string, number>();
  ds.columns.forEach((col, j) => {
    const cat = `${at}.columns[${j}]`;
    if (col.header !== undefined) {
      if (headerless) {
        out.push({ code: 'LH113', at: `${cat}.header`, value: col.header, problem: 'the dataset declares csv.header: false, so there is no header to map', fix: 'remove the header mapping (fields are read in declaration order)' });
        return;
      }
      if (typeof col.header !== 'string' || col.header.trim() === '' || /[\r\n]/.test(col.header)) {
        out.push({ code: 'LH113', at: `${cat}.header`, value: col.header, problem: "a header mapping is the source's non-empty column name, on one line", fix: "write the header text as the file has it, e.g. header: 'Contact Phone Number'" });
        return;
      }
    }
    if (typeof col.name !== 'string') return;
    // CSV headers are matched trimmed and case-insensitively; NDJSON keys exactly.
    const source = col.header ?? col.name;
    const key = csv ? source.trim().toLowerCase() : source;
    const other = seen.get(key);
    if (other !== undefined) {
      out.push({
        code: 'LH113',
        at: `${cat}${col.header !== undefined ? '.header' : '.name'}`,
        value: source,
        problem: `columns[${other}] and columns[${j}] both read the source's ${csv ? 'header' : 'key'} ${JSON.stringify(source)}${csv ? ' (headers match case-insensitively)' : ''}`,
        fix: 'map each source column to one column: change or remove one of the header mappings',
      });
    } else seen.set(key, j);
  });
  if (ds.uniqueKey !== undefined) {
    const names = new Set(ds.columns.map((c) => c.name));
    if (!Array.isArray(ds.uniqueKey) || ds.uniqueKey.length === 0) {
      out.push({ code: 'LH114', at: `${at}.uniqueKey`, value: ds.uniqueKey, problem: 'a unique key lists at least one column', fix: 'list the columns whose combination is unique, e.g. ["order_id", "line_no"], or remove uniqueKey' });
    } else {
      ds.uniqueKey.forEach((c: unknown, k: number) => {
        if (typeof c !== 'string' || !names.has(c)) {
          out.push({ code: 'LH114', at: `${at}.uniqueKey[${k}]`, value: c, problem: 'the unique key names a column the dataset does not have', fix: `use the dataset's column names: ${[...names].join(', ')}` });
        } else if (ds.uniqueKey!.indexOf(c) !== k) {
          out.push({ code: 'LH114', at: `${at}.uniqueKey[${k}]`, value: c, problem: 'the unique key lists a column twice', fix: 'list each column once' });
        }
      });
    }
  }
}

const INT_LIMITS: Record<string, bigint> = { int: 2n ** 31n, bigint: 2n ** 63n };

/** True when `text` matches the transform's value pattern `re` as a whole. */
const matches = (re: string, text: string) => new RegExp(`^(?:${re})$`).test(text);

/**
 * Why `text` is not a value of `type` as the transform's rules accept it (the same patterns), or
 * undefined. An allowed value no record could match is a contract mistake: every record would be
 * rejected.
 */
function literalProblem(type: string, text: string): string | undefined {
  if (text === '') return 'is empty (an empty value is a missing one)';
  const dec = decimalOf(type);
  if (dec) {
    if (!matches(decimalPattern(dec.scale), text)) return `is not a decimal number with at most ${dec.scale} fractional digits`;
    const whole = text.replace(/^[+-]/, '').split('.')[0].replace(/^0+/, '');
    return whole.length > dec.precision - dec.scale ? `has more than ${dec.precision - dec.scale} integer digits for ${type}` : undefined;
  }
  switch (type) {
    case 'int':
    case 'bigint': {
      if (!matches(INT_RE, text)) return 'is not an integer';
      const n = BigInt(text);
      return n < -INT_LIMITS[type] || n >= INT_LIMITS[type] ? `is out of range for ${type}` : undefined;
    }
    case 'double':
      return matches(DOUBLE_RE, text) && Number.isFinite(Number(text)) ? undefined : 'is not a finite number';
    case 'boolean':
      return /^(true|false)$/i.test(text) ? undefined : 'is not true or false';
    case 'date':
      return matches(DATE_RE, text) && isCalendarDate(text) ? undefined : 'is not a date (YYYY-MM-DD)';
    case 'timestamp':
      return matches(TIMESTAMP_RE, text) && isCalendarDate(text.slice(0, 10)) ? undefined : 'is not an ISO-8601 timestamp with an offset';
    default:
      return undefined;
  }
}

function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * `pii`: `true` (clean holds a keyed token: only for types with one canonical text), `'drop'` (clean
 * does not hold the column; never the partition column, which clean is laid out by) or absent.
 */
function validatePersonalData(ds: DatasetDefinition, at: string, out: DefinitionProblem[]): void {
  if (!Array.isArray(ds.columns)) return;
  ds.columns.forEach((col, j) => {
    const cat = `${at}.columns[${j}].pii`;
    const pii: unknown = col.pii;
    if (pii === undefined || pii === false) return;
    if (pii !== true && pii !== 'drop') {
      out.push({ code: 'LH140', at: cat, value: pii, problem: 'pii is true (clean holds a keyed token of the value), "drop" (clean does not hold the column) or false', fix: 'set pii: true or pii: "drop", or remove it' });
    } else if (pii === true && !isTokenizable(String(col.type))) {
      out.push({
        code: 'LH140',
        at: cat,
        value: col.type,
        problem: `a ${col.type} column cannot be tokenized: a token is made from the value's text, and only ${TOKENIZABLE_TYPES.join(', ')} values have one text on every engine`,
        fix: `declare the column as string (its text as delivered is then tokenized), or use pii: "drop" to keep it out of clean`,
      });
    } else if (col.name === ds.partition?.column) {
      out.push({ code: 'LH140', at: cat, value: pii, problem: 'the partition column lays out clean and cannot be tokenized or dropped', fix: 'partition by another date or timestamp column, or remove pii from this one' });
    }
  });
}

/** A source name is a key prefix segment, an IAM tag value and part of a role's description: lower snake case. */
const SOURCE_NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;
/** What STS accepts as an external id. */
const EXTERNAL_ID_RE = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * `sources`: each a valid key prefix, unique and unlike any dataset name (keys `<domain>/<source>/<dataset>/`
 * and `<domain>/<dataset>/` must never be confused); external ones with the partner's account and
 * an external id; every dataset delivered by at least one declared source, every source delivering one.
 */
function validateSources(def: DomainDefinition, out: DefinitionProblem[]): void {
  const datasets: readonly DatasetDefinition[] = Array.isArray(def.datasets) ? def.datasets : [];
  if (def.sources === undefined) {
    datasets.forEach((ds, i) => {
      if (ds.sources !== undefined) out.push({ code: 'LH143', at: `datasets[${i}].sources`, value: ds.sources, problem: 'the domain declares no sources, so its one ingest role delivers every dataset', fix: 'declare the sources in the domain (sources: [{ name, kind }]) or remove this list' });
    });
    return;
  }
  if (!Array.isArray(def.sources) || def.sources.length === 0) {
    out.push({ code: 'LH141', at: 'sources', value: def.sources, problem: 'sources lists the systems and partners that deliver files, at least one', fix: 'declare a source, or leave sources out for one internal source for the whole domain' });
    return;
  }
  const names = new Set<string>();
  const datasetNames = new Set(datasets.map((d) => d.name));
  def.sources.forEach((src, i) => {
    const at = `sources[${i}]`;
    if (typeof src?.name !== 'string' || !SOURCE_NAME_RE.test(src.name)) {
      out.push({ code: 'LH141', at: `${at}.name`, value: src?.name, problem: 'a source name is its key prefix (<domain>/<source>/): lower snake case a-z, 0-9 and _, starting with a letter, at most 40 characters', fix: 'rename it, e.g. "webshop" or "partner_acme"' });
    } else if (names.has(src.name)) {
      out.push({ code: 'LH141', at: `${at}.name`, value: src.name, problem: 'duplicate source name', fix: 'give each source its own name' });
    } else if (datasetNames.has(src.name)) {
      out.push({ code: 'LH141', at: `${at}.name`, value: src.name, problem: 'a source named like a dataset would make <domain>/<source>/… and <domain>/<dataset>/… keys ambiguous', fix: 'rename the source' });
    }
    if (typeof src?.name === 'string') names.add(src.name);
    if (src?.kind === 'external') {
      if (typeof src.accountId !== 'string' || !/^\d{12}$/.test(src.accountId)) {
        out.push({ code: 'LH142', at: `${at}.accountId`, value: src.accountId, problem: "an external source needs the partner's 12-digit AWS account id: only that account may assume its role", fix: "set accountId to the partner's account id" });
      }
      if (typeof src.externalId !== 'string' || !EXTERNAL_ID_RE.test(src.externalId)) {
        out.push({ code: 'LH142', at: `${at}.externalId`, value: src.externalId, problem: 'an external source needs an external id (2-1224 characters of letters, digits and _+=,.@:/-) that the partner passes to sts:AssumeRole', fix: 'agree an external id with the partner and set externalId' });
      }
    } else if (src?.kind === 'internal') {
      if (src.accountId !== undefined || src.externalId !== undefined) {
        out.push({ code: 'LH142', at: at, value: { accountId: src.accountId, externalId: src.externalId }, problem: 'an internal source is assumed from this account; accountId and externalId belong to external sources', fix: 'remove them, or make the source kind: "external"' });
      }
    } else {
      out.push({ code: 'LH142', at: `${at}.kind`, value: src?.kind, problem: 'a source is internal (this account) or external (a partner account)', fix: 'set kind: "internal" or kind: "external"' });
    }
  });
  datasets.forEach((ds, i) => {
    const at = `datasets[${i}]`;
    (ds.sources ?? []).forEach((name, k) => {
      if (!names.has(name)) out.push({ code: 'LH143', at: `${at}.sources[${k}]`, value: name, problem: 'not a source of the domain', fix: `use one of: ${[...names].join(', ')}` });
    });
    if (sourcesOfDataset(def, ds).length === 0) {
      out.push({ code: 'LH143', at: `${at}.sources`, value: ds.sources, problem: 'no source delivers this dataset (by default every internal source does, and the domain has none)', fix: 'list the sources that deliver it' });
    }
    if (Array.isArray(ds.columns) && ds.columns.some((c) => c.name === RAW_SOURCE_PARTITION)) {
      out.push({ code: 'LH143', at: `${at}.columns`, value: RAW_SOURCE_PARTITION, problem: `with sources, the raw table is partitioned by ${RAW_SOURCE_PARTITION}, which a column of this dataset is named`, fix: 'rename the column' });
    }
  });
  for (const name of names) {
    if (datasetsOfSource(def, name).length === 0) {
      out.push({ code: 'LH144', at: `sources[${def.sources.findIndex((s) => s.name === name)}]`, value: name, problem: 'this source delivers no dataset: its role could write nothing', fix: "list it in the sources of the datasets it delivers, or remove it" });
    }
  }
}
