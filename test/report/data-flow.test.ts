/**
 * The data-flow diagrams: on the example app (templates synthesized, matrix written by the
 * governance proof) checked structurally against the matrix, and within Mermaid's limits for 100
 * and 500 generated domains and for a domain with hundreds of datasets.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { ENVIRONMENTS } from '../../lib/config';
import { loadDomains } from '../../lib/domains';
import { GovernanceProof } from '../../lib/governance';
import { readAccessMatrixFile, readAccessMatrixIndex } from '../../lib/governance/matrix-files';
import { buildLakehouse } from '../../lib/lakehouse-app';
import { DATA_FLOW_FILE, readDataFlowInputs, renderDataFlowMarkdown, writeDataFlow } from '../../lib/report/data-flow';
import { AccessIndex, allowedPrefixes, PrincipalAccess } from '../../lib/report/data-flow/access';
import { domainDiagram, domainGraph, MERMAID_LIMITS, overviewDiagram } from '../../lib/report/data-flow/diagram';
import { DomainFacts } from '../../lib/report/data-flow/facts';
import { testApp } from '../helpers/app';
import { generateDomains } from '../bench/scale/generate';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-flow-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const definitions = loadDomains();
const app = testApp({ outdir });
buildLakehouse(app, { config: ENVIRONMENTS.dev, checks: false });
const assembly = app.synth();
new GovernanceProof({ outdir }).validate({ templatePaths: assembly.stacks.map((s) => path.join(outdir, s.templateFile)), appConstruct: app } as never);
const inputs = readDataFlowInputs(outdir);

/** The principals the raw matrix cells let put objects into `zone` under `<domain>/`, checked without the diagram's code. */
function matrixWriters(zone: string, domain: string): Set<string> {
  const index = readAccessMatrixIndex(outdir);
  const out = new Set<string>();
  for (const file of new Set(index.principals.filter((p) => !p.hypothetical).map((p) => p.file))) {
    for (const p of readAccessMatrixFile(outdir, file).principals) {
      for (const c of p.cells) {
        if (c.zone !== zone || c.action !== 's3:PutObject' || c.decision === 'deny') continue;
        if (c.decision === 'allow' || c.outcomes.some((o) => o.decision === 'allow' && o.keys.some((k) => k?.startsWith(`${domain}/`)))) out.add(p.id);
      }
    }
  }
  return out;
}

