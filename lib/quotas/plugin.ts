/**
 * `DataOps-StackQuotas` as a CDK policy-validation plugin: template-level figures (bytes, resource,
 * output and parameter counts) only exist after synthesis, so the check reads the synthesized templates.
 *
 * Register it once on the app — `Validations.of(app).addPlugins(new StackQuotas())`. CDK calls
 * `validate` once per synthesis with every template of the stage. The plugin writes
 * `stack-quotas.json` (every stack's figures against each limit, the largest per quota) into the cloud
 * assembly and reports each figure above 80% of its limit as an error.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  IPolicyValidationContext,
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  NestedStack,
  PolicyValidationPluginReportBeta1,
  PolicyViolationBeta1,
  Stack,
  Stage,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { measuredStack, QuotaFinding, quotaFindings, StackFigures, stackFigures, StackQuotaInput, stackQuotaReport } from './figures';
import { QUOTA_THRESHOLD_FRACTION, STACK_QUOTAS_RULE_ID } from './quotas';

export const STACK_QUOTAS_JSON = 'stack-quotas.json';

export interface StackQuotasProps {
  /**
   * Directory for `stack-quotas.json`.
   * @default - the cloud assembly directory of the app (e.g. `cdk.out`)
   */
  readonly outdir?: string;
}

/** The stack name of each template, from the stages and stacks of the tree (not their resources). */
function stackInputs(templatePaths: readonly string[], root: IConstruct): StackQuotaInput[] {
  const names = new Map<string, string>();
  const visit = (scope: IConstruct): void => {
    for (const child of scope.node.children) {
      if (Stack.isStack(child) && !NestedStack.isNestedStack(child)) {
        const stage = Stage.of(child);
        if (stage) names.set(path.resolve(stage.outdir, child.templateFile), child.stackName);
      } else if (Stage.isStage(child)) {
        visit(child);
      }
    }
  };
  visit(root);
  return templatePaths.map((templatePath) => ({
    stackName: names.get(path.resolve(templatePath)) ?? path.basename(templatePath).replace(/\.template\.json$/, ''),
    templatePath,
  }));
}

/**
 * Fails synthesis when a stack passes 80% of a CloudFormation, S3, KMS or CloudWatch quota
 * (see `QUOTAS`). Implements both the stable and the Beta1 plugin interfaces.
 */
export class StackQuotas implements IPolicyValidationPlugin, IPolicyValidationPluginBeta1 {
  public readonly name = 'governed-lakehouse-stack-quotas';
  public readonly version = '0.1.0';
  public readonly ruleIds = [STACK_QUOTAS_RULE_ID];
  /** The figures of the last `validate` call. */
  public lastFigures?: readonly StackFigures[];

  constructor(private readonly props: StackQuotasProps = {}) {}

  public validate(context: IPolicyValidationContextBeta1 | IPolicyValidationContext): PolicyValidationPluginReportBeta1 {
    const root = context.appConstruct;
    const figures = stackInputs(context.templatePaths, root).map((input) => stackFigures(measuredStack(input)));
    this.lastFigures = figures;
    const outdir = this.props.outdir ?? (Stage.isStage(root) ? root.outdir : path.dirname(context.templatePaths[0] ?? '.'));
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, STACK_QUOTAS_JSON), `${JSON.stringify(stackQuotaReport(figures), null, 1)}\n`);
    const violations = quotaFindings(figures).map(toViolation);
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }
}

function toViolation(finding: QuotaFinding): PolicyViolationBeta1 {
  const { quota, figure } = finding;
  return {
    ruleName: STACK_QUOTAS_RULE_ID,
    description: finding.message,
    fix: quota.fix,
    severity: 'error',
    ruleMetadata: {
      quota: quota.id,
      stack: finding.stackName,
      figure: String(figure.value),
      limit: String(quota.limit),
      threshold: `${QUOTA_THRESHOLD_FRACTION * 100}% = ${finding.threshold}`,
      ...(figure.logicalId ? { resource: figure.logicalId } : {}),
    },
    violatingResources: [
      {
        resourceLogicalId: figure.logicalId ?? '',
        templatePath: finding.templatePath ?? '',
        locations: [quota.scope === 'resource' ? quota.id : 'template'],
      },
    ],
  };
}
