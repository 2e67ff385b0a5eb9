/**
 * Curated SQL models: the model file syntax and its parser. What a parsed model becomes is in
 * spec.ts, where its data lives in layout.ts, the SQL the runners execute (Athena in the cloud,
 * DuckDB locally) in sql.ts, how its checks run in checks.ts; index.ts exports them all.
 *
 * A domain declares each curated data product as one file, `lib/domains/<domain>/<model>.sql`:
 * a header of `-- @directive` comment lines, then one SELECT. The parser is pure (no fs, no CDK,
 * no SDK): the infrastructure (Glue table, triggers), the Lambda runner and the local CLI all read
 * models through it, so they cannot disagree.
 *
 * ```sql
 * -- @description Revenue per order day (UTC) and currency
 * -- @partition order_date
 * -- @column order_date date: Day the orders were placed (UTC)
 * -- @column currency string
 * -- @column revenue decimal(18,2): Sum of quantity × unit price
 * -- @assert not_null currency, revenue
 * -- @assert unique order_date, currency
 * -- @assert accepted_values currency in ('EUR', 'USD', 'GBP')
 * -- @assert min_rows 1
 * -- @assert sql revenue_not_negative:
 * --     SELECT currency, revenue FROM {{ this }} WHERE revenue < 0
 * SELECT ordered_at_date AS order_date, currency, SUM(...) AS revenue
 * FROM sales_clean.orders
 * GROUP BY ordered_at_date, currency
 * ```
 *
 * Directives (header only, i.e. before the first SQL line):
 * - `@model <name>` (optional): must equal the file name.
 * - `@description <text>`: one line; indented comment lines (`--` + ≥ 2 spaces) continue it.
 * - `@partition <column>` (required, once): a declared column of type `date`; the curated table is
 *   partitioned by it, one partition per day, found by partition projection.
 * - `@column <name> <type> [pii] [: <description>]` (one per output column): `string`, `int`,
 *   `bigint`, `double`, `boolean`, `date`, `timestamp` or `decimal(p,s)`. The runner casts the
 *   SELECT's columns to these types, so both engines write the same schema.
 * - `@assert min_rows <n>`: the partition has at least n rows (default 1 — an empty result never
 *   replaces a published partition; `min_rows 0` allows it).
 * - `@assert not_null <col>[, <col>…]`: no NULL in any of the columns.
 * - `@assert unique <col>[, <col>…]`: the combination is unique.
 * - `@assert accepted_values <col> in ('a', 'b', …)`: non-NULL values, compared as text, are listed.
 * - `@assert sql <name>[: <query>]`: a SELECT over `{{ this }}` (the staged partition, with the
 *   partition column) that returns the offending rows; zero rows passes. Indented comment lines
 *   continue the query.
 * - `@estimate runs <n>/day, scans <size>/run, writes <size>/run` (optional, once; any of the three):
 *   what the cost estimate (lib/cost) assumes; sizes are `<number> <B|KB|MB|GB|TB|KiB|MiB|GiB|TiB>`.
 *
 * Inputs are found in the SELECT: every `<domain>_clean.<dataset>` it names (the Glue naming). A
 * model reads its own domain's clean tables only.
 *
 * Semantics: the model computes one partition at a time. For partition value D the runner stages
 * `SELECT <casts> FROM (<model>) WHERE <partition> = DATE 'D'`, checks it, and only then publishes
 * it. Assertions therefore hold per partition.
 */
import { ColumnType, isColumnType } from '../dataset';

/** The placeholder custom SQL assertions use for the staged partition. */
export const THIS_PLACEHOLDER = '{{ this }}';

/** A lower snake case name: a column, a partition, an sql assertion. */
export const IDENTIFIER_RE = /^[a-z][a-z0-9_]*$/;
const MODEL_NAME_RE = /^[a-z][a-z0-9_]{0,99}$/;
/** `{{ this }}` in an assertion's query (THIS_PLACEHOLDER, spaces allowed). */
export const THIS_RE = /\{\{\s*this\s*\}\}/g;
const KNOWN_DIRECTIVES = ['model', 'description', 'partition', 'column', 'assert', 'estimate'] as const;
const ASSERTION_KINDS = ['min_rows', 'not_null', 'unique', 'accepted_values', 'sql'] as const;

