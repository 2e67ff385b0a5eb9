import { App } from 'aws-cdk-lib';
import { environmentConfig } from '../../lib/config';
import { Lakehouse, buildLakehouse } from '../../lib/lakehouse-app';
import { generateDomains } from '../bench/scale/generate';
import { testApp } from '../helpers/app';

interface Built {
  readonly lakehouse: Lakehouse;
  readonly domainNames: readonly string[];
  /** Synthesized templates by stack name, from one synthesis of the app. */
  readonly templates: Readonly<Record<string, any>>;
}

/** N domains generated from the examples (models included), synthesized once with checks off. */
function build(count: number): Built {
  const app: App = testApp();
  const { domains, domainsDir } = generateDomains(count);
  const lakehouse = buildLakehouse(app, { config: environmentConfig('dev'), domains, domainsDir, checks: false });
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
  return { lakehouse, domainNames: domains.map((d) => d.name), templates };
}

const resources = (template: any, type: string): any[] => Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === type);
const bytes = (template: unknown) => Buffer.byteLength(JSON.stringify(template), 'utf8');

describe('the platform does not grow with domains (20 and 21 generated domains)', () => {
  const twenty = build(20);
  const twentyOne = build(21);
  const platformOf = (b: Built) => b.templates[b.lakehouse.platform.stackName];
  const domainTemplates = (b: Built) => Object.values(b.lakehouse.domains).map((s) => b.templates[s.stackName]);

  test("the Platform template's size is the same: no per-domain resource, widget or output in it", () => {
    expect(bytes(platformOf(twentyOne))).toBe(bytes(platformOf(twenty)));
    expect(platformOf(twentyOne)).toEqual(platformOf(twenty));
  });

  test('at most one rule per domain on the default event bus (counted from the templates): the forwarding rule', () => {
    for (const b of [twenty, twentyOne]) {
      const perDomain = domainTemplates(b).map((t) => resources(t, 'AWS::Events::Rule').filter((r) => r.Properties.EventBusName === undefined).length);
      expect(perDomain).toEqual(Array(b.domainNames.length).fill(1));
      // The platform's own default-bus rules (the janitor's schedule) do not depend on domains.
      expect(resources(platformOf(b), 'AWS::Events::Rule').filter((r) => r.Properties.EventBusName === undefined)).toHaveLength(1);
    }
    // Every other rule of a domain is on its own bus.
    for (const t of domainTemplates(twenty)) {
      const [bus] = resources(t, 'AWS::Events::EventBus');
      expect(bus.Properties.Name).toMatch(/^lakehouse-dev-/);
      for (const rule of resources(t, 'AWS::Events::Rule').filter((r) => r.Properties.EventBusName !== undefined)) expect(rule.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^EventsBus/) });
    }
  });

  test('one DuckDB layer in the whole app, in the platform stack', () => {
    for (const b of [twenty, twentyOne]) {
      expect(Object.values(b.templates).flatMap((t) => resources(t, 'AWS::Lambda::LayerVersion'))).toHaveLength(1);
      expect(resources(platformOf(b), 'AWS::Lambda::LayerVersion')).toHaveLength(1);
    }
  });

  test('IAM roles do not grow per domain because of routing: the same few per domain, the same in the platform', () => {
    const perDomain = (b: Built) => new Set(domainTemplates(b).map((t) => resources(t, 'AWS::IAM::Role').length));
    // transform, curated, big-file state machine and steward, plus one ingest role per source: web_events
    // copies keep the domain's one ingest role (5), sales copies have a web shop and a partner (6).
    expect(perDomain(twenty)).toEqual(new Set([5, 6]));
    expect(perDomain(twentyOne)).toEqual(new Set([5, 6]));
    expect(resources(platformOf(twentyOne), 'AWS::IAM::Role')).toHaveLength(resources(platformOf(twenty), 'AWS::IAM::Role').length);
  });

  test('Glue Data Quality rulesets live in the domain stacks, one per dataset and model with rules (2 per generated domain)', () => {
    for (const b of [twenty, twentyOne]) {
      expect(new Set(domainTemplates(b).map((t) => resources(t, 'AWS::Glue::DataQualityRuleset').length))).toEqual(new Set([2]));
      expect(resources(platformOf(b), 'AWS::Glue::DataQualityRuleset')).toHaveLength(0);
    }
  });

  test('the overview dashboard body has no per-domain text', () => {
    const [overview] = resources(platformOf(twentyOne), 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(overview.Properties.DashboardBody);
    for (const name of [...twentyOne.domainNames, 'sales', 'web_events']) expect(body).not.toContain(name);
  });
});
