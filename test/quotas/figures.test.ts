import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  computeStackQuotas,
  measuredStack,
  QUOTA_BY_ID,
  QuotaId,
  quotaFindings,
  stackFigures,
  StackQuotaInput,
  Template,
} from '../../lib/quotas';

/** A template with `n` resources of `type` (and whatever else `extra` adds). */
function withResources(n: number, type = 'AWS::SQS::Queue', extra: Partial<Template> = {}): Template {
  const Resources: Record<string, { Type: string }> = {};
  for (let i = 0; i < n; i++) Resources[`Queue${i}`] = { Type: type };
  return { Resources, ...extra };
}

function named(n: number, prefix: string, value: unknown): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, value]));
}

/** The findings of one quota for one stack `S`. */
function findings(template: Template, id: QuotaId): string[] {
  return quotaFindings([stackFigures(measuredStack({ stackName: 'S', template }))])
    .filter((f) => f.quota.id === id)
    .map((f) => f.message);
}

/** A bucket policy whose minified document is exactly `bytes` long (no intrinsics: the figure is exact). */
function bucketPolicyOf(bytes: number): Template {
  const document = { Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
  document.Statement[0].Sid = 'x'.repeat(bytes - JSON.stringify(document).length);
  expect(JSON.stringify(document).length).toBe(bytes);
  return { Resources: { Policy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b', PolicyDocument: document } } } };
}

function keyPolicyOf(bytes: number): Template {
  const document = { Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] };
  document.Statement[0].Sid = 'x'.repeat(bytes - JSON.stringify(document).length);
  return { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: document } } } };
}

/** A dashboard body as CDK renders it when widgets refer to resources: an Fn::Join around intrinsics. */
function dashboardOf(widgets: number): Template {
  const parts: unknown[] = ['{"widgets":['];
  for (let i = 0; i < widgets; i++) {
    if (i > 0) parts.push(',');
    parts.push(`{"type":"alarm","width":6,"height":3,"x":0,"y":${i * 3},"properties":{"title":"a \\"quoted\\" title","alarms":["`);
    parts.push({ 'Fn::GetAtt': ['Alarm', 'Arn'] });
    parts.push('"],"region":"');
    parts.push({ Ref: 'AWS::Region' });
    parts.push('"}}');
  }
  parts.push(']}');
  return { Resources: { Board: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: { 'Fn::Join': ['', parts] } } } } };
}

describe('resources per stack (500, fails above 400)', () => {
  test('Compliance: 400 resources', () => {
    expect(findings(withResources(400), 'resources')).toEqual([]);
  });

  test('Noncompliance: fails if a stack has 401 resources, naming the stack, figure, threshold, limit and the most numerous types', () => {
    const template = withResources(401);
    (template.Resources as Record<string, unknown>).Topic = { Type: 'AWS::SNS::Topic' };
    expect(findings(template, 'resources')).toEqual([
      expect.stringMatching(/^Resources per stack of stack S: 402 resources, over 80% \(400\) of the limit of 500 resources \(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/.*\)\. Most numerous: AWS::SQS::Queue \(401\), AWS::SNS::Topic \(1\)\.$/),
    ]);
  });
});

describe('template bytes (1,000,000, fails above 800,000)', () => {
  const big = (bytes: number): Template => {
    const template = { Resources: { Large: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '' } }, Small: { Type: 'AWS::SNS::Topic' } } };
    template.Resources.Large.Properties.DashboardBody = 'x'.repeat(bytes - JSON.stringify(template, undefined, 1).length);
    return template;
  };

  test('Compliance: a template of 800,000 bytes', () => {
    expect(measuredStack({ stackName: 'S', template: big(800_000) }).templateBytes).toBe(800_000);
    expect(findings(big(800_000), 'templateBytes')).toEqual([]);
  });

  test('Noncompliance: fails if one large resource takes the template over 800,000 bytes, naming the largest resources', () => {
    expect(findings(big(800_001), 'templateBytes')).toEqual([
      expect.stringMatching(/^Template body \(uploaded via S3\) of stack S: 800,001 bytes, over 80% \(800,000\) of the limit of 1,000,000 bytes .*Largest resources \(minified bytes\): Large \(\d{3},\d{3}\), Small \(\d+\)\.$/),
    ]);
  });

  test('counts the bytes of the template file as written (what the CLI uploads), multi-byte characters included', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quota-')), 'S.template.json');
    const text = JSON.stringify({ Description: 'é', Resources: {} });
    fs.writeFileSync(file, text);
    expect(measuredStack({ stackName: 'S', templatePath: file }).templateBytes).toBe(text.length + 1);
  });
});

describe('outputs and parameters per stack (200, fail above 160)', () => {
  test('Compliance: 160 outputs and 160 parameters', () => {
    const template = withResources(1, 'AWS::SNS::Topic', { Outputs: named(160, 'Out', { Value: 'v' }), Parameters: named(160, 'P', { Type: 'String' }) });
    expect([...findings(template, 'outputs'), ...findings(template, 'parameters')]).toEqual([]);
  });

  test('Noncompliance: fails if a stack has 161 outputs', () => {
    expect(findings(withResources(1, 'AWS::SNS::Topic', { Outputs: named(161, 'Out', { Value: 'v' }) }), 'outputs')).toEqual([
      expect.stringMatching(/^Outputs per stack of stack S: 161 outputs, over 80% \(160\) of the limit of 200 outputs/),
    ]);
  });

  test('Noncompliance: fails if a stack has 161 parameters', () => {
    expect(findings(withResources(1, 'AWS::SNS::Topic', { Parameters: named(161, 'P', { Type: 'String' }) }), 'parameters')).toEqual([
      expect.stringMatching(/^Parameters per stack of stack S: 161 parameters, over 80% \(160\) of the limit of 200 parameters/),
    ]);
  });
});