export interface ModelColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description?: string;
  /** Personal data: tagged `[pii]` in the catalog column comment. */
  readonly pii?: boolean;
}

/** A data-quality assertion; `line` is where it is declared in the model file. */
export type ModelAssertion =
  | { readonly kind: 'not_null'; readonly columns: readonly string[]; readonly line: number }
  | { readonly kind: 'unique'; readonly columns: readonly string[]; readonly line: number }
  | { readonly kind: 'accepted_values'; readonly column: string; readonly values: readonly string[]; readonly line: number }
  | { readonly kind: 'sql'; readonly name: string; readonly sql: string; readonly line: number };

/** What a model declares for the cost estimate (`@estimate`); each figure is optional. */
export interface ModelEstimate {
  /** Runs per day. */
  readonly runsPerDay?: number;
  /** Bytes Athena scans per run. */
  readonly scanBytesPerRun?: number;
  /** Bytes a run publishes (the partition it writes). */
  readonly writeBytesPerRun?: number;
  /** Line of `@estimate`. */
  readonly line: number;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/** Parses the text after `@estimate`; returns the estimate or a problem. */
export function parseEstimate(rest: string, line: number): ModelEstimate | { problem: string } {
  const estimate: { -readonly [K in keyof ModelEstimate]: ModelEstimate[K] } = { line };
  for (const part of rest.split(',').map((p) => p.trim())) {
    const runs = /^runs\s+(\d+(?:\.\d+)?)\s*\/\s*day$/i.exec(part);
    const size = /^(scans|writes)\s+(\d+(?:\.\d+)?)\s*([a-z]+)\s*\/\s*run$/i.exec(part);
    if (runs && estimate.runsPerDay === undefined) estimate.runsPerDay = Number(runs[1]);
    else if (size && SIZE_UNITS[size[3].toLowerCase()] !== undefined) {
      const bytes = Math.round(Number(size[2]) * SIZE_UNITS[size[3].toLowerCase()]);
      const key = size[1].toLowerCase() === 'scans' ? 'scanBytesPerRun' : 'writeBytesPerRun';
      if (estimate[key] !== undefined) return { problem: `@estimate gives "${size[1]}" twice` };
      estimate[key] = bytes;
    } else {
      return { problem: `@estimate part "${part}" is not "runs <n>/day", "scans <size>/run" or "writes <size>/run"` };
    }
  }
  return estimate;
}

/** A table the SELECT names, with the line where it first appears. */
export interface TableReference {
  readonly database: string;
  readonly table: string;
  readonly line: number;
}

/** A model as parsed from its file. */
export interface ModelDefinition {
  readonly domain: string;
  readonly name: string;
  /** The file, as shown in messages (e.g. `lib/domains/sales/daily_revenue.sql`). */
  readonly file: string;
  readonly description?: string;
  /** The partition column (a declared `date` column). */
  readonly partition: string;
  /** Output columns in declaration order, the partition column included. */
  readonly columns: readonly ModelColumn[];
  /** Minimum rows per partition. */
  readonly minRows: number;
  /** Line of `@assert min_rows`, or 0 for the default. */
  readonly minRowsLine: number;
  readonly assertions: readonly ModelAssertion[];
  /** The SELECT, without trailing semicolon. */
  readonly sql: string;
  /** Line of the file where the SELECT starts. */
  readonly sqlLine: number;
  /** Clean tables the SELECT reads, in order of first appearance. */
  readonly inputs: readonly TableReference[];
  /** What the cost estimate assumes (`@estimate`), if declared. Not part of the Glue table's spec. */
  readonly estimate?: ModelEstimate;
}

export interface ModelProblem {
  readonly line: number;
  readonly problem: string;
  readonly fix: string;
}

/** A model file is wrong: every problem with its file, line and fix. */
export class ModelFileError extends Error {
  public readonly file: string;
  public readonly problems: readonly ModelProblem[];

