import * as path from 'path';
import { Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CATALOG_ZONES, CatalogZone, LakeDatabase } from '../constructs/catalog';
import { rawTableInput, cleanTableInput } from '../constructs/domain/glue-tables';
import { domainDefinitionError } from '../constructs/domain/validate';
import { LakehouseKey } from '../constructs/keys';
import { DomainEventBus } from '../constructs/events';
import { grantQueueKeyToSender } from '../constructs/queues';
import { DomainDashboard } from '../constructs/monitoring';
import { IngestRole, PipelineRole, StewardRole } from '../constructs/roles';
import { CuratedModels, loadModelFiles } from '../constructs/models';
import { LakeDataQualityRuleset, datasetRules, modelRules } from '../constructs/quality';
import { BigFileRoute, DatasetTransform } from '../constructs/transforms';
import { DomainDefinition, SourceDefinition, contractOf } from '../lambda/shared/dataset';
import type { ModelDefinition } from '../lambda/shared/models';
import { datasetsOfSource, rawPrefixes, sourcePrefix, sourcesOfDataset } from '../lambda/shared/sources';
import { TAG_KEYS } from '../lambda/shared/zones';
import { DEFAULT_BIG_FILE_THRESHOLD_BYTES, EnvironmentConfig } from './config';
import { PlatformStack } from './platform-stack';
import { applyCostAllocationTags } from './tags';

export interface DomainStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The domain, as declared in `lib/domains/<domain>.ts`. */
  readonly domain: DomainDefinition;
  /** The environment's platform: zones, key and workgroups. */
  readonly platform: PlatformStack;
  /** Where the domain's model folder (`<domain>/*.sql`) is. @default lib/domains */
  readonly domainsDir?: string;
}

/**
 * One data domain, deployed on its own: Glue databases `<domain>_raw|clean|curated`, a raw and a
 * clean table per dataset, the domain's pipeline, ingest (one per declared source) and steward roles,
 * its event bus (one forwarding rule on the default bus), a transform per dataset, the big-file route
 * and its curated models.
 * It uses the platform's DuckDB layer and event delivery role, and adds nothing to the platform.
 */
