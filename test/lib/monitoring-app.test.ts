import { Match, Template } from 'aws-cdk-lib/assertions';
import { DomainDefinition } from '../../lambda/shared/dataset';
import { ENVIRONMENTS } from '../../lib/config';
import { buildLakehouse } from '../../lib/lakehouse-app';
import sales from '../../lib/domains/sales';
import { testApp } from '../helpers/app';

function refsIn(value: unknown): string[] {
  const json = JSON.stringify(value ?? {});
  return [...json.matchAll(/"Ref":"([A-Za-z0-9]+)"|"Fn::GetAtt":\["([A-Za-z0-9]+)"/g)].map((m) => m[1] ?? m[2]);
}

describe('monitoring across the whole app', () => {
  const lakehouse = buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, checks: false });
  const stacks = [lakehouse.platform, ...Object.values(lakehouse.domains)];

  test.each(stacks.map((s) => [s.stackName, s] as const))('%s: every function and queue has an alarm, and every alarm has ALARM and OK actions', (_name, stack) => {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions?.length).toBeGreaterThan(0);
      expect(alarm.Properties.OKActions?.length).toBeGreaterThan(0);
    }
    const watched = new Set(alarms.flatMap((a) => refsIn(a.Properties.Dimensions ?? a.Properties.Metrics)));
    const moving = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::SQS::Queue');
    expect(moving.length).toBeGreaterThan(0);
    expect(moving.filter(([id]) => !watched.has(id)).map(([id]) => id)).toEqual([]);
  });

  test('one SNS topic per environment, KMS-encrypted, with the configured e-mail subscriptions', () => {
    const t = Template.fromStack(lakehouse.platform);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ENVIRONMENTS.dev.alarmEmails[0] });
  });

  test('every domain has its dashboard, and the platform an overview', () => {
    for (const domain of Object.values(lakehouse.domains)) Template.fromStack(domain).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    Template.fromStack(lakehouse.platform).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('a new domain gets its alarms and dashboard from its domain file alone', () => {
    const inventory: DomainDefinition = { ...sales, name: 'inventory', datasets: [{ ...sales.datasets[0], name: 'stock_moves', freshnessSlaHours: 12 }] };
    const l = buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, domains: [inventory], checks: false });
    const t = Template.fromStack(l.domains.inventory);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName as string);
    for (const what of ['freshness', 'quarantine', 'dlq', 'errors', 'throttles', 'duration']) {
      expect(names.some((n) => n.startsWith('dev-inventory-stock_moves-') && n.includes(what))).toBe(true);
    }
  });
});
