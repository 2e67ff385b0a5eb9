/**
 * The pull-request workflow runs what `.ci/run` runs, in the same order, and reports even when
 * synth fails — without AWS credentials.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW = path.join(REPO_ROOT, '.github', 'workflows', 'pull-request.yml');
const CI_RUN = path.join(REPO_ROOT, '.ci', 'run');
/** What .ci/run runs (agreed with the lead); used only while .ci/run does not exist. */
const AGREED_CI_COMMANDS = ['npm ci', 'npm test', 'npm run synth'];

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: Record<string, unknown> | string | string[];
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; env?: Record<string, unknown>; permissions?: Record<string, string> | string }>;
}

/** Variables a script exports (`export A=1 B=2`), with their values. */
function exportedVariables(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of script.split('\n')) {
    const m = /^\s*export\s+(.*)$/.exec(line.replace(/(^|\s)#.*$/, ''));
    if (!m) continue;
    for (const pair of m[1].trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return out;
}

/**
 * The npm/npx commands of a shell script, in order: comments and the shebang dropped, lines split
 * on `&&`, `||` and `;`, leading `exec`/`time` and VAR=value assignments removed, whitespace collapsed.
 */
function shellCommands(script: string): string[] {
  return script
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .flatMap((l) => l.split(/&&|\|\||;/))
    .map((c) => c.trim().replace(/\s+/g, ' '))
    .map((c) => c.replace(/^(?:(?:exec|time)\s+|[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, ''))
    .filter((c) => /^(npm|npx)\s/.test(c));
}

function ciCommands(): { source: string; commands: string[] } {
  if (fs.existsSync(CI_RUN)) return { source: '.ci/run', commands: shellCommands(fs.readFileSync(CI_RUN, 'utf8')) };
  return { source: 'the agreed list (no .ci/run yet)', commands: AGREED_CI_COMMANDS };
}

const text = fs.readFileSync(WORKFLOW, 'utf8');
const workflow = parse(text) as Workflow;
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((j) => j.steps);
const stepIndex = (pred: (s: Step) => boolean) => steps.findIndex(pred);
const runsCommand = (cmd: string) => (s: Step) => s.run !== undefined && shellCommands(s.run).includes(cmd);
/** A step one of whose commands starts with `prefix`. */
const runsCommandStarting = (prefix: string) => (s: Step) => s.run !== undefined && shellCommands(s.run).some((c) => c === prefix || c.startsWith(`${prefix} `));

test('shellCommands reads npm commands out of a script', () => {
  expect(
    shellCommands('#!/usr/bin/env bash\nset -euo pipefail\n# install\nnpm ci\nnpm  test && CI=1 npm run synth -- --quiet # synth\nexec npx tsc\n'),
  ).toEqual(['npm ci', 'npm test', 'npm run synth -- --quiet', 'npx tsc']);
});

test('exportedVariables reads export lines', () => {
  expect(exportedVariables('set -e\nexport A=1 B="two"\n# export C=3\nexport D=x # note\n')).toEqual({ A: '1', B: 'two', D: 'x' });
});

test('sets the environment variables .ci/run exports', () => {
  const exported = fs.existsSync(CI_RUN) ? exportedVariables(fs.readFileSync(CI_RUN, 'utf8')) : {};
  const env = { ...(workflow.env ?? {}), ...(jobs[0].env ?? {}) };
  for (const [name, value] of Object.entries(exported)) {
    expect([name, String(env[name])]).toEqual([name, value]);
  }
});

test('runs on pull_request, in one job', () => {
  const on = workflow.on;
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
  expect(events).toContain('pull_request');
  expect(jobs).toHaveLength(1);
});

test('runs the same commands as .ci/run, in the same order', () => {
  const { source, commands } = ciCommands();
  expect(commands.length).toBeGreaterThan(0);
  const workflowCommands = steps.flatMap((s) => (s.run ? shellCommands(s.run) : []));
  // Every .ci/run command appears in the workflow, in order (the workflow may run more after them).
  let from = 0;
  for (const cmd of commands) {
    const at = workflowCommands.indexOf(cmd, from);
    if (at === -1) throw new Error(`${source} runs "${cmd}" but the workflow does not (after step ${from}): ${JSON.stringify(workflowCommands)}`);
    from = at + 1;
  }
  // And nothing the workflow runs before the last .ci/run command is missing from .ci/run.
  expect(workflowCommands.slice(0, from)).toEqual(commands);
});

test('checks out and sets up Node 20 with the npm cache before installing', () => {
  const checkout = stepIndex((s) => /^actions\/checkout@v\d+$/.test(s.uses ?? ''));
  const node = stepIndex((s) => /^actions\/setup-node@v\d+$/.test(s.uses ?? ''));
  const install = stepIndex(runsCommand('npm ci'));
  expect(checkout).toBe(0);
  expect(node).toBeGreaterThan(checkout);
  expect(install).toBeGreaterThan(node);
  expect(String(steps[node].with?.['node-version'])).toBe('20');
  expect(steps[node].with?.cache).toBe('npm');
});

test('goes on to the report when synth fails, and fails the job at the end', () => {
  const synth = steps[stepIndex(runsCommand('npm run synth'))];
  expect(synth['continue-on-error']).toBe(true);
  expect(synth.id).toBeDefined();

  const report = stepIndex(runsCommandStarting('npm run report -- --out report.md'));
  const summary = stepIndex((s) => /report\.md\s*>>\s*"?\$GITHUB_STEP_SUMMARY"?/.test(s.run ?? ''));
  const upload = stepIndex((s) => /^actions\/upload-artifact@v\d+$/.test(s.uses ?? ''));
  const fail = steps.length - 1;
  expect(report).toBeGreaterThan(stepIndex(runsCommand('npm run synth')));
  expect(summary).toBeGreaterThan(report);
  for (const i of [report, summary, upload]) {
    // Runs after a failed step (the Report step itself may fail when there is no validation report).
    expect(steps[i].if).toMatch(/!cancelled\(\)|always\(\)/);
  }
  expect(steps[fail].if).toBe(`\${{ steps.${synth.id}.outcome == 'failure' }}`);
  expect(steps[fail].run).toMatch(/exit 1/);
  expect(fail).toBeGreaterThan(Math.max(report, summary, upload));
});

test('uploads the cdk.out reports as an artifact', () => {
  const upload = steps[stepIndex((s) => /^actions\/upload-artifact@v\d+$/.test(s.uses ?? ''))];
  const paths = String(upload.with?.path).split('\n').map((p) => p.trim()).filter(Boolean);
  expect(paths).toEqual(
    expect.arrayContaining([
      'cdk.out/validation-report.json',
      'cdk.out/access-matrix.*',
      'cdk.out/acknowledgements.json',
      'cdk.out/*.template.json',
    ]),
  );
  expect(upload.with?.name).toEqual(expect.any(String));
});

test('uses no AWS credentials', () => {
  expect(steps.some((s) => /configure-aws-credentials/.test(s.uses ?? ''))).toBe(false);
  expect(text).not.toMatch(/secrets\./);
  expect(text).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|ROLE_ARN)/);
  const perms = [workflow.permissions, ...jobs.map((j) => j.permissions)];
  for (const p of perms) {
    if (p && typeof p === 'object') expect(p['id-token']).not.toBe('write');
    else if (p !== undefined) expect(p).not.toBe('write-all');
  }
});

test('synthesizes the base commit in a git worktree after the head, and the report compares with it', () => {
  const checkout = steps[stepIndex((s) => /^actions\/checkout@v\d+$/.test(s.uses ?? ''))];
  expect(checkout.with?.['fetch-depth']).toBe(0);
  const headSynth = stepIndex(runsCommand('npm run synth'));
  const base = stepIndex((s) => /git worktree add\b.*"\$BASE_SHA"/.test(s.run ?? ''));
  expect(base).toBeGreaterThan(headSynth);
  const step = steps[base] as Step & { env?: Record<string, string> };
  expect(step.env?.BASE_SHA).toBe('${{ github.event.pull_request.base.sha }}');
  // The base installs from its own lockfile and synthesizes as .ci/run does.
  expect(shellCommands(step.run!)).toEqual(['npm ci', 'npm run synth']);
  expect(step.run).toMatch(/cd "\$RUNNER_TEMP\/base"/);
  expect(step['continue-on-error']).toBe(true);
  expect(step.if).toMatch(/!cancelled\(\)/);
  const report = steps[stepIndex(runsCommandStarting('npm run report -- --out report.md'))];
  expect(stepIndex(runsCommandStarting('npm run report -- --out report.md'))).toBeGreaterThan(base);
  expect(shellCommands(report.run!)).toEqual(['npm run report -- --out report.md --base "$RUNNER_TEMP/base/cdk.out"']);
});
