/**
 * `npx lakehouse query "<SQL>"` — SQL over the local zones with DuckDB, with the database and table
 * names of the Glue catalog: `<domain>_clean.<dataset>`, `<domain>_quarantine.<dataset>`,
 * `<domain>_curated.<model>`, `<domain>_raw.<dataset>` (raw: every column as text).
 * Prints the rows as NDJSON.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DatasetDefinition } from '../../../lambda/shared/dataset';
import { csvFormatOf, duckDbDialect } from '../../../lambda/shared/pipeline/dialect';
import { rawPrefixes, sourcesOfDataset } from '../../../lambda/shared/sources';
import { LOCAL_DIR } from '../local';
import { CommandOptions, UsageError, loadCheckedDomains } from './common';

export const QUERY_USAGE = 'usage: npx lakehouse query "<SQL>"';

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * DuckDB's reading of a raw CSV dataset: its dialect; a single-byte encoding as DuckDB's
 * `latin-1` (Windows-1252's 0x80–0x9F then show as control characters). UTF-16 files are read by
 * the transform only.
 */
function rawCsvOptions(ds: DatasetDefinition): string {
  const f = csvFormatOf(ds.csv);
  const encoding = ds.encoding === 'windows-1252' || ds.encoding === 'latin-1' ? `, encoding = 'latin-1'` : '';
  return `header = ${f.header}, ${duckDbDialect(f)}${encoding}`;
}

/** Creates one schema per domain and zone, and one view per dataset (or model) with local files. */
export async function createLocalViews(connection: DuckDBConnection, root: string, domainsDir?: string, warn: (m: string) => void = () => undefined): Promise<string[]> {
  const created: string[] = [];
  const base = path.join(root, LOCAL_DIR);
  const hasFiles = (dir: string) => fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => !String(f).startsWith('.'));
  for (const domain of loadCheckedDomains(domainsDir)) {
    for (const zone of ['raw', 'clean', 'quarantine', 'curated']) {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(`${domain.name}_${zone}`)}`);
    }
    for (const ds of domain.datasets) {
      // Raw: every source's prefix of the dataset (sources.ts), those with files.
      const rawDirs = rawPrefixes(domain.name, ds.name, sourcesOfDataset(domain, ds)).map((p) => path.join(base, 'raw', ...p.split('/'))).filter(hasFiles);
      const rawFiles = `[${rawDirs.map((d) => literal(path.join(d, '*'))).join(', ')}]`;
      const views: [string, string[], string][] = [
        ['clean', [path.join(base, 'clean', domain.name, ds.name)], `read_parquet(${literal(path.join(base, 'clean', domain.name, ds.name, '**', '*.parquet'))}, hive_partitioning = true)`],
        // union_by_name: only some quarantine files have `recordBase64` (records that are not UTF-8).
        ['quarantine', [path.join(base, 'quarantine', domain.name, ds.name)], `read_json(${literal(path.join(base, 'quarantine', domain.name, ds.name, '*.ndjson'))}, format = 'newline_delimited', union_by_name = true)`],
        [
          'raw',
          rawDirs,
          ds.format === 'csv'
            ? `read_csv(${rawFiles}, ${rawCsvOptions(ds)}, all_varchar = true, ignore_errors = true, null_padding = true, union_by_name = true)`
            : `read_json(${rawFiles}, format = 'newline_delimited', ignore_errors = true)`,
        ],
      ];
      for (const [zone, dirs, source] of views) {
        if (!dirs.some(hasFiles)) continue;
        const name = `${domain.name}_${zone}.${ds.name}`;
        try {
          await connection.run(`CREATE OR REPLACE VIEW ${ident(`${domain.name}_${zone}`)}.${ident(ds.name)} AS SELECT * FROM ${source}`);
          created.push(name);
        } catch (e) {
          // One unreadable local file must not hide the other tables.
          warn(`${name} is not available: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    }
    const curatedDir = path.join(base, 'curated', domain.name);
    if (fs.existsSync(curatedDir)) {
      for (const model of fs.readdirSync(curatedDir)) {
        if (model.startsWith('_') || model.startsWith('.') || !hasFiles(path.join(curatedDir, model))) continue;
        await connection.run(
          `CREATE OR REPLACE VIEW ${ident(`${domain.name}_curated`)}.${ident(model)} AS SELECT * FROM read_parquet(${literal(path.join(curatedDir, model, '**', '*.parquet'))}, hive_partitioning = true)`,
        );
        created.push(`${domain.name}_curated.${model}`);
      }
    }
  }
  return created;
}

export async function queryCommand(args: readonly string[], opts: CommandOptions): Promise<number> {
  if (args.length !== 1 || !args[0].trim()) throw new UsageError(QUERY_USAGE);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const views = await createLocalViews(connection, opts.root, opts.domainsDir, (m) => opts.stderr.write(`${m}\n`));
    if (views.length === 0) opts.stderr.write(`no local data under ${LOCAL_DIR}/ yet: run \`npx lakehouse run <domain>/<dataset> <file>\` first\n`);
    const reader = await connection.runAndReadAll(args[0]);
    for (const row of reader.getRowObjectsJson()) opts.stdout.write(`${JSON.stringify(row)}\n`);
    return 0;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
