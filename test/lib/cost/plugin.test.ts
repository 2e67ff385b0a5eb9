/**
 * The cost check on the example domains: it counts the synthesized resources, writes
 * cost-estimate.jsonl and fails synth for a domain over its budget, naming the biggest line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENVIRONMENTS } from '../../../lib/config';
import { DOMAIN_COST_BUDGET_RULE_ID } from '../../../lib/cost/budget';
import { readCostEstimate } from '../../../lib/cost/files';
import { CostEstimateCheck } from '../../../lib/cost/plugin';
import { loadDomains } from '../../../lib/domains';
import { buildLakehouse } from '../../../lib/lakehouse-app';
import { testApp } from '../../helpers/app';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-plugin-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const domains = loadDomains().map((d) => (d.name === 'sales' ? { ...d, monthlyBudgetUsd: 1 } : d));
const app = testApp({ outdir });
const lakehouse = buildLakehouse(app, { config: ENVIRONMENTS.dev, domains, checks: false });
const assembly = app.synth();
const check = new CostEstimateCheck({ config: ENVIRONMENTS.dev, platform: lakehouse.platform, domains: Object.values(lakehouse.domains) });
const report = check.validate({ templatePaths: assembly.stacks.map((s) => path.join(outdir, s.templateFile)), appConstruct: app } as never);

test('fails if a domain passes its monthlyBudgetUsd, naming the month, the biggest line and the fix', () => {
  expect(report.success).toBe(false);
  expect(report.violations).toHaveLength(1);
  const [v] = report.violations;
  expect(v.ruleName).toBe(DOMAIN_COST_BUDGET_RULE_ID);
  expect(v.description).toMatch(/^Domain sales: the estimate for month \d+ is \$\d+\.\d\d, above its monthlyBudgetUsd of \$1\.00; the biggest line is CloudWatch dashboards at \$3\.00/);
  expect(v.fix).toMatch(/^To lower CloudWatch dashboards: /);
  expect(v.violatingResources[0].templatePath).toMatch(/Lakehouse-dev-Domain-sales\.template\.json$/);
});

test('prices what synth produced: the keys, alarms and dashboard of each domain stack', () => {
  const e = check.lastEstimate!;
  const sales = e.domains.find((d) => d.domain === 'sales')!;
  const keys = sales.lines.find((l) => l.service === 'KMS' && l.item === 'keys')!;
  expect(keys.monthly[0]).toBe(2); // the queue key and the logs key
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Lakehouse-dev-Domain-sales.template.json'), 'utf8'));
  const alarms = Object.values<{ Type: string }>(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length;
  expect(sales.lines.find((l) => l.service === 'CloudWatch' && l.item === 'alarms')!.monthly[0]).toBeGreaterThanOrEqual(alarms * 0.1 - 1e-9);
});

test('writes cost-estimate.jsonl, one line per domain, read back whole', () => {
  const read = readCostEstimate(outdir)!;
  expect(read.environment).toBe('dev');
  expect(read.domains.map((d) => d.domain).sort()).toEqual(['sales', 'web_events']);
  expect(read.total).toBeCloseTo(check.lastEstimate!.total, 9);
  expect(read.assumptions.length).toBeGreaterThan(5);
  expect(fs.readFileSync(path.join(outdir, 'cost-estimate.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 + 1);
});
