/**
 * The Control Tower check: the rule catalogue, the batched cfn-guard run (its reductions must not
 * change a single finding), and the plugin at synth (findings name the control, the resource and the
 * fix; acknowledgements remove them).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../../../constructs/acknowledge';
import { LakehouseKey } from '../../../constructs/keys';
import { LakehouseLogGroup } from '../../../constructs/logs';
import { ControlTowerChecks, defaultGuardBinary, defaultRulesDir, loadGuardRules, parseGuardRule, runGuardBatched, TemplateInput } from '../../../lib/compliance';
import { testApp } from '../../helpers/app';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newApp(): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-test-'));
  outdirs.push(outdir);
  return testApp({ outdir });
}

function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

let consoleError: jest.SpyInstance;
beforeEach(() => {
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

describe('the Control Tower rules', () => {
  test('are read from the package: every control once, with its guard rule, description and fix', () => {
    const rules = loadGuardRules();
    expect(rules.length).toBeGreaterThan(200);
    expect(new Set(rules.map((r) => r.controlId)).size).toBe(rules.length);
    expect(rules.find((r) => r.controlId === 'CT.CLOUDWATCH.PR.3')).toMatchObject({
      ruleName: 'cloudwatch_log_group_encrypted_check',
      reportsOn: ['AWS::Logs::LogGroup'],
      mentions: expect.arrayContaining(['AWS::Logs::LogGroup', 'AWS::KMS::Key']),
      fix: expect.stringMatching(/KmsKeyId/),
    });
    expect(rules.find((r) => r.controlId === 'CT.KMS.PR.3')?.fix).toMatch(/kms:GrantIsForAWSResource/);
  });

  test('a rule file without a [CT.…] marker gets its control id from its file name', () => {
    const rule = parseGuardRule('/rules/ct-network-firewall-pr-5.guard', '# Reports on:\n#   AWS::NetworkFirewall::Firewall\n#\nrule netfw_multi_az_enabled_check when x {\n}\n');
    expect(rule).toMatchObject({ controlId: 'CT.NETWORK-FIREWALL.PR.5', ruleName: 'netfw_multi_az_enabled_check', reportsOn: ['AWS::NetworkFirewall::Firewall'] });
  });
});

describe('runGuardBatched', () => {
  /** Small templates touching the reductions: reference checks into reduced resources, types without rules. */
  const templates: TemplateInput[] = [
    {
      path: 'A.template.json',
      document: {
        Resources: {
          Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] } } },
          Encrypted: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, RetentionInDays: 400 } },
          Plain: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
          WrongKey: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Rule', 'Arn'] } } },
          Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)' } },
          // SourceArn refers to the Events rule, whose body the Lambda group does not read: the reference must still resolve.
          Permission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] } } },
          Open: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: 'f', Principal: 's3.amazonaws.com' } },
          Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
        },
      },
    },
    {
      path: 'B.template.json',
      document: {
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
          Dlq: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true, RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [{ 'Fn::GetAtt': ['Queue', 'Arn'] }] } } },
          Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } },
        },
      },
    },
  ];

  /** What one cfn-guard call with every rule file over the full templates reports: `<template> <control> <logical id>`. */
  function unbatched(dir: string): string[] {
    const rules = loadGuardRules();
    const byName = new Map(rules.map((r) => [r.ruleName, r.controlId]));
    const files = templates.map((t) => {
      const file = path.join(dir, t.path);
      fs.writeFileSync(file, JSON.stringify(t.document));
      return file;
    });
    const out = spawnSync(defaultGuardBinary(), ['validate', '--rules', defaultRulesDir(), ...files.flatMap((f) => ['--data', f]), '--output-format', 'json', '--show-summary', 'none', '--structured'], { maxBuffer: 256 * 1024 * 1024 });
    const found = new Set<string>();
    for (const result of JSON.parse(out.stdout.toString()) as Array<{ name: string; not_compliant: Array<{ Rule: { name: string } }> }>) {
      for (const item of result.not_compliant) {
        for (const m of JSON.stringify(item.Rule).matchAll(/"path":"\/Resources\/([^/"[\]]+)/g)) found.add(`${path.basename(result.name)} ${byName.get(item.Rule.name)} ${m[1]}`);
      }
    }
    return [...found].sort();
  }

  test('finds exactly what one unbatched call over the full templates finds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-unbatched-'));
    outdirs.push(dir);
    const expected = unbatched(dir);
    const batched = (concurrency: number) =>
      [...new Set(runGuardBatched(templates, { guardPath: defaultGuardBinary(), rules: loadGuardRules(), concurrency }).findings.map((f) => `${f.templatePath} ${f.rule.controlId} ${f.logicalId}`))].sort();
    expect(expected).toEqual(expect.arrayContaining(['A.template.json CT.CLOUDWATCH.PR.3 Plain', 'A.template.json CT.CLOUDWATCH.PR.3 WrongKey', 'A.template.json CT.LAMBDA.PR.2 Open', 'A.template.json CT.KMS.PR.3 Key']));
    expect(expected).not.toContain('A.template.json CT.LAMBDA.PR.2 Permission');
    expect(batched(1)).toEqual(expected);
    expect(batched(2)).toEqual(expected);
  });

  test('runs only the rules whose resource types are present, in one process per group', () => {
    const result = runGuardBatched([templates[1]], { guardPath: defaultGuardBinary(), rules: loadGuardRules(), concurrency: 1 });
    expect(result.stats.rules).toBeLessThan(30);
    expect(result.stats.processes).toBe(result.stats.groups);
    expect(runGuardBatched([{ path: 'empty.json', document: { Resources: {} } }], { guardPath: defaultGuardBinary(), rules: loadGuardRules() }).stats.processes).toBe(0);
  });
});

