/**
 * The engine-neutral SQL of a model (the common subset of Trino/Athena engine 3 and DuckDB): the
 * staged SELECT of one partition, `{{ this }}`, and the queries that check a staged partition.
 */
import type { ColumnType } from '../dataset';
import { assertPartitionDate } from './layout';
import type { ModelSpec } from './spec';
import { THIS_RE, type ModelAssertion, type ModelColumn } from './syntax';

/** How many offending rows an assertion failure reports. */
export const DEFAULT_SAMPLE_SIZE = 5;
/** Column the assertion queries add: how many rows fail in total. */
export const FAILING_ROWS_COLUMN = 'lakehouse_failing_rows';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function dateLiteral(date: string): string {
  assertPartitionDate(date);
  return `DATE '${date}'`;
}

/** The CAST target of a column type, spelled so both Trino and DuckDB accept it. */
export function castType(type: ColumnType): string {
  if (type === 'string') return 'varchar';
  if (type === 'int') return 'integer';
  return type;
}

/** The model's non-partition columns (what the data files hold). */
export function dataColumns(spec: Pick<ModelSpec, 'columns' | 'partition'>): readonly ModelColumn[] {
  return spec.columns.filter((c) => c.name !== spec.partition);
}

/**
 * The staged result of one partition: the model's SELECT, filtered to the partition, its columns
 * cast to the declared types, without the partition column (it lives in the path).
 */
export function stagedSelectSql(spec: ModelSpec, date: string): string {
  const casts = dataColumns(spec).map((c) => `  CAST(${quoteIdent('model')}.${quoteIdent(c.name)} AS ${castType(c.type)}) AS ${quoteIdent(c.name)}`);
  return [
    'SELECT',
    casts.join(',\n'),
    'FROM (',
    spec.sql,
    `) AS ${quoteIdent('model')}`,
    `WHERE ${quoteIdent('model')}.${quoteIdent(spec.partition)} = ${dateLiteral(date)}`,
  ].join('\n');
}

/** `{{ this }}`: the staged relation with the partition column added back. */
export function thisRelation(spec: Pick<ModelSpec, 'partition'>, stagedRelation: string, date: string): string {
  return `(SELECT *, ${dateLiteral(date)} AS ${quoteIdent(spec.partition)} FROM ${stagedRelation})`;
}

/** A check to run against a staged partition. */
export interface CheckQuery {
  /** Stable, readable name, e.g. `unique(order_date, currency)`. */
  readonly name: string;
  readonly kind: ModelAssertion['kind'];
  /** Line of the model file that declares it. */
  readonly line: number;
  /** Returns at most `sampleSize` offending rows, each with FAILING_ROWS_COLUMN = the total. */
  readonly sql: string;
}

export function assertionName(a: ModelAssertion): string {
  switch (a.kind) {
    case 'not_null':
    case 'unique':
      return `${a.kind}(${a.columns.join(', ')})`;
    case 'accepted_values':
      return `accepted_values(${a.column})`;
    case 'sql':
      return `sql(${a.name})`;
  }
}

function violationsSql(a: ModelAssertion, self: string): string {
  switch (a.kind) {
    case 'not_null':
      return `SELECT * FROM ${self} AS t WHERE ${a.columns.map((c) => `t.${quoteIdent(c)} IS NULL`).join(' OR ')}`;
    case 'unique': {
      const cols = a.columns.map((c) => `t.${quoteIdent(c)}`).join(', ');
      return `SELECT ${cols}, COUNT(*) AS duplicate_rows FROM ${self} AS t GROUP BY ${cols} HAVING COUNT(*) > 1`;
    }
    case 'accepted_values': {
      const col = `t.${quoteIdent(a.column)}`;
      return `SELECT ${col}, COUNT(*) AS rejected_rows FROM ${self} AS t WHERE ${col} IS NOT NULL AND CAST(${col} AS varchar) NOT IN (${a.values.map(quoteLiteral).join(', ')}) GROUP BY ${col}`;
    }
    case 'sql':
      return a.sql.replace(THIS_RE, self);
  }
}

/** The count query and one query per assertion, against `{{ this }}` = `self`. */
export function checkQueries(spec: Pick<ModelSpec, 'assertions'>, self: string, sampleSize = DEFAULT_SAMPLE_SIZE): { rowCount: string; assertions: CheckQuery[] } {
  return {
    rowCount: `SELECT COUNT(*) AS row_count FROM ${self} AS t`,
    assertions: spec.assertions.map((a) => ({
      name: assertionName(a),
      kind: a.kind,
      line: a.line,
      sql: `SELECT COUNT(*) OVER () AS ${FAILING_ROWS_COLUMN}, v.* FROM (\n${violationsSql(a, self)}\n) AS v LIMIT ${sampleSize}`,
    })),
  };
}
