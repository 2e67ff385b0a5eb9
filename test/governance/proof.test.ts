import { analyseGovernance, GovernanceEvaluationError, GovernanceViolation, ProofResult, renderMatrixMarkdown, renderViolations } from '../../lib/governance';
import { buildFixtureApp, FixtureOptions } from './fixtures';

function prove(options: FixtureOptions = {}): ProofResult {
  return analyseGovernance(buildFixtureApp(options).stacks);
}

function principalId(result: ProofResult, logicalPrefix: string): string {
  const p = result.principals.find((x) => x.logicalId?.startsWith(logicalPrefix));
  if (!p) throw new Error(`no principal ${logicalPrefix}`);
  return p.id;
}

function cell(result: ProofResult, principal: string, zone: string, action: string, variant?: string) {
  const c = result.matrix.find((m) => m.principal === principal && m.zone === zone && m.action === action && m.variant === variant);
  if (!c) throw new Error(`no cell ${principal} ${zone} ${action}`);
  return c;
}

function violationsOf(result: ProofResult, rule: string): GovernanceViolation[] {
  return result.violations.filter((v) => v.rule === rule);
}

describe('compliant lakehouse', () => {
  let result: ProofResult;
  beforeAll(() => {
    result = prove();
  });

  test('has no violations', () => {
    expect(result.violations).toEqual([]);
    expect(renderViolations(result)).toBe('Governance proof: no violations.\n');
  });

  test('strong cross-stack references give the same matrix', () => {
    const strong = prove({ crossStackReferences: 'strong' });
    expect(strong.violations).toEqual([]);
    const decisions = (r: ProofResult) => r.matrix.map((c) => `${c.principal}|${c.zone}|${c.action}|${c.variant}|${c.decision}`).sort();
    expect(decisions(strong)).toEqual(decisions(result));
  });

  test('the pipeline writes clean and curated under its own domain only', () => {
    const pipeline = principalId(result, 'SalesPipeline');
    for (const zone of ['clean', 'curated']) {
      const put = cell(result, pipeline, zone, 's3:PutObject', 'if-none-match');
      expect(put.decision).toBe('partial');
      expect(put.probes.filter((p) => p.decision === 'allow').every((p) => p.key!.startsWith('sales/'))).toBe(true);
      expect(put.probes.some((p) => p.key!.startsWith('sales/') && p.decision === 'allow')).toBe(true);
    }
    expect(result.kms.find((k) => k.principal === pipeline && k.zone === 'clean')?.decision).toBe('allow');
  });

  test('the default-deny holds against a same-account admin and outside roles', () => {
    for (const principal of ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role']) {
      for (const zone of ['clean', 'curated']) {
        for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']) {
          const c = cell(result, principal, zone, action);
          expect(c.decision).toBe('deny');
          expect(c.probes[0].deniedBy).toContainEqual(expect.stringMatching(/^Platform\/\w+Zone\w*Policy\w*#DenyDataWritesExceptPipelineRoles$/));
        }
      }
    }
    expect(cell(result, 'hypothetical:same-account-admin', 'curated', 's3:GetObject').decision).toBe('allow');
  });

  test('raw accepts new objects but nobody can overwrite, delete or re-time them', () => {
    const ingest = principalId(result, 'PosIngest');
    expect(cell(result, ingest, 'raw', 's3:PutObject', 'if-none-match').decision).toBe('partial');
    const overwrite = cell(result, ingest, 'raw', 's3:PutObject', 'overwrite');
    expect(overwrite.decision).toBe('deny');
    expect(overwrite.probes.find((p) => p.key?.startsWith('pos/'))?.deniedBy).toContainEqual(expect.stringMatching(/#DenyRawOverwrites$/));
    expect(cell(result, 'hypothetical:same-account-admin', 'raw', 's3:DeleteObjectVersion').probes[0].deniedBy).toContainEqual(expect.stringMatching(/#DenyRawDeletesAndRetentionChanges$/));
  });

  test('bucket-configuration actions are reported, not judged: only the deployment role passes', () => {
    for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration']) {
      expect(cell(result, 'hypothetical:deployment-role', 'curated', action).decision).toBe('allow');
      expect(cell(result, 'hypothetical:same-account-admin', 'curated', action).probes[0].deniedBy).toContainEqual(expect.stringMatching(/#DenyRuleChangesOutsideDeployment$/));
    }
  });

  test('KMS is reported separately: the key policy delegates to IAM', () => {
    expect(result.kms.find((k) => k.principal === 'hypothetical:same-account-admin' && k.zone === 'raw')?.decision).toBe('allow');
    expect(result.kms.find((k) => k.principal === 'hypothetical:outside-role' && k.zone === 'raw')?.decision).toBe('implicit-deny');
  });

  test('the markdown summarises by kind of principal, then folds the detail per domain', () => {
    const md = renderMatrixMarkdown(result);
    expect(md).toContain('| principal | landing | raw | clean | curated | sandbox | quarantine | query-results | access-logs |');
    expect(md).toMatch(/^\| ingest \(per domain or source\) \| w¹ o¹ \| w¹ \|/m);
    expect(md).toMatch(/^\| hypothetical same-account-admin \| w o d v t b \| w \| r \| r \|/m);
    for (const p of result.principals) expect(md).toContain(p.logicalId ?? p.id);
    expect(md).toMatch(/## Violations\n\nNone\./);
    expect(md).toMatch(/## Who can read clear PII\n\n\| principal \| landing \| raw \| quarantine \| PII token key \|/);
    expect(md).toMatch(/^\| pipeline, \w+ stage \(per domain\) \| – \| r¹ \| – \| read \|$/m);
    const [summary, detail] = md.split('<!-- access-matrix:detail -->');
    expect(summary).not.toContain('<details>');
    expect(detail).toContain('<details><summary>hypothetical principals: 3 principal(s)</summary>');
  });
});

describe('injected violations', () => {
  test('an analyst granted write on curated is stopped by the default-deny, and the grant itself fails the proof', () => {
    const result = prove({ analystWritesCurated: true });
    const analyst = principalId(result, 'Analyst');
    expect(violationsOf(result, 'Governance.ProductionWriters')).toEqual([]);
    const grants = violationsOf(result, 'Governance.ForbiddenGrants');
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((v) => v.principal === analyst && v.zone === 'curated')).toBe(true);
    expect(grants.map((v) => v.action)).toContain('s3:PutObject');
    expect(grants[0].message).toMatch(/is granted s3:PutObject.* on the curated zone .*only the bucket policy stops it/);
    const put = cell(result, analyst, 'curated', 's3:PutObject', 'if-none-match');
    expect(put.decision).toBe('deny');
    expect(put.probes[0].allowedBy).toContainEqual(expect.stringMatching(/^SalesDomain\/AnalystDefaultPolicy/));
    expect(put.probes[0].deniedBy).toContainEqual(expect.stringMatching(/#DenyDataWritesExceptPipelineRoles$/));
  });

  test('an analyst at the pipeline path granted write on curated is a production writer', () => {
    const result = prove({ analystWritesCurated: true, analystAtPipelinePath: true });
    const analyst = principalId(result, 'Analyst');
    const found = violationsOf(result, 'Governance.ProductionWriters').filter((v) => v.principal === analyst);
    expect(found.map((v) => `${v.action}|${v.zone}`)).toContain('s3:PutObject|curated');
    const v = found.find((x) => x.action === 's3:PutObject')!;
    expect(v.allowedBy).toContainEqual(expect.stringMatching(/^SalesDomain\/AnalystDefaultPolicy\w+#\d+$/));
    expect(v.message).toMatch(/not a pipeline role/);
    expect(v.key).not.toBeNull();
  });

  test('a curated bucket policy without the deny lets an admin and outside roles write', () => {
    const result = prove({ curatedWithoutDeny: true });
    const writers = violationsOf(result, 'Governance.ProductionWriters');
    expect(writers.length).toBeGreaterThan(0);
    expect(writers.every((v) => v.zone === 'curated')).toBe(true);
    for (const principal of ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role']) {
      expect(writers.filter((v) => v.principal === principal).map((v) => v.action)).toEqual(
        expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']),
      );
    }
    const admin = writers.find((v) => v.principal === 'hypothetical:same-account-admin' && v.action === 's3:DeleteObject')!;
    expect(admin.allowedBy).toEqual(['hypothetical:same-account-admin#AllowEverything']);
  });

  test('an extra role with a wildcard policy writes upstream of what it reads', () => {
    const result = prove({ wildcardRole: true });
    const wide = principalId(result, 'WildcardRole');
    const flow = violationsOf(result, 'Governance.OneWayFlow').filter((v) => v.principal === wide);
    expect(flow).toHaveLength(1);
    expect(flow[0]).toMatchObject({ action: 's3:PutObject', zone: 'landing' });
    expect(flow[0].message).toMatch(/reads curated .* writes landing/);
    expect(flow[0].allowedBy).toContainEqual(expect.stringMatching(/^SalesDomain\/WildcardRoleDefaultPolicy/));
    // The default-deny and the raw policy still hold against it: its grants are reported, its writes are not effective.
    const others = result.violations.filter((v) => v.principal === wide && v.rule !== 'Governance.OneWayFlow');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((v) => v.rule === 'Governance.ForbiddenGrants' || v.rule === 'Governance.ClearDataReaders')).toBe(true);
    expect(others.filter((v) => v.rule === 'Governance.ForbiddenGrants').map((v) => v.zone).sort()).toEqual(expect.arrayContaining(['clean', 'curated', 'raw']));
    // Its s3:* also grants reads of the clear-data zones, which only their bucket policies stop.
    expect(others.filter((v) => v.rule === 'Governance.ClearDataReaders').map((v) => v.zone).sort()).toEqual(['landing', 'quarantine', 'raw']);
  });

  test('a pipeline role writing upstream of what it reads breaks the one-way flow', () => {
    const result = prove({ pipelineWritesRaw: true });
    const pipeline = principalId(result, 'SalesPipeline');
    const flow = violationsOf(result, 'Governance.OneWayFlow');
    expect(flow).toHaveLength(1);
    expect(flow[0]).toMatchObject({ principal: pipeline, action: 's3:PutObject', zone: 'raw' });
    expect(flow[0].message).toMatch(/reads raw \(flow position 1/);
  });

  test('a role allowed to bypass governance retention is stopped by the raw policy, and caught without it', () => {
    const guarded = prove({ bypassGovernanceRole: true });
    const operator = principalId(guarded, 'Operator');
    // The raw policy stops it; the grant itself (bypass with the version delete it enables) fails the proof.
    expect(guarded.violations.map((v) => `${v.rule}|${v.principal}|${v.action}|${v.zone}`).sort()).toEqual([
      `Governance.ForbiddenGrants|${operator}|s3:BypassGovernanceRetention|raw`,
      `Governance.ForbiddenGrants|${operator}|s3:DeleteObjectVersion|raw`,
    ]);
    expect(cell(guarded, operator, 'raw', 's3:BypassGovernanceRetention').probes[0].deniedBy).toContainEqual(expect.stringMatching(/#DenyRawDeletesAndRetentionChanges$/));

    const open = prove({ bypassGovernanceRole: true, rawWithoutDestructiveDeny: true });
    const raw = violationsOf(open, 'Governance.RawImmutable');
    const bypass = raw.find((v) => v.principal === operator && v.action === 's3:BypassGovernanceRetention');
    expect(bypass).toMatchObject({ zone: 'raw' });
    expect(bypass!.allowedBy).toContainEqual(expect.stringMatching(/^SalesDomain\/OperatorDefaultPolicy/));
    expect(raw.some((v) => v.principal === 'hypothetical:same-account-admin' && v.action === 's3:DeleteObject')).toBe(true);
  });

  test('a raw bucket that accepts puts without If-None-Match allows overwrites', () => {
    const result = prove({ rawWithoutOverwriteDeny: true });
    const overwrites = violationsOf(result, 'Governance.RawImmutable');
    const ingest = principalId(result, 'PosIngest');
    expect(overwrites.find((v) => v.principal === ingest)).toMatchObject({ action: 's3:PutObject', variant: 'overwrite', zone: 'raw' });
    expect(overwrites.every((v) => v.action === 's3:PutObject' && v.variant === 'overwrite')).toBe(true);
    expect(renderViolations(result)).toMatch(/\[Governance\.RawImmutable\] principal=SalesDomain\/PosIngest\w+ action=s3:PutObject \(overwrite, no If-None-Match\) zone=raw/);
  });

  test('a pipeline writing outside its domain prefix breaks prefix isolation', () => {
    const result = prove({ pipelineWritesWholeClean: true });
    const found = violationsOf(result, 'Governance.PrefixIsolation');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((v) => v.principal === principalId(result, 'SalesPipeline') && v.zone === 'clean')).toBe(true);
    expect(found.map((v) => v.action)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
    expect(found[0].key?.startsWith('sales/')).toBe(false);
    expect(found[0].message).toMatch(/outside its own prefix sales\//);
  });

  test('an ingest role writing outside its source prefix breaks prefix isolation', () => {
    const result = prove({ ingestWritesWholeLanding: true });
    const found = violationsOf(result, 'Governance.PrefixIsolation');
    expect(found.map((v) => `${v.principal}|${v.zone}`)).toEqual(expect.arrayContaining([`${principalId(result, 'PosIngest')}|landing`]));
    expect(found.every((v) => !v.key!.startsWith('pos/'))).toBe(true);
  });
});

describe('clear data and the PII token key', () => {
  let result: ProofResult;
  beforeAll(() => {
    result = prove();
  });

  test('landing, raw and quarantine are read by no one but the domain pipeline and its steward, under the domain prefix', () => {
    const readers = result.matrix.filter((c) => ['landing', 'raw', 'quarantine'].includes(c.zone) && c.action === 's3:GetObject' && c.decision !== 'deny');
    expect([...new Set(readers.map((c) => `${c.principal.replace(/[0-9A-F]{8}$/, '')} ${c.zone}`))].sort()).toEqual([
      'SalesDomain/SalesPipeline raw',
      'SalesDomain/SalesSteward quarantine',
      'SalesDomain/SalesSteward raw',
    ]);
    for (const c of readers) expect(c.probes.filter((p) => p.decision === 'allow').every((p) => p.key!.startsWith('sales/'))).toBe(true);
    for (const principal of ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role']) {
      const read = cell(result, principal, 'raw', 's3:GetObject');
      expect(read.decision).toBe('deny');
      expect(read.probes[0].deniedBy).toContainEqual(expect.stringMatching(/#DenyClearDataReadsExceptPipelinesAndStewards$/));
    }
  });

  test('the PII token key is read by the clean-stage pipeline only: the admin is stopped by its resource policy', () => {
    const readable = result.secretCells.filter((c) => c.readable).map((c) => c.principal);
    expect(readable).toEqual([principalId(result, 'SalesPipeline')]);
    const pipeline = result.secretCells.find((c) => c.principal === principalId(result, 'SalesPipeline'))!;
    expect(pipeline.kms.decision).toBe('allow');
    const admin = result.secretCells.find((c) => c.principal === 'hypothetical:same-account-admin')!;
    expect(admin).toMatchObject({ decision: 'explicit-deny', readable: false });
    expect(admin.deniedBy).toEqual(expect.arrayContaining([expect.stringMatching(/#DenyKeyReadsExceptPipelineRoles$/), expect.stringMatching(/#DenyKeyReadsExceptCleanStage$/)]));
    expect(result.principals.filter((p) => p.readsPiiTokenKey).map((p) => p.id)).toEqual(readable);
  });
});

describe('injected read violations', () => {
  test('an analyst granted read on raw fails, naming principal, action and zone, though the bucket policy stops it', () => {
    const result = prove({ analystReadsRaw: true });
    const found = violationsOf(result, 'Governance.ClearDataReaders');
    expect(found.map((v) => `${v.principal}|${v.action}|${v.zone}`)).toEqual([`${principalId(result, 'Analyst')}|s3:GetObject|raw`]);
    expect(found[0].message).toMatch(/\(analyst\) is granted s3:GetObject on clear data in the raw zone .* by SalesDomain\/AnalystDefaultPolicy\w+#\d+.*only the bucket policy stops it/);
  });

  test('without the clear-data deny, an admin, an outside role, the deployment role and the analyst can read', () => {
    const result = prove({ clearZonesWithoutReadDeny: true, analystReadsRaw: true });
    const found = violationsOf(result, 'Governance.ClearDataReaders').map((v) => `${v.principal.replace(/[0-9A-F]{8}$/, '')}|${v.zone}`);
    for (const principal of ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role']) {
      for (const zone of ['landing', 'raw', 'quarantine']) expect(found).toContain(`${principal}|${zone}`);
    }
    expect(found).toContain('SalesDomain/Analyst|raw');
    expect(violationsOf(result, 'Governance.ClearDataReaders').find((v) => v.principal === principalId(result, 'Analyst'))!.message).toMatch(/can read clear data \(s3:GetObject\) in the raw zone/);
  });

  test("a steward reading another domain's quarantine fails", () => {
    const result = prove({ stewardReadsOtherDomain: true });
    const found = violationsOf(result, 'Governance.ClearDataReaders');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ principal: principalId(result, 'SalesSteward'), action: 's3:GetObject', zone: 'quarantine' });
    expect(found[0].key).toMatch(/^web\//);
    expect(found[0].message).toMatch(/\(steward, domain sales\) can read clear data .* outside its domain's prefix sales\//);
  });

  test('a steward reading landing of its own domain fails: it triages raw and quarantine only', () => {
    const result = prove({ stewardReadsLanding: true });
    const found = violationsOf(result, 'Governance.ClearDataReaders');
    expect(found.map((v) => `${v.principal}|${v.action}|${v.zone}`)).toEqual([`${principalId(result, 'SalesSteward')}|s3:GetObject|landing`]);
    expect(found[0].key).toMatch(/^sales\//);
    expect(found[0].message).toMatch(/\(steward, domain sales\) can read clear data .* though a steward reads only its domain's raw and quarantine/);
  });

  test('a curated-stage pipeline role reading raw of its own domain fails: only the clean stage reads clear data', () => {
    const result = prove({ curatedPipelineReadsRaw: true });
    const found = violationsOf(result, 'Governance.ClearDataReaders');
    expect(found.map((v) => `${v.principal}|${v.action}|${v.zone}`)).toEqual([`${principalId(result, 'SalesModels')}|s3:GetObject|raw`]);
    expect(found[0].message).toMatch(/\(pipeline, domain sales\) can read clear data .* though only the clean stage of a domain's pipeline reads clear data \(this role's stage: curated\)/);
  });

  test("a partner writing another source's prefix breaks prefix isolation", () => {
    const result = prove({ partnerWritesOtherSource: true });
    const found = violationsOf(result, 'Governance.PrefixIsolation');
    expect(found.map((v) => `${v.principal}|${v.zone}`)).toEqual([`${principalId(result, 'PartnerIngest')}|raw`]);
    expect(found[0].key).toMatch(/^sales\/webshop\//);
    expect(found[0].message).toMatch(/outside its own prefix sales\/partner\//);
  });

  test('a role granted the PII token key fails, and without the key policy it can read it', () => {
    const guarded = prove({ analystReadsSecret: true });
    const analyst = principalId(guarded, 'Analyst');
    const found = violationsOf(guarded, 'Governance.ClearDataReaders');
    expect(found.map((v) => `${v.principal}|${v.action}|${v.zone}`)).toEqual([`${analyst}|secretsmanager:GetSecretValue|secret`]);
    expect(found[0].message).toMatch(/is granted secretsmanager:GetSecretValue on the PII token key .*only the key's resource policy \(.*#DenyKeyReads\w+.*\) stops it/);
    expect(found[0].bucket).toMatch(/^Platform\/PiiTokenKey/);

    const open = prove({ analystReadsSecret: true, secretWithoutDeny: true });
    const readers = violationsOf(open, 'Governance.ClearDataReaders').map((v) => v.principal);
    expect(readers).toEqual(expect.arrayContaining([analyst, 'hypothetical:same-account-admin', 'hypothetical:deployment-role']));
    // The outside role holds only s3:*: it cannot read a secret.
    expect(readers).not.toContain('hypothetical:outside-role');
    expect(violationsOf(open, 'Governance.ClearDataReaders').find((v) => v.principal === analyst)!.message).toMatch(/can read the PII token key/);
  });
});

describe('loud failure', () => {
  test('fails if a statement uses an operator the proof cannot evaluate, naming stack, resource, statement and element', () => {
    const { stacks } = buildFixtureApp();
    const domain = stacks.find((s) => s.stackName === 'SalesDomain')!;
    const template = JSON.parse(JSON.stringify(domain.template)) as { Resources: Record<string, { Type: string; Properties: { PolicyDocument: { Statement: object[] } } }> };
    const [logicalId, policy] = Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('Analyst'))!;
    policy.Properties.PolicyDocument.Statement.push({ Sid: 'Timed', Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } } });
    const run = () => analyseGovernance(stacks.map((s) => (s === domain ? { ...s, template } : s)));
    expect(run).toThrow(GovernanceEvaluationError);
    expect(run).toThrow(new RegExp(`SalesDomain/${logicalId}#Timed.*Condition\\.DateLessThan`));
  });
});
