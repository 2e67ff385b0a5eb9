import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CLOUDWATCH_DASHBOARD_LIMITS,
  DatasetTransformMonitoring,
  PIPELINE_SEARCH_GRAPHS,
  DomainDashboard,
  FunctionMonitoring,
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

  test('sections that are not datasets (big files, curated models) show their monitors only: no rows graphs, not called a dataset', () => {
    const { domain, transform, options } = twoStacks();
    const dashboard = new DomainDashboard(domain, 'Dashboard', { environmentName: 'dev', domain: 'sales' });
    dashboard.addDataset('orders', [transform]);
    const runner = new FunctionMonitoring(domain, 'Runner', { ...options, domain: 'sales', dataset: 'curated-models', label: 'runner', function: inlineFunction(domain, 'RunnerFn'), timeout: Duration.minutes(5) });
    dashboard.addSection('Curated models', [runner], 'SQL models on Athena');
    const body = dashboardBody(Template.fromStack(domain), 'lakehouse-dev-sales');
    const texts = body.widgets.filter((w) => w.type === 'text').map((w) => String(w.properties.markdown));
    expect(texts).toContain('## Curated models\nSQL models on Athena');
    expect(texts.some((t) => t.includes('sales.Curated models'))).toBe(false);
    const titles = body.widgets.filter((w) => w.type === 'metric').map((w) => String(w.properties.title));
    // One rows graph: the dataset's; the section adds its function's graphs only.
    expect(titles.filter((t) => t.startsWith('Rows in'))).toHaveLength(1);
    expect(titles).toEqual(expect.arrayContaining(['runner: invocations, errors, throttles', 'runner: p99 duration (ms)']));
  });

  test('fails if the dashboard name would be invalid', () => {
    const stack = new Stack(monitoringApp(), 'Test');
    expect(() => new DomainDashboard(stack, 'D', { environmentName: 'dev', domain: 'sales eu' })).toThrow(/LH159.*"lakehouse-dev-sales eu"/);
  });
});

