/**
 * The representative keys decide every cell as the exhaustive keys do: on an app of 20 generated
 * domains (the examples copied under new names), the proof with a fixed number of keys per
 * principal and zone gives the same matrix — per cell, the same decision and the same set of
 * outcomes (decision, allowing and denying statements) — and the same violations as the proof that
 * asks every principal about every domain's and source's prefix and every pattern's witness.
 */
import { App } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../../lib/config';
import { analyseGovernance, MatrixCell, ProofResult, StackTemplate } from '../../lib/governance';
import { buildLakehouse } from '../../lib/lakehouse-app';
import { generateDomains } from '../bench/scale/generate';
import { testApp } from '../helpers/app';

function outcomes(cell: MatrixCell): string[] {
  return [...new Set(cell.probes.map((p) => `${p.decision}|${p.allowedBy.join(',')}|${p.deniedBy.join(',')}|${p.identityOnly ?? ''}`))].sort();
}

function byCell(result: ProofResult): Map<string, { decision: string; outcomes: string[]; keys: number }> {
  return new Map(result.matrix.map((c) => [`${c.principal}|${c.bucket}|${c.action}|${c.variant ?? ''}`, { decision: c.decision, outcomes: outcomes(c), keys: c.probes.length }]));
}

describe('representative keys', () => {
  let stacks: StackTemplate[];
  let reduced: ProofResult;
  let exhaustive: ProofResult;

  beforeAll(() => {
    const app: App = testApp();
    const { domains, domainsDir } = generateDomains(20);
    buildLakehouse(app, { config: ENVIRONMENTS.dev, domains, domainsDir, checks: false });
    stacks = app.synth().stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
    // As synth runs it: the pipelines' query results checked as clear data.
    const options = { pipelineResultsPrefix: 'lakehouse-dev-pipelines/' };
    reduced = analyseGovernance(stacks, options);
    exhaustive = analyseGovernance(stacks, { ...options, keys: 'exhaustive' });
  }, 120_000);

  test('give the same decision and outcomes in every cell as every key of the app (20 domains)', () => {
    const r = byCell(reduced);
    const e = byCell(exhaustive);
    expect([...r.keys()].sort()).toEqual([...e.keys()].sort());
    const differences: string[] = [];
    for (const [id, cell] of e) {
      const mine = r.get(id)!;
      if (mine.decision !== cell.decision || mine.outcomes.join('\n') !== cell.outcomes.join('\n')) {
        differences.push(`${id}: representative ${mine.decision} ${JSON.stringify(mine.outcomes)}, exhaustive ${cell.decision} ${JSON.stringify(cell.outcomes)}`);
      }
    }
    expect(differences).toEqual([]);
    // Not vacuous: the app has allowed, partial and denied cells, and far fewer probes per cell.
    const decisions = new Set([...r.values()].map((c) => c.decision));
    expect([...decisions].sort()).toEqual(['allow', 'deny', 'partial']);
    expect(reduced.stats.probes * 5).toBeLessThan(exhaustive.stats.probes);
    expect(reduced.stats.exhaustiveFallbacks).toEqual([]);
  });

  test('cover the stewards and the sources of the generated domains, and their reads of clear data and of the PII token key', () => {
    const count = (kind: string) => reduced.principals.filter((p) => p.kind === kind && !p.hypothetical).length;
    expect(count('steward')).toBe(20);
    // sales copies declare a web shop and a marketplace partner (a role each); web_events copies keep one ingest role.
    expect(reduced.principals.filter((p) => p.kind === 'ingest' && p.source?.includes('/')).length).toBe(20);
    expect(count('ingest')).toBe(30);
    const secrets = (r: ProofResult) => r.secretCells.map((c) => `${c.principal}|${c.decision}|${c.kms.decision}|${c.readable}`).sort();
    expect(secrets(reduced)).toEqual(secrets(exhaustive));
    expect(reduced.principals.filter((p) => p.readsPiiTokenKey).every((p) => p.stage === 'clean')).toBe(true);
    expect(reduced.principals.filter((p) => p.readsPiiTokenKey)).toHaveLength(20);
    // A source writes only under its own prefix, with representative keys as with every key.
    for (const result of [reduced, exhaustive]) {
      const outside = result.matrix.filter((c) => {
        const p = result.principals.find((x) => x.id === c.principal)!;
        return p.source?.includes('/') && c.action === 's3:PutObject' && c.probes.some((r) => r.decision === 'allow' && !r.key!.startsWith(`${p.source}/`));
      });
      expect(outside).toEqual([]);
    }
  });

  test('give the same violations and access summaries', () => {
    const shape = (result: ProofResult) => result.violations.map((v) => `${v.rule}|${v.principal}|${v.action}|${v.variant ?? ''}|${v.zone}`).sort();
    expect(shape(reduced)).toEqual(shape(exhaustive));
    expect(reduced.principals.map((p) => [p.id, p.stage, p.access, p.readsPiiTokenKey])).toEqual(exhaustive.principals.map((p) => [p.id, p.stage, p.access, p.readsPiiTokenKey]));
  });

  test("never probe a principal with another domain's keys, so the keys per cell do not grow with the domains", () => {
    const domains = [...new Set(reduced.principals.map((p) => p.domain).filter((d): d is string => d !== undefined))];
    expect(domains).toHaveLength(20);
    const byId = new Map(reduced.principals.map((p) => [p.id, p]));
    const foreign = reduced.matrix.flatMap((c) => {
      const own = byId.get(c.principal)!.domain;
      return c.probes.filter((p) => p.key !== null && domains.some((d) => d !== own && p.key!.startsWith(`${d}/`))).map((p) => `${c.principal} ${c.zone}: ${p.key}`);
    });
    expect(foreign).toEqual([]);
    // The most keys any cell probes: the fresh key, the own prefix, and the zone prefixes the access-log bucket's policy names.
    expect(Math.max(...reduced.matrix.map((c) => c.probes.length))).toBeLessThanOrEqual(10);
    expect(Math.max(...exhaustive.matrix.map((c) => c.probes.length))).toBeGreaterThan(40);
  });
});
