/**
 * `npx lakehouse run-model <domain>/<model> [--partition yyyy-mm-dd]…`
 *
 * Runs a curated model and its assertions locally with DuckDB, the same way the cloud runner
 * does on Athena: same model file, same parser, same staged SELECT and assertion SQL
 * (lambda/shared/models/), same publish rule (a partition is replaced only when every assertion
 * passes; otherwise the previous output stays).
 *
 * Local zones live under `<root>/.lakehouse/<zone>/` with the same keys as S3:
 * - inputs: `.lakehouse/clean/<domain>/<dataset>/<partition>=<date>/*.parquet`, exposed as views
 *   named like the Glue tables (`<domain>_clean.<dataset>`; an input without files is an empty
 *   view typed from the dataset contract);
 * - output: `.lakehouse/curated/<domain>/<model>/<partition>=<date>/part-00000.parquet`.
 * Without `--partition`, every partition the model produces is run.
 *
 * Prints one JSON line: rows, and per partition whether it was published and each assertion's
 * result. Exit code 0 when every partition was published, 1 when an assertion blocked one, 2 on a
 * model-file or SQL error (printed as a JSON line with `error`). Bad arguments throw UsageError
 * (the dispatcher prints the usage; exit code 2).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadDomainModels } from '../../../constructs/models/load-models';
import { DatasetDefinition, DomainDefinition, ColumnType, contractOf } from '../../../lambda/shared/dataset';
import {
  AssertionResult,
  ModelSpec,
  dataColumns,
  normaliseRow,
  partFileName,
  quoteIdent,
  quoteLiteral,
  runChecks,
  stagedSelectSql,
  thisRelation,
} from '../../../lambda/shared/models';
import { cleanColumns } from '../../../lambda/shared/pipeline/tokens';
import { CommandOptions, DEFAULT_DOMAINS_DIR, UsageError, loadCheckedDomains } from './common';

/** The project root (`.lakehouse/` lives there), where output goes and, optionally, where domains are. */
export type RunModelOptions = Pick<CommandOptions, 'root' | 'stdout' | 'domainsDir'>;

/** The local zones' folder under the root (the same as the local runner's). */
export const LOCAL_ZONES_DIR = '.lakehouse';

export const RUN_MODEL_USAGE = 'usage: npx lakehouse run-model <domain>/<model> [--partition yyyy-mm-dd]...';

export interface PartitionOutcome {
  readonly partition: string;
  readonly rows: number;
  readonly published: boolean;
  /** Published files, relative to the root. */
  readonly files: readonly string[];
  readonly assertions: readonly AssertionResult[];
}

export async function runModelCommand(args: readonly string[], opts: RunModelOptions): Promise<number> {
  const print = (value: unknown) => opts.stdout.write(`${JSON.stringify(value)}\n`);
  const parsed = parseArgs(args);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const target = `${parsed.domain}/${parsed.model}`;
  const domainsDir = opts.domainsDir ?? DEFAULT_DOMAINS_DIR;
  let domain: DomainDefinition;
  let spec: ModelSpec;
  try {
    const domains = loadCheckedDomains(domainsDir);
    const found = domains.find((d) => d.name === parsed.domain);
    if (!found) throw new Error(`unknown domain ${parsed.domain} (domains: ${domains.map((d) => d.name).join(', ') || 'none'})`);
    domain = found;
    const specs = loadDomainModels(domainsDir, domain);
    const model = specs.find((s) => s.name === parsed.model);
    if (!model) throw new Error(`unknown model ${target} (models of ${domain.name}: ${specs.map((s) => s.name).join(', ') || 'none'}; add lib/domains/${domain.name}/${parsed.model}.sql)`);
    spec = model;
  } catch (e) {
    print({ model: target, ok: false, error: (e as Error).message });
    return 2;
  }

  const zones = path.join(opts.root, LOCAL_ZONES_DIR);
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await instance.connect();
  const runId = `local-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomBytes(3).toString('hex')}`;
  const stagingRoot = path.join(zones, 'curated', domain.name, '_staging', spec.name, runId);
  try {
    await conn.run("SET TimeZone = 'UTC'");
    await createCleanViews(conn, zones, domain);
    const partitions = parsed.partitions.length > 0 ? parsed.partitions : await modelPartitions(conn, spec);
    const outcomes: PartitionOutcome[] = [];
    for (const date of partitions) {
      outcomes.push(await runLocalPartition(conn, spec, date, zones, stagingRoot, opts.root));
    }
    const ok = outcomes.every((o) => o.published);
    print({
      model: target,
      engine: 'duckdb',
      ok,
      rows: outcomes.filter((o) => o.published).reduce((n, o) => n + o.rows, 0),
      partitions: outcomes,
      output: path.relative(opts.root, path.join(zones, 'curated', domain.name, spec.name)).split(path.sep).join('/'),
    });
    return ok ? 0 : 1;
  } catch (e) {
    print({ model: target, ok: false, error: (e as Error).message });
    return 2;
  } finally {
    fs.rmSync(stagingRoot, { recursive: true, force: true });
    removeEmptyDirs(path.join(zones, 'curated', domain.name, '_staging'));
    conn.closeSync();
    instance.closeSync();
  }
}

