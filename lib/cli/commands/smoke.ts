/**
 * `npx lakehouse smoke -c env=<name> [--workgroup analysts|pipelines] [--days N] [--require-rows]`
 *
 * After a deploy: one cheap Athena query per curated table — every model found in lib/domains —
 * through the environment's workgroup (`lakehouse-<env>-analysts` by default, whose users read
 * curated data; `--workgroup pipelines` for the pipeline workgroup). The query counts the rows of
 * the last N days' partitions (partition projection prunes to those days; Parquet counts come from
 * file footers) and returns the latest partition seen:
 *
 *   SELECT COUNT(*) AS row_count, CAST(MAX("<p>") AS varchar) AS latest_partition
 *   FROM "<domain>_curated"."<model>" WHERE "<p>" >= current_date - INTERVAL 'N' DAY
 *
 * Prints one JSON line per table and a summary line. Exit code 0 when every query succeeded (and,
 * with --require-rows, every table has rows), 1 otherwise, 2 on an unknown environment or a bad
 * model file (a JSON line with `error`). Bad arguments throw UsageError (exit code 2 from the
 * dispatcher).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { loadDomainModels } from '../../../constructs/models/load-models';
import { AthenaQueries, Clock } from '../../../lambda/shared/aws/athena-queries';
import { ModelSpec, quoteIdent } from '../../../lambda/shared/models';
import { environmentConfig } from '../../config';
import { CommandOptions, DEFAULT_DOMAINS_DIR, UsageError, loadCheckedDomains } from './common';

export interface SmokeOptions extends Pick<CommandOptions, 'stdout' | 'domainsDir'> {
  /** @default a new AthenaClient (region and credentials from the environment) */
  readonly athena?: AthenaClient;
  /** Time and sleeping (tests). @default real time */
  readonly clock?: Partial<Clock>;
}

export const SMOKE_WORKGROUPS = ['analysts', 'pipelines'] as const;
export const DEFAULT_SMOKE_DAYS = 7;
/** Per-query limit. */
export const SMOKE_QUERY_TIMEOUT_MS = 120_000;

export const SMOKE_USAGE = 'usage: npx lakehouse smoke -c env=<name> [--workgroup analysts|pipelines] [--days N] [--require-rows]';

interface SmokeArgs {
  readonly env: string;
  readonly workgroup: (typeof SMOKE_WORKGROUPS)[number];
  readonly days: number;
  readonly requireRows: boolean;
}

export function parseSmokeArgs(args: readonly string[]): SmokeArgs | { error: string } {
  let env: string | undefined;
  let workgroup: string = 'analysts';
  let days = DEFAULT_SMOKE_DAYS;
  let requireRows = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string): string | undefined => (a.includes('=') && a.startsWith(`${name}=`) ? a.slice(name.length + 1) : args[++i]);
    if (a === '-c' || a === '--context' || a.startsWith('--context=')) {
      const kv = a.startsWith('--context=') ? a.slice('--context='.length) : args[++i];
      const m = /^env=(.+)$/.exec(kv ?? '');
      if (!m) return { error: `${a} takes env=<name> (got ${JSON.stringify(kv)})` };
      env = m[1];
    } else if (a === '--workgroup' || a.startsWith('--workgroup=')) {
      workgroup = value('--workgroup') ?? '';
    } else if (a === '--days' || a.startsWith('--days=')) {
      const v = value('--days') ?? '';
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 366) return { error: `--days takes a whole number of days, 1-366 (got ${JSON.stringify(v)})` };
      days = Number(v);
    } else if (a === '--require-rows') {
      requireRows = true;
    } else {
      return { error: `unknown argument ${a}` };
    }
  }
  if (!env) return { error: 'which environment? pass -c env=<name>' };
  if (!(SMOKE_WORKGROUPS as readonly string[]).includes(workgroup)) return { error: `--workgroup is analysts or pipelines (got ${JSON.stringify(workgroup)})` };
  return { env, workgroup: workgroup as SmokeArgs['workgroup'], days, requireRows };
}

/** The smoke query of one curated table. */
export function smokeSql(spec: Pick<ModelSpec, 'domain' | 'name' | 'partition'>, days: number): string {
  const p = quoteIdent(spec.partition);
  return [
    `SELECT COUNT(*) AS row_count, CAST(MAX(${p}) AS varchar) AS latest_partition`,
    `FROM ${quoteIdent(`${spec.domain}_curated`)}.${quoteIdent(spec.name)}`,
    `WHERE ${p} >= current_date - INTERVAL '${days}' DAY`,
  ].join('\n');
}

export async function smokeCommand(args: readonly string[], opts: SmokeOptions): Promise<number> {
  const print = (value: unknown) => opts.stdout.write(`${JSON.stringify(value)}\n`);
  const parsed = parseSmokeArgs(args);
  if ('error' in parsed) throw new UsageError(parsed.error);
  let tables: ModelSpec[];
  try {
    environmentConfig(parsed.env);
    const domainsDir = opts.domainsDir ?? DEFAULT_DOMAINS_DIR;
    tables = loadCheckedDomains(domainsDir).flatMap((d) => loadDomainModels(domainsDir, d));
  } catch (e) {
    print({ smoke: 'error', env: parsed.env, error: (e as Error).message });
    return 2;
  }
  const workgroup = `lakehouse-${parsed.env}-${parsed.workgroup}`;
  const queries = new AthenaQueries(opts.athena ?? new AthenaClient({}), workgroup, { clock: opts.clock });
  const now = () => opts.clock?.now?.() ?? Date.now();
  let failed = 0;
  for (const spec of tables) {
    const table = `${spec.domain}_curated.${spec.name}`;
    const started = now();
    try {
      const outcome = await queries.execute(smokeSql(spec, parsed.days), { label: `smoke ${table}`, deadline: started + SMOKE_QUERY_TIMEOUT_MS });
      const [row] = await queries.rows(outcome.queryExecutionId, { label: `smoke ${table}`, deadline: started + SMOKE_QUERY_TIMEOUT_MS });
      const rows = Number(row?.row_count ?? 0);
      const ok = !parsed.requireRows || rows > 0;
      if (!ok) failed++;
      print({
        table,
        ok,
        rows,
        latestPartition: row?.latest_partition ?? null,
        days: parsed.days,
        queryExecutionId: outcome.queryExecutionId,
        dataScannedBytes: outcome.dataScannedBytes ?? null,
        ms: now() - started,
        ...(rows === 0 ? { warning: `no rows in the last ${parsed.days} day(s)` } : {}),
      });
    } catch (e) {
      failed++;
      print({ table, ok: false, error: (e as Error).message, ms: now() - started });
    }
  }
  print({ smoke: failed === 0 ? 'ok' : 'failed', env: parsed.env, workgroup, tables: tables.length, failed });
  return failed === 0 ? 0 : 1;
}
