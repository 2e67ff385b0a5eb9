/**
 * The app at 20 generated domains (copies of the examples, as the scale benchmark makes them) stays
 * within every quota of DataOps-StackQuotas. Only the quota check runs, to keep the test fast.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../../lib/config';
import { buildLakehouse } from '../../lib/lakehouse-app';
import { computeStackQuotas, QUOTAS, STACK_QUOTAS_JSON, StackQuotaReport, StackQuotas } from '../../lib/quotas';
import { generateDomains } from '../bench/scale/generate';
import { testApp } from '../helpers/app';

const DOMAINS = 20;

describe(`the app at ${DOMAINS} generated domains`, () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'quotas-scale-'));
  const plugin = new StackQuotas();
  let templates: Array<{ stackName: string; templatePath: string }>;
  let generatedDir: string;

  beforeAll(() => {
    const { domains, domainsDir } = generateDomains(DOMAINS);
    generatedDir = domainsDir;
    const app = testApp({ outdir });
    buildLakehouse(app, { config: ENVIRONMENTS.dev, domains, domainsDir, checks: false });
    Validations.of(app).addPlugins(plugin);
    const assembly = app.synth();
    templates = assembly.stacks.map((s) => ({ stackName: s.stackName, templatePath: path.join(outdir, s.templateFile) }));
  });

  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(generatedDir, { recursive: true, force: true });
  });

  test('every stack stays within the quota rule (synth passed with the plugin; no finding)', () => {
    expect(templates).toHaveLength(DOMAINS + 1);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, STACK_QUOTAS_JSON), 'utf8')) as StackQuotaReport;
    expect(report.findings).toEqual([]);
    expect(report.stacks).toHaveLength(DOMAINS + 1);
    for (const q of QUOTAS.filter((q) => report.largest[q.id])) {
      expect({ quota: q.id, below: report.largest[q.id]!.value <= report.largest[q.id]!.threshold }).toEqual({ quota: q.id, below: true });
    }
  });

  test('computeStackQuotas over the template files gives the figures the plugin wrote', () => {
    const written = JSON.parse(fs.readFileSync(path.join(outdir, STACK_QUOTAS_JSON), 'utf8')) as StackQuotaReport;
    expect(computeStackQuotas(templates).largest).toEqual(written.largest);
  });
});
