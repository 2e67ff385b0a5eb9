import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CatalogEncryption, grantCatalogRead } from '../constructs/catalog';
import { EventDeliveryRole } from '../constructs/events';
import { SandboxJanitor } from '../constructs/janitor';
import { LakehouseKey } from '../constructs/keys';
import { AlarmTopic, MonitoringOptions, PlatformDashboard, ScheduleGroupMonitoring, WorkgroupMonitoring } from '../constructs/monitoring';
import { AnalystRole, OperatorRole } from '../constructs/roles';
import { DuckDbLayer } from '../constructs/transforms';
import { LakeWorkgroup } from '../constructs/workgroups';
import { LakehouseZones } from '../constructs/zones';
import { PiiTokenKey } from '../constructs/secrets';
import { EnvironmentConfig, validateEnvironmentConfig } from './config';
import { applyCostAllocationTags } from './tags';
import { pipelinesWorkgroupName } from '../lambda/shared/zones';

export interface PlatformStackProps extends StackProps {
  /** The environment's typed configuration. */
  readonly config: EnvironmentConfig;
  /**
   * Removal policy of stateful resources. DESTROY only behind the `lakehouse:destroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The shared platform of one environment: the lake key, the eight zones, catalog encryption, the
 * PII token key, the Athena workgroups, and what every domain shares — the DuckDB layer, the event delivery role and
 * schedule group, the alarm topic and the overview dashboard. Nothing in it is per domain, so its
 * template does not change when domains are added.
 */
export class PlatformStack extends Stack {
  public readonly config: EnvironmentConfig;
  public readonly zones: LakehouseZones;
  public readonly catalogEncryption: CatalogEncryption;
  public readonly analystsWorkgroup: LakeWorkgroup;
  public readonly pipelinesWorkgroup: LakeWorkgroup;
  /** One role per analyst team: query curated through Athena, write the team's sandbox workspace. */
  public readonly analystRoles: Readonly<Record<string, AnalystRole>>;
  public readonly operatorRole: OperatorRole;
  public readonly janitor: SandboxJanitor;
  /** The environment's alarm topic (KMS, TLS-only, e-mail subscriptions). */
  public readonly alarmTopic: AlarmTopic;
  /** What every monitored construct of this environment takes: the alarm action and thresholds. */
  public readonly monitoring: MonitoringOptions;
  public readonly workgroupMonitoring: readonly WorkgroupMonitoring[];
  /** The overview dashboard: every domain through queries, no widget per domain. */
  public readonly dashboard: PlatformDashboard;
  /** The one DuckDB layer of the environment: every domain's transform functions use it. */
  public readonly duckDbLayer: lambda.ILayerVersion;
  /** The role (and schedule group) EventBridge and Scheduler deliver to every domain's bus and state machines with. */
  public readonly eventDelivery: EventDeliveryRole;
  /** Every domain's schedule, at once: events Scheduler dropped or could not park. */
  public readonly scheduleMonitoring: ScheduleGroupMonitoring;
  /** The key of the PII tokens in clean: read only by the domains' clean-stage pipeline roles. */
  public readonly piiTokenKey: PiiTokenKey;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    validateEnvironmentConfig(this, props.config);
    this.config = props.config;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    applyCostAllocationTags(this, props.config);

    this.zones = new LakehouseZones(this, 'Zones', {
      environmentName: props.config.name,
      lifecycle: props.config.lifecycle,
      rawObjectLock: props.config.rawObjectLock,
      bootstrapQualifier: props.config.bootstrapQualifier,
      removalPolicy,
    });
    this.catalogEncryption = new CatalogEncryption(this, 'CatalogEncryption', { encryptionKey: this.zones.key });
    this.piiTokenKey = new PiiTokenKey(this, 'PiiTokenKey', {
      environmentName: props.config.name,
      encryptionKey: this.zones.key,
      bootstrapQualifier: props.config.bootstrapQualifier,
      generation: props.config.piiTokenKeyGeneration,
      removalPolicy,
    });

