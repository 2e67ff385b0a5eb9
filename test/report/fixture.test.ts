/**
 * The committed validation-report.json fixture is what aws-cdk-lib + cdk-nag really write.
 *
 * This test synthesizes the tiny app in fixture-app.ts and compares its report with the committed
 * fixture (stack traces aside: they hold line numbers and absolute paths). When the libraries
 * change the format, regenerate with:
 *   UPDATE_REPORT_FIXTURES=1 npx jest test/report/fixture.test.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PolicyValidationReportJson } from '@aws-cdk/cloud-assembly-schema';
import { checkValidationReport } from '../../lib/report/read';
import { ValidationReport } from '../../lib/report/types';
import { REPO_ROOT, synthFixtureApp } from './fixture-app';

// Compile-time check (tsc): the schema aws-cdk-lib writes still fits the report's reader type.
const schemaFits = (r: PolicyValidationReportJson): ValidationReport => r;

const FIXTURE = path.join(__dirname, 'fixtures', 'cdk.out', 'validation-report.json');

/** Drops stack traces and replaces absolute paths, so the comparison is about the format. */
function withoutStackTraces(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'stackTraces' || key === 'acknowledgedStackTrace' ? undefined : v)));
}

/** For the committed copy: keep the stack traces, but repo-relative. */
function portable(text: string): string {
  return text.split(REPO_ROOT + path.sep).join('').split(REPO_ROOT).join('.');
}

let outdir: string;
let synthError: string | undefined;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-fixture-'));
  synthError = synthFixtureApp(outdir);
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the fixture app fails validation and aws-cdk-lib writes validation-report.json', () => {
  expect(synthError).toMatch(/A copy of this report can be found in: .*validation-report\.json/);
  expect(fs.existsSync(path.join(outdir, 'validation-report.json'))).toBe(true);
});

test('the committed fixture matches what aws-cdk-lib and cdk-nag write today', () => {
  const fresh = fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
  if (process.env.UPDATE_REPORT_FIXTURES === '1') {
    fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
    fs.writeFileSync(FIXTURE, portable(fresh));
  }
  const committed = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  expect(withoutStackTraces(committed)).toEqual(withoutStackTraces(JSON.parse(fresh)));
});

test('the fixture covers what the renderer must handle', () => {
  const report = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as PolicyValidationReportJson;
  expect(checkValidationReport(report)).toBeUndefined();
  expect(schemaFits(report).pluginReports.map((p) => p.pluginName)).toEqual(
    expect.arrayContaining(['AwsSolutions', 'TinyPolicy', 'Construct Annotations']),
  );
  const all = report.pluginReports.flatMap((p) => p.violations);
  expect(all.some((v) => v.severity === 'error')).toBe(true);
  expect(all.some((v) => v.severity === 'warning')).toBe(true);
  expect(all.some((v) => v.suggestedFix)).toBe(true);
  expect(all.some((v) => v.violatingConstructs.some((c) => c.cloudFormationResource))).toBe(true);
  expect(report.pluginReports.some((p) => (p.suppressedViolations ?? []).length > 0)).toBe(true);
  // cdk-nag filters its own acknowledged findings: the acknowledged S1 on AccessLogs is absent.
  const s1 = all.find((v) => v.ruleName === 'AwsSolutions-S1');
  expect(s1?.violatingConstructs.map((c) => c.constructPath)).not.toContain('Tiny/AccessLogs');
});
