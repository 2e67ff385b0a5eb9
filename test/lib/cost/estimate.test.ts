/**
 * The estimate of a small configuration, hand-computed to the cent month by month: one domain,
 * one CSV dataset delivering one 1 GiB file of 10,000,000 rows a day, no growth, no model.
 */
import { ENVIRONMENTS } from '../../../lib/config';
import { DEFAULT_ASSUMPTIONS } from '../../../lib/cost/assumptions';
import { budgetFindings, DOMAIN_COST_BUDGET_RULE_ID } from '../../../lib/cost/budget';
import { CostInputs, DomainCostInput, estimateCost, StackResources } from '../../../lib/cost/estimate';
import { US_EAST_1_PRICES, mergePrices } from '../../../lib/cost/prices';
import { renderCostMarkdown, renderCostSynthText } from '../../../lib/cost/render';

const GIB = 1024 ** 3;
const NONE: StackResources = { alarmMetrics: 0, dashboards: 0, kmsKeys: 0, secrets: 0, glueDatabases: 0, glueTables: 0, encryptedQueues: 0 };
const LIFECYCLE = ENVIRONMENTS.dev.lifecycle; // raw: IA @30, Glacier IR @90, Deep Archive @365

function domain(overrides: Partial<DomainCostInput> = {}): DomainCostInput {
  return {
    name: 'orders',
    datasets: [{ name: 'orders', format: 'csv', gzip: false, transformMemoryMb: 2048, volume: { filesPerDay: 1, bytesPerDay: GIB, rowsPerDay: 10_000_000 } }],
    models: [],
    runnerMemoryMb: 256,
    bigFileMemoryMb: 2048,
    resources: { ...NONE, kmsKeys: 2, alarmMetrics: 20, dashboards: 1 },
    ...overrides,
  };
}

function inputs(overrides: Partial<CostInputs> = {}): CostInputs {
  return {
    environment: 'test',
    prices: US_EAST_1_PRICES,
    lifecycle: LIFECYCLE,
    rawObjectLockDays: 30,
    logRetentionDays: 30,
    bigFileThresholdBytes: 2 * GIB,
    domains: [domain()],
    platform: { resources: NONE, janitorMemoryMb: 256 },
    ...overrides,
  };
}

const line = (e: ReturnType<typeof estimateCost>, service: string, item: string, zone?: string) => {
  const found = e.lines.find((l) => l.domain === 'orders' && l.service === service && l.item === item && l.zone === zone);
  if (!found) throw new Error(`no line ${service} ${zone ?? ''} ${item}`);
  return found.monthly;
};

test('raw storage: 1 GiB a day through IA at 30 days and Glacier IR at 90, to the cent month by month', () => {
  const raw = line(estimateCost(inputs()), 'S3', 'storage', 'raw');
  // Month 1: Standard 465 GB-days = 15.5 GB-months: $0.3565.
  // Month 2: Standard 435 + 465 = 900 (30 GB-months, $0.69), IA 465 (15.5, $0.19375): $0.88375.
  // Month 3 (days 60–89): Standard 900; IA: cohorts 0–29 all 30 days (900) + cohorts 30–59 Σ(60 − d) = 465,
  //   1,365 GB-days = 45.5 GB-months × $0.0125 = $0.56875: $1.25875.
  // Month 4 (days 90–119): Standard 900 GB-days, IA 435 + 900 + 465 = 1,800, Glacier IR 465:
  //   30 × 0.023 + 60 × 0.0125 + 15.5 × 0.004 = 0.69 + 0.75 + 0.062 = 1.502.
  // Month m ≥ 4 (1-based): Glacier IR holds 30 × (m − 4) + 15.5 GB-months more: 1.44 + 0.004 × (30 (m − 4) + 15.5).
  const expected = [0.3565, 0.88375, 1.25875, ...Array.from({ length: 9 }, (_, i) => 0.69 + 0.75 + 0.004 * (30 * i + 15.5))];
  raw.forEach((x, m) => expect(x).toBeCloseTo(expected[m], 2));
  expect(raw.map((x) => x.toFixed(2))).toEqual(['0.36', '0.88', '1.26', '1.50', '1.62', '1.74', '1.86', '1.98', '2.10', '2.22', '2.34', '2.46']);
});

