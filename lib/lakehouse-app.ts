import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { EnvironmentConfig } from './config';
import { PlatformStack } from './platform-stack';

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
}

export interface Lakehouse {
  readonly platform: PlatformStack;
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
  if (options.checks ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { platform };
}
