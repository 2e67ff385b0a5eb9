/**
 * Dashboards: one per domain (in the domain's stack) and a platform overview (in the platform
 * stack). The overview has no widget, metric or alarm per domain: it shows every domain at once
 * through Metrics Insights queries over the `GovernedLakehouse` namespace and SEARCH expressions
 * over the AWS namespaces, so the platform stack does not change when a domain is added and
 * does not depend on the domain stacks (which depend on it).
 *
 * CloudWatch limits that bound these queries (CloudWatch user guide, "CloudWatch service quotas",
 * "CloudWatch search expression syntax", "Metrics Insights quotas"):
 * - a dashboard holds at most 500 widgets, 500 metrics per widget and 2,500 metrics across its
 *   widgets, counting the metrics retrieved for metric math (a SEARCH retrieves every series it finds);
 * - a SEARCH expression is at most 1,024 characters, a graph takes at most 100 of them, and a
 *   graph displays at most 500 time series: a SEARCH sees at most 500 resources;
 * - a Metrics Insights query processes at most 10,000 metrics and returns at most 500 series;
 *   with ORDER BY … LIMIT it sorts everything it processed first, so a top-N is exact.
 * The dataset graphs therefore use Metrics Insights (exact up to 10,000 datasets, 34 series in all);
 * the pipeline graphs, which must select the environment's resources by name (Metrics Insights
 * filters only on exact dimension values), use one SEARCH each, sorted to the top N. There are
 * PIPELINE_SEARCH_GRAPHS of them: at most 4 × 500 = 2,000 retrieved series, so the overview stays
 * under 2,500 metrics at any number of domains; the price is that each sees at most 500 resources
 * (beyond that, every resource's own alarm stays authoritative).
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  DIMENSION_DATASET,
  DIMENSION_DOMAIN,
  METRICS_NAMESPACE,
  METRIC_BYTES_IN,
  METRIC_DRIFT_COLUMNS,
  METRIC_ROWS_IN,
  METRIC_ROWS_OUT,
  METRIC_ROWS_QUARANTINED,
} from '../../lambda/shared/metrics';
import { LakehouseError } from '../errors';
import { IMonitor } from './alarms';
import { DEFAULT_PERIOD, HOUR } from './metrics';

const GRID = 24;
const WIDTH = 8;
const HEIGHT = 6;
const DASHBOARD_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
/** CloudWatch's AlarmStatusWidget shows at most 100 alarms. */
const MAX_ALARMS_PER_STATUS_WIDGET = 100;

/** The CloudWatch limits the overview is built within (see the file comment). */
export const CLOUDWATCH_DASHBOARD_LIMITS = {
  widgetsPerDashboard: 500,
  metricsPerWidget: 500,
  metricsPerDashboard: 2500,
  searchExpressionCharacters: 1024,
  searchExpressionsPerGraph: 100,
  timeSeriesPerGraph: 500,
  metricsInsightsMetricsPerQuery: 10000,
  metricsInsightsSeriesPerQuery: 500,
} as const;

/** SEARCH graphs on the overview (one SEARCH each): 4 × 500 retrieved series stay within 2,500 per dashboard. */
export const PIPELINE_SEARCH_GRAPHS = 4;

/** How many series each top-N graph of the overview shows. */
export const DEFAULT_OVERVIEW_TOP_N = 10;

function header(title: string, body: string, alarms: readonly cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  const text = new cloudwatch.TextWidget({ markdown: `## ${title}\n${body}`, width: alarms.length > 0 ? 12 : GRID, height: 3 });
  if (alarms.length === 0) return [text];
  return [text, new cloudwatch.AlarmStatusWidget({ title: `${title}: alarms`, alarms: [...alarms], width: 12, height: 3 })];
}

function checkDashboardName(scope: Construct, name: string): void {
  if (!Token.isUnresolved(name) && !DASHBOARD_NAME_RE.test(name)) {
    throw new LakehouseError({ code: 'LH159', scope, value: name, problem: 'a dashboard name is 1-255 letters, digits, - or _', fix: 'rename the environment or domain, or pass dashboardName' });
  }
}

/**
 * A Metrics Insights query over the dataset metrics (`GovernedLakehouse`, dimensions exactly
 * Domain and Dataset): `SELECT <fn>(<metric>) FROM SCHEMA(...) [GROUP BY Domain, Dataset ORDER BY
 * <fn>() DESC LIMIT <top>]`.
 */
export function datasetInsightsQuery(metricName: string, fn: 'SUM' | 'MAX', top?: number): string {
  const from = `FROM SCHEMA("${METRICS_NAMESPACE}", ${DIMENSION_DATASET}, ${DIMENSION_DOMAIN})`;
  const grouped = top === undefined ? '' : ` GROUP BY ${DIMENSION_DOMAIN}, ${DIMENSION_DATASET} ORDER BY ${fn}() DESC LIMIT ${top}`;
  return `SELECT ${fn}(${metricName}) ${from}${grouped}`;
}

