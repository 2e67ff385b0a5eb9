import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import type { LakehouseFunction } from '../../../constructs/functions';
import type { SandboxJanitor } from '../../../constructs/janitor';
import {
  AlarmTopic,
  DatasetTransformMonitoring,
  FunctionMonitoring,
  MonitorableFunction,
  MonitorableJanitor,
  MonitorableTransform,
  MonitoringFacade,
  transformFunctionMonitoring,
} from '../../../constructs/monitoring';
import type { DatasetTransform } from '../../../constructs/transforms';
import { ENVIRONMENTS } from '../../../lib/config';
import { LambdaAlarm } from '../../../lib/nag/rules/alarms/LambdaAlarm';
import { SQSAlarm } from '../../../lib/nag/rules/alarms/SQSAlarm';
import { alarmsByName, inlineFunction, monitoringApp, queue } from './helpers';

// Compile-time: the platform's constructs fit the facade's structural types (checked by `tsc --noEmit`).
export const fitsFunction = (f: LakehouseFunction): MonitorableFunction => f;
export const fitsTransform = (t: DatasetTransform): MonitorableTransform => t;
export const fitsJanitor = (j: SandboxJanitor): MonitorableJanitor => j;

/** The DataOps alarm rules' verdict on every function and queue of the stacks. */
function alarmRuleResults(...stacks: Stack[]): Record<string, string> {
  (stacks[0].node.root as unknown as { synth(): unknown }).synth();
  const out: Record<string, string> = {};
  for (const stack of stacks) {
    for (const node of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(node)) continue;
      if (node.cfnResourceType === 'AWS::Lambda::Function') out[node.node.path] = String(LambdaAlarm(node));
      if (node.cfnResourceType === 'AWS::SQS::Queue') out[node.node.path] = String(SQSAlarm(node));
    }
  }
  return out;
}

/** A platform stack with the alarm topic and the facade; a domain stack (pass false to leave it out). */
function platformAndDomain(withDomain = true) {
  const app = monitoringApp();
  const platform = new Stack(app, 'Platform');
  const topic = new AlarmTopic(platform, 'Alarms', { environmentName: 'dev', encryptionKey: new kms.Key(platform, 'AlarmKey', { enableKeyRotation: true }), emails: ['oncall@example.com'] });
  const domain = withDomain ? new Stack(app, 'Domain') : (undefined as unknown as Stack);
  return { app, platform, domain, facade: new MonitoringFacade({ environmentName: 'dev', alarmAction: topic.alarmAction }) };
}

