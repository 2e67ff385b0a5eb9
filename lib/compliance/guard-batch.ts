/**
 * Runs cfn-guard rules over many CloudFormation templates in a few batched processes.
 *
 * cfn-guard 3 re-reads every data file for every rule file, and its cost grows with the data it
 * reads: all 237 Control Tower rule files over one 140 KB domain template take about 4 s, so one
 * call per template (or even one call with every template) would take minutes for hundreds of
 * domains. Three exact reductions make it cheap:
 *
 * 1. **Only the controls that can apply.** Every Control Tower rule selects resources by type
 *    (`Resources.*[ Type == … ]`) and skips a template without them, so a rule whose reported types
 *    appear in no template is not run.
 * 2. **Only the resources a rule can see.** Rules are grouped by the resource types they name; each
 *    group reads copies of the templates in which every resource of another type is reduced to its
 *    `Type` (keys and types stay, so a reference check such as "KmsKeyId names a local
 *    AWS::KMS::Key" decides as on the full template). A template with none of the group's reported
 *    types is left out of the group: the group's rules would skip it.
 * 3. **Batches.** One process per group (a large group is split into chunks), several data files per
 *    call, run `concurrency` at a time; each process's output goes to a file, so its size is not
 *    bounded by a pipe buffer.
 *
 * Each reported resource names the template it came from and its logical id.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LakehouseError } from '../../constructs/errors';
import type { GuardRule } from './guard-rules';

/** A synthesized template: its path and its parsed JSON. */
export interface TemplateInput {
  readonly path: string;
  readonly document: { readonly Resources?: Readonly<Record<string, { readonly Type?: string } & Readonly<Record<string, unknown>>>> } & Readonly<Record<string, unknown>>;
}

/** One resource a control found non-compliant. */
export interface GuardFinding {
  readonly rule: GuardRule;
  /** The template it was found in (a path given in `TemplateInput.path`). */
  readonly templatePath: string;
  readonly logicalId: string;
  /** Where in the resource the failing checks looked (`/Resources/<id>/Properties/KmsKeyId`). */
  readonly locations: readonly string[];
}

export interface GuardBatchOptions {
  /** The cfn-guard binary. */
  readonly guardPath: string;
  /** The rules to run. */
  readonly rules: readonly GuardRule[];
  /**
   * How many cfn-guard processes run at once.
   * @default os.availableParallelism()
   */
  readonly concurrency?: number;
}

export interface GuardBatchStats {
  /** Rules run (the others apply to no resource type of the templates). */
  readonly rules: number;
  /** Groups of rules that read the same resource types. */
  readonly groups: number;
  /** cfn-guard processes started. */
  readonly processes: number;
  /** Bytes of (reduced) templates cfn-guard read, summed over processes. */
  readonly bytes: number;
}

export interface GuardBatchResult {
  readonly findings: readonly GuardFinding[];
  readonly stats: GuardBatchStats;
}

/** A process reads at most about this many bytes of data files when work can be spread over several. */
const CHUNK_BYTES = 1_000_000;

interface Job {
  readonly rules: readonly GuardRule[];
  readonly files: readonly { readonly file: string; readonly template: number; readonly bytes: number }[];
  readonly out: string;
  readonly weight: number;
}