describe('bucket policy size (20,480 bytes, fails above 16,384)', () => {
  test('Compliance: a policy of 16,384 bytes', () => {
    expect(findings(bucketPolicyOf(16_384), 'bucketPolicyBytes')).toEqual([]);
  });

  test('Noncompliance: fails if a bucket policy is just over 16 KB, naming the stack and the policy', () => {
    expect(findings(bucketPolicyOf(16_385), 'bucketPolicyBytes')).toEqual([
      expect.stringMatching(/^S3 bucket policy size of Policy in stack S: 16,385 bytes, over 80% \(16,384\) of the limit of 20,480 bytes \(https:\/\/docs\.aws\.amazon\.com\/AmazonS3\/.*\)\.$/),
    ]);
  });

  test('a policy with intrinsics is an estimate, and says so', () => {
    const template = bucketPolicyOf(16_300);
    const statement = (template.Resources!.Policy.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement[0];
    statement.Resource = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] };
    const [figure] = stackFigures(measuredStack({ stackName: 'S', template })).figures.bucketPolicyBytes;
    expect(figure).toMatchObject({ logicalId: 'Policy', estimated: true, assumedIntrinsics: 1 });
    expect(findings(template, 'bucketPolicyBytes')).toEqual([expect.stringMatching(/: 16,\d{3} bytes \(an upper-bound estimate\), over 80%/)]);
  });
});

describe('key policy size (32,768 bytes, fails above 26,214.4)', () => {
  test('Compliance: a key policy of 26,214 bytes', () => {
    expect(findings(keyPolicyOf(26_214), 'keyPolicyBytes')).toEqual([]);
  });

  test('Noncompliance: fails if a key policy is 26,215 bytes, naming the key', () => {
    expect(findings(keyPolicyOf(26_215), 'keyPolicyBytes')).toEqual([
      expect.stringMatching(/^KMS key policy size of Key in stack S: 26,215 bytes, over 80% \(26,214\.4\) of the limit of 32,768 bytes \(https:\/\/docs\.aws\.amazon\.com\/kms\/.*\)\.$/),
    ]);
  });

  test('a key without a key policy is not measured', () => {
    expect(stackFigures(measuredStack({ stackName: 'S', template: { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: {} } } } })).figures.keyPolicyBytes).toEqual([]);
  });
});

describe('widgets per dashboard (500, fails above 400)', () => {
  test('Compliance: a dashboard of 400 widgets (an Fn::Join around intrinsics)', () => {
    expect(stackFigures(measuredStack({ stackName: 'S', template: dashboardOf(400) })).figures.dashboardWidgets).toEqual([{ logicalId: 'Board', value: 400 }]);
    expect(findings(dashboardOf(400), 'dashboardWidgets')).toEqual([]);
  });

  test('Noncompliance: fails if a dashboard has 401 widgets, naming the dashboard', () => {
    expect(findings(dashboardOf(401), 'dashboardWidgets')).toEqual([
      expect.stringMatching(/^Widgets per CloudWatch dashboard of Board in stack S: 401 widgets, over 80% \(400\) of the limit of 500 widgets \(https:\/\/docs\.aws\.amazon\.com\/AmazonCloudWatch\/.*\)\.$/),
    ]);
  });
});

describe('computeStackQuotas', () => {
  const inputs: StackQuotaInput[] = [
    { stackName: 'Small', template: withResources(3, 'AWS::SNS::Topic', { Outputs: named(2, 'Out', { Value: 'v' }) }) },
    { stackName: 'Large', template: { Resources: { ...withResources(5).Resources, ...dashboardOf(12).Resources } } },
  ];

  test('reports every stack against every quota, the largest figure per quota, and the findings', () => {
    const report = computeStackQuotas(inputs);
    expect(report.thresholdFraction).toBe(0.8);
    expect(report.quotas.map((q) => [q.id, q.limit, q.threshold])).toEqual([
      ['resources', 500, 400],
      ['templateBytes', 1_000_000, 800_000],
      ['outputs', 200, 160],
      ['parameters', 200, 160],
      ['bucketPolicyBytes', 20_480, 16_384],
      ['keyPolicyBytes', 32_768, 26_214.4],
      ['dashboardWidgets', 500, 400],
    ]);
    expect(report.stacks.map((s) => [s.stackName, s.figures.resources?.value, s.figures.outputs?.value])).toEqual([
      ['Small', 3, 2],
      ['Large', 6, 0],
    ]);
    expect(report.largest.outputs).toEqual({ stackName: 'Small', value: 2, limit: 200, threshold: 160, percentOfLimit: 1 });
    expect(report.largest.dashboardWidgets).toEqual({ stackName: 'Large', logicalId: 'Board', value: 12, limit: 500, threshold: 400, percentOfLimit: 2.4 });
    expect(report.largest.bucketPolicyBytes).toBeUndefined();
    expect(report.findings).toEqual([]);
  });

  test('lists the findings with their messages', () => {
    const report = computeStackQuotas([{ stackName: 'Large', template: withResources(401) }]);
    expect(report.findings).toEqual([{ quota: 'resources', stackName: 'Large', value: 401, message: expect.stringContaining('stack Large: 401 resources') }]);
    expect(QUOTA_BY_ID.resources.fix).toMatch(/Split the stack/);
  });
});