describe('MonitoringFacade', () => {
  test('monitorDatasetTransform: function, queue, dead-letter queue and dataset alarms, next to the transform', () => {
    const { domain, facade } = platformAndDomain();
    const transform = { queue: queue(domain, 'Queue'), deadLetterQueue: queue(domain, 'Dlq'), handler: { function: inlineFunction(domain), timeout: Duration.minutes(5) } };
    const monitoring = facade.monitorDatasetTransform(domain, 'Orders', transform, { domain: 'sales', dataset: 'orders', freshnessSlaHours: 6, maxReceiveCount: 5 });
    expect(Object.keys(alarmsByName(Template.fromStack(domain))).sort()).toEqual(
      [
        'dev-sales-orders-dlq-messages',
        'dev-sales-orders-freshness',
        'dev-sales-orders-quarantine-ratio',
        'dev-sales-orders-queue-age',
        'dev-sales-orders-transform-duration',
        'dev-sales-orders-transform-errors',
        'dev-sales-orders-transform-throttles',
      ].sort(),
    );
    expect(monitoring.alarms).toHaveLength(7);
    expect(facade.monitorsOf('sales').map((m) => m.title)).toEqual(['orders']);
    const errors = alarmsByName(Template.fromStack(domain))['dev-sales-orders-transform-errors'];
    expect(errors.AlarmDescription).toContain('retried 5× then parked in the dead-letter queue');
  });

  test('includeFunction: false leaves the function to its own monitoring (no duplicate alarms)', () => {
    const { domain, facade } = platformAndDomain();
    const fn = inlineFunction(domain);
    new FunctionMonitoring(domain, 'Self', { ...facade.options, domain: 'sales', dataset: 'orders', ...transformFunctionMonitoring(5), function: fn, timeout: Duration.minutes(5) });
    const transform = { queue: queue(domain, 'Queue'), deadLetterQueue: queue(domain, 'Dlq'), handler: { function: fn, timeout: Duration.minutes(5) } };
    const monitoring = facade.monitorDatasetTransform(domain, 'Orders', transform, { domain: 'sales', dataset: 'orders', freshnessSlaHours: 6, maxReceiveCount: 5, includeFunction: false });
    expect(monitoring.function).toBeUndefined();
    Template.fromStack(domain).resourceCountIs('AWS::CloudWatch::Alarm', 7); // 3 function (its own) + queue + DLQ + 2 dataset
  });

  test('alarms are in the resources\' stack with actions: the DataOps Lambda and SQS alarm rules pass', () => {
    const { platform, domain, facade } = platformAndDomain();
    const transform = { queue: queue(domain, 'Queue'), deadLetterQueue: queue(domain, 'Dlq'), handler: { function: inlineFunction(domain), timeout: Duration.minutes(5) } };
    facade.monitorDatasetTransform(domain, 'Orders', transform, { domain: 'sales', dataset: 'orders', freshnessSlaHours: 6, maxReceiveCount: 5 });
    expect(alarmRuleResults(platform, domain)).toEqual({
      'Domain/Fn/Resource': NagRuleCompliance.COMPLIANT,
      'Domain/Queue/Resource': NagRuleCompliance.COMPLIANT,
      'Domain/Dlq/Resource': NagRuleCompliance.COMPLIANT,
      'Platform/Alarms/DeliveryFailures/Resource': NagRuleCompliance.COMPLIANT, // the alarm topic's own queue
    });
  });

  test('control: without monitoring the same rules fail (so the check above can fail)', () => {
    const { platform, domain } = platformAndDomain();
    inlineFunction(domain);
    queue(domain, 'Queue');
    expect(alarmRuleResults(platform, domain)).toEqual({
      'Domain/Fn/Resource': NagRuleCompliance.NON_COMPLIANT,
      'Domain/Queue/Resource': NagRuleCompliance.NON_COMPLIANT,
      'Platform/Alarms/DeliveryFailures/Resource': NagRuleCompliance.COMPLIANT,
    });
  });

  test('monitorSandboxJanitor: did-not-run, dead-letter queue and function alarms (0.8 × its 15-minute timeout); rules pass', () => {
    const { platform, facade } = platformAndDomain(false);
    const janitor = { handler: { function: inlineFunction(platform, 'JanitorFn', Duration.minutes(15)), timeout: Duration.minutes(15) }, deadLetterQueue: queue(platform, 'JanitorDlq') };
    facade.monitorSandboxJanitor(platform, 'Janitor', janitor);
    const alarms = alarmsByName(Template.fromStack(platform));
    expect(Object.keys(alarms).sort()).toEqual([
      'dev-platform-alarm-topic-undelivered-messages', // the alarm topic's own
      'dev-platform-sandbox-janitor-did-not-run',
      'dev-platform-sandbox-janitor-dlq-messages',
      'dev-platform-sandbox-janitor-function-duration',
      'dev-platform-sandbox-janitor-function-errors',
      'dev-platform-sandbox-janitor-function-throttles',
    ]);
    expect(alarms['dev-platform-sandbox-janitor-function-duration'].Threshold).toBe(720000);
    expect(alarmRuleResults(platform)).toEqual({
      'Platform/JanitorFn/Resource': NagRuleCompliance.COMPLIANT,
      'Platform/JanitorDlq/Resource': NagRuleCompliance.COMPLIANT,
      'Platform/Alarms/DeliveryFailures/Resource': NagRuleCompliance.COMPLIANT,
    });
    expect(facade.monitorsOf('platform').map((m) => m.title)).toEqual(['sandbox-janitor function', 'Sandbox janitor']);
  });

  test('includeFunction: false on the janitor leaves its function alone', () => {
    const { platform, facade } = platformAndDomain(false);
    const janitor = { handler: { function: inlineFunction(platform, 'JanitorFn'), timeout: Duration.minutes(15) }, deadLetterQueue: queue(platform, 'JanitorDlq') };
    facade.monitorSandboxJanitor(platform, 'Janitor', janitor, { includeFunction: false });
    expect(Object.keys(alarmsByName(Template.fromStack(platform))).sort()).toEqual([
      'dev-platform-alarm-topic-undelivered-messages',
      'dev-platform-sandbox-janitor-did-not-run',
      'dev-platform-sandbox-janitor-dlq-messages',
    ]);
  });

  test('monitorWorkgroup and monitorsOf("platform")', () => {
    const { platform, facade } = platformAndDomain(false);
    facade.monitorWorkgroup(platform, 'Analysts', { workgroupName: 'lakehouse-dev-analysts' }, ENVIRONMENTS.dev.athena.dailyScanBudgetBytes);
    expect(alarmsByName(Template.fromStack(platform))['dev-platform-lakehouse-dev-analysts-athena-bytes-scanned'].Threshold).toBe(ENVIRONMENTS.dev.athena.dailyScanBudgetBytes);
    expect(facade.monitorsOf('platform').map((m) => m.title)).toEqual(['Athena lakehouse-dev-analysts']);
  });
});

describe('DatasetTransformMonitoring', () => {
  test('fails if the SLA is out of range (the queue threshold and the freshness window derive from it)', () => {
    const { domain, facade } = platformAndDomain();
    expect(
      () => new DatasetTransformMonitoring(domain, 'M', { ...facade.options, domain: 'sales', dataset: 'orders', freshnessSlaHours: 0, maxReceiveCount: 5, queue: queue(domain, 'Q'), deadLetterQueue: queue(domain, 'D') }),
    ).toThrow(/LH158/);
  });
});
