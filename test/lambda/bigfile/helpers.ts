/**
 * Runs the big-file route's checks offline: prepare.ts on a file, then the Athena (Trino) SQL of
 * sql.ts on DuckDB over the staging parts. DuckDB lacks three Trino functions; they are defined
 * as macros with the DuckDB functions the function's own rules use, so what is compared is the
 * route's logic (staging, verdicts, reasons, typing, partitions) — not Trino's own functions,
 * which need Athena.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DatasetContract } from '../../../lambda/shared/dataset';
import { prepareStaging, type PrepareResult } from '../../../lambda/bigfile/core/prepare';
import { decompressed } from '../../../lambda/shared/pipeline/scan';
import { goodRowsSelect, quarantineSelect, stagingColumns } from '../../../lambda/bigfile/core/sql';
import type { Engine } from '../../../lambda/transform/core/engine';
import { PARTITION_COLUMN, effectiveColumns } from '../../../lambda/shared/pipeline/plan';
import { REASON_SEPARATOR, TRINO, sqlIdent, sqlString } from '../../../lambda/shared/pipeline/rules';
import { cleanColumns, type TokenKey } from '../../../lambda/shared/pipeline/tokens';

/** Trino functions the route uses, over DuckDB's equivalents. */
export const TRINO_ON_DUCKDB = [
  'CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE OR REPLACE MACRO is_finite(x) AS isfinite(x)',
  'CREATE OR REPLACE MACRO from_iso8601_timestamp_nanos(x) AS CAST(x AS TIMESTAMPTZ)',
];

export interface BigFileRun extends PrepareResult {
  /** Good rows, values as comparable text (timestamps as epoch microseconds), ordered. */
  readonly rows: Record<string, string | null>[];
  /** Rows per partition value. */
  readonly partitions: Record<string, number>;
  /** The quarantine entries, as the function writes them (without `source`). */
  readonly quarantined: { line: number; record: string; reasons: string[] }[];
  readonly partBodies: Buffer[];
}

/** Good rows as comparable text: timestamps as epoch microseconds, the rest cast to text. */
export function comparable(contract: DatasetContract, relation: string): string {
  const cols = cleanColumns(effectiveColumns(contract)).map((c) =>
    c.type === 'timestamp' ? `CAST(epoch_us(${sqlIdent(c.name)}) AS VARCHAR) AS ${sqlIdent(c.name)}` : `CAST(${sqlIdent(c.name)} AS VARCHAR) AS ${sqlIdent(c.name)}`,
  );
  return `SELECT ${cols.join(', ')} FROM ${relation} ORDER BY ALL`;
}

export async function runBigFile(engine: Engine, dir: string, contract: DatasetContract, content: string | Buffer, partBytes?: number, tokenKey?: TokenKey): Promise<BigFileRun> {
  const tag = Math.random().toString(36).slice(2);
  const parts: string[] = [];
  const partBodies: Buffer[] = [];
  const { stream } = await decompressed(Readable.from([Buffer.from(content)]));
  const prepared = await prepareStaging({
    contract,
    input: stream,
    partBytes,
    tokenKey,
    putPart: async (name, body) => {
      const path = join(dir, `${tag}-${name}`);
      writeFileSync(path, body);
      parts.push(path);
      partBodies.push(body);
    },
  });
  if (parts.length === 0) return { ...prepared, rows: [], partitions: {}, quarantined: [], partBodies };
  return engine.withConnection(async (c) => {
    for (const m of TRINO_ON_DUCKDB) await c.run(m);
    const columns = stagingColumns(contract)
      .map((col) => `${sqlString(col.name)}: ${sqlString(col.type === 'string' ? 'VARCHAR' : col.type.toUpperCase())}`)
      .join(', ');
    const staging = `read_json([${parts.map(sqlString).join(', ')}], format = 'newline_delimited', columns = {${columns}})`;
    const good = goodRowsSelect(contract, staging, TRINO);
    const rows = await c.runAndReadAll(comparable(contract, `(${good})`));
    const names = rows.columnNames();
    const parts2 = await c.runAndReadAll(`SELECT ${sqlIdent(PARTITION_COLUMN)}, count(*) FROM (${good}) GROUP BY 1 ORDER BY 1`);
    const bad = await c.runAndReadAll(quarantineSelect(contract, staging, TRINO));
    return {
      ...prepared,
      partBodies,
      rows: rows.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], v === null ? null : String(v)]))),
      partitions: Object.fromEntries(parts2.getRows().map(([p, n]) => [String(p), Number(n)])),
      quarantined: bad.getRows().map(([line, record, reasons]) => ({ line: Number(line), record: String(record), reasons: String(reasons).split(REASON_SEPARATOR) })),
    };
  });
}
