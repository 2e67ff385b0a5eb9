import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { DomainDefinition } from '../lambda/shared/dataset';
import { boundedPlugin } from './check-bounds';
import { EnvironmentConfig } from './config';
import { DomainStack } from './domain-stack';
import { loadDomains } from './domains';
import { GovernanceProof } from './governance';
import { DataOpsChecks, ErrorsOnlyAwsSolutionsChecks, ErrorsOnlyServerlessChecks } from './nag';
import { PlatformStack } from './platform-stack';
import { StackQuotas } from './quotas';

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
  for (const domain of options.domains ?? loadDomains()) {
    domains[domain.name] = new DomainStack(app, `Lakehouse-${config.name}-Domain-${domain.name.replace(/_/g, '-')}`, {
      config,
      domain,
      platform,
      env,
      domainsDir: options.domainsDir,
      description: `governed-lakehouse ${config.name}: data domain ${domain.name}`,
    });
  }
  if (options.checks ?? true) {
    // Each check fails synth with its own name if it runs out of memory (check-bounds.ts).
    Validations.of(app).addPlugins(
      ...[
        new ErrorsOnlyAwsSolutionsChecks(app),
        new ErrorsOnlyServerlessChecks(app),
        new DataOpsChecks(app, {
          maxBytesScannedCutoffPerQuery: config.athena.maxBytesScannedCutoffPerQuery,
          maxLogRetentionDays: config.maxLogRetentionDays,
          // Every function and queue gets its alarms by construction, so a missing one fails the build.
          alarmRuleLevel: NagMessageLevel.ERROR,
        }),
        new GovernanceProof({ bootstrapQualifier: config.bootstrapQualifier }),
        // Stack sizes and per-resource document sizes against 80% of their service quotas (DataOps-StackQuotas).
        new StackQuotas(),
      ].map((plugin) => boundedPlugin(plugin)),
    );
  }
  return { platform, domains };
}
