import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { STACK_QUOTAS_JSON, StackQuotaReport, StackQuotas } from '../../lib/quotas';

function appWithQuotas(plugin = new StackQuotas()): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-quotas-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(plugin);
  return { app, outdir };
}

function addHandles(stack: Stack, n: number): void {
  for (let i = 0; i < n; i++) new CfnResource(stack, `Handle${i}`, { type: 'AWS::CloudFormation::WaitConditionHandle' });
}

function readReport(outdir: string): StackQuotaReport {
  return JSON.parse(fs.readFileSync(path.join(outdir, STACK_QUOTAS_JSON), 'utf8'));
}

describe('StackQuotas plugin', () => {
  test('runs once with every template, names stacks by their stack name and writes stack-quotas.json', () => {
    const plugin = new StackQuotas();
    const { app, outdir } = appWithQuotas(plugin);
    addHandles(new Stack(app, 'Small'), 3);
    addHandles(new Stack(app, 'Renamed', { stackName: 'my-deployed-name' }), 7);
    const validate = jest.spyOn(plugin, 'validate');
    app.synth();
    expect(validate).toHaveBeenCalledTimes(1);
    const report = readReport(outdir);
    expect(report.stacks.map((s) => [s.stackName, s.figures.resources?.value]).sort()).toEqual([
      ['Small', 3],
      ['my-deployed-name', 7],
    ]);
    expect(report.largest.resources).toMatchObject({ stackName: 'my-deployed-name', value: 7, limit: 500, threshold: 400 });
    expect(report.findings).toEqual([]);
  });

  test('fails synthesis if a stack has 401 resources, naming the rule, stack, figure, limit, threshold and fix', () => {
    const { app, outdir } = appWithQuotas();
    addHandles(new Stack(app, 'Crowded'), 401);
    addHandles(new Stack(app, 'Fine'), 400);
    expect(() => app.synth()).toThrow(
      /Resources per stack of stack Crowded: 401 resources, over 80% \(400\) of the limit of 500 resources[^\n]*Most numerous: AWS::CloudFormation::WaitConditionHandle \(401\)[\s\S]*Split the stack[\s\S]*DataOps-StackQuotas/,
    );
    const report = readReport(outdir);
    expect(report.findings.map((f) => [f.quota, f.stackName, f.value])).toEqual([['resources', 'Crowded', 401]]);
    const validation = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const [violation] = validation.pluginReports.flatMap((r: any) => r.violations);
    expect(violation).toMatchObject({ ruleName: 'DataOps-StackQuotas', severity: 'error', ruleMetadata: { quota: 'resources', stack: 'Crowded', figure: '401', limit: '500' } });
  });

  test('names the resource of a per-resource quota', () => {
    const { app } = appWithQuotas();
    const stack = new Stack(app, 'Keys');
    const statement = { Sid: 'x'.repeat(27_000), Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' };
    new CfnResource(stack, 'BigKey', { type: 'AWS::KMS::Key', properties: { KeyPolicy: { Version: '2012-10-17', Statement: [statement] } } });
    expect(() => app.synth()).toThrow(/KMS key policy size of BigKey in stack Keys: 27,\d{3} bytes, over 80% \(26,214\.4\) of the limit of 32,768 bytes[\s\S]*DataOps-StackQuotas/);
  });

  test('measures the stacks of nested stages', () => {
    const plugin = new StackQuotas();
    const { app } = appWithQuotas(plugin);
    const stage = new Stage(app, 'Prod');
    addHandles(new Stack(stage, 'Inner'), 2);
    app.synth();
    expect(plugin.lastFigures?.map((s) => [s.stackName, s.figures.resources[0].value])).toEqual([['Prod-Inner', 2]]);
  });
});
