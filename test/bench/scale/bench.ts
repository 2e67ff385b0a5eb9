/**
 * Scale benchmark: `npm run bench:scale` (figures, not pass/fail).
 *
 * For each N (SCALE_SIZES, default 10,100,500) it synthesizes an app of N generated domains (the
 * examples copied under new names, models included, into a temporary directory: generate.ts)
 * through the CDK CLI, as `npm run synth` does — once with every check and once with no check and
 * CloudFormation's validator off (CDK_VALIDATION=false), alternated, SCALE_RUNS times each — and
 * prints per N: wall time and peak RSS of both (the app process's peak RSS; the CLI's own process
 * is small and constant), their ratios, the time of each check (each nag pack, the governance
 * proof, CloudFormation's validator), the checks' total, how the checks' time grows between sizes
 * (the exponent of N), and the largest stack's figure against each CloudFormation/S3/KMS/
 * CloudWatch quota. Medians over the runs.
 *
 * Environment: SCALE_SIZES (comma-separated), SCALE_RUNS (default 1), SCALE_KEEP=1 keeps the
 * cloud assemblies (under the OS temporary directory; never in the repository).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { TIMINGS_FILE } from './generate';
import { computeStackQuotas, QUOTAS, StackQuotaReport } from '../../../lib/quotas';

const SIZES = (process.env.SCALE_SIZES ?? '10,100,500').split(',').map(Number);
const RUNS = Number(process.env.SCALE_RUNS ?? 1);
const KEEP = process.env.SCALE_KEEP === '1';

interface Run {
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly timings: Record<string, number>;
  readonly error?: string;
  readonly quotas?: StackQuotaReport;
  readonly stacks: number;
}

/** Timings of the app that are not checks; every other timing is a check (a plugin's name, or CloudFormation's validator). */
const NOT_CHECKS = new Set(['generate', 'build', 'synth', 'acknowledgements']);

function synth(domains: number, checks: boolean): Run {
  const outdir = mkdtempSync(join(tmpdir(), `lakehouse-scale-${domains}-${checks ? 'checks' : 'bare'}-`));
  const env = { ...process.env, SCALE_DOMAINS: String(domains), SCALE_CHECKS: checks ? '1' : '0', CDK_DISABLE_CLI_TELEMETRY: 'true', ...(checks ? {} : { CDK_VALIDATION: 'false' }) };
  const t = performance.now();
  let error: string | undefined;
  try {
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--app', 'npx tsx test/bench/scale/app.ts', '--output', outdir], { env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  } catch (e) {
    error = String((e as { stderr?: Buffer }).stderr ?? e).split('\n').filter((l) => /error|Error|\[LH/.test(l)).slice(0, 5).join(' | ') || 'synth failed';
  }
  const wallMs = performance.now() - t;
  let app: { maxRssMb: number; timings: Record<string, number>; error?: string } = { maxRssMb: NaN, timings: {} };
  try {
    app = JSON.parse(readFileSync(join(outdir, TIMINGS_FILE), 'utf8'));
  } catch {
    // the app died before writing its figures (e.g. out of memory): the error above says why
  }
  const templates = safeList(outdir).filter((f) => f.endsWith('.template.json'));
  const quotas = templates.length > 0 ? computeStackQuotas(templates.map((f) => ({ stackName: f.replace(/\.template\.json$/, ''), templatePath: join(outdir, f) }))) : undefined;
  if (!KEEP) rmSync(outdir, { recursive: true, force: true });
  else console.log(`  kept ${outdir}`);
  return { wallMs, maxRssMb: app.maxRssMb, timings: app.timings, error: error ?? app.error, quotas, stacks: templates.length };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
}

const sec = (ms: number): string => (ms / 1000).toFixed(1);

function main(): void {
  console.log(`scale benchmark: sizes ${SIZES.join(', ')}, ${RUNS} run(s) each, alternated; ${availableParallelism()} vCPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const checksTime = new Map<number, number>();
  for (const n of SIZES) {
    const on: Run[] = [];
    const off: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      on.push(synth(n, true));
      off.push(synth(n, false));
    }
    const wallOn = median(on.map((r) => r.wallMs));
    const wallOff = median(off.map((r) => r.wallMs));
    const rssOn = median(on.map((r) => r.maxRssMb));
    const rssOff = median(off.map((r) => r.maxRssMb));
    const names = [...new Set(on.flatMap((r) => Object.keys(r.timings)))].filter((k) => !NOT_CHECKS.has(k));
    const perCheck = names.map((c) => [c, median(on.map((r) => r.timings[c] ?? NaN))] as const);
    const checksTotal = perCheck.reduce((sum, [, ms]) => sum + (Number.isFinite(ms) ? ms : 0), 0);
    checksTime.set(n, checksTotal);
    console.log(`\n${n} domains`);
    for (const r of [...on, ...off]) if (r.error) console.log(`  FAILED: ${r.error}`);
    console.log(`  synth, every check: ${sec(wallOn)} s wall, peak RSS ${rssOn} MB (app ${sec(median(on.map((r) => r.timings.synth + r.timings.build)))} s: build ${sec(median(on.map((r) => r.timings.build)))} s, app.synth() ${sec(median(on.map((r) => r.timings.synth)))} s)`);
    console.log(`  synth, no check:    ${sec(wallOff)} s wall, peak RSS ${rssOff} MB (app ${sec(median(off.map((r) => r.timings.synth + r.timings.build)))} s)`);
    console.log(`  ratio every check / no check: wall ${(wallOn / wallOff).toFixed(2)}×, peak RSS ${(rssOn / rssOff).toFixed(2)}×`);
    console.log(`  checks: ${perCheck.map(([c, ms]) => `${c} ${sec(ms)} s`).join(', ')}; total ${sec(checksTotal)} s`);
    const measured = on.find((r) => r.quotas) ?? off.find((r) => r.quotas);
    if (measured?.quotas) {
      console.log(`  ${measured.stacks} stacks; the largest figure of any stack against each quota (the quota check fails above 80%):`);
      for (const q of QUOTAS) {
        const top = measured.quotas.largest[q.id];
        if (!top) continue;
        console.log(`    ${q.title}: ${top.value.toLocaleString('en')} of ${q.limit.toLocaleString('en')} ${q.unit} (${top.percentOfLimit}%) — ${top.stackName}${top.logicalId ? ` ${top.logicalId}` : ''}${top.estimated ? ' (upper-bound estimate)' : ''}`);
      }
    }
  }
  const sizes = [...checksTime.keys()].sort((a, b) => a - b);
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1], sizes[i]];
    const exponent = Math.log(checksTime.get(b)! / checksTime.get(a)!) / Math.log(b / a);
    console.log(`\nchecks' time from ${a} to ${b} domains: ${sec(checksTime.get(a)!)} s → ${sec(checksTime.get(b)!)} s, exponent ${exponent.toFixed(2)}`);
  }
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main();
