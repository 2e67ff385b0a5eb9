import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCESS_MATRIX_JSON, ACCESS_MATRIX_MARKDOWN, analyseGovernance, GovernanceProof, readAccessMatrixFile, readAccessMatrixIndex } from '../../lib/governance';
import { fixtureContext, FixtureOptions, populateFixture } from './fixtures';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'governance-plugin-'));
}

function appWithProof(options: FixtureOptions = {}, proof = new GovernanceProof()): { app: App; proof: GovernanceProof; outdir: string } {
  const outdir = tmpdir();
  const app = new App({ outdir, context: fixtureContext(options), builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(proof);
  populateFixture(app, options);
  return { app, proof, outdir };
}

describe('GovernanceProof plugin', () => {
  test('runs once per app with every template and writes the access matrix into the cloud assembly', () => {
    const { app, proof, outdir } = appWithProof();
    const validate = jest.spyOn(proof, 'validate');
    app.synth();
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate.mock.calls[0][0].templatePaths.map((p) => path.basename(p)).sort()).toEqual(['Platform.template.json', 'SalesDomain.template.json']);
    const index = readAccessMatrixIndex(outdir);
    expect(index.violations).toEqual([]);
    expect(index.principals.map((p) => p.id)).toEqual(proof.lastResult!.principals.map((p) => p.id));
    expect(index.principals.map((p) => p.id)).toContain('hypothetical:same-account-admin');
    // One file per stack with principals (the fixture's Platform has none), and one for the hypothetical principals.
    expect(fs.readdirSync(path.join(outdir, 'access-matrix')).sort()).toEqual(['SalesDomain.json', 'hypothetical.json']);
    const pipeline = index.principals.find((p) => p.id.startsWith('SalesDomain/SalesPipeline'))!;
    const file = readAccessMatrixFile(outdir, pipeline.file);
    expect(file.stack).toBe('SalesDomain');
    const put = file.principals.find((p) => p.id === pipeline.id)!.cells.find((c) => c.zone === 'clean' && c.action === 's3:PutObject' && c.variant === 'if-none-match')!;
    expect(put.decision).toBe('partial');
    const allowed = put.outcomes.find((o) => o.decision === 'allow')!;
    expect(allowed.keys.every((k) => k!.startsWith('sales/'))).toBe(true);
    expect(allowed.allowedBy).toEqual([expect.stringMatching(/^SalesDomain\/SalesPipelineDefaultPolicy\w+#\d+$/)]);
    expect(fs.readFileSync(path.join(outdir, ACCESS_MATRIX_MARKDOWN), 'utf8')).toMatch(/^# Governance proof: access matrix/);
  });

  test('writes every cell that is not an implicit deny, and nothing else', () => {
    const { app, outdir } = appWithProof();
    const assembly = app.synth();
    const full = analyseGovernance(assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template })));
    const index = readAccessMatrixIndex(outdir);
    const written = new Set<string>();
    for (const fileName of new Set(index.principals.map((p) => p.file))) {
      for (const p of readAccessMatrixFile(outdir, fileName).principals) {
        for (const c of p.cells) written.add(`${p.id}|${c.bucket}|${c.action}|${c.variant}|${c.decision}`);
      }
    }
    const expected = full.matrix
      .filter((c) => c.probes.some((p) => p.decision !== 'implicit-deny' || p.allowedBy.length > 0 || p.deniedBy.length > 0))
      .map((c) => `${c.principal}|${c.bucket}|${c.action}|${c.variant}|${c.decision}`);
    expect([...written].sort()).toEqual(expected.sort());
    expect(written.size).toBeLessThan(full.matrix.length);
  });

  test("a proof that stops before it finishes leaves no earlier run's index or markdown behind", () => {
    const { app, outdir } = appWithProof({}, new GovernanceProof({ bounds: { heapFraction: 0 } }));
    fs.writeFileSync(path.join(outdir, ACCESS_MATRIX_JSON), '{"stale":true}');
    fs.writeFileSync(path.join(outdir, ACCESS_MATRIX_MARKDOWN), '# stale: Violations: None');
    expect(() => app.synth()).toThrow(/LH-CHECK-001/);
    expect(fs.existsSync(path.join(outdir, ACCESS_MATRIX_JSON))).toBe(false);
    expect(fs.existsSync(path.join(outdir, ACCESS_MATRIX_MARKDOWN))).toBe(false);
  });

  test('fails synthesis with one named violation per finding', () => {
    const { app, outdir } = appWithProof({ analystWritesCurated: true, analystAtPipelinePath: true });
    expect(() => app.synth()).toThrow(/Governance\.ProductionWriters/);
    const report = fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('Governance.ProductionWriters');
    expect(report).toMatch(/Analyst/);
    expect(report).toContain('lakehouse:role=pipeline');
    // The matrix is still written, so the finding can be read next to it.
    expect(readAccessMatrixIndex(outdir).violations.some((v) => v.rule === 'Governance.ProductionWriters')).toBe(true);
  });

  test('maps violations to the principal, the allowing policy and the zone bucket', () => {
    const { app, proof, outdir } = appWithProof({ curatedWithoutDeny: true, analystWritesCurated: true });
    const validate = jest.spyOn(proof, 'validate');
    expect(() => app.synth()).toThrow(/Governance\.ProductionWriters/);
    const report = validate.mock.results[0].value as ReturnType<GovernanceProof['validate']>;
    expect(report.success).toBe(false);
    const analyst = report.violations.find((v) => v.ruleMetadata?.principal.startsWith('SalesDomain/Analyst') && v.ruleMetadata?.action.startsWith('s3:PutObject'))!;
    const ids = analyst.violatingResources.map((r) => r.resourceLogicalId);
    expect(ids).toEqual([expect.stringMatching(/^Analyst/), expect.stringMatching(/^AnalystDefaultPolicy/), expect.stringMatching(/^curatedZone/)]);
    // CDK rewrites template paths relative to the assembly directory.
    expect(analyst.violatingResources.map((r) => r.templatePath)).toEqual(['SalesDomain.template.json', 'SalesDomain.template.json', 'Platform.template.json']);
    expect(analyst.violatingResources.every((r) => fs.existsSync(path.join(outdir, r.templatePath)))).toBe(true);
    expect(analyst.severity).toBe('error');
  });

  test('also works as a Beta1 plugin passed to the App', () => {
    const outdir = tmpdir();
    const proof = new GovernanceProof();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // the prop is deprecated in favour of Validations
    const app = new App({ outdir, context: fixtureContext(), builtinCloudFormationValidation: false, policyValidationBeta1: [proof] });
    warn.mockRestore();
    populateFixture(app);
    app.synth();
    expect(proof.lastResult?.violations).toEqual([]);
    expect(fs.existsSync(path.join(outdir, ACCESS_MATRIX_JSON))).toBe(true);
  });

  test('registered on the app, it sees stacks in nested stages; the stage stack names resolve cross-stack references', () => {
    const outdir = tmpdir();
    const proof = new GovernanceProof();
    const app = new App({ outdir, context: fixtureContext(), builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(proof);
    populateFixture(new Stage(app, 'Dev'));
    const validate = jest.spyOn(proof, 'validate');
    app.synth();
    expect(validate).toHaveBeenCalledTimes(1);
    expect(proof.lastResult!.zones.map((z) => z.stack)).toEqual(['Dev-Platform', 'Dev-Platform', 'Dev-Platform', 'Dev-Platform', 'Dev-Platform']);
    expect(proof.lastResult!.violations).toEqual([]);
    expect(proof.lastResult!.secrets.map((s) => s.id)).toEqual([expect.stringMatching(/^Dev-Platform\/PiiTokenKey/)]);
  });

  test('reports an evaluation error as a failing violation instead of guessing', () => {
    const { app, outdir } = appWithProof();
    // A role whose policy uses an operator the evaluator does not support.
    const domain = app.node.findChild('SalesDomain');
    const analyst = domain.node.findChild('Analyst') as iam.Role;
    analyst.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Timed', actions: ['s3:GetObject'], resources: ['*'], conditions: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } } }));
    expect(() => app.synth()).toThrow(/Governance\.EvaluationError/);
    expect(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')).toMatch(/DateLessThan/);
    expect(fs.existsSync(path.join(outdir, ACCESS_MATRIX_JSON))).toBe(false);
  });

  test('re-synthesizing into the same directory passes the do-not-mutate check', () => {
    const outdir = tmpdir();
    for (let i = 0; i < 2; i++) {
      const app = new App({ outdir, context: fixtureContext(), builtinCloudFormationValidation: false, confirmValidationPluginsDoNotMutate: true });
      Validations.of(app).addPlugins(new GovernanceProof());
      populateFixture(app);
      expect(() => app.synth()).not.toThrow();
    }
  });
});
