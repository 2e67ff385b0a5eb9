/**
 * Test helpers for the DataOps pack, in the style of cdk-nag's own rule tests: build minimal L1
 * resources in a fresh stack, synthesize (so aspects such as Tags.of have run), validate with the pack
 * and look at the findings of one rule.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, PolicyValidationPluginReport, Stack, StackProps } from 'aws-cdk-lib';
import { DataOpsChecks, DataOpsChecksProps, baseRuleId } from '../../lib/nag';
import * as cdkJson from '../../cdk.json';

/** The environment limits the tests use. */
export const TEST_LIMITS = {
  maxBytesScannedCutoffPerQuery: 10 * 1024 ** 3,
  maxLogRetentionDays: 90,
} as const;

/** The app's feature flags (cdk.json), without the CLI-only keys. */
export function appContext(): Record<string, unknown> {
  const cliOnly = new Set(['env', 'cli-telemetry']);
  return Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => !cliOnly.has(key)));
}

const outdirs: string[] = [];

/** A temporary cloud-assembly directory, removed after the test file has run. */
export function testOutdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-test-'));
  outdirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of outdirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh app (the app's feature flags, no built-in template validation, a temporary outdir). */
export function newApp(): App {
  return new App({ context: appContext(), builtinCloudFormationValidation: false, outdir: testOutdir() });
}

/** A fresh app and a stack named `Test`. */
export function newStack(props?: StackProps, id = 'Test'): Stack {
  return new Stack(newApp(), id, props);
}

/** Synthesize the stack's app, then validate the whole app with a DataOps pack. */
export function validate(stack: Stack, props: Partial<DataOpsChecksProps> = {}): PolicyValidationPluginReport {
  const app = stack.node.root as App;
  app.synth();
  return new DataOpsChecks(undefined, { ...TEST_LIMITS, ...props }).validateScope(app);
}

/**
 * The findings of one rule, as sorted `path` strings (`path [finding]` for rules that report findings).
 * Compliance = `[]`.
 */
export function findings(stack: Stack, ruleId: string, props: Partial<DataOpsChecksProps> = {}): string[] {
  return validate(stack, props)
    .violations.filter((v) => baseRuleId(v.ruleName) === ruleId)
    .flatMap((v) => {
      const finding = v.ruleName.slice(ruleId.length);
      return v.violatingResources.map((r) => (finding ? `${r.constructPath} ${finding}` : `${r.constructPath}`));
    })
    .sort();
}

/** The severities reported for one rule. */
export function severities(stack: Stack, ruleId: string, props: Partial<DataOpsChecksProps> = {}): string[] {
  return validate(stack, props)
    .violations.filter((v) => baseRuleId(v.ruleName) === ruleId)
    .map((v) => v.severity ?? '');
}