/** Runs `options.rules` over `templates`; see the module comment for how the work is cut. */
export function runGuardBatched(templates: readonly TemplateInput[], options: GuardBatchOptions): GuardBatchResult {
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism());
  const present = new Set<string>();
  for (const t of templates) for (const r of Object.values(t.document.Resources ?? {})) if (typeof r?.Type === 'string') present.add(r.Type);

  const groups = new Map<string, GuardRule[]>();
  for (const rule of options.rules) {
    if (!rule.reportsOn.some((t) => present.has(t))) continue;
    const key = rule.mentions.filter((t) => present.has(t)).sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  const ruleCount = [...groups.values()].reduce((n, g) => n + g.length, 0);
  if (groups.size === 0) return { findings: [], stats: { rules: 0, groups: 0, processes: 0, bytes: 0 } };

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-cfn-guard-'));
  try {
    const jobs: Job[] = [];
    let groupIndex = 0;
    for (const [key, rules] of groups) {
      const kept = new Set(key.split(','));
      const reported = new Set(rules.flatMap((r) => r.reportsOn).filter((t) => present.has(t)));
      const dir = path.join(workDir, `g${groupIndex++}`);
      fs.mkdirSync(dir);
      const files: Array<{ file: string; template: number; bytes: number }> = [];
      templates.forEach((t, i) => {
        const resources = t.document.Resources ?? {};
        if (!Object.values(resources).some((r) => typeof r?.Type === 'string' && reported.has(r.Type))) return;
        const reduced: Record<string, unknown> = {};
        for (const [id, r] of Object.entries(resources)) reduced[id] = typeof r?.Type === 'string' && kept.has(r.Type) ? r : { Type: r?.Type };
        const text = JSON.stringify({ ...t.document, Resources: reduced });
        const file = path.join(dir, `t${i}.json`);
        fs.writeFileSync(file, text);
        files.push({ file, template: i, bytes: text.length });
      });
      for (const chunk of chunks(files, concurrency)) {
        const bytes = chunk.reduce((n, f) => n + f.bytes, 0);
        jobs.push({ rules, files: chunk, out: path.join(workDir, `job${jobs.length}.json`), weight: bytes * rules.length });
      }
    }
    jobs.sort((a, b) => b.weight - a.weight);
    runJobs(options.guardPath, jobs, concurrency);

    const byName = new Map(options.rules.map((r) => [r.ruleName, r]));
    const fileTemplate = new Map(jobs.flatMap((j) => j.files.map((f) => [f.file, f.template] as const)));
    const findings: GuardFinding[] = [];
    for (const job of jobs) {
      const text = fs.readFileSync(job.out, 'utf8').trim();
      const results = (text === '' ? [] : JSON.parse(text)) as Array<{ name: string; not_compliant?: unknown }>;
      for (const result of results) {
        const template = fileTemplate.get(result.name) ?? fileTemplate.get(path.resolve(result.name));
        if (template === undefined) throw guardError(`cfn-guard reported on an unknown data file ${result.name}`);
        for (const item of notCompliant(result.not_compliant)) {
          const rule = byName.get(item.name);
          if (!rule) throw guardError(`cfn-guard reported an unknown rule ${item.name}`);
          for (const [logicalId, locations] of violatingResources(item.body)) {
            findings.push({ rule, templatePath: templates[template].path, logicalId, locations });
          }
        }
      }
    }
    return {
      findings,
      stats: { rules: ruleCount, groups: groups.size, processes: jobs.length, bytes: jobs.reduce((n, j) => n + j.files.reduce((m, f) => m + f.bytes, 0), 0) },
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Splits a group's files into chunks of about CHUNK_BYTES, at most one per file, one when there is no parallelism to use. */
function chunks<T extends { bytes: number }>(files: readonly T[], concurrency: number): T[][] {
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const count = concurrency === 1 ? 1 : Math.min(files.length, Math.max(1, Math.round(total / CHUNK_BYTES)));
  if (count <= 1) return files.length === 0 ? [] : [[...files]];
  const out: T[][] = Array.from({ length: count }, () => []);
  const sizes = new Array<number>(count).fill(0);
  for (const f of [...files].sort((a, b) => b.bytes - a.bytes)) {
    const i = sizes.indexOf(Math.min(...sizes));
    out[i].push(f);
    sizes[i] += f.bytes;
  }
  return out;
}

function guardArgs(job: Job): string[] {
  return ['validate', ...job.rules.flatMap((r) => ['--rules', r.file]), ...job.files.flatMap((f) => ['--data', f.file]), '--output-format', 'json', '--show-summary', 'none', '--structured'];
}

/** cfn-guard's exit codes: 0 all pass, 19 some rule failed (5 in older versions). */
const GUARD_OK = [0, 5, 19];

/**
 * Runs the jobs, `concurrency` at a time, each writing its JSON to `job.out`. CDK calls validation
 * plugins synchronously, so a small Node.js child process runs the pool and this process waits for it.
 */
function runJobs(guard: string, jobs: readonly Job[], concurrency: number): void {
  const specs = jobs.map((j) => ({ args: guardArgs(j), out: j.out }));
  let statuses: Array<{ status: number | null; signal: string | null; stderr: string; error?: string }>;
  if (concurrency === 1 || jobs.length === 1) {
    statuses = specs.map((s) => {
      const fd = fs.openSync(s.out, 'w');
      try {
        const r = spawnSync(guard, s.args, { stdio: ['ignore', fd, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
        return { status: r.status, signal: r.signal, stderr: r.stderr?.toString() ?? '', error: r.error?.message };
      } finally {
        fs.closeSync(fd);
      }
    });
  } else {
    const r = spawnSync(process.execPath, ['-e', POOL_SCRIPT, guard, String(concurrency)], {
      input: JSON.stringify(specs),
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '' },
    });
    if (r.status !== 0) throw guardError(`the cfn-guard process pool failed: ${r.error?.message ?? r.stderr?.toString() ?? `exit ${r.status}`}`);
    statuses = JSON.parse(r.stdout.toString());
  }
  statuses.forEach((s, i) => {
    if (s.error || s.status === null || !GUARD_OK.includes(s.status)) {
      throw guardError(`cfn-guard ${specs[i].args.slice(0, 3).join(' ')} … failed (${s.error ?? (s.status === null ? `signal ${s.signal}` : `exit ${s.status}`)}): ${s.stderr.slice(0, 2000)}`);
    }
  });
}

/** The pool: reads job specs on stdin, runs `argv[2]` with each job's args, stdout to its file; prints the statuses. */
const POOL_SCRIPT = `
const { spawn } = require('child_process');
const fs = require('fs');
const guard = process.argv[1];
const limit = Number(process.argv[2]);
const specs = JSON.parse(fs.readFileSync(0, 'utf8'));
const statuses = new Array(specs.length);
let next = 0;
function start() {
  if (next >= specs.length) return Promise.resolve();
  const i = next++;
  return new Promise((resolve) => {
    const fd = fs.openSync(specs[i].out, 'w');
    const child = spawn(guard, specs[i].args, { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (e) => { fs.closeSync(fd); statuses[i] = { status: null, signal: null, stderr, error: e.message }; resolve(); });
    child.on('close', (status, signal) => { fs.closeSync(fd); statuses[i] = { status, signal, stderr }; resolve(); });
  }).then(start);
}
Promise.all(Array.from({ length: Math.min(limit, specs.length) }, start)).then(() => process.stdout.write(JSON.stringify(statuses)));
`;

/** Flattens cfn-guard's `not_compliant` (a list, or an object of entries) into `{ name, body }` per failing rule. */
function notCompliant(value: unknown): Array<{ name: string; body: unknown }> {
  const items = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  const out: Array<{ name: string; body: unknown }> = [];
  for (const item of items) {
    const rule = (item as { Rule?: { name?: unknown } })?.Rule;
    if (rule && typeof rule.name === 'string') out.push({ name: rule.name, body: rule });
  }
  return out;
}

/** Logical id → locations, from every `/Resources/<id>/…` path in a failing rule's checks. */
function violatingResources(body: unknown): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (k === 'path' && typeof child === 'string') {
        const m = /^\/Resources\/([^/[\]]+)(\/[^[\]]*)?/.exec(child);
        if (m) {
          const locations = found.get(m[1]) ?? [];
          const location = m[0];
          if (!locations.includes(location)) locations.push(location);
          found.set(m[1], locations);
        }
      } else {
        walk(child);
      }
    }
  };
  walk(body);
  return found;
}

function guardError(problem: string): LakehouseError {
  return new LakehouseError({ code: 'LH932', path: 'ControlTowerChecks', value: 'cfn-guard', problem, fix: 'reinstall @cdklabs/cdk-validator-cfnguard from the lockfile (npm ci); if it persists, run the printed cfn-guard command by hand' });
}