export class DomainStack extends Stack {
  public readonly domain: DomainDefinition;
  public readonly databases: Readonly<Record<CatalogZone, LakeDatabase>>;
  public readonly transformRole: PipelineRole;
  /** The curated-stage pipeline role: exists when the domain declares SQL models. */
  public readonly curatedRole?: PipelineRole;
  /** The domain's curated SQL models (`lib/domains/<domain>/*.sql`), if any. */
  public readonly curatedModels?: CuratedModels;
  /** The model files as parsed (with their `@estimate`), empty when the domain has none. */
  public readonly models: readonly ModelDefinition[];
  /** The domain's one ingest role, writing under `<domain>/`, when the domain declares no sources. */
  public readonly ingestRole?: IngestRole;
  /** One ingest role per declared source, writing under `<domain>/<source>/<dataset>/` for its datasets only. */
  public readonly sourceRoles: Readonly<Record<string, IngestRole>>;
  /** The domain's data steward: reads its raw and quarantined data (clear PII) for triage, with MFA. */
  public readonly stewardRole: StewardRole;
  public readonly transforms: Readonly<Record<string, DatasetTransform>>;
  /** Raw files above the environment's threshold: checked and converted on Athena. */
  public readonly bigFiles: BigFileRoute;
  public readonly queueKey: kms.Key;
  /** The domain's event bus `lakehouse-<env>-<domain>` and its one rule on the default bus. */
  public readonly events: DomainEventBus;
  /** The domain's dashboard (`lakehouse-<env>-<domain>`). */
  public readonly dashboard: DomainDashboard;
  /**
   * Glue Data Quality rulesets: each dataset's contract on its clean table, each model's
   * assertions on its curated table (`clean.<dataset>`, `curated.<model>`; none for a table
   * without rules).
   */
  public readonly qualityRulesets: Readonly<Record<string, LakeDataQualityRuleset>>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props);
    // The same error every `npx lakehouse` command gives for this definition (lib/cli).
    const definitionError = domainDefinitionError(props.domain, this.node.path);
    if (definitionError) throw definitionError;
    const { config, domain, platform } = props;
    this.domain = domain;
    applyCostAllocationTags(this, { ...config, owner: domain.owner, costCenter: domain.costCenter });
    Tags.of(this).add(TAG_KEYS.domain, domain.name);
    const zones = platform.zones.zones;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const prefix = `${domain.name}/`;

    const databases: Partial<Record<CatalogZone, LakeDatabase>> = {};
    for (const zone of CATALOG_ZONES) {
      databases[zone] = new LakeDatabase(this, `Database-${zone}`, {
        domain: domain.name,
        zone,
        owner: domain.owner,
        description: `${domain.description ?? domain.name}: ${zone} zone`,
        locationUri: zones[zone].bucket.s3UrlForObject(prefix),
      });
    }
    this.databases = databases as Record<CatalogZone, LakeDatabase>;

    // Pipeline roles, one per stage of the flow: the transform (raw -> clean) and the SQL models (clean -> curated).
    this.transformRole = new PipelineRole(this, 'TransformRole', {
      environmentName: config.name,
      domain: domain.name,
      stage: 'clean',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${domain.name}: raw -> clean transform (reads raw/${prefix}, lists and writes clean/${prefix}, writes quarantine/${prefix})`,
    });
    zones.raw.grantReadPrefix(this.transformRole, { prefix });
    zones.clean.grantPipelineWrite(this.transformRole, { prefix });
    // Listing (never reading) clean: each source's partition markers, and its files in partitions it no longer has.
    zones.clean.grantListPrefix(this.transformRole, { prefix });
    zones.quarantine.grantPipelineWrite(this.transformRole, { prefix });
    this.databases.clean.grantReadMetadata(this.transformRole);

    // The PII token key: the clean stage (the transform and the big-file route) tokenizes `pii` columns.
    platform.piiTokenKey.grantTokenize(this.transformRole);

    const sourceRoles: Record<string, IngestRole> = {};
    if (!domain.sources) {
      // No sources declared: one internal source for the whole domain, as before.
      this.ingestRole = new IngestRole(this, 'IngestRole', {
        environmentName: config.name,
        source: domain.name,
        domain: domain.name,
        assumedBy: new iam.AccountPrincipal(this.account),
        description: `${domain.name}: source systems put new files under landing/${prefix} and raw/${prefix}`,
      });
      zones.landing.grantIngest(this.ingestRole, { prefix });
      zones.raw.grantIngest(this.ingestRole, { prefix });
    }
    for (const source of domain.sources ?? []) {
      sourceRoles[source.name] = this.sourceRole(config.name, domain, source, zones);
    }
    this.sourceRoles = sourceRoles;

    this.stewardRole = new StewardRole(this, 'StewardRole', {
      environmentName: config.name,
      domain: domain.name,
      assumedBy: config.stewards?.[domain.name]?.map((arn) => new iam.ArnPrincipal(arn)),
      description: `${domain.name}: data steward, triages raw/${prefix} and quarantine/${prefix} (clear PII; MFA required)`,
    });
    zones.raw.grantReadPrefix(this.stewardRole, { prefix });
    zones.quarantine.grantReadPrefix(this.stewardRole, { prefix });

    this.queueKey = new LakehouseKey(this, 'QueueKey', {
      description: `${domain.name}: transform queues`,
      pendingWindow: Duration.days(30),
    });
    grantQueueKeyToSender(this.queueKey);
    const models = loadModelFiles(props.domainsDir ?? path.join(__dirname, 'domains'), domain.name);
    this.models = models;
    // One rule per domain on the default bus: raw arrivals (transform, big files) and, for the models, clean partitions.
    this.events = new DomainEventBus(this, 'Events', {
      environmentName: config.name,
      domain: domain.name,
      zones: models.length > 0 ? [zones.raw, zones.clean] : [zones.raw],
      deliveryRole: platform.eventDelivery.deliveryRole,
      queueKey: this.queueKey,
      monitoring: platform.monitoring,
    });
    const eventBus = this.events.eventBus;

    const thresholdBytes = config.bigFiles?.thresholdBytes ?? DEFAULT_BIG_FILE_THRESHOLD_BYTES;
    const transforms: Record<string, DatasetTransform> = {};
    const qualityRulesets: Record<string, LakeDataQualityRuleset> = {};
    for (const dataset of domain.datasets) {
      const sources = sourcesOfDataset(domain, dataset);
      const contract = contractOf(domain.name, dataset, sources);
      const raw = new glue.CfnTable(this, `RawTable-${dataset.name}`, {
        catalogId: this.account,
        databaseName: this.databases.raw.databaseName,
        tableInput: rawTableInput(dataset, domain.owner, zones.raw.bucket.s3UrlForObject(`${domain.name}/${dataset.name}/`), sources.length > 0 ? { domainUrl: zones.raw.bucket.s3UrlForObject(domain.name), sources } : undefined),
      });
      raw.addResourceDependency(this.databases.raw.database);
      const clean = new glue.CfnTable(this, `CleanTable-${dataset.name}`, {
        catalogId: this.account,
        databaseName: this.databases.clean.databaseName,
        tableInput: cleanTableInput(contract, dataset.description, domain.owner, zones.clean.bucket.bucketName),
      });
      clean.addResourceDependency(this.databases.clean.database);
      const rules = datasetRules(dataset);
      if (rules.rules.length > 0) {
        qualityRulesets[`clean.${dataset.name}`] = new LakeDataQualityRuleset(this, `QualityClean-${dataset.name}`, {
          environmentName: config.name,
          database: this.databases.clean,
          table: clean,
          tableName: dataset.name,
          rules,
          source: `lib/domains/${domain.name}.ts dataset ${dataset.name}`,
        });
      }
      transforms[dataset.name] = new DatasetTransform(this, `Transform-${dataset.name}`, {
        domain: domain.name,
        dataset: dataset.name,
        raw: zones.raw,
        clean: zones.clean,
        quarantine: zones.quarantine,
        role: this.transformRole,
        glueDatabase: this.databases.clean.databaseName,
        glueTable: dataset.name,
        queueKey: this.queueKey,
        lakeKey: platform.zones.key,
        duckDbLayer: platform.duckDbLayer,
        logRetention,
        freshnessSlaHours: dataset.freshnessSlaHours,
        monitoring: platform.monitoring,
        maxObjectBytes: thresholdBytes,
        eventBus,
        rawPrefixes: rawPrefixes(domain.name, dataset.name, sources),
        tokenSecret: platform.piiTokenKey.secret,
      });
    }
    this.transforms = transforms;
    this.bigFiles = new BigFileRoute(this, 'BigFiles', {
      domain: domain.name,
      datasets: domain.datasets.map((d) => d.name),
      thresholdBytes,
      raw: zones.raw,
      clean: zones.clean,
      quarantine: zones.quarantine,
      role: this.transformRole,
      workgroup: platform.pipelinesWorkgroup,
      cleanDatabase: this.databases.clean,
      lakeKey: platform.zones.key,
      queueKey: this.queueKey,
      logRetention,
      monitoring: platform.monitoring,
      eventBus,
      eventsRole: platform.eventDelivery.deliveryRole,
      sources: (domain.sources ?? []).map((src) => src.name),
      rawPrefixes: domain.datasets.flatMap((d) => rawPrefixes(domain.name, d.name, sourcesOfDataset(domain, d))),
      tokenSecret: platform.piiTokenKey.secret,
    });
    this.dashboard = new DomainDashboard(this, 'Dashboard', { environmentName: config.name, domain: domain.name });
    for (const [name, transform] of Object.entries(transforms)) {
      this.dashboard.addDataset(name, [transform.monitoring, transform.handler.monitoring]);
    }
    this.dashboard.addSection('Big files', [this.bigFiles.stateMachineMonitoring, this.bigFiles.handler.monitoring, this.bigFiles.deadLetterQueueMonitoring], `Raw files above ${thresholdBytes} bytes, on Athena (\`lakehouse-${config.name}-${domain.name}-big-files\`)`);
    this.dashboard.addSection('Events', [this.events.deadLetterQueueMonitoring], `The default bus's one rule for the domain forwards to \`${this.events.eventBusName}\``);

    if (models.length > 0) {
      this.curatedRole = new PipelineRole(this, 'CuratedRole', {
        environmentName: config.name,
        domain: domain.name,
        stage: 'curated',
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${domain.name}: clean -> curated SQL models on Athena (reads clean/${prefix}, writes curated/${prefix})`,
      });
      this.curatedModels = new CuratedModels(this, 'CuratedModels', {
        domain,
        models,
        role: this.curatedRole,
        workgroup: platform.pipelinesWorkgroup,
        cleanZone: zones.clean,
        curatedZone: zones.curated,
        curatedDatabase: this.databases.curated,
        lakeKey: platform.zones.key,
        queueKey: this.queueKey,
        logRetention,
        monitoring: platform.monitoring,
        eventBus,
        scheduleRole: platform.eventDelivery.deliveryRole,
        scheduleGroup: platform.eventDelivery.scheduleGroup,
      });
      for (const [name, spec] of Object.entries(this.curatedModels.specs)) {
        const rules = modelRules(spec);
        if (rules.rules.length === 0) continue;
        qualityRulesets[`curated.${name}`] = new LakeDataQualityRuleset(this, `QualityCurated-${name}`, {
          environmentName: config.name,
          database: this.databases.curated,
          table: this.curatedModels.tables[name],
          tableName: name,
          rules,
          source: spec.file,
        });
      }
      this.dashboard.addSection('Curated models', [this.curatedModels.runner.monitoring, this.curatedModels.queueMonitoring, this.curatedModels.deadLetterQueueMonitoring, this.curatedModels.deliveryDeadLetterQueueMonitoring], `SQL models on Athena: ${models.map((m) => `\`${m.name}\``).join(', ')}`);
    }
    this.qualityRulesets = qualityRulesets;
  }

  /**
   * A declared source's ingest role: put new objects under `<domain>/<source>/<dataset>/` of landing
   * and raw for the datasets that declare it, read nothing. An internal source is assumed from this
   * account; an external one only from the partner's account, with its external id.
   */
  private sourceRole(environmentName: string, domain: DomainDefinition, source: SourceDefinition, zones: PlatformStack['zones']['zones']): IngestRole {
    const prefix = sourcePrefix(domain.name, source.name);
    const assumedBy =
      source.kind === 'external'
        ? new iam.AccountPrincipal(source.accountId).withConditions({ StringEquals: { 'sts:ExternalId': source.externalId } })
        : new iam.AccountPrincipal(this.account);
    const datasets = datasetsOfSource(domain, source.name);
    const role = new IngestRole(this, `Source-${source.name}`, {
      environmentName,
      source: source.name,
      domain: domain.name,
      prefix,
      assumedBy,
      description: `${domain.name}: ${source.kind} source ${source.name}${source.kind === 'external' ? ` (account ${source.accountId})` : ''} puts new files under landing|raw/${prefix}/ for ${datasets.join(', ')}`,
    });
    for (const dataset of datasets) {
      zones.landing.grantIngest(role, { prefix: `${prefix}/${dataset}/` });
      zones.raw.grantIngest(role, { prefix: `${prefix}/${dataset}/` });
    }
    return role;
  }
}
