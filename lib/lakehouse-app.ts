import { App, IPolicyValidationPlugin, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { acknowledgeGrantPolicies, CompliancePack } from '../constructs/acknowledge';
import { DomainDefinition } from '../lambda/shared/dataset';
import { boundedPlugin } from './check-bounds';
import { CONTROL_TOWER_PACK_NAME, ControlTowerChecks } from './compliance';
import { EnvironmentConfig, validateStewardDomains } from './config';
import { CostEstimateCheck } from './cost/plugin';
import { DomainStack } from './domain-stack';
import { loadDomains } from './domains';
import { GovernanceProof } from './governance';
import {
  ACKNOWLEDGEMENT_BUDGET,
  COMPLIANCE_ACKNOWLEDGEMENT_BUDGET,
  DATAOPS_PACK_NAME,
  DataOpsChecks,
  ErrorsOnlyAwsSolutionsChecks,
  ErrorsOnlyHIPAASecurityChecks,
  ErrorsOnlyNIST80053R5Checks,
  ErrorsOnlyPCIDSS321Checks,
  ErrorsOnlyServerlessChecks,
} from './nag';
import { PlatformStack } from './platform-stack';
import { StackQuotas } from './quotas';
import { pipelinesWorkgroupName } from '../lambda/shared/zones';

export interface LakehouseAppOptions {
  /** The environment to synthesize. */
  readonly config: EnvironmentConfig;
  /**
   * Allow stateful resources to be destroyed with their stack (`-c lakehouse:destroy=true`).
   * @default false
   */
  readonly destroy?: boolean;
  /**
   * Register the nag packs and governance proof on the app.
   * @default true
   */
  readonly checks?: boolean;
  /**
   * The data domains.
   * @default - every domain file in lib/domains/
   */
  readonly domains?: readonly DomainDefinition[];
  /**
   * Where each domain's model folder (`<domain>/*.sql`) is.
   * @default lib/domains
   */
  readonly domainsDir?: string;
}

export interface Lakehouse {
  readonly platform: PlatformStack;
  /** One stack per domain, by domain name. */
  readonly domains: Readonly<Record<string, DomainStack>>;
  /** The checks registered on the app (undefined with `checks: false`). */
  readonly checks?: LakehouseChecks;
}

/** What synthesis checks, and the acknowledgement budget that goes with it. */
export interface LakehouseChecks {
  /** The environment's name. */
  readonly environment: string;
  /** The packs whose findings can be acknowledged (and whose acknowledgements count). */
  readonly packs: readonly string[];
  /** The acknowledgement budget: 15, or 25 with any compliance pack on. */
  readonly budget: number;
  /** The validation plugins registered on the app, in the order they run. */
  readonly plugins: readonly IPolicyValidationPlugin[];
}

const COMPLIANCE_PACK_CLASSES: Readonly<Record<CompliancePack, new (scope: IConstruct) => NagPack>> = {
  'NIST.800.53.R5': ErrorsOnlyNIST80053R5Checks,
  'HIPAA.Security': ErrorsOnlyHIPAASecurityChecks,
  'PCI.DSS.321': ErrorsOnlyPCIDSS321Checks,
};

const registeredChecks = new WeakMap<IConstruct, LakehouseChecks>();

/** The checks `buildLakehouse` registered on the app of `scope`, if any. */
export function lakehouseChecks(scope: IConstruct): LakehouseChecks | undefined {
  return registeredChecks.get(scope.node.root);
}

/** Builds every stack of one environment into `app` and registers the synth-time checks. */
export function buildLakehouse(app: App, options: LakehouseAppOptions): Lakehouse {
  const { config } = options;
  const env = config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const removalPolicy = options.destroy ?? false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  const platform = new PlatformStack(app, `Lakehouse-${config.name}-Platform`, {
    config,
    env,
    removalPolicy,
    description: `governed-lakehouse ${config.name}: zones, catalog encryption, Athena workgroups`,
  });
  const domains: Record<string, DomainStack> = {};
  const definitions = options.domains ?? loadDomains();
  validateStewardDomains(platform, config, definitions.map((d) => d.name));
  for (const domain of definitions) {
    domains[domain.name] = new DomainStack(app, `Lakehouse-${config.name}-Domain-${domain.name.replace(/_/g, '-')}`, {
      config,
      domain,
      platform,
      env,
      domainsDir: options.domainsDir,
      description: `governed-lakehouse ${config.name}: data domain ${domain.name}`,
    });
  }
  if (!(options.checks ?? true)) return { platform, domains };

  const compliance = (config.compliancePacks ?? []).map((pack) => new COMPLIANCE_PACK_CLASSES[pack](app));
  if (compliance.length > 0) {
    for (const stack of [platform, ...Object.values(domains)]) acknowledgeGrantPolicies(stack);
  }
  const plugins: IPolicyValidationPlugin[] = [
    new ErrorsOnlyAwsSolutionsChecks(app),
    new ErrorsOnlyServerlessChecks(app),
    new DataOpsChecks(app, {
      maxBytesScannedCutoffPerQuery: config.athena.maxBytesScannedCutoffPerQuery,
      maxLogRetentionDays: config.maxLogRetentionDays,
      // Every function and queue gets its alarms by construction, so a missing one fails the build.
      alarmRuleLevel: NagMessageLevel.ERROR,
    }),
    ...compliance,
    new ControlTowerChecks(),
    new GovernanceProof({ bootstrapQualifier: config.bootstrapQualifier, pipelineResultsPrefix: `${pipelinesWorkgroupName(config.name)}/` }),
    // Stack sizes and per-resource document sizes against 80% of their service quotas (DataOps-StackQuotas).
    new StackQuotas(),
    // 12 months of cost per domain and zone (cost-estimate.jsonl); a domain over its monthlyBudgetUsd fails (DataOps-DomainCostBudget).
    new CostEstimateCheck({ config, platform, domains: Object.values(domains) }),
  ].map((plugin) => boundedPlugin(plugin));
  // Each check fails synth with its own name if it runs out of memory (check-bounds.ts).
  Validations.of(app).addPlugins(...plugins);
  const checks: LakehouseChecks = {
    environment: config.name,
    packs: ['AwsSolutions', 'Serverless', DATAOPS_PACK_NAME, ...compliance.map((p) => p.readPackName), CONTROL_TOWER_PACK_NAME],
    budget: compliance.length > 0 ? COMPLIANCE_ACKNOWLEDGEMENT_BUDGET : ACKNOWLEDGEMENT_BUDGET,
    plugins,
  };
  registeredChecks.set(app, checks);
  return { platform, domains, checks };
}