test('the transform: 10 M rows at 3.37 s per million plus 1 s per file, 2 GB on arm64, 30 days a month', () => {
  const gbSeconds = (10 * 3.37 + 1) * 2 * 30; // 2,082 GB-seconds a month
  const lambda = line(estimateCost(inputs()), 'Lambda', 'GB-seconds (arm64)');
  lambda.forEach((x) => expect(x).toBeCloseTo(gbSeconds * 0.0000133334, 4)); // $0.0278 a month
  expect(lambda[0].toFixed(2)).toBe('0.03');
});

test('the big-file route: the day\'s bytes prepared once at 11 MB/s, plus 2 invocations of 1 s per file', () => {
  // Files of 4 GiB (above the 2 GiB threshold): 4,294.97 MB / 11 MB/s = 390.45 s a file, + 2 s; 2 GB, 30 days.
  const big = (filesPerDay: number) =>
    line(estimateCost(inputs({ domains: [domain({ datasets: [{ name: 'orders', format: 'csv', gzip: false, transformMemoryMb: 2048, volume: { filesPerDay, bytesPerDay: filesPerDay * 4 * GIB, rowsPerDay: 1 } }] })] })), 'Lambda', 'GB-seconds (arm64)')[0];
  const gbSeconds = (files: number) => ((files * 4 * GIB) / 1e6 / 11 + files * 2) * 2 * 30;
  expect(big(2)).toBeCloseTo(gbSeconds(2) * 0.0000133334, 4);
  // Twice the files of the same size: twice the bytes, so twice the cost (not four times).
  expect(big(4) / big(2)).toBeCloseTo(2, 5);
});

test('fixed lines come from the stack: 2 keys $2, 20 alarm metrics $2, one dashboard $3, every month', () => {
  const e = estimateCost(inputs());
  expect(line(e, 'KMS', 'keys')).toEqual(new Array(12).fill(2));
  expect(line(e, 'CloudWatch', 'alarms').every((x) => Math.abs(x - 2) < 1e-9)).toBe(true);
  expect(line(e, 'CloudWatch', 'dashboards')).toEqual(new Array(12).fill(3));
  // 5 custom metrics per dataset at $0.30.
  expect(line(e, 'CloudWatch', 'custom metrics').every((x) => Math.abs(x - 1.5) < 1e-9)).toBe(true);
});

test('growth compounds monthly: the Lambda line grows by the growth rate each month', () => {
  const grown = domain({ datasets: [{ ...domain().datasets[0], volume: { filesPerDay: 1, bytesPerDay: GIB, rowsPerDay: 10_000_000, monthlyGrowth: 0.1 } }] });
  const lambda = line(estimateCost(inputs({ domains: [grown] })), 'Lambda', 'GB-seconds (arm64)');
  expect(lambda[1] / lambda[0]).toBeCloseTo(1.1, 6);
  expect(lambda[11] / lambda[0]).toBeCloseTo(1.1 ** 11, 6);
});

test('a lifecycle change moves the estimate the right way', () => {
  const base = estimateCost(inputs());
  const rawStorage = (e: ReturnType<typeof estimateCost>) => line(e, 'S3', 'storage', 'raw').reduce((a, b) => a + b, 0);
  // Raw goes to Standard-IA later: dearer.
  const later = estimateCost(inputs({ lifecycle: { ...LIFECYCLE, raw: { ...LIFECYCLE.raw, infrequentAccessAfterDays: 60, glacierInstantRetrievalAfterDays: 120 } } }));
  expect(rawStorage(later)).toBeGreaterThan(rawStorage(base));
  expect(later.total).toBeGreaterThan(base.total);
  // Landing expires at 60 days instead of 365: cheaper.
  const expiring = estimateCost(inputs({ lifecycle: { ...LIFECYCLE, landing: { ...LIFECYCLE.landing, expireAfterDays: 60 } } }));
  expect(expiring.total).toBeLessThan(base.total);
  // Longer log retention: dearer.
  expect(estimateCost(inputs({ logRetentionDays: 365 })).total).toBeGreaterThan(base.total);
});

