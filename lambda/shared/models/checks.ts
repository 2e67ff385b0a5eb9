/**
 * Running a staged partition's checks through any engine (Athena, DuckDB), and reporting them.
 */
import type { ResultRow } from '../ports';
import type { ModelSpec } from './spec';
import type { ModelAssertion } from './syntax';
import { DEFAULT_SAMPLE_SIZE, FAILING_ROWS_COLUMN, checkQueries } from './sql';

export interface AssertionResult {
  readonly name: string;
  readonly kind: ModelAssertion['kind'] | 'min_rows';
  readonly line: number;
  readonly ok: boolean;
  /** Offending rows (for min_rows: 1 when it fails). */
  readonly failingRows: number;
  /** Up to DEFAULT_SAMPLE_SIZE offending rows. */
  readonly sample: readonly ResultRow[];
}

export interface CheckReport {
  readonly rows: number;
  readonly ok: boolean;
  readonly assertions: readonly AssertionResult[];
}

/** Runs the checks of a staged partition through `query` (Athena or DuckDB). */
export async function runChecks(
  spec: Pick<ModelSpec, 'assertions' | 'minRows' | 'minRowsLine'>,
  self: string,
  query: (sql: string, label: string) => Promise<readonly ResultRow[]>,
  sampleSize = DEFAULT_SAMPLE_SIZE,
): Promise<CheckReport> {
  const queries = checkQueries(spec, self, sampleSize);
  const countRows = await query(queries.rowCount, 'row count');
  const rows = Number(countRows[0]?.row_count ?? NaN);
  if (!Number.isFinite(rows)) throw new Error(`the row count query returned ${JSON.stringify(countRows)}`);
  const results: AssertionResult[] = [
    {
      name: `min_rows(${spec.minRows})`,
      kind: 'min_rows',
      line: spec.minRowsLine,
      ok: rows >= spec.minRows,
      failingRows: rows >= spec.minRows ? 0 : 1,
      sample: rows >= spec.minRows ? [] : [{ row_count: String(rows) }],
    },
  ];
  for (const q of queries.assertions) {
    const found = await query(q.sql, q.name);
    const failing = found.length === 0 ? 0 : Number(found[0][FAILING_ROWS_COLUMN] ?? found.length);
    results.push({
      name: q.name,
      kind: q.kind,
      line: q.line,
      ok: found.length === 0,
      failingRows: failing,
      sample: found.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== FAILING_ROWS_COLUMN))),
    });
  }
  return { rows, ok: results.every((r) => r.ok), assertions: results };
}

/** One line naming each failed assertion, where it is declared, and a sample. */
export function describeFailures(spec: Pick<ModelSpec, 'file'>, report: CheckReport): string {
  return report.assertions
    .filter((a) => !a.ok)
    .map((a) => `${a.name} (${spec.file}:${a.line}) failed on ${a.failingRows} row(s), e.g. ${JSON.stringify(a.sample.slice(0, 3))}`)
    .join('; ');
}

/** Normalises an engine's row values to text (null stays null). */
export function normaliseRow(row: Readonly<Record<string, unknown>>): ResultRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v)]));
}
