/**
 * One synthesis of a generated app, for `npm run bench:scale` (run in a fresh process per case).
 *
 * Environment (read here, in the benchmark's entry, never in the app's code):
 * - SCALE_DOMAINS: number of generated domains;
 * - SCALE_CHECKS: `1` registers every check (as `npm run synth`), `0` none (and the caller sets
 *   CDK_VALIDATION=false to turn CloudFormation's validator off too);
 * - SCALE_OUTDIR: the cloud assembly directory (under `cdk synth`, the CLI's `--output`).
 *
 * Writes `bench-timings.json` into the cloud assembly and prints the same JSON line on stdout:
 * wall times of building, `app.synth()` and each check, and this process's peak RSS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { environmentConfig } from '../../../lib/config';
import { buildLakehouse } from '../../../lib/lakehouse-app';
import { reportAcknowledgements, reportDataFlow } from '../../../lib/synth-report';
import { CDK_JSON_CONTEXT } from '../../helpers/app';
import { generateDomains, TIMINGS_FILE } from './generate';

const count = Number(process.env.SCALE_DOMAINS ?? 10);
const checks = process.env.SCALE_CHECKS !== '0';
const outdir = process.env.SCALE_OUTDIR ?? process.env.CDK_OUTDIR ?? 'cdk.out.scale';

const timings: Record<string, number> = {};
function timed<T>(label: string, fn: () => T): T {
  const t = performance.now();
  try {
    return fn();
  } finally {
    timings[label] = (timings[label] ?? 0) + (performance.now() - t);
  }
}

/** Times every call of `validate` on an object (a plugin instance or a prototype). */
function timeValidate(target: { validate: (...args: never[]) => unknown }, label: string): void {
  const original = target.validate;
  target.validate = function (this: unknown, ...args: never[]) {
    return timed(label, () => original.apply(this, args));
  } as typeof original;
}

timeValidate(CloudFormationValidatePlugin.prototype as never, 'cloudformation-validator');
const t0 = performance.now();
const { domains, domainsDir } = timed('generate', () => generateDomains(count));
const app = new App({ outdir, context: { ...CDK_JSON_CONTEXT } });
timed('build', () => buildLakehouse(app, { config: environmentConfig('dev'), domains, domainsDir, checks }));
// The stage keeps its plugins in `_policyValidation` (aws-cdk-lib 2.276); wrapping the instances times each.
for (const plugin of (app as unknown as { _policyValidation: Array<{ name: string; validate: () => unknown }> })._policyValidation) timeValidate(plugin as never, plugin.name);
let error: string | undefined;
try {
  timed('synth', () => app.synth());
  if (checks) timed('acknowledgements', () => reportAcknowledgements(app));
  if (checks) timed('data-flow', () => reportDataFlow(app));
} catch (e) {
  error = (e as Error).message.slice(0, 2000);
}
const total = performance.now() - t0;
const line = `${JSON.stringify({ domains: count, checks, ms: Math.round(total), timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), error })}\n`;
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, TIMINGS_FILE), line);
process.stdout.write(line);
if (error) process.exitCode = 1;