/**
 * A SEARCH over an AWS namespace for the environment's resources, sorted to the top N:
 * `SORT(SEARCH('{<namespace>,<dimensions>} <metric terms> lakehouse <env>', '<stat>', <period>), <fn>, DESC, <top>)`.
 *
 * The name scheme it relies on: every resource of an environment carries the tokens `lakehouse`
 * and `<env>` in the dimension value — explicit names (`lakehouse-<env>-<domain>-big-files`, the
 * domain buses `lakehouse-<env>-<domain>`) or the names CloudFormation generates from the stack
 * name (`Lakehouse-<env>-Domain-<domain>-<logical id>-<suffix>` for functions, queues and default-bus
 * rules). Search terms match tokens case-insensitively. Environments sharing an account and
 * region must not have names that are tokens of each other's (e.g. `dev` and `dev-2`).
 */
export function environmentSearch(opts: { environmentName: string; namespace: string; dimensions?: readonly string[]; metricNames: readonly string[]; statistic: string; period: Duration; sortBy: 'SUM' | 'MAX'; top: number }): string {
  const metrics = opts.metricNames.map((m) => `MetricName="${m}"`);
  const terms = metrics.length === 1 ? metrics[0] : `(${metrics.join(' OR ')})`;
  // With dimensions, a metric schema; without, the namespace as a search term (any dimension set).
  const scope = opts.dimensions ? `{${[opts.namespace, ...opts.dimensions].join(',')}}` : `Namespace="${opts.namespace}"`;
  const search = `SEARCH('${scope} ${terms} lakehouse ${opts.environmentName}', '${opts.statistic}', ${opts.period.toSeconds()})`;
  return `SORT(${search}, ${opts.sortBy}, DESC, ${opts.top})`;
}

export interface DomainDashboardProps {
  readonly environmentName: string;
  readonly domain: string;
  /** @default `lakehouse-<environmentName>-<domain>` */
  readonly dashboardName?: string;
}

/**
 * One domain's dashboard: a section per dataset with its alarms' status, rows in / out /
 * quarantined, quarantine ratio, freshness, the transform's errors and duration, queue age and
 * dead-letter queue depth (whatever the monitors added to the section offer), and sections for
 * what is not a dataset (the big-file route, the curated models, the domain's event routing),
 * which show their own monitors' widgets and no dataset graphs.
 */
export class DomainDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: string;
  private readonly domain: string;

  constructor(scope: Construct, id: string, props: DomainDashboardProps) {
    super(scope, id);
    this.domain = props.domain;
    this.dashboardName = props.dashboardName ?? `lakehouse-${props.environmentName}-${props.domain}`;
    checkDashboardName(this, this.dashboardName);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: this.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${props.domain} (${props.environmentName})\nOne section per dataset, then the domain's routes. Alarm names: \`${props.environmentName}-${props.domain}-<dataset>-<what>\`. Every domain at once: [lakehouse-${props.environmentName}-overview](#dashboards/dashboard/lakehouse-${props.environmentName}-overview).`,
        width: GRID,
        height: 2,
      }),
    );
  }

  /** A section for one dataset, with the widgets of its monitors (e.g. its DatasetTransformMonitoring, its function's FunctionMonitoring). */
  public addDataset(dataset: string, monitors: readonly IMonitor[]): void {
    this.addMonitors(dataset, `Dataset \`${this.domain}.${dataset}\``, monitors);
  }

  /** A section for something that is not a dataset (the big-file route, the curated models, the event routing): its monitors' widgets only. */
  public addSection(title: string, monitors: readonly IMonitor[], description = ''): void {
    this.addMonitors(title, description, monitors);
  }

  private addMonitors(title: string, body: string, monitors: readonly IMonitor[]): void {
    const alarms = monitors.flatMap((m) => [...m.alarms]);
    this.dashboard.addWidgets(...header(title, body, alarms.slice(0, MAX_ALARMS_PER_STATUS_WIDGET)));
    this.dashboard.addWidgets(...monitors.flatMap((m) => m.widgets()));
  }
}

export interface PlatformDashboardProps {
  readonly environmentName: string;
  /** @default `lakehouse-<environmentName>-overview` */
  readonly dashboardName?: string;
  /**
   * Series shown by each top-N graph (1-100).
   * @default DEFAULT_OVERVIEW_TOP_N
   */
  readonly topN?: number;
}

/**
 * The platform overview, the same size whatever the number of domains:
 * - a header with links to the environment's alarms (all, and those in ALARM, by the name prefix
 *   `<env>-`) and to the per-domain dashboards (`lakehouse-<env>-<domain>`), instead of a status
 *   widget per alarm;
 * - every dataset (Metrics Insights over `GovernedLakehouse`): rows in / out / quarantined and bytes
 *   in summed, the top N datasets by rows quarantined, by rows in and by drifting columns;
 * - every pipeline resource of the environment (SEARCH, top N): function errors, visible messages
 *   of the queues (dead-letter queues included), state machine executions failed / timed out /
 *   aborted, EventBridge deliveries that failed or went to a dead-letter queue (throttles and queue
 *   age are left to each resource's alarms, to keep the overview within 2,500 metrics);
 * - platform sections added with `addSection` (Athena, the sandbox janitor, the schedules).
 */