describe('the example app', () => {
  test('the facts come from the templates: every dataset (with its PII columns) and model of the domain files', () => {
    expect(inputs.environment).toBe('dev');
    expect(inputs.facts.map((f) => f.domain)).toEqual(definitions.map((d) => d.name));
    for (const def of definitions) {
      const facts = inputs.facts.find((f) => f.domain === def.name)!;
      expect(facts.datasets.map((d) => [d.name, d.pii])).toEqual(def.datasets.map((d) => [d.name, d.columns.filter((c) => c.pii).map((c) => c.name)]));
      expect(facts.models.map((m) => m.name)).toEqual(fs.readdirSync(path.join(__dirname, '..', '..', 'lib', 'domains', def.name)).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort());
      expect(facts.bigFileThresholdBytes).toBe(512 * 1024 ** 2);
    }
  });

  test.each(definitions.map((d) => d.name))('%s: every dataset, model and writer is drawn, and every write edge is one the matrix allows', (domain) => {
    const facts = inputs.facts.find((f) => f.domain === domain)!;
    const g = domainGraph(facts, inputs.access);
    const text = domainDiagram(facts, inputs.access).text;
    for (const ds of facts.datasets) {
      expect(text).toContain(`raw_${ds.name}[(`);
      expect(text).toContain(`clean_${ds.name}[(`);
      if (ds.pii.length > 0) expect(text).toMatch(new RegExp(`clean_${ds.name}\\[\\("${ds.name} · PII: ${ds.pii.join(', ')}"\\)\\]:::pii`));
    }
    for (const m of facts.models) expect(text).toContain(`model_${m.name}[`);
    // Each write edge's principals may write its target zone under the domain's prefix, per the raw matrix cells.
    const zoneOf = (to: string) => (to.startsWith('landing_') ? 'landing' : to.startsWith('raw_') ? 'raw' : to.startsWith('clean_') || to === 'z_clean' ? 'clean' : to.startsWith('model_') ? 'curated' : to === 'quarantine' ? 'quarantine' : undefined);
    const writes = g.edges.filter((e) => e.kind === 'write');
    expect(writes.length).toBeGreaterThan(0);
    for (const e of writes) {
      const zone = zoneOf(e.to)!;
      expect(zone).toBeDefined();
      const allowed = matrixWriters(zone, domain);
      expect(e.principals.length).toBeGreaterThan(0);
      for (const p of e.principals) expect([e.to, p, allowed.has(p)]).toEqual([e.to, p, true]);
    }
    // And every writer the matrix has for the domain's flow zones is on some edge.
    for (const zone of ['landing', 'raw', 'clean', 'curated', 'quarantine']) {
      for (const p of matrixWriters(zone, domain)) expect(writes.some((e) => e.principals.includes(p))).toBe(true);
    }
    expect(text).toContain('-- "ingest" -->');
    expect(text).toContain('-- "pipeline (clean stage)" -->');
    expect(text).toContain('-- "pipeline (curated stage)" --> model_');
    expect(text).toMatch(/z_curated -\. "reads" \.-> reader_analyst/);
    expect(text).toContain('> 512 MiB');
  });

  test('an edge the matrix does not support is not drawn: without the curated role, no model has an input edge', () => {
    const facts = inputs.facts.find((f) => f.domain === 'sales')!;
    const drop = (list: readonly PrincipalAccess[] | undefined) => (list ?? []).filter((p) => !(p.kind === 'pipeline' && p.stage === 'curated'));
    const access = inputs.access!;
    const without: AccessIndex = {
      ...access,
      byPrefix: new Map([...access.byPrefix].map(([k, v]) => [k, drop(v)])),
      byDomain: new Map([...access.byDomain].map(([k, v]) => [k, drop(v)])),
    };
    const d = domainDiagram(facts, without);
    expect(d.text).not.toContain('--> model_');
    expect(d.notes).toContain("no principal of the access matrix may write curated/sales/: the models' outputs are not drawn");
  });

  test('a steward (issue 16) reading raw and quarantine is drawn without code for its kind', () => {
    const facts = inputs.facts.find((f) => f.domain === 'sales')!;
    const steward: PrincipalAccess = { id: 'Lakehouse-dev-Domain-sales/Steward', kind: 'steward', domain: 'sales', zones: { raw: { read: ['sales'], write: [] }, quarantine: { read: ['sales'], write: [] } } };
    const access = inputs.access!;
    const text = domainDiagram(facts, { ...access, byDomain: new Map([...access.byDomain, ['sales', [...(access.byDomain.get('sales') ?? []), steward]]]) }).text;
    expect(text).toContain('z_raw -. "reads clear data" .-> reader_steward');
    expect(text).toContain('quarantine -. "reads clear data" .-> reader_steward');
  });

  test('synth writes data-flow.md: the overview, then every domain; npx lakehouse diagram prints one', async () => {
    expect(writeDataFlow(outdir)).toBe(2);
    const md = fs.readFileSync(path.join(outdir, DATA_FLOW_FILE), 'utf8');
    expect(md.match(/```mermaid\nflowchart LR/g)).toHaveLength(3);
    expect(md).toContain('## Domain sales');
    const out: string[] = [];
    const io = { root: outdir, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    expect(await main(['diagram', 'sales', '--cdk-out', outdir], io as never)).toBe(0);
    expect(out.join('')).toBe(`${domainDiagram(inputs.facts[0], inputs.access).text}\n`);
    expect(await main(['diagram', 'nope', '--cdk-out', outdir], io as never)).toBe(2);
  });
});

/** Generated domains' facts (as the templates give them) and an access index with each domain's roles, as the example's. */
function generated(count: number): { facts: DomainFacts[]; access: AccessIndex } {
  const { domains } = generateDomains(count, fs.mkdtempSync(path.join(os.tmpdir(), 'data-flow-gen-')));
  const example = (name: string) => inputs.facts.find((f) => name.startsWith(`${f.domain}_`))!;
  const facts = domains.map((d) => ({ ...example(d.name), domain: d.name, stack: `Lakehouse-dev-Domain-${d.name}` }));
  const byDomain = new Map<string, PrincipalAccess[]>();
  for (const f of facts) {
    const own = (inputs.access!.byDomain.get(example(f.domain).domain) ?? []).map((p) => ({
      ...p,
      id: p.id.replace(/Domain-[^/]+/, `Domain-${f.domain}`),
      domain: f.domain,
      source: p.source ? f.domain : undefined,
      zones: Object.fromEntries(Object.entries(p.zones).map(([z, r]) => [z, { read: r!.read.map((x) => (x === example(f.domain).domain ? f.domain : x)), write: r!.write.map((x) => (x === example(f.domain).domain ? f.domain : x)) }])),
    }));
    byDomain.set(f.domain, own);
  }
  return { facts, access: { ...inputs.access!, byDomain, byPrefix: byDomain } };
}

test('100 generated domains: the overview and every domain diagram stay within Mermaid\'s limits', () => {
  const { facts, access } = generated(100);
  const overview = overviewDiagram(facts.map((f) => ({ domain: f.domain, datasets: f.datasets.length, models: f.models.length, pii: true })), access);
  expect(overview.detail).toBe(0);
  expect(overview.text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
  expect(overview.edges).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
  for (const f of facts) {
    const d = domainDiagram(f, access);
    expect([f.domain, d.detail, d.text.length <= MERMAID_LIMITS.maxTextSize, d.edges <= MERMAID_LIMITS.maxEdges]).toEqual([f.domain, 0, true, true]);
  }
  // The report draws the overview and only the domains a change touches.
  const md = renderDataFlowMarkdown({ facts, access }, { changed: new Set([facts[7].domain]) }).join('\n');
  expect(md.match(/```mermaid/g)).toHaveLength(2);
  expect(md).toContain(`d_${facts[7].domain}["${facts[7].domain} · 1 ds · 1 m · PII"]:::changed`);
});

test('500 generated domains: the overview folds detail, then unchanged domains, to stay within the limits', () => {
  const { facts, access } = generated(500);
  const nodes = facts.map((f, i) => ({ domain: f.domain, datasets: f.datasets.length, models: f.models.length, pii: true, changed: i === 499 }));
  const overview = overviewDiagram(nodes, access);
  expect(overview.text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
  expect(overview.text).toContain(`d_${facts[499].domain}[`);
  // A smaller limit forces the last level: the changed domain stays, the rest are counted.
  const tight = overviewDiagram(nodes, access, { maxTextSize: 2_000, maxEdges: 500 });
  expect(tight.detail).toBe(2);
  expect(tight.text.length).toBeLessThanOrEqual(2_000);
  expect(tight.text).toContain(`d_${facts[499].domain}[`);
  expect(tight.text).toMatch(/more\["… \d+ more unchanged domains"\]/);
});

test('a domain with 300 datasets and 150 models is drawn with less detail, within the limits', () => {
  const base = inputs.facts.find((f) => f.domain === 'sales')!;
  const datasets = Array.from({ length: 300 }, (_, i) => ({ name: `ds_${i}`, format: 'csv', pii: i % 2 ? ['email'] : [] }));
  const models = Array.from({ length: 150 }, (_, i) => ({ name: `m_${i}`, inputs: [`ds_${i}`, `ds_${i + 1}`], pii: [] }));
  const facts: DomainFacts = { ...base, datasets, models };
  const d = domainDiagram(facts, inputs.access);
  expect(d.detail).toBeGreaterThan(0);
  expect(d.text.length).toBeLessThanOrEqual(MERMAID_LIMITS.maxTextSize);
  expect(d.edges).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
  expect(allowedPrefixes({ decision: 'partial', outcomes: [{ decision: 'allow', keys: ['sales/x', null], allowedBy: [], deniedBy: [] }] })).toEqual(['sales']);
});
