import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DatasetTransformMonitoring,
  DomainDashboard,
  JanitorMonitoring,
  PlatformDashboard,
  WorkgroupMonitoring,
} from '../../../constructs/monitoring';
import { inlineFunction, monitoringApp, queue } from './helpers';

/** The dashboard body of a template, parsed, with every token replaced by `TOKEN`. */
function dashboardBody(template: Template, name: string): { widgets: { type: string; properties: Record<string, any> }[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as { Properties: Record<string, any> }[];
  const dashboard = dashboards.find((d) => d.Properties.DashboardName === name);
  if (!dashboard) throw new Error(`no dashboard ${name} in ${JSON.stringify(dashboards.map((d) => d.Properties.DashboardName))}`);
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

/** The metric names a dashboard graphs, and the expressions. */
function graphed(body: ReturnType<typeof dashboardBody>): string[] {
  return body.widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) => (w.properties.metrics ?? []) as unknown[][])
    .map((row) => (typeof row[0] === 'string' ? String(row[1]) : String((row[0] as { expression?: string }).expression)));
}

function twoStacks() {
  const app = monitoringApp();
  const platform = new Stack(app, 'Platform');
  const topic = new sns.Topic(platform, 'Topic');
  const options = { environmentName: 'dev', alarmAction: new actions.SnsAction(topic) };
  const domain = new Stack(app, 'Domain');
  const fn = inlineFunction(domain);
  const transform = new DatasetTransformMonitoring(domain, 'Orders', {
    ...options,
    domain: 'sales',
    dataset: 'orders',
    freshnessSlaHours: 6,
    maxReceiveCount: 5,
    queue: queue(domain, 'Queue'),
    deadLetterQueue: queue(domain, 'Dlq'),
    handler: { function: fn, timeout: Duration.minutes(5) },
  });
  return { app, platform, domain, options, transform };
}

describe('DomainDashboard', () => {
  test('one dashboard per domain: rows in/out/quarantined, quarantine ratio, freshness, errors, duration, queue age, DLQ depth', () => {
    const { domain, transform } = twoStacks();
    const dashboard = new DomainDashboard(domain, 'Dashboard', { environmentName: 'dev', domain: 'sales' });
    dashboard.addDataset('orders', [transform]);
    const body = dashboardBody(Template.fromStack(domain), 'lakehouse-dev-sales');
    expect(new Set(graphed(body))).toEqual(
      new Set([
        'RowsIn',
        'RowsOut',
        'RowsQuarantined',
        'rowsQuarantined / rowsIn',
        'BytesIn',
        'DriftColumns',
        'Invocations',
        'Errors',
        'Throttles',
        'Duration',
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesNotVisible',
      ]),
    );
    const freshness = body.widgets.find((w) => w.type === 'metric' && String(w.properties.title).startsWith('Freshness'));
    expect(freshness?.properties.annotations.alarms).toHaveLength(1);
    const status = body.widgets.filter((w) => w.type === 'alarm');
    expect(status).toHaveLength(1);
    expect(status[0].properties.alarms).toHaveLength(7); // 3 function + queue age + DLQ + quarantine ratio + freshness
  });

  test('summary: the datasets and the plain alarm names, for the overview', () => {
    const { domain, transform } = twoStacks();
    const dashboard = new DomainDashboard(domain, 'Dashboard', { environmentName: 'dev', domain: 'sales' });
    dashboard.addDataset('orders', [transform]);
    expect(dashboard.summary()).toEqual({
      domain: 'sales',
      datasets: ['orders'],
      alarmNames: [
        'dev-sales-orders-transform-errors',
        'dev-sales-orders-transform-throttles',
        'dev-sales-orders-transform-duration',
        'dev-sales-orders-queue-age',
        'dev-sales-orders-dlq-messages',
        'dev-sales-orders-quarantine-ratio',
        'dev-sales-orders-freshness',
      ],
    });
  });

  test('fails if the dashboard name would be invalid', () => {
    const stack = new Stack(monitoringApp(), 'Test');
    expect(() => new DomainDashboard(stack, 'D', { environmentName: 'dev', domain: 'sales eu' })).toThrow(/LH159.*"lakehouse-dev-sales eu"/);
  });
});

describe('PlatformDashboard', () => {
  function build() {
    const stacks = twoStacks();
    const { platform, domain, options, transform } = stacks;
    const domainDashboard = new DomainDashboard(domain, 'Dashboard', { environmentName: 'dev', domain: 'sales' });
    domainDashboard.addDataset('orders', [transform]);
    const workgroup = new WorkgroupMonitoring(platform, 'Analysts', { ...options, workgroupName: 'lakehouse-dev-analysts', dailyScanBudgetBytes: 1024 ** 3 });
    const janitor = new JanitorMonitoring(platform, 'Janitor', { ...options, deadLetterQueue: queue(platform, 'JanitorDlq') });
    const overview = new PlatformDashboard(platform, 'Overview', { environmentName: 'dev' });
    overview.addDomain(domainDashboard.summary());
    overview.addSection('Athena', [workgroup]);
    overview.addSection('Sandbox janitor', [janitor]);
    return { ...stacks, overview };
  }

  test('all domains (alarm status, rows per dataset), Athena bytes scanned and the janitor', () => {
    const { platform } = build();
    const body = dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview');
    const metrics = graphed(body);
    for (const name of ['RowsIn', 'RowsOut', 'RowsQuarantined', 'ProcessedBytes', 'WorkspacesDeleted', 'ObjectsDeleted', 'ApproximateNumberOfMessagesVisible']) expect(metrics).toContain(name);
    // The janitor's runs: an alarm widget (CloudWatch draws the alarm's metric, JanitorRuns, and its threshold).
    const runs = body.widgets.find((w) => w.type === 'metric' && String(w.properties.title).startsWith('Janitor runs per hour'));
    expect(runs?.properties.annotations.alarms).toHaveLength(1);
    expect(metrics).toContain('scanned0 + scanned1 + scanned2 + scanned3');
    const domainStatus = body.widgets.find((w) => w.type === 'alarm' && w.properties.title === 'Domain sales: alarms');
    expect(domainStatus?.properties.alarms).toHaveLength(7);
    expect(domainStatus?.properties.alarms).toContain('arn:TOKEN:cloudwatch:TOKEN:TOKEN:alarm:dev-sales-orders-freshness');
  });

  test('names domain alarms by string: no reference from the platform stack to a domain stack', () => {
    const { platform, domain } = build();
    expect(JSON.stringify(Template.fromStack(platform).toJSON())).not.toMatch(/Fn::GetStackOutput|Fn::ImportValue/);
    // The domain stack references the platform's topic, not the other way round.
    expect(JSON.stringify(Template.fromStack(domain).toJSON())).toMatch(/"StackName":"Platform"/);
  });
});
