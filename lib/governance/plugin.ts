/**
 * The governance proof as a CDK policy-validation plugin.
 *
 * Register it once on the app — `Validations.of(app).addPlugins(new GovernanceProof())` or
 * `new App({ policyValidationBeta1: [new GovernanceProof()] })`. CDK calls `validate` once per
 * synthesis with every stack template of the stage it is registered on (nested stages included),
 * which is what a cross-stack analysis needs. The plugin writes `access-matrix.json` and
 * `access-matrix.md` into the cloud assembly directory and reports each violation as an error.
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
  PolicyViolatingResourceBeta1,
  PolicyViolationBeta1,
  Stack,
  Stage,
  Token,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GovernanceEvaluationError } from './policy-eval';
import { accessMatrixDocument, analyseGovernance, GOVERNANCE_RULES, GovernanceViolation, ProofOptions, ProofResult, renderMatrixMarkdown } from './proof';
import { StackTemplate } from './template-model';

export const ACCESS_MATRIX_JSON = 'access-matrix.json';
export const ACCESS_MATRIX_MARKDOWN = 'access-matrix.md';
export const EVALUATION_ERROR_RULE = 'Governance.EvaluationError';

export interface GovernanceProofProps extends ProofOptions {
  /**
   * Directory for `access-matrix.json` and `access-matrix.md`.
   * @default - the cloud assembly directory of the app (e.g. `cdk.out`)
   */
  readonly outdir?: string;
}

interface StackFile extends StackTemplate {
  readonly templatePath: string;
}

/** Finds each template's stack name and environment from the construct tree. */
function stacksFromContext(templatePaths: readonly string[], app: IConstruct): StackFile[] {
  const byPath = new Map<string, Stack>();
  for (const c of app.node.findAll()) {
    if (!Stack.isStack(c) || NestedStack.isNestedStack(c)) continue;
    const stage = Stage.of(c);
    if (!stage) continue;
    byPath.set(path.resolve(stage.outdir, c.templateFile), c);
  }
  return templatePaths.map((templatePath) => {
    const template: unknown = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
    const stack = byPath.get(path.resolve(templatePath));
    if (!stack) {
      return { stackName: path.basename(templatePath).replace(/\.template\.json$/, ''), template, templatePath };
    }
    return {
      stackName: stack.stackName,
      template,
      templatePath,
      account: Token.isUnresolved(stack.account) ? undefined : stack.account,
      region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    };
  });
}

function assemblyDirectory(app: IConstruct, templatePaths: readonly string[]): string {
  if (Stage.isStage(app)) return app.outdir;
  return path.dirname(templatePaths[0]);
}

/** Splits `<stack>/<logicalId>#…` (or `<stack>/<logicalId>`) into its parts. */
function parseStatementId(id: string): { stack: string; logicalId: string } | undefined {
  const m = /^([^/#]+)\/([^/#]+)(?:#.*)?$/.exec(id);
  return m ? { stack: m[1], logicalId: m[2] } : undefined;
}

/**
 * Runs {@link analyseGovernance} over the app's synthesized templates at synth time.
 * Implements both the stable and the Beta1 plugin interfaces.
 */
export class GovernanceProof implements IPolicyValidationPlugin, IPolicyValidationPluginBeta1 {
  public readonly name = 'governed-lakehouse-governance-proof';
  public readonly version = '0.1.0';
  public readonly ruleIds = [...GOVERNANCE_RULES, EVALUATION_ERROR_RULE];
  /** The result of the last `validate` call (undefined until then, or after an evaluation error). */
  public lastResult?: ProofResult;

  constructor(private readonly props: GovernanceProofProps = {}) {}

  public validate(context: IPolicyValidationContextBeta1 | IPolicyValidationContext): PolicyValidationPluginReportBeta1 {
    this.lastResult = undefined;
    const stacks = stacksFromContext(context.templatePaths, context.appConstruct);
    const templatePathOf = new Map(stacks.map((s) => [s.stackName, s.templatePath]));
    let result: ProofResult;
    try {
      result = analyseGovernance(stacks, this.props);
    } catch (e) {
      if (!(e instanceof GovernanceEvaluationError)) throw e;
      const ref = parseStatementId(e.where);
      const templatePath = (ref && templatePathOf.get(ref.stack)) ?? stacks[0]?.templatePath ?? '';
      return {
        success: false,
        violations: [
          {
            ruleName: EVALUATION_ERROR_RULE,
            description: e.message,
            fix: 'The proof refuses to guess: make the policy evaluable or extend lib/governance to support it.',
            severity: 'error',
            violatingResources: [{ resourceLogicalId: ref?.logicalId ?? '', templatePath, locations: [e.element] }],
          },
        ],
      };
    }
    this.lastResult = result;
    const outdir = this.props.outdir ?? assemblyDirectory(context.appConstruct, context.templatePaths);
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, ACCESS_MATRIX_JSON), `${JSON.stringify(accessMatrixDocument(result), null, 1)}\n`);
    fs.writeFileSync(path.join(outdir, ACCESS_MATRIX_MARKDOWN), renderMatrixMarkdown(result));
    const violations = result.violations.map((v) => this.toPolicyViolation(v, result, templatePathOf));
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }

  private toPolicyViolation(v: GovernanceViolation, result: ProofResult, templatePathOf: ReadonlyMap<string, string>): PolicyViolationBeta1 {
    const resources: PolicyViolatingResourceBeta1[] = [];
    const seen = new Set<string>();
    const push = (stack: string | undefined, logicalId: string | undefined, location: string): void => {
      if (!stack || !logicalId) return;
      const templatePath = templatePathOf.get(stack);
      const key = `${stack}/${logicalId}`;
      if (!templatePath || seen.has(key)) return;
      seen.add(key);
      resources.push({ resourceLogicalId: logicalId, templatePath, locations: [location] });
    };
    const principal = result.principals.find((p) => p.id === v.principal);
    push(principal?.stack, principal?.logicalId, 'Properties');
    for (const statement of v.allowedBy) {
      const ref = parseStatementId(statement);
      push(ref?.stack, ref?.logicalId, `Statement ${statement.slice(statement.indexOf('#') + 1)}`);
    }
    const zone = result.zones.find((z) => z.id === v.bucket);
    push(zone?.stack, zone?.logicalId, 'BucketPolicy');
    return {
      ruleName: v.rule,
      description: v.message,
      fix: v.fix,
      severity: 'error',
      ruleMetadata: {
        principal: v.principal,
        action: v.variant ? `${v.action} (${v.variant})` : v.action,
        zone: v.zone,
        key: v.key ?? '(bucket)',
        allowedBy: v.allowedBy.join(', '),
      },
      violatingResources: resources,
    };
  }
}
