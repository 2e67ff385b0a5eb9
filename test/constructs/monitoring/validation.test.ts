import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  AlarmTopic,
  DatasetTransformMonitoring,
  DeadLetterQueueMonitoring,
  DomainDashboard,
  JanitorMonitoring,
  PlatformDashboard,
  WorkgroupMonitoring,
} from '../../../constructs/monitoring';
import { testApp } from '../../helpers/app';
import { inlineFunction, queue } from './helpers';

/** An app whose synthesis fails on any finding of aws-cdk-lib's built-in CloudFormation validator. */
function strictApp() {
  return testApp({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
}

describe("CloudFormation's template validation", () => {
  test('every monitoring construct synthesizes without a finding, including the longest freshness window (168 × 1 h)', () => {
    const app = strictApp();
    const platform = new Stack(app, 'Platform');
    const topic = new AlarmTopic(platform, 'Alarms', { environmentName: 'dev', encryptionKey: new kms.Key(platform, 'Key', { enableKeyRotation: true }), emails: ['oncall@example.com'] });
    const options = { environmentName: 'dev', alarmAction: topic.alarmAction };
    const workgroup = new WorkgroupMonitoring(platform, 'Analysts', { ...options, workgroupName: 'lakehouse-dev-analysts', dailyScanBudgetBytes: 1024 ** 3 });
    const janitor = new JanitorMonitoring(platform, 'Janitor', { ...options, deadLetterQueue: queue(platform, 'JanitorDlq') });
    const domain = new Stack(app, 'Domain');
    const dashboard = new DomainDashboard(domain, 'Dashboard', { environmentName: 'dev', domain: 'sales' });
    for (const [dataset, sla] of [['orders', 6], ['archive', 744]] as const) {
      const m = new DatasetTransformMonitoring(domain, dataset, {
        ...options,
        domain: 'sales',
        dataset,
        freshnessSlaHours: sla,
        maxReceiveCount: 5,
        queue: queue(domain, `${dataset}Queue`),
        deadLetterQueue: queue(domain, `${dataset}Dlq`),
        handler: { function: inlineFunction(domain, `${dataset}Fn`), timeout: Duration.minutes(5) },
      });
      dashboard.addDataset(dataset, [m]);
    }
    dashboard.addSection('Big files', [new DeadLetterQueueMonitoring(domain, 'BigFilesDlq', { ...options, domain: 'sales', dataset: 'big-files', label: 'events-dlq', queue: queue(domain, 'BigDlq') })]);
    const overview = new PlatformDashboard(platform, 'Overview', { environmentName: 'dev' });
    overview.addSection('Platform', [workgroup, janitor]);
    expect(() => app.synth()).not.toThrow();
    // Warnings do not fail synthesis: read the report and allow only our own annotation (the capped window).
    const reportFile = path.join(app.outdir, 'validation-report.json');
    const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
    const findings = (report.pluginReports as { violations: { ruleName: string }[] }[]).flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(findings).toEqual(['Annotation::@governed-lakehouse/monitoring:freshnessWindowCapped']);
  });

  test('control: the same strict app rejects an invalid alarm (so the test above can fail)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Bad');
    new cloudwatch.CfnAlarm(stack, 'Alarm', { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 0, period: 300, threshold: 0, metricName: 'Errors', namespace: 'AWS/Lambda', statistic: 'Sum' });
    expect(() => app.synth()).toThrow(/EvaluationPeriods: 0 is less than the minimum of 1/);
  });
});
