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
import { sourceText } from '../../../lambda/shared/pipeline/scan';
import { goodRowsSelect, quarantineSelect, stagingColumns, wholeFileQuarantineSelect } from '../../../lambda/bigfile/core/sql';
import { sourceUri } from '../../../lambda/shared/pipeline/keys';
import { TEST_SOURCE } from '../transform/helpers';
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
  /** The quarantine entries, as the function writes them (without `source`; `recordBase64` only when set). */
  readonly quarantined: { line: number; record: string; reasons: string[]; recordBase64?: string }[];
  readonly partBodies: Buffer[];
}

/** Good rows as comparable text: timestamps as epoch microseconds, the rest cast to text. */
export function comparable(contract: DatasetContract, relation: string): string {
  const cols = cleanColumns(effectiveColumns(contract)).map((c) =>
    c.type === 'timestamp' ? `CAST(epoch_us(${sqlIdent(c.name)}) AS VARCHAR) AS ${sqlIdent(c.name)}` : `CAST(${sqlIdent(c.name)} AS VARCHAR) AS ${sqlIdent(c.name)}`,
  );
  return `SELECT ${cols.join(', ')} FROM ${relation} ORDER BY ALL`;
}

/** How reasons name the source, as the function's `run` (transform helpers) names it. */
const SOURCE_URI = sourceUri(TEST_SOURCE);

export async function runBigFile(
  engine: Engine,
  dir: string,
  contract: DatasetContract,
  content: string | Buffer,
  opts: { readonly partBytes?: number; readonly arrivalDate?: string; readonly tokenKey?: TokenKey } = {},
): Promise<BigFileRun> {
  const { partBytes, arrivalDate, tokenKey } = opts;
  const tag = Math.random().toString(36).slice(2);
  const parts: string[] = [];
  const partBodies: Buffer[] = [];
  const { stream } = await sourceText(Readable.from([Buffer.from(content)]), { encoding: contract.encoding });
  const prepared = await prepareStaging({
    contract,
    sourceUri: SOURCE_URI,
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
    // An unreadable source: no good rows, every staged row quarantined with the file's reason (convert.ts).
    const good = prepared.unreadable ? `SELECT * FROM (${goodRowsSelect(contract, staging, TRINO, arrivalDate)}) WHERE false` : goodRowsSelect(contract, staging, TRINO, arrivalDate);
    const rows = await c.runAndReadAll(comparable(contract, `(${good})`));
    const names = rows.columnNames();
    const parts2 = await c.runAndReadAll(`SELECT ${sqlIdent(PARTITION_COLUMN)}, count(*) FROM (${good}) GROUP BY 1 ORDER BY 1`);
    const bad = await c.runAndReadAll(prepared.unreadable ? wholeFileQuarantineSelect(staging, prepared.unreadable) : quarantineSelect(contract, staging, TRINO));
    return {
      ...prepared,
      partBodies,
      rows: rows.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i], v === null ? null : String(v)]))),
      partitions: Object.fromEntries(parts2.getRows().map(([p, n]) => [String(p), Number(n)])),
      quarantined: bad.getRows().map(([line, record, reasons, bytes]) => ({
        line: Number(line),
        record: String(record),
        reasons: String(reasons).split(REASON_SEPARATOR),
        ...(bytes === null ? {} : { recordBase64: String(bytes) }),
      })),
    };
  });
}
