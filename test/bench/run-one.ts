/**
 * One benchmark measurement in a fresh process, so that peak RSS belongs to this run alone.
 * Prints one JSON line on stdout. `npm run bench` runs it bundled (bench.ts `bundle`); by hand:
 *
 *   tsx test/bench/run-one.ts transform <file> <csv|ndjson> [pii]
 *   tsx test/bench/run-one.ts bare <file> <csv|ndjson> [partitioned] [checked]
 *   tsx test/bench/run-one.ts bytes <file> <csv|ndjson>
 *
 * `bare` is DuckDB's plain conversion of the same file to Parquet (zstd): its own CSV/JSON
 * reader with type detection, no validation, no line numbers, no quarantine. `checked`: the
 * contract's cheap checks and casts added (see checkedQuery), the floor of what validating costs.
 *
 * `pii`: `customer_id` declared `pii: true`, so the transform writes it as a keyed token (the cost of
 * tokenizing one column of every row; the orders contract itself has no pii column).
 *
 * `bytes` runs the transform, then measures, for the analyst query of QUERY_COLUMNS on one day,
 * the bytes a reader must fetch from each day's Parquet file (see parquet-bytes.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../lambda/transform/core/engine';
import { effectiveColumns } from '../../lambda/shared/pipeline/plan';
import { columnSql, sqlIdent, sqlString } from '../../lambda/shared/pipeline/rules';
import { TokenKey } from '../../lambda/shared/pipeline/tokens';
import { transformFile } from '../../lambda/transform/core/transform';
import { ORDERS_CONTRACT } from './orders';
import { QUERY_COLUMNS, queryBytes } from './parquet-bytes';

async function main(): Promise<void> {
  const [mode, file, format, ...variants] = process.argv.slice(2);
  const memoryLimitMb = Number(process.env.BENCH_DUCKDB_MEMORY_MB ?? 1024);
  const threads = process.env.BENCH_THREADS ? Number(process.env.BENCH_THREADS) : undefined;
  const workDir = join(process.env.BENCH_WORK_DIR ?? '.bench/work', `run-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const engine = await Engine.create({ memoryLimitMb, threads, tempDirectory: join(workDir, 'duckdb-tmp') });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let out: Record<string, unknown>;
  const pii = variants.includes('pii');
  const columns = pii ? ORDERS_CONTRACT.columns.map((c) => (c.name === 'customer_id' ? { ...c, pii: true as const } : c)) : ORDERS_CONTRACT.columns;
  const transform = () =>
    transformFile({
      contract: { ...ORDERS_CONTRACT, columns, format: format as 'csv' | 'ndjson' },
      ...(pii ? { tokenKey: TokenKey.fromText('bench-token-key-not-a-secret') } : {}),
      localPath: file,
      source: { bucket: 'bench', key: `sales/orders/${file}`, versionId: '1' },
      workDir,
      engine,
    });
  try {
    if (mode === 'bytes') {
      const r = await transform();
      const days = [];
      for (const f of r.outputs.cleanFiles) days.push({ day: f.partition, rows: f.rows, ...(await queryBytes(engine, f.localPath, QUERY_COLUMNS)) });
      out = { rowsOut: r.rowsOut, days };
    } else if (mode === 'transform') {
      const r = await transform();
      out = {
        rowsIn: r.rowsIn,
        rowsOut: r.rowsOut,
        rowsQuarantined: r.rowsQuarantined,
        bytesIn: r.bytesIn,
        bytesDecompressed: r.bytesDecompressed,
        partitions: r.outputs.cleanFiles.length,
        timings: r.timings,
      };
    } else if (mode === 'bare') {
      const partitioned = variants.includes('partitioned');
      const target = partitioned ? join(workDir, 'bare') : join(workDir, 'bare.parquet');
      const partition = partitioned ? ', PARTITION_BY (order_date)' : '';
      const query = variants.includes('checked') ? checkedQuery(file, format as 'csv' | 'ndjson') : `SELECT * FROM ${bareReader(file, format)}`;
      const rows = await engine.withConnection(async (c) => {
        const r = await c.run(`COPY (${query}) TO '${target}' (FORMAT parquet, COMPRESSION zstd${partition})`);
        return r.rowsChanged;
      });
      out = { rowsOut: rows };
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    engine.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    JSON.stringify({
      mode,
      file,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      ...out,
    }) + '\n',
  );
}

const bareReader = (file: string, format: string, options = '') =>
  format === 'csv' ? `read_csv('${file}', ignore_errors = true${options})` : `read_json('${file}', format = 'newline_delimited', ignore_errors = true${options})`;

/**
 * What validation alone costs on top of the bare conversion: DuckDB's own reader with every field
 * as text, the rows the contract's cheap checks pass (rules.ts `fast`, the filter the transform's
 * checking pass runs on every row), cast to the contract's types. A floor, not a transform: the
 * rows failing the checks are dropped without reasons, and there are no line numbers.
 */
function checkedQuery(file: string, format: 'csv' | 'ndjson'): string {
  const cols = effectiveColumns(ORDERS_CONTRACT);
  const text = format === 'csv' ? ', all_varchar = true' : `, columns = {${cols.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(', ')}}`;
  const sql = cols.map((c) => ({ col: c, ...columnSql(c, sqlIdent(c.name), 'NULL') }));
  return (
    `SELECT ${sql.map((s) => `${s.cast} AS ${sqlIdent(s.col.name)}`).join(', ')} FROM ${bareReader(file, format, text)} ` +
    `WHERE ${sql.map((s) => `(${s.fast})`).join(' AND ')}`
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