export class PlatformDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    this.dashboardName = props.dashboardName ?? `lakehouse-${props.environmentName}-overview`;
    checkDashboardName(this, this.dashboardName);
    const top = props.topN ?? DEFAULT_OVERVIEW_TOP_N;
    if (!Number.isInteger(top) || top < 1 || top > 100) {
      throw new LakehouseError({ code: 'LH161', scope: this, value: top, problem: 'a top-N graph shows 1-100 series', fix: 'set topN, e.g. 10' });
    }
    const env = props.environmentName;
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: this.dashboardName });
    // Links are relative to the console page the dashboard is open in (same region and partition).
    const alarms = (filter: string) => `#alarmsV2:?~(search~'${env}-${filter})`;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# governed-lakehouse ${env}: overview`,
          'Every domain at once, from queries over all of them: nothing here is per domain, so this dashboard does not grow with domains. Top-N graphs show the worst of the environment.',
          `**Alarms** (\`${env}-<domain>-<dataset>-<what>\`): [in ALARM](${alarms("~alarmStateFilter~'ALARM")}) · [all](${alarms('')}). **Per domain**: the dashboards \`lakehouse-${env}-<domain>\` ([list](#dashboards:)).`,
        ].join('\n\n'),
        width: GRID,
        height: 3,
      }),
    );

    // Datasets: Metrics Insights, exact up to 10,000 datasets.
    const insights = (query: string, label: string) => new cloudwatch.MathExpression({ expression: query, usingMetrics: {}, label, period: HOUR });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: WIDTH, height: HEIGHT, leftYAxis: { min: 0 } });
    this.dashboard.addWidgets(
      graph('Every dataset: rows per hour', [
        insights(datasetInsightsQuery(METRIC_ROWS_IN, 'SUM'), 'Rows in'),
        insights(datasetInsightsQuery(METRIC_ROWS_OUT, 'SUM'), 'Rows out (clean)'),
        insights(datasetInsightsQuery(METRIC_ROWS_QUARANTINED, 'SUM'), 'Rows quarantined'),
      ], [insights(datasetInsightsQuery(METRIC_BYTES_IN, 'SUM'), 'Bytes in')]),
      graph(`Top ${top} datasets by rows quarantined (per hour)`, [insights(datasetInsightsQuery(METRIC_ROWS_QUARANTINED, 'SUM', top), '')]),
      graph(`Top ${top} datasets by rows in (per hour)`, [insights(datasetInsightsQuery(METRIC_ROWS_IN, 'SUM', top), '')]),
    );

    // Pipelines: one SEARCH per graph over the environment's resources, sorted to the top N (PIPELINE_SEARCH_GRAPHS of them).
    const search = (namespace: string, dimensions: string[] | undefined, metricNames: string[], statistic: string, sortBy: 'SUM' | 'MAX') =>
      new cloudwatch.SearchExpression({ expression: environmentSearch({ environmentName: env, namespace, dimensions, metricNames, statistic, period: DEFAULT_PERIOD, sortBy, top }), label: '', period: DEFAULT_PERIOD });
    this.dashboard.addWidgets(
      graph(`Top ${top} datasets by drifting columns (max per file)`, [insights(datasetInsightsQuery(METRIC_DRIFT_COLUMNS, 'MAX', top), '')]),
      graph(`Top ${top} functions by errors (5 min)`, [search('AWS/Lambda', ['FunctionName'], ['Errors'], 'Sum', 'SUM')]),
      graph(`Top ${top} queues by visible messages (dead-letter queues should hold none)`, [search('AWS/SQS', ['QueueName'], ['ApproximateNumberOfMessagesVisible'], 'Maximum', 'MAX')]),
    );
    this.dashboard.addWidgets(
      graph(`Top ${top} state machines by executions failed, timed out or aborted`, [search('AWS/States', ['StateMachineArn'], ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'], 'Sum', 'SUM')]),
      graph(`Top ${top} EventBridge rules by failed or dead-lettered deliveries (default and domain buses)`, [search('AWS/Events', undefined, ['FailedInvocations', 'InvocationsSentToDlq'], 'Sum', 'SUM')]),
    );
  }

  /** A platform section (e.g. a WorkgroupMonitoring, the JanitorMonitoring and its function's FunctionMonitoring): a constant part of the platform, never per domain. */
  public addSection(title: string, monitors: readonly IMonitor[]): void {
    const alarms = monitors.flatMap((m) => [...m.alarms]);
    this.dashboard.addWidgets(...header(title, '', alarms.slice(0, MAX_ALARMS_PER_STATUS_WIDGET)));
    this.dashboard.addWidgets(...monitors.flatMap((m) => m.widgets()));
  }
}