    // Alarms: one topic per environment, on its own key (CloudWatch may use it, not the lake key).
    const alarmKey = new LakehouseKey(this, 'AlarmTopicKey', { description: `lakehouse ${props.config.name}: alarm topic`, pendingWindow: Duration.days(30) });
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { environmentName: props.config.name, encryptionKey: alarmKey, emails: props.config.alarmEmails, thresholds: props.config.monitoring });
    this.monitoring = { environmentName: props.config.name, alarmAction: this.alarmTopic.alarmAction, thresholds: props.config.monitoring };

    const workgroup = (id: string, workgroupName: string, description: string) =>
      new LakeWorkgroup(this, id, {
        workgroupName,
        description,
        resultsZone: this.zones.zones['query-results'],
        encryptionKey: this.zones.key,
        bytesScannedCutoffPerQuery: props.config.athena.bytesScannedCutoffPerQuery,
        removalPolicy,
      });
    this.analystsWorkgroup = workgroup('AnalystsWorkgroup', `lakehouse-${props.config.name}-analysts`, 'Analysts: read-only queries over curated data');
    this.pipelinesWorkgroup = workgroup('PipelinesWorkgroup', pipelinesWorkgroupName(props.config.name), 'Pipelines: SQL transforms that publish curated data');
    this.workgroupMonitoring = [this.analystsWorkgroup, this.pipelinesWorkgroup].map(
      (wg) => new WorkgroupMonitoring(wg, 'Monitoring', { ...this.monitoring, workgroupName: wg.workgroupName, dailyScanBudgetBytes: props.config.athena.dailyScanBudgetBytes }),
    );

    const account = new iam.AccountPrincipal(this.account);
    const analystRoles: Record<string, AnalystRole> = {};
    for (const team of props.config.sandbox.analystTeams) {
      const role = new AnalystRole(this, `Analyst-${team}`, {
        environmentName: props.config.name,
        team,
        assumedBy: account,
        description: `Analysts (${team}): query curated data through Athena; write sandbox/${team}/ only`,
      });
      this.analystsWorkgroup.grantQuery(role);
      grantCatalogRead(role, '*_curated');
      this.zones.zones.curated.grantReadAll(role);
      this.zones.zones.sandbox.grantWorkspace(role, { prefix: team });
      analystRoles[team] = role;
    }
    this.analystRoles = analystRoles;
    this.operatorRole = new OperatorRole(this, 'Operator', {
      environmentName: props.config.name,
      assumedBy: account,
      bootstrapQualifier: props.config.bootstrapQualifier,
      description: 'Platform operator: deploys through the CDK bootstrap roles; no data permissions',
    });
    this.janitor = new SandboxJanitor(this, 'SandboxJanitor', {
      sandbox: this.zones.zones.sandbox,
      idleDays: props.config.sandbox.idleDays,
      logRetention: props.config.logRetentionDays as logs.RetentionDays,
      encryptionKey: this.zones.key,
      monitoring: this.monitoring,
    });
    this.duckDbLayer = new DuckDbLayer(this, 'DuckDb').layer;
    this.eventDelivery = new EventDeliveryRole(this, 'EventDelivery', { environmentName: props.config.name });
    this.scheduleMonitoring = new ScheduleGroupMonitoring(this.eventDelivery, 'Monitoring', { ...this.monitoring, scheduleGroup: this.eventDelivery.scheduleGroup });
    this.dashboard = new PlatformDashboard(this, 'Dashboard', { environmentName: props.config.name });
    this.dashboard.addSection('Athena', this.workgroupMonitoring);
    this.dashboard.addSection('Sandbox janitor', [this.janitor.monitoring, this.janitor.handler.monitoring]);
    this.dashboard.addSection('Schedules (every domain)', [this.scheduleMonitoring]);
  }
}
