/**
 * Dashboards: one per domain (in the domain's stack) and a platform overview (in the platform
 * stack). The overview names domain alarms and metrics by plain strings, never by reference, so
 * it adds no dependency from the platform stack on the domain stacks (which depend on it).
 */
import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { LakehouseError } from '../errors';
import { IMonitor, rowsSeries } from './alarms';
import { datasetMetrics, HOUR } from './metrics';

const GRID = 24;
const DASHBOARD_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
/** CloudWatch's AlarmStatusWidget shows at most 100 alarms. */
const MAX_ALARMS_PER_STATUS_WIDGET = 100;

/** What the overview needs of a domain: its datasets and its alarms' names. */
export interface DomainSummary {
  readonly domain: string;
  readonly datasets: readonly string[];
  readonly alarmNames: readonly string[];
}

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

export interface DomainDashboardProps {
  readonly environmentName: string;
  readonly domain: string;
  /** @default `lakehouse-<environmentName>-<domain>` */
  readonly dashboardName?: string;
}

/**
 * One domain's dashboard: a section per dataset with its alarms' status, rows in / out /
 * quarantined, quarantine ratio, freshness, the transform's errors and duration, queue age and
 * dead-letter queue depth (whatever the monitors added to the section offer).
 */
export class DomainDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: string;
  private readonly domain: string;
  private readonly datasets: string[] = [];
  private readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: DomainDashboardProps) {
    super(scope, id);
    this.domain = props.domain;
    this.dashboardName = props.dashboardName ?? `lakehouse-${props.environmentName}-${props.domain}`;
    checkDashboardName(this, this.dashboardName);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: this.dashboardName });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# ${props.domain} (${props.environmentName})\nOne section per dataset. Alarm names: \`${props.environmentName}-${props.domain}-<dataset>-<what>\`.`, width: GRID, height: 2 }));
  }

  /** A section for one dataset, with the widgets of its monitors (e.g. its DatasetTransformMonitoring, or its function's FunctionMonitoring and the rest). */
  public addDataset(dataset: string, monitors: readonly IMonitor[]): void {
    const alarms = monitors.flatMap((m) => [...m.alarms]);
    this.datasets.push(dataset);
    this.alarmNames.push(...monitors.flatMap((m) => [...m.alarmNames]));
    this.dashboard.addWidgets(...header(dataset, `Dataset \`${this.domain}.${dataset}\``, alarms.slice(0, MAX_ALARMS_PER_STATUS_WIDGET)));
    this.dashboard.addWidgets(...monitors.flatMap((m) => m.widgets()));
  }

  /** The domain's datasets and alarm names, for `PlatformDashboard.addDomain`. */
  public summary(): DomainSummary {
    return { domain: this.domain, datasets: [...this.datasets], alarmNames: [...this.alarmNames] };
  }
}

export interface PlatformDashboardProps {
  readonly environmentName: string;
  /** @default `lakehouse-<environmentName>-overview` */
  readonly dashboardName?: string;
}

/**
 * The platform overview: per domain, the status of all its alarms and rows in / out / quarantined
 * per dataset; then platform sections (Athena bytes scanned per workgroup, the sandbox janitor).
 */
export class PlatformDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly dashboardName: string;
  private domainCount = 0;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    this.dashboardName = props.dashboardName ?? `lakehouse-${props.environmentName}-overview`;
    checkDashboardName(this, this.dashboardName);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: this.dashboardName });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# governed-lakehouse ${props.environmentName}: overview\nDomains (alarm status, rows per dataset), Athena, sandbox janitor. Details: the \`lakehouse-${props.environmentName}-<domain>\` dashboards.`, width: GRID, height: 2 }));
  }

  /** A domain's row: its alarms' status (by name, no cross-stack reference) and rows in / out / quarantined per dataset. */
  public addDomain(summary: DomainSummary): void {
    const n = this.domainCount++;
    const alarms = summary.alarmNames
      .slice(0, MAX_ALARMS_PER_STATUS_WIDGET)
      .map((name, i) => cloudwatch.Alarm.fromAlarmName(this, `Domain${n}Alarm${i}`, name));
    this.dashboard.addWidgets(...header(`Domain ${summary.domain}`, `Datasets: ${summary.datasets.map((d) => `\`${d}\``).join(', ') || '(none)'}`, alarms));
    const graphs = summary.datasets.map((dataset) => {
      const m = datasetMetrics(summary.domain, dataset, HOUR);
      return new cloudwatch.GraphWidget({ title: `${summary.domain}.${dataset}: rows per hour`, left: rowsSeries(m), width: 8, height: 6, leftYAxis: { min: 0 } });
    });
    if (graphs.length > 0) this.dashboard.addWidgets(...graphs);
  }

  /** A platform section (e.g. a WorkgroupMonitoring, the JanitorMonitoring and its function's FunctionMonitoring). */
  public addSection(title: string, monitors: readonly IMonitor[]): void {
    const alarms = monitors.flatMap((m) => [...m.alarms]);
    this.dashboard.addWidgets(...header(title, '', alarms.slice(0, MAX_ALARMS_PER_STATUS_WIDGET)));
    this.dashboard.addWidgets(...monitors.flatMap((m) => m.widgets()));
  }
}