describe('PlatformDashboard', () => {
  function build(props: Partial<ConstructorParameters<typeof PlatformDashboard>[2]> = {}) {
    const stacks = twoStacks();
    const { platform, options } = stacks;
    const workgroup = new WorkgroupMonitoring(platform, 'Analysts', { ...options, workgroupName: 'lakehouse-dev-analysts', dailyScanBudgetBytes: 1024 ** 3 });
    const janitor = new JanitorMonitoring(platform, 'Janitor', { ...options, deadLetterQueue: queue(platform, 'JanitorDlq') });
    const overview = new PlatformDashboard(platform, 'Overview', { environmentName: 'dev', ...props });
    overview.addSection('Athena', [workgroup]);
    overview.addSection('Sandbox janitor', [janitor]);
    return { ...stacks, overview };
  }
  const expressions = (body: ReturnType<typeof dashboardBody>) => graphed(body).filter((e) => /^(SELECT|SORT|SEARCH)/.test(e));

  test('every dataset through Metrics Insights over GovernedLakehouse: totals, and the top N by rows quarantined, rows in and drifting columns', () => {
    const { platform } = build();
    const queries = expressions(dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview')).filter((e) => e.startsWith('SELECT'));
    const from = 'FROM SCHEMA("GovernedLakehouse", Dataset, Domain)';
    expect(queries).toEqual(expect.arrayContaining([
      `SELECT SUM(RowsIn) ${from}`,
      `SELECT SUM(RowsOut) ${from}`,
      `SELECT SUM(RowsQuarantined) ${from}`,
      `SELECT SUM(BytesIn) ${from}`,
      `SELECT SUM(RowsQuarantined) ${from} GROUP BY Domain, Dataset ORDER BY SUM() DESC LIMIT 10`,
      `SELECT SUM(RowsIn) ${from} GROUP BY Domain, Dataset ORDER BY SUM() DESC LIMIT 10`,
      `SELECT MAX(DriftColumns) ${from} GROUP BY Domain, Dataset ORDER BY MAX() DESC LIMIT 10`,
    ]));
    expect(queries).toHaveLength(7);
  });

  test("every pipeline resource of the environment through SEARCH on AWS/Lambda, AWS/SQS, AWS/States and AWS/Events, by the environment's name tokens, top N", () => {
    const { platform } = build({ topN: 5 });
    const searches = expressions(dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview')).filter((e) => e.startsWith('SORT'));
    expect(searches).toEqual([
      `SORT(SEARCH('{AWS/Lambda,FunctionName} MetricName="Errors" lakehouse dev', 'Sum', 300), SUM, DESC, 5)`,
      `SORT(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" lakehouse dev', 'Maximum', 300), MAX, DESC, 5)`,
      `SORT(SEARCH('{AWS/States,StateMachineArn} (MetricName="ExecutionsFailed" OR MetricName="ExecutionsTimedOut" OR MetricName="ExecutionsAborted") lakehouse dev', 'Sum', 300), SUM, DESC, 5)`,
      `SORT(SEARCH('Namespace="AWS/Events" (MetricName="FailedInvocations" OR MetricName="InvocationsSentToDlq") lakehouse dev', 'Sum', 300), SUM, DESC, 5)`,
    ]);
  });

  test("within CloudWatch's limits at any number of domains: SEARCH expressions of at most 1,024 characters, one per graph, at most 2,500 retrieved metrics, at most 500 widgets", () => {
    const { platform } = build();
    const body = dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview');
    expect(body.widgets.length).toBeLessThanOrEqual(CLOUDWATCH_DASHBOARD_LIMITS.widgetsPerDashboard);
    // Worst case: each SEARCH retrieves 500 series, each Metrics Insights query returns its LIMIT (or 1), each plain metric 1.
    const rows = body.widgets.filter((w) => w.type === 'metric').flatMap((w) => (w.properties.metrics ?? []) as unknown[][]);
    const worst = rows
      .map((row) => (typeof row[0] === 'string' ? 1 : String((row[0] as { expression?: string }).expression)))
      .map((e) => (e === 1 ? 1 : e.includes('SEARCH(') ? CLOUDWATCH_DASHBOARD_LIMITS.timeSeriesPerGraph : e.startsWith('SELECT') ? Number(/LIMIT (\d+)$/.exec(e)?.[1] ?? 1) : 0))
      .reduce((a, b) => a + b, 0);
    expect(rows.filter((row) => String((row[0] as { expression?: string }).expression ?? '').includes('SEARCH('))).toHaveLength(PIPELINE_SEARCH_GRAPHS);
    expect(worst).toBeLessThanOrEqual(CLOUDWATCH_DASHBOARD_LIMITS.metricsPerDashboard);
    for (const w of body.widgets.filter((x) => x.type === 'metric')) {
      const searches = ((w.properties.metrics ?? []) as unknown[][]).map((row) => (row[0] as { expression?: string }).expression ?? '').filter((e) => e.includes('SEARCH('));
      expect(searches.length).toBeLessThanOrEqual(1);
      for (const e of searches) expect(/SEARCH\('([^']*)'/.exec(e)![1].length).toBeLessThanOrEqual(CLOUDWATCH_DASHBOARD_LIMITS.searchExpressionCharacters);
    }
  });

  test('the alarm view lists no alarm: it links to the alarms console by the environment prefix, and to the per-domain dashboards', () => {
    const { platform } = build();
    const body = dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview');
    const [headerText] = body.widgets.filter((w) => w.type === 'text').map((w) => String(w.properties.markdown));
    expect(headerText).toContain("(#alarmsV2:?~(search~'dev-~alarmStateFilter~'ALARM))");
    expect(headerText).toContain("(#alarmsV2:?~(search~'dev-))");
    expect(headerText).toContain('`lakehouse-dev-<domain>`');
    // Alarm status widgets are the platform's own sections only (Athena, janitor).
    expect(body.widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.title)).toEqual(['Athena: alarms', 'Sandbox janitor: alarms']);
  });

  test('platform sections: Athena bytes scanned and the janitor', () => {
    const { platform } = build();
    const body = dashboardBody(Template.fromStack(platform), 'lakehouse-dev-overview');
    const metrics = graphed(body);
    for (const name of ['ProcessedBytes', 'WorkspacesDeleted', 'ObjectsDeleted', 'ApproximateNumberOfMessagesVisible']) expect(metrics).toContain(name);
    const runs = body.widgets.find((w) => w.type === 'metric' && String(w.properties.title).startsWith('Janitor runs per hour'));
    expect(runs?.properties.annotations.alarms).toHaveLength(1);
    expect(metrics).toContain('scanned0 + scanned1 + scanned2 + scanned3');
  });

  test('no reference from the platform stack to a domain stack', () => {
    const { platform, domain } = build();
    expect(JSON.stringify(Template.fromStack(platform).toJSON())).not.toMatch(/Fn::GetStackOutput|Fn::ImportValue/);
    // The domain stack references the platform's topic, not the other way round.
    expect(JSON.stringify(Template.fromStack(domain).toJSON())).toMatch(/"StackName":"Platform"/);
  });

  test('fails if topN is out of range', () => {
    expect(() => build({ topN: 0 })).toThrow(/LH161.*1-100/);
  });
});
