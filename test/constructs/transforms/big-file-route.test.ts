import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_BIG_FILE_THRESHOLD_BYTES, ENVIRONMENTS, EnvironmentConfig } from '../../../lib/config';
import { buildLakehouse } from '../../../lib/lakehouse-app';
import sales from '../../../lib/domains/sales';
import { BIG_FILE_TABLE_ACTIONS, BigFileRoute } from '../../../constructs/transforms';
import { testApp } from '../../helpers/app';

function build(config: EnvironmentConfig = ENVIRONMENTS.dev) {
  const lakehouse = buildLakehouse(testApp(), { config, domains: [sales], checks: false });
  const stack = lakehouse.domains.sales;
  return { lakehouse, stack, t: Template.fromStack(stack) };
}

/** The rules on raw arrivals of a prefix that filter by size (the curated models' rules watch clean, by prefix only). */
const rulesWithKeyPrefix = (t: Template, prefix: string) =>
  Object.values(t.findResources('AWS::Events::Rule')).filter((r: any) => r.Properties.EventPattern?.detail?.object?.size && JSON.stringify(r.Properties.EventPattern.detail.object.key).includes(prefix)) as any[];

describe('BigFileRoute', () => {
  test('splits arrivals by size: up to the threshold to the function\'s queue, above it to the state machine', () => {
    const { t } = build();
    const rules = rulesWithKeyPrefix(t, '"sales/webshop/orders/"');
    const sizes = rules.map((r) => r.Properties.EventPattern.detail.object.size).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sizes).toEqual([[{ numeric: ['<=', DEFAULT_BIG_FILE_THRESHOLD_BYTES] }], [{ numeric: ['>', DEFAULT_BIG_FILE_THRESHOLD_BYTES] }]]);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        // Every source's prefix of every dataset (sales declares a web shop and a marketplace partner).
        detail: { bucket: { name: Match.anyValue() }, object: { key: sales.datasets.flatMap((d) => ['webshop', 'marketplace'].map((s) => ({ prefix: `sales/${s}/${d.name}/` }))), size: [{ numeric: ['>', DEFAULT_BIG_FILE_THRESHOLD_BYTES] }] } },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('BigFilesStateMachine') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  test('the threshold comes from the environment configuration', () => {
    const { t } = build({ ...ENVIRONMENTS.dev, bigFiles: { thresholdBytes: 8 * 1024 ** 2 } });
    const sizes = rulesWithKeyPrefix(t, '"sales/webshop/orders/"').map((r) => r.Properties.EventPattern.detail.object.size[0].numeric);
    expect(sizes).toEqual(expect.arrayContaining([['<=', 8 * 1024 ** 2], ['>', 8 * 1024 ** 2]]));
  });

  test('the state machine: prepare, convert, cleanup on failure, with retries, a timeout, logging and tracing', () => {
    const { t } = build();
    const [sm] = Object.values(t.findResources('AWS::StepFunctions::StateMachine')) as any[];
    expect(sm.Properties.StateMachineName).toBe('lakehouse-dev-sales-big-files');
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
    const body = JSON.parse((sm.Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join(''));
    expect(body.TimeoutSeconds).toBe(7200);
    expect(body.StartAt).toBe('Start');
    expect(body.States.Start.Next).toBe('Prepare');
    expect(body.States.Prepare.Next).toBe('Convert');
    expect(body.States.Convert.Next).toBe('Published');
    for (const s of ['Prepare', 'Convert']) {
      expect(body.States[s].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Cleanup' }]);
      expect(body.States[s].Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: 'FULL' })]));
    }
    expect(body.States.Prepare.Parameters).toEqual({ step: 'prepare', 'event.$': '$.event', 'runId.$': '$.runId' });
    expect(body.States.Convert.Parameters).toEqual({ step: 'convert', 'job.$': '$.job' });
    expect(body.States.Cleanup.Next).toBe('Failed');
    expect(body.States.Failed.Type).toBe('Fail');
  });

  test('one function for the steps: bounded concurrency, a dead-letter queue, and the environment it reads', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      ReservedConcurrentExecutions: 5,
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      EphemeralStorage: { Size: 4096 },
      Environment: {
        Variables: Match.objectLike({ DOMAIN: 'sales', DATASETS: sales.datasets.map((d) => d.name).join(','), CLEAN_DATABASE: 'sales_clean', STAGING_PREFIX: 'lakehouse-dev-pipelines/bigfile/', WORKGROUP: 'lakehouse-dev-pipelines' }),
      },
    });
  });

  test('the steps run as the transform role: Athena only through the pipelines workgroup, temporary tables only', () => {
    const { stack, t } = build();
    const roleId = stack.getLogicalId(stack.transformRole.node.defaultChild as any);
    const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes(roleId)) as any[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const athena = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('athena:')));
    expect(athena.length).toBeGreaterThan(0);
    for (const s of athena) expect(JSON.stringify(s.Resource)).toMatch(/workgroup\/lakehouse-dev-pipelines/);
    const create = statements.filter((s) => [s.Action].flat().includes('glue:CreateTable'));
    expect(create).toHaveLength(1);
    expect([create[0].Action].flat().sort()).toEqual([...BIG_FILE_TABLE_ACTIONS].sort());
    expect(JSON.stringify(create[0].Resource)).toContain('table/sales_clean/*__big_*');
    // Nothing else creates, deletes or writes tables or catalog entries.
    expect(statements.filter((s) => [s.Action].flat().some((a: string) => /^glue:(Create|Delete|Update|BatchCreate)/.test(a)))).toEqual(create);
  });

  test('alarms on failed, timed-out and aborted runs, the function and the events dead-letter queue', () => {
    const { t } = build();
    for (const name of ['run-failed', 'run-timed-out', 'run-aborted', 'function-errors', 'events-dlq-messages']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `dev-sales-big-files-${name}`, AlarmActions: [Match.anyValue()], OKActions: [Match.anyValue()] });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'dev-sales-big-files-run-failed', MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Threshold: 0 });
  });

  test('fails if the threshold is not a whole number of bytes, or there is no dataset', () => {
    const { stack, lakehouse } = build();
    const base = {
      domain: 'sales',
      datasets: ['orders'],
      thresholdBytes: 1024,
      raw: lakehouse.platform.zones.zones.raw,
      clean: lakehouse.platform.zones.zones.clean,
      quarantine: lakehouse.platform.zones.zones.quarantine,
      role: stack.transformRole,
      workgroup: lakehouse.platform.pipelinesWorkgroup,
      cleanDatabase: stack.databases.clean,
      lakeKey: lakehouse.platform.zones.key,
      queueKey: stack.queueKey,
      logRetention: 30,
      monitoring: lakehouse.platform.monitoring,
    };
    expect(() => new BigFileRoute(stack, 'A', { ...base, thresholdBytes: 1.5 })).toThrow(/LH091.*1\.5/);
    expect(() => new BigFileRoute(stack, 'B', { ...base, datasets: [] })).toThrow(/LH092/);
  });
});
