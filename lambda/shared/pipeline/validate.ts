/**
 * Checks single values against a column's rules with the same SQL the transform runs: for tests,
 * and for tools that explain why a value is rejected.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnDefinition } from '../dataset';
import { valuesQuery } from './rules';

export interface ValueVerdict {
  /** The stored value as DuckDB renders it (`12.50`, `2024-03-15 10:00:00+00`), or null. */
  readonly value: string | null;
  /** Why the value is rejected, or null when it passes. */
  readonly reason: string | null;
}

export async function validateValues(conn: DuckDBConnection, col: ColumnDefinition, texts: readonly (string | null)[]): Promise<ValueVerdict[]> {
  if (texts.length === 0) return [];
  const reader = await conn.runAndReadAll(`SELECT CAST(v AS VARCHAR) AS v, reason FROM (${valuesQuery(col, texts)})`);
  return reader.getRows().map(([v, reason]) => ({ value: v === null ? null : String(v), reason: reason === null ? null : String(reason) }));
}