function parseArgs(args: readonly string[]): { domain: string; model: string; partitions: string[] } | { error: string } {
  let target: string | undefined;
  const partitions: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--partition' || a === '-p') {
      const v = args[++i];
      if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return { error: `--partition needs a yyyy-mm-dd date (got ${JSON.stringify(v)})` };
      partitions.push(v);
    } else if (a.startsWith('--partition=')) {
      const v = a.slice('--partition='.length);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return { error: `--partition needs a yyyy-mm-dd date (got ${JSON.stringify(v)})` };
      partitions.push(v);
    } else if (a.startsWith('-')) {
      return { error: `unknown option ${a}` };
    } else if (target) {
      return { error: `one model at a time (got ${target} and ${a})` };
    } else {
      target = a;
    }
  }
  const m = target ? /^([a-z][a-z0-9_]*)\/([a-z][a-z0-9_]*)$/.exec(target) : null;
  if (!m) return { error: target ? `${JSON.stringify(target)} is not <domain>/<model>` : 'which model? name it as <domain>/<model>' };
  return { domain: m[1], model: m[2], partitions: [...new Set(partitions)] };
}

/** DuckDB's spelling of a contract type. */
function duckType(type: ColumnType): string {
  if (type === 'string') return 'VARCHAR';
  if (type === 'int') return 'INTEGER';
  return type.toUpperCase();
}

function hasParquet(dir: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some(
    (e) => e.isDirectory() && fs.readdirSync(path.join(dir, e.name)).some((f) => f.endsWith('.parquet')),
  );
}

/** Schema `<domain>_clean` with a view per dataset, named like the Glue tables. */
async function createCleanViews(conn: DuckDBConnection, zones: string, domain: DomainDefinition): Promise<void> {
  const schema = quoteIdent(`${domain.name}_clean`);
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const dataset of domain.datasets) {
    await conn.run(`CREATE OR REPLACE VIEW ${schema}.${quoteIdent(dataset.name)} AS ${cleanRelation(zones, domain.name, dataset)}`);
  }
}

function cleanRelation(zones: string, domain: string, dataset: DatasetDefinition): string {
  const contract = contractOf(domain, dataset);
  const p = contract.partitionName;
  const dir = path.join(zones, 'clean', domain, dataset.name);
  if (hasParquet(dir)) {
    const glob = path.join(dir, '*', '*.parquet').split(path.sep).join('/');
    return `SELECT * FROM read_parquet(${quoteLiteral(glob)}, hive_partitioning = true, union_by_name = true, hive_types = {${quoteLiteral(p)}: DATE})`;
  }
  // No data yet: an empty view with the clean table's columns.
  const columns = cleanColumns(contract.columns).filter((c) => c.name !== p).map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${quoteIdent(c.name)}`);
  return `SELECT ${[...columns, `CAST(NULL AS DATE) AS ${quoteIdent(p)}`].join(', ')} WHERE false`;
}

async function modelPartitions(conn: DuckDBConnection, spec: ModelSpec): Promise<string[]> {
  const p = quoteIdent(spec.partition);
  const reader = await conn.runAndReadAll(`SELECT DISTINCT CAST(CAST(m.${p} AS DATE) AS VARCHAR) AS p FROM (\n${spec.sql}\n) AS m WHERE m.${p} IS NOT NULL ORDER BY 1`);
  return reader.getRowObjectsJson().map((r) => String(r.p));
}

async function runLocalPartition(conn: DuckDBConnection, spec: ModelSpec, date: string, zones: string, stagingRoot: string, root: string): Promise<PartitionOutcome> {
  const staged = quoteIdent(`stg_${spec.name}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${staged} AS ${stagedSelectSql(spec, date)}`);
  try {
    const report = await runChecks(spec, thisRelation(spec, staged, date), async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson().map((r) => normaliseRow(r)));
    if (!report.ok) return { partition: date, rows: report.rows, published: false, files: [], assertions: report.assertions };

    // Stage the file, then swap it in: the rename replaces the partition's file in one step.
    const partDir = `${spec.partition}=${date}`;
    const targetDir = path.join(zones, 'curated', spec.domain, spec.name, partDir);
    const files: string[] = [];
    fs.mkdirSync(targetDir, { recursive: true });
    if (report.rows > 0) {
      const stagedDir = path.join(stagingRoot, partDir);
      fs.mkdirSync(stagedDir, { recursive: true });
      const stagedFile = path.join(stagedDir, partFileName(0));
      const columns = dataColumns(spec).map((c) => quoteIdent(c.name)).join(', ');
      await conn.run(`COPY (SELECT ${columns} FROM ${staged}) TO ${quoteLiteral(stagedFile.split(path.sep).join('/'))} (FORMAT parquet, COMPRESSION zstd)`);
      const finalFile = path.join(targetDir, partFileName(0));
      fs.renameSync(stagedFile, finalFile);
      files.push(path.relative(root, finalFile).split(path.sep).join('/'));
    }
    for (const f of fs.readdirSync(targetDir)) {
      if (!files.some((kept) => kept.endsWith(`/${partDir}/${f}`))) fs.rmSync(path.join(targetDir, f), { recursive: true, force: true });
    }
    return { partition: date, rows: report.rows, published: true, files, assertions: report.assertions };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${staged}`);
  }
}

function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeEmptyDirs(path.join(dir, e.name));
  }
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}