  constructor(file: string, problems: readonly ModelProblem[]) {
    super(problems.map((p) => `${file}:${p.line}: ${p.problem}. Fix: ${p.fix}`).join('\n'));
    this.name = 'ModelFileError';
    this.file = file;
    this.problems = problems;
  }
}

export interface ParseOptions {
  /** The model's domain. */
  readonly domain: string;
  /** The file path shown in messages; its base name (without `.sql`) is the model name. */
  readonly file: string;
}

/** The model name a file path gives (`…/daily_revenue.sql` → `daily_revenue`). */
export function modelNameOfFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.sql$/i, '');
}

/** Is this a valid model name (lower snake case, no `__`, ≤ 100 characters)? */
export function isModelName(name: string): boolean {
  return MODEL_NAME_RE.test(name) && !name.includes('__');
}

/**
 * Parses one model file. Throws a ModelFileError listing every problem found (file, line, fix).
 */
export function parseModelFile(text: string, options: ParseOptions): ModelDefinition {
  const { domain, file } = options;
  const problems: ModelProblem[] = [];
  const fail = (line: number, problem: string, fix: string) => problems.push({ line, problem, fix });
  const name = modelNameOfFile(file);
  if (!isModelName(name)) {
    fail(1, `the file name "${name}" is not a model name (lower snake case, starting with a letter, no "__", ≤ 100 characters)`, 'rename the file, e.g. daily_revenue.sql');
  }

  const lines = text.split(/\r?\n/);
  let description: { text: string; line: number } | undefined;
  let partition: { column: string; line: number } | undefined;
  let modelName: { value: string; line: number } | undefined;
  let minRows: { value: number; line: number } | undefined;
  let estimate: ModelEstimate | undefined;
  const columns: Array<ModelColumn & { line: number }> = [];
  let badColumns = 0;
  const assertions: Array<{ value: ModelAssertion; pendingSql?: string[] }> = [];
  /** The directive that indented comment lines continue, if any. */
  let continuing: ((text: string) => void) | undefined;
  let bodyStart = -1;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = lines[i].trim();
    if (trimmed === '') {
      continuing = undefined;
      continue;
    }
    if (!trimmed.startsWith('--')) {
      bodyStart = i;
      break;
    }
    const comment = lines[i].trimStart().slice(2);
    const content = comment.trim();
    if (content.startsWith('@')) {
      continuing = directive(content, lineNo);
      continue;
    }
    if (continuing && /^\s{2,}\S/.test(comment)) {
      continuing(content);
      continue;
    }
    continuing = undefined; // a free comment
  }

  function directive(content: string, line: number): ((text: string) => void) | undefined {
    const m = /^@([A-Za-z_]+)\s*(.*)$/.exec(content);
    const word = m?.[1] ?? '';
    const rest = (m?.[2] ?? '').trim();
    switch (word as (typeof KNOWN_DIRECTIVES)[number]) {
      case 'model':
        if (modelName) fail(line, '@model is declared twice', 'keep one @model line');
        else if (rest !== name) fail(line, `@model "${rest}" differs from the file name "${name}"`, `rename the file to ${rest}.sql or the model to "${name}" (or drop @model: the file name is the model name)`);
        modelName = { value: rest, line };
        return undefined;
      case 'description':
        if (description) {
          fail(line, '@description is declared twice', 'keep one @description (indented comment lines continue it)');
          return undefined;
        }
        if (!rest) fail(line, '@description is empty', 'describe the data product in one line');
        description = { text: rest, line };
        return (more) => {
          description = { text: `${description!.text} ${more}`.trim(), line: description!.line };
        };
      case 'partition':
        if (partition) fail(line, '@partition is declared twice', 'a model has one partition column; keep one @partition line');
        else if (!IDENTIFIER_RE.test(rest)) fail(line, `@partition "${rest}" is not a column name`, 'write @partition <column>, e.g. @partition order_date');
        else partition = { column: rest, line };
        return undefined;
      case 'column':
        parseColumn(rest, line);
        return undefined;
      case 'assert':
        return parseAssert(rest, line);
      case 'estimate': {
        const parsed = parseEstimate(rest, line);
        if (estimate) fail(line, '@estimate is declared twice', 'keep one @estimate line');
        else if ('problem' in parsed) fail(line, parsed.problem, 'write e.g. -- @estimate runs 24/day, scans 120 MB/run, writes 64 KB/run');
        else estimate = parsed;
        return undefined;
      }
      default:
        fail(line, `unknown directive "@${word}"`, `use one of ${KNOWN_DIRECTIVES.map((d) => `@${d}`).join(', ')}`);
        return undefined;
    }
  }

  function parseColumn(rest: string, line: number): void {
    const before = problems.length;
    parseColumnInto(rest, line);
    if (problems.length > before) badColumns++;
  }

  function parseColumnInto(rest: string, line: number): void {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(decimal\s*\(\s*\d+\s*,\s*\d+\s*\)|[A-Za-z]+)(\s+pii)?\s*(?::\s*(.*))?$/i.exec(rest);
    if (!m) {
      fail(line, `@column "${rest}" is not "<name> <type> [pii] [: description]"`, 'write e.g. @column revenue decimal(18,2): Sum of quantity × unit price');
      return;
    }
    const colName = m[1];
    const type = m[2].toLowerCase().replace(/\s+/g, '');
    if (!IDENTIFIER_RE.test(colName)) {
      fail(line, `column name "${colName}" is not lower snake case`, `rename it, e.g. "${colName.toLowerCase()}"`);
      return;
    }
    if (!isColumnType(type)) {
      fail(line, `column ${colName} has unknown type "${m[2]}"`, 'use string, int, bigint, double, boolean, date, timestamp or decimal(p,s) with 1 ≤ p ≤ 38, 0 ≤ s ≤ p');
      return;
    }
    const previous = columns.find((c) => c.name === colName);
    if (previous) {
      fail(line, `column ${colName} is declared twice (first on line ${previous.line})`, 'declare each output column once');
      return;
    }
    columns.push({ name: colName, type, description: m[4]?.trim() || undefined, pii: m[3] ? true : undefined, line });
  }

  function parseAssert(rest: string, line: number): ((text: string) => void) | undefined {
    const m = /^([A-Za-z_]+)\s*(.*)$/.exec(rest);
    const kind = (m?.[1] ?? '') as (typeof ASSERTION_KINDS)[number];
    const args = (m?.[2] ?? '').trim();
    switch (kind) {
      case 'min_rows': {
        if (!/^\d+$/.test(args)) fail(line, `@assert min_rows needs a whole number (got "${args}")`, 'write e.g. @assert min_rows 1');
        else if (minRows) fail(line, `@assert min_rows is declared twice (first on line ${minRows.line})`, 'keep one @assert min_rows');
        else minRows = { value: Number(args), line };
        return undefined;
      }
      case 'not_null':
      case 'unique': {
        const cols = splitColumns(args);
        if (!cols) fail(line, `@assert ${kind} needs a comma-separated list of columns (got "${args}")`, `write e.g. @assert ${kind} order_date, currency`);
        else assertions.push({ value: { kind, columns: cols, line } });
        return undefined;
      }
      case 'accepted_values': {
        const av = /^([a-z][a-z0-9_]*)\s+in\s*\((.*)\)\s*$/i.exec(args);
        const values = av ? parseLiteralList(av[2]) : undefined;
        if (!av || !values || values.length === 0) {
          fail(line, `@assert accepted_values "${args}" is not "<column> in ('a', 'b', …)"`, "write e.g. @assert accepted_values currency in ('EUR', 'USD')");
        } else {
          assertions.push({ value: { kind, column: av[1], values, line } });
        }
        return undefined;
      }
      case 'sql': {
        const sm = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(.*))?$/s.exec(args);
        if (!sm || !IDENTIFIER_RE.test(sm[1])) {
          fail(line, `@assert sql "${args}" is not "<name>: <query>"`, 'write e.g. @assert sql revenue_not_negative: SELECT * FROM {{ this }} WHERE revenue < 0');
          return undefined;
        }
        const entry: { value: ModelAssertion; pendingSql?: string[] } = {
          value: { kind: 'sql', name: sm[1], sql: '', line },
          pendingSql: sm[2]?.trim() ? [sm[2].trim()] : [],
        };
        assertions.push(entry);
        return (more) => entry.pendingSql!.push(more);
      }
      default:
        fail(line, `unknown assertion "${m?.[1] ?? rest}"`, `use one of ${ASSERTION_KINDS.join(', ')}`);
        return undefined;
    }
  }

  // The body: one SELECT, no directive inside it.
  let sql = '';
  let sqlLine = 0;
  if (bodyStart < 0) {
    fail(lines.length, 'the file has no SELECT after its header', 'write the model query after the -- @ header lines');
  } else {
    sqlLine = bodyStart + 1;
    for (let i = bodyStart; i < lines.length; i++) {
      if (/^\s*--\s*@/.test(lines[i])) {
        fail(i + 1, 'a directive follows the start of the SELECT', 'move every -- @ line above the SELECT (the header ends at the first SQL line)');
      }
    }
    sql = lines.slice(bodyStart).join('\n').trim().replace(/;\s*$/, '').trimEnd();
    checkSingleSelect(sql, sqlLine, 'the model', fail);
  }

  // Cross-checks.
  const declared = new Set(columns.map((c) => c.name));
  if (!partition) {
    fail(1, 'no @partition', 'declare the partition column, e.g. -- @partition order_date (a date column of the output)');
  } else {
    const col = columns.find((c) => c.name === partition!.column);
    if (!col) fail(partition.line, `the partition column ${partition.column} is not a declared @column`, `add -- @column ${partition.column} date`);
    else if (col.type !== 'date') fail(col.line, `the partition column ${partition.column} has type ${col.type}`, `declare it as date, e.g. CAST(... AS date) AS ${partition.column}`);
  }
  if (badColumns > 0) {
    // Already reported; what follows would only repeat it.
  } else if (columns.length > 0 && partition && columns.every((c) => c.name === partition!.column)) {
    fail(partition.line, 'the model has no column besides its partition column', 'declare the other output columns with @column');
  } else if (columns.length === 0) {
    fail(1, 'no @column', 'declare every output column of the SELECT, e.g. -- @column currency string');
  }
  const sqlNames = new Set<string>();
  const finalAssertions: ModelAssertion[] = [];
  for (const entry of assertions) {
    const a = entry.value;
    if (a.kind === 'sql') {
      const query = (entry.pendingSql ?? []).join('\n').trim().replace(/;\s*$/, '').trimEnd();
      if (sqlNames.has(a.name)) fail(a.line, `two sql assertions are named ${a.name}`, 'give each sql assertion its own name');
      sqlNames.add(a.name);
      if (!query) {
        fail(a.line, `@assert sql ${a.name} has no query`, 'write the query after the colon, or on indented comment lines below it');
      } else {
        checkSingleSelect(query, a.line, `@assert sql ${a.name}`, fail);
        if (!new RegExp(THIS_RE.source).test(codeOnly(query))) {
          fail(a.line, `@assert sql ${a.name} does not read {{ this }}`, 'select the offending rows FROM {{ this }} (the staged partition), e.g. SELECT * FROM {{ this }} WHERE revenue < 0');
        }
      }
      finalAssertions.push({ ...a, sql: query });
      continue;
    }
    const cols = a.kind === 'accepted_values' ? [a.column] : a.columns;
    for (const c of cols) {
      if (!declared.has(c)) fail(a.line, `@assert ${a.kind} names ${c}, which is not a declared @column`, `declare it with -- @column ${c} <type>, or fix the name`);
    }
    if ((a.kind === 'not_null' || a.kind === 'unique') && new Set(a.columns).size !== a.columns.length) {
      fail(a.line, `@assert ${a.kind} lists a column twice`, 'list each column once');
    }
    finalAssertions.push(a);
  }

  // Inputs: the clean tables of this domain named in the SELECT.
  const inputs: TableReference[] = [];
  if (sql) {
    for (const ref of tableReferences(sql)) {
      const line = sqlLine + ref.line - 1;
      const zone = /_(raw|clean|curated)$/.exec(ref.database)![1];
      const owner = ref.database.slice(0, -(zone.length + 1));
      if (owner !== domain) {
        fail(line, `the model reads ${ref.database}.${ref.table}, which belongs to another domain`, `read ${domain}_clean tables only (the curated role of ${domain} reads clean/${domain}/ only); publish what you need from the other domain as its own curated model`);
      } else if (zone !== 'clean') {
        fail(line, `the model reads ${ref.database}.${ref.table} from the ${zone} zone`, `read the validated ${domain}_clean.${ref.table} table instead (models turn clean data into curated data)`);
      } else if (!inputs.some((x) => x.database === ref.database && x.table === ref.table)) {
        inputs.push({ database: ref.database, table: ref.table, line });
      }
    }
    if (inputs.length === 0 && !problems.some((p) => p.line >= sqlLine)) {
      fail(sqlLine, `the SELECT reads no ${domain}_clean table`, `read at least one clean table by its Glue name, e.g. FROM ${domain}_clean.<dataset>`);
    }
  }

  if (problems.length > 0) {
    throw new ModelFileError(file, [...problems].sort((a, b) => a.line - b.line));
  }
  return {
    domain,
    name,
    file,
    description: description?.text,
    partition: partition!.column,
    columns: columns.map(({ line: _line, ...c }) => stripUndefined(c)),
    minRows: minRows?.value ?? 1,
    minRowsLine: minRows?.line ?? 0,
    assertions: finalAssertions,
    sql,
    sqlLine,
    inputs,
    ...(estimate ? { estimate } : {}),
  };
}