describe('ControlTowerChecks at synth', () => {
  function appWith(build: (stack: Stack) => void): App {
    const app = newApp();
    build(new Stack(app, 'Test'));
    Validations.of(app).addPlugins(new ControlTowerChecks());
    return app;
  }

  test('fails if a log group has no key, naming the control, the resource and the fix', () => {
    const message = synthError(appWith((stack) => new logs.LogGroup(stack, 'Plain', { retention: logs.RetentionDays.ONE_MONTH })));
    expect(message).toMatch(/CT\.CLOUDWATCH\.PR\.3: Require an Amazon CloudWatch log group to be encrypted at rest with an AWS KMS key[^\n]*\(ControlTower\)\n\s*Test\/Plain\/Resource[^\n]*\n\s*Suggested fix: Set 'KmsKeyId'[^\n]*\n\s*Acknowledge with 'ControlTower::CT\.CLOUDWATCH\.PR\.3'/);
  });

  test('fails if a key policy does not limit grant creation to AWS services', () => {
    const message = synthError(appWith((stack) => new kms.Key(stack, 'PlainKey', { enableKeyRotation: true, pendingWindow: Duration.days(30) })));
    expect(message).toMatch(/Test\/PlainKey\/Resource[^\n]*\n\s*Suggested fix: [^\n]*kms:CreateGrant[^\n]*\n\s*Acknowledge with 'ControlTower::CT\.KMS\.PR\.3'/);
  });

  test('passes a LakehouseKey and a LakehouseLogGroup (retention acknowledged)', () => {
    expect(synthError(appWith((stack) => {
      new LakehouseKey(stack, 'Key', { description: 'test' });
      new LakehouseLogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    }))).toBe('');
  });

  test('an acknowledgement on the resource or an ancestor removes its finding, and only its', () => {
    const app = appWith((stack) => {
      const acknowledged = new logs.LogGroup(stack, 'Audit', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: new LakehouseKey(stack, 'Key', { description: 'test' }) });
      acknowledge(acknowledged, { id: 'CT.CLOUDWATCH.PR.2', reason: 'Retention set by the audit team (AUD-3).' });
      const other = new logs.LogGroup(stack, 'Other', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: LakehouseKey.logsKeyOf(stack) });
      Validations.of(other).acknowledge({ id: 'ControlTower::CT.CLOUDWATCH.PR.2', reason: 'the id CDK prints also works' });
      new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: LakehouseKey.logsKeyOf(stack) });
    });
    const message = synthError(app);
    expect(message).toMatch(/Test\/Short\/Resource[\s\S]*CT\.CLOUDWATCH\.PR\.2/);
    expect(message).not.toMatch(/Test\/(Audit|Other)\/Resource/);
  });
});
