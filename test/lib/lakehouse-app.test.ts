import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, TagManager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { COST_ALLOCATION_TAG_KEYS } from '../../lambda/shared/zones';
import { ControlTowerChecks } from '../../lib/compliance';
import { ENVIRONMENTS } from '../../lib/config';
import { buildLakehouse } from '../../lib/lakehouse-app';
import { ACKNOWLEDGEMENT_BUDGET, acknowledgementSummary, COMPLIANCE_ACKNOWLEDGEMENT_BUDGET, COMPLIANCE_PACKS } from '../../lib/nag';
import { testApp } from '../helpers/app';

function tempOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-app-'));
}

function readReport(outdir: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
}

describe('the whole app', () => {
  // dev: the default app, with the Control Tower rules over every template; prod: every compliance pack on too.
  test.each(Object.keys(ENVIRONMENTS))('%s synthesizes with every check, Control Tower included, and zero unacknowledged findings', (name) => {
    const outdir = tempOutdir();
    const app = testApp({ outdir });
    const { checks } = buildLakehouse(app, { config: ENVIRONMENTS[name] });
    const assembly = app.synth();
    const report = readReport(outdir);
    const failures = report.pluginReports.filter((r: any) => r.conclusion !== 'success' || r.violations.some((v: any) => v.severity === 'error'));
    expect(failures).toEqual([]);
    expect(assembly.stacks.map((s) => s.stackName)).toContain(`Lakehouse-${name}-Platform`);
    for (const stack of assembly.stacks) {
      expect(fs.existsSync(path.join(outdir, stack.templateFile))).toBe(true);
    }
    // The Control Tower rules ran over every template (and everything they found is acknowledged).
    const controlTower = checks?.plugins.find((p): p is ControlTowerChecks => p instanceof ControlTowerChecks);
    expect(controlTower?.lastRun?.rules).toBeGreaterThan(20);
    const compliance = ENVIRONMENTS[name].compliancePacks ?? [];
    expect(checks?.packs).toEqual(['AwsSolutions', 'Serverless', 'DataOps', ...compliance, 'ControlTower']);
    if (name === 'prod') expect(compliance).toEqual(COMPLIANCE_PACKS);
    // The README states the acknowledgement decisions the app makes, per environment.
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const summary = acknowledgementSummary(app, { packs: checks?.packs });
    expect(summary.total).toBe(Number(new RegExp(`<!-- ack-count:${name} -->(\\d+)<!-- /ack-count -->`).exec(readme)?.[1]));
    expect(summary.total).toBeLessThanOrEqual(compliance.length > 0 ? COMPLIANCE_ACKNOWLEDGEMENT_BUDGET : ACKNOWLEDGEMENT_BUDGET);
    expect(checks?.budget).toBe(compliance.length > 0 ? COMPLIANCE_ACKNOWLEDGEMENT_BUDGET : ACKNOWLEDGEMENT_BUDGET);
  });

  test('every taggable resource carries the cost-allocation tags', () => {
    const app = testApp();
    const { platform } = buildLakehouse(app, { config: ENVIRONMENTS.dev, checks: false });
    const resources = Template.fromStack(platform).toJSON().Resources;
    let checked = 0;
    for (const child of platform.node.findAll()) {
      if (!TagManager.isTaggable(child) || !(child as any).cfnResourceType) continue;
      const rendered = resources[platform.getLogicalId(child as any)]?.Properties?.Tags;
      const keys = Array.isArray(rendered) ? rendered.map((t: any) => t.Key) : Object.keys(rendered ?? {});
      expect({ path: child.node.path, keys: keys.filter((k: string) => COST_ALLOCATION_TAG_KEYS.includes(k)).sort() })
        .toEqual({ path: child.node.path, keys: [...COST_ALLOCATION_TAG_KEYS].sort() });
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
  });

  test('the destroy flag switches stateful resources to DELETE', () => {
    const app = testApp();
    const { platform } = buildLakehouse(app, { config: ENVIRONMENTS.dev, destroy: true, checks: false });
    const buckets = Object.values(Template.fromStack(platform).findResources('AWS::S3::Bucket')) as any[];
    expect(buckets.map((b) => b.DeletionPolicy)).toEqual(Array(8).fill('Delete'));
  });

  test('fails synthesis if an unprotected bucket is added, naming the rule and the resource', () => {
    const outdir = tempOutdir();
    const app = testApp({ outdir });
    const { platform } = buildLakehouse(app, { config: ENVIRONMENTS.dev });
    new s3.CfnBucket(platform, 'Rogue');
    expect(() => app.synth()).toThrow(/server access logs disabled[\s\S]*Lakehouse-dev-Platform\/Rogue[\s\S]*AwsSolutions-S1/);
    const violations = readReport(outdir).pluginReports.flatMap((r: any) => r.violations);
    const rogue = violations.filter((v: any) => v.violatingConstructs.some((c: any) => c.constructPath === 'Lakehouse-dev-Platform/Rogue'));
    expect(rogue.map((v: any) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  test('fails if an environment config is invalid, naming the stack and key', () => {
    const app = testApp();
    expect(() => buildLakehouse(app, { config: { ...ENVIRONMENTS.dev, alarmEmails: ['nope'] } })).toThrow(/LH006.*Lakehouse-dev-Platform config\.alarmEmails\[0\]/);
  });

  test('is environment-agnostic unless account and region are configured', () => {
    const agnostic = buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, checks: false }).platform;
    expect(Stack.of(agnostic).account).toMatch(/^\$\{Token/);
    const pinned = buildLakehouse(testApp(), { config: { ...ENVIRONMENTS.dev, account: '123456789012', region: 'eu-west-1' }, checks: false }).platform;
    expect(pinned.account).toBe('123456789012');
    expect(pinned.region).toBe('eu-west-1');
  });
});