/** The object without its undefined properties (a parsed model and a spec carry none). */
export function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function splitColumns(args: string): string[] | undefined {
  const cols = args.split(',').map((c) => c.trim());
  return cols.length > 0 && cols.every((c) => IDENTIFIER_RE.test(c)) ? cols : undefined;
}

/** Parses `'a', 'b''s', 'c'`; undefined if it is anything else. */
export function parseLiteralList(text: string): string[] | undefined {
  const values: string[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  skipSpace();
  if (i >= text.length) return undefined;
  for (;;) {
    skipSpace();
    if (text[i] !== "'") return undefined;
    i++;
    let value = '';
    for (;;) {
      if (i >= text.length) return undefined;
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value += text[i++];
    }
    values.push(value);
    skipSpace();
    if (i >= text.length) return values;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

/**
 * The SQL with string literals and comments blanked out (same length and line structure), so
 * keywords, semicolons and table names are only found in code.
 */
export function codeOnly(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      out += ' ';
      i++;
      while (i < sql.length) {
        if (sql[i] === "'" && sql[i + 1] === "'") {
          out += '  ';
          i += 2;
        } else if (sql[i] === "'") {
          out += ' ';
          i++;
          break;
        } else {
          out += sql[i] === '\n' ? '\n' : ' ';
          i++;
        }
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      for (; i < stop; i++) out += sql[i] === '\n' ? '\n' : ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function checkSingleSelect(sql: string, line: number, what: string, fail: (line: number, problem: string, fix: string) => void): void {
  const code = codeOnly(sql);
  const first = /^\s*\(*\s*([A-Za-z]+)/.exec(code)?.[1]?.toLowerCase();
  if (first !== 'select' && first !== 'with') {
    fail(line, `${what} must be one SELECT (or WITH … SELECT) statement; it starts with "${first ?? ''}"`, 'write a single query; the runner adds the CREATE TABLE / COPY around it');
  }
  const semi = code.indexOf(';');
  if (semi >= 0) {
    const semiLine = line + code.slice(0, semi).split('\n').length - 1;
    fail(semiLine, `${what} holds more than one statement (a ";" before the end)`, 'keep one query per file (one model per file)');
  }
}

/** Tables named `<x>_raw|_clean|_curated.<table>` in the SQL's code, with 1-based line numbers. */
export function tableReferences(sql: string): TableReference[] {
  const code = codeOnly(sql).toLowerCase();
  const re = /(?<![\w."])"?([a-z][a-z0-9_]*_(?:raw|clean|curated))"?\s*\.\s*"?([a-z][a-z0-9_]*)"?/g;
  const refs: TableReference[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    refs.push({ database: m[1], table: m[2], line: code.slice(0, m.index).split('\n').length });
  }
  return refs;
}