test('a model without @estimate scans one day of its inputs per run; with it, what it declares', () => {
  const model = { name: 'daily', inputs: ['orders'], assertions: 3 };
  const implicit = line(estimateCost(inputs({ domains: [domain({ models: [model] })] })), 'Athena', 'bytes scanned');
  const declared = line(estimateCost(inputs({ domains: [domain({ models: [{ ...model, estimate: { runsPerDay: 1, scanBytesPerRun: 1024 ** 4 / 30, writeBytesPerRun: 0 } }] })] })), 'Athena', 'bytes scanned');
  // Declared: 1 run a day scanning 1/30 TB, plus 4 queries at the 10 MB minimum: $5 + 30 × 4 × 10 MiB / 1 TiB × $5.
  declared.forEach((x) => expect(x).toBeCloseTo(5 + (30 * 4 * 10 * 1024 ** 2 * 5) / 1024 ** 4, 4));
  // Implicit: 24 scheduled runs + 1 per clean object a day, each scanning the day's clean Parquet (cleanBytesPerInputByte.csv × 0.99 GiB).
  const scan = GIB * 0.99 * DEFAULT_ASSUMPTIONS.cleanBytesPerInputByte.csv;
  const perRun = scan + 4 * Math.max(scan * 0.01, 10 * 1024 ** 2);
  implicit.forEach((x) => expect(x).toBeCloseTo((25 * 30 * perRun * 5) / 1024 ** 4, 4));
});

test('prices come from the configuration when it overrides them', () => {
  const dearer = mergePrices(US_EAST_1_PRICES, { region: 'xx-test-1', s3: { storageGbMonth: { STANDARD: 0.046 } } });
  expect(dearer.s3.storageGbMonth.STANDARD_IA).toBe(0.0125);
  const e = estimateCost(inputs({ prices: dearer }));
  expect(e.region).toBe('xx-test-1');
  expect(line(e, 'S3', 'storage', 'raw')[0]).toBeCloseTo(0.713, 3);
});

test(`${DOMAIN_COST_BUDGET_RULE_ID}: a domain over budget is named with its month, its biggest line and what would lower it`, () => {
  const e = estimateCost(inputs({ domains: [domain({ monthlyBudgetUsd: 5 })] }));
  const [finding, ...rest] = budgetFindings(e);
  expect(rest).toEqual([]);
  expect(finding.month).toBe(11);
  expect(finding.biggest?.service).toBe('CloudWatch');
  expect(finding.message).toMatch(/^Domain orders: the estimate for month 12 is \$\d+\.\d\d, above its monthlyBudgetUsd of \$5\.00; the biggest line is CloudWatch dashboards at \$3\.00/);
  expect(finding.fix).toMatch(/To lower CloudWatch dashboards: .*; or raise monthlyBudgetUsd in lib\/domains\/orders\.ts/);
  expect(budgetFindings(estimateCost(inputs({ domains: [domain({ monthlyBudgetUsd: 100 })] })))).toEqual([]);
});

test('synth prints one line per domain, the top ones and the rest summed, and the report folds the details', () => {
  const many = Array.from({ length: 25 }, (_, i) => domain({ name: `d${String(i).padStart(2, '0')}` }));
  const e = estimateCost(inputs({ domains: many }));
  const text = renderCostSynthText(e, 10).split('\n');
  expect(text).toHaveLength(1 + 10 + 1 + 1);
  expect(text[11]).toMatch(/^ {2}… 15 more domain\(s\): \$\d+\.\d\d over 12 months$/);
  const md = renderCostMarkdown({ ...e, assumptions: ['a'], notEstimated: ['n'] }).join('\n');
  expect(md).toMatch(/```mermaid\nxychart-beta\n/);
  expect(md).toMatch(/<details><summary>By zone and service, month by month<\/summary>/);
  expect(md).toMatch(/\| … 15 more \|/);
});
