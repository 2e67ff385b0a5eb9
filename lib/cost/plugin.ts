/**
 * The cost estimate as a CDK policy-validation plugin: it runs with the other checks on every synth,
 * counts each synthesized template's priced resources, estimates 12 months of the environment
 * (estimate.ts), writes `cost-estimate.jsonl` into the cloud assembly, and reports each domain whose
 * estimate passes its `monthlyBudgetUsd` as `DataOps-DomainCostBudget` (an error: synth fails).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  IPolicyValidationContext,
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  Stage,
} from 'aws-cdk-lib';
import { DEFAULT_BIG_FILE_THRESHOLD_BYTES, EnvironmentConfig } from '../config';
import type { DomainStack } from '../domain-stack';
import type { PlatformStack } from '../platform-stack';
import { DEFAULT_ASSUMPTIONS, describeAssumptions, NOT_ESTIMATED } from './assumptions';
import { budgetFindings, DOMAIN_COST_BUDGET_RULE_ID } from './budget';
import { CostEstimate, DomainCostInput, estimateCost, StackResources } from './estimate';
import { writeCostEstimate } from './files';
import { DEFAULT_PRICES, mergePrices } from './prices';
import { stackResources } from './resources';

export interface CostEstimateCheckProps {
  readonly config: EnvironmentConfig;
  readonly platform: PlatformStack;
  readonly domains: readonly DomainStack[];
  /**
   * Directory for `cost-estimate.jsonl`.
   * @default - the cloud assembly directory of the app
   */
  readonly outdir?: string;
}

const NO_RESOURCES: StackResources = { alarmMetrics: 0, dashboards: 0, kmsKeys: 0, secrets: 0, glueDatabases: 0, glueTables: 0, encryptedQueues: 0 };

/** What the estimate needs from a domain stack: its declarations and its functions' memory. */
export function domainCostInput(stack: DomainStack, resources: StackResources): DomainCostInput {
  return {
    name: stack.domain.name,
    datasets: stack.domain.datasets.map((ds) => ({
      name: ds.name,
      format: ds.format,
      gzip: ds.gzip ?? false,
      volume: ds.volume,
      transformMemoryMb: stack.transforms[ds.name].handler.memorySize,
    })),
    models: stack.models.map((m) => ({ name: m.name, inputs: m.inputs.map((i) => i.table), assertions: m.assertions.length, estimate: m.estimate })),
    runnerMemoryMb: stack.curatedModels?.runner.memorySize ?? 0,
    bigFileMemoryMb: stack.bigFiles.handler.memorySize,
    resources,
    monthlyBudgetUsd: stack.domain.monthlyBudgetUsd,
  };
}

export class CostEstimateCheck implements IPolicyValidationPlugin, IPolicyValidationPluginBeta1 {
  public readonly name = 'governed-lakehouse-cost-estimate';
  public readonly version = '0.1.0';
  public readonly ruleIds = [DOMAIN_COST_BUDGET_RULE_ID];
  /** The estimate of the last `validate` call. */
  public lastEstimate?: CostEstimate;

  constructor(private readonly props: CostEstimateCheckProps) {}

  public validate(context: IPolicyValidationContextBeta1 | IPolicyValidationContext): PolicyValidationPluginReportBeta1 {
    const { config, platform, domains } = this.props;
    const byTemplate = new Map<string, StackResources>();
    for (const templatePath of context.templatePaths) {
      byTemplate.set(path.resolve(templatePath), stackResources(JSON.parse(fs.readFileSync(templatePath, 'utf8'))));
    }
    const resourcesOf = (stack: { templateFile: string }) => byTemplate.get(path.resolve(Stage.of(platform)?.outdir ?? '.', stack.templateFile)) ?? NO_RESOURCES;
    const assumptions = { ...DEFAULT_ASSUMPTIONS, ...(config.cost?.assumptions ?? {}) };
    const estimate = estimateCost({
      environment: config.name,
      prices: mergePrices(DEFAULT_PRICES, config.cost?.prices),
      assumptions,
      lifecycle: config.lifecycle,
      rawObjectLockDays: config.rawObjectLock.days,
      logRetentionDays: config.logRetentionDays,
      bigFileThresholdBytes: config.bigFiles?.thresholdBytes ?? DEFAULT_BIG_FILE_THRESHOLD_BYTES,
      domains: domains.map((stack) => domainCostInput(stack, resourcesOf(stack))),
      platform: { resources: resourcesOf(platform), janitorMemoryMb: platform.janitor.handler.memorySize },
    });
    this.lastEstimate = estimate;
    const root = context.appConstruct;
    const outdir = this.props.outdir ?? (Stage.isStage(root) ? root.outdir : path.dirname(context.templatePaths[0] ?? '.'));
    fs.mkdirSync(outdir, { recursive: true });
    writeCostEstimate(outdir, estimate, describeAssumptions(assumptions), NOT_ESTIMATED);
    const templateOf = new Map(domains.map((d) => [d.domain.name, path.resolve(Stage.of(d)?.outdir ?? outdir, d.templateFile)]));
    const violations = budgetFindings(estimate).map((f) => ({
      ruleName: DOMAIN_COST_BUDGET_RULE_ID,
      description: f.message,
      fix: f.fix,
      severity: 'error' as const,
      ruleMetadata: { domain: f.domain, month: String(f.month + 1), estimateUsd: f.amount.toFixed(2), budgetUsd: f.budget.toFixed(2) },
      violatingResources: [{ resourceLogicalId: '', templatePath: templateOf.get(f.domain) ?? '', locations: ['monthlyBudgetUsd'] }],
    }));
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }
}
