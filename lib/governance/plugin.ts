/**
 * The governance proof as a CDK policy-validation plugin.
 *
 * Register it once on the app — `Validations.of(app).addPlugins(new GovernanceProof())` or
 * `new App({ policyValidationBeta1: [new GovernanceProof()] })`. CDK calls `validate` once per
 * synthesis with every stack template of the stage it is registered on (nested stages included),
 * which is what a cross-stack analysis needs. The plugin writes the access matrix into the cloud
 * assembly directory while the proof runs (`access-matrix.json`, `access-matrix/<stack>.json`,
 * `access-matrix.md`: matrix-files.ts) and reports each violation as an error. The proof runs under
 * {@link CheckBounds}: past 90% of the heap, or its time limit, synth fails naming the proof.
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
import { CheckBounds, CheckBoundsOptions } from '../check-bounds';
import { AccessMatrixWriter } from './matrix-files';
import { GovernanceEvaluationError } from './policy-eval';
import { GOVERNANCE_RULES, GovernanceViolation, ProofOptions, ProofSummary, runGovernanceProof, SECRET_TARGET } from './proof';
import { renderMatrixMarkdown } from './render';
import { StackTemplate } from './template-model';

export const EVALUATION_ERROR_RULE = 'Governance.EvaluationError';

export interface GovernanceProofProps extends Omit<ProofOptions, 'onProgress'> {
  /**
   * Directory for `access-matrix.json`, `access-matrix/` and `access-matrix.md`.
   * @default - the cloud assembly directory of the app (e.g. `cdk.out`)
   */
  readonly outdir?: string;
  /**
   * Memory and time bounds of the proof.
   * @default - 90% of the heap, 30 minutes
   */
  readonly bounds?: CheckBoundsOptions;
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
  /** The summary of the last `validate` call (undefined until then, or after an evaluation error). */
  public lastResult?: ProofSummary;

  constructor(private readonly props: GovernanceProofProps = {}) {}

  public validate(context: IPolicyValidationContextBeta1 | IPolicyValidationContext): PolicyValidationPluginReportBeta1 {
    this.lastResult = undefined;
    const stacks = stacksFromContext(context.templatePaths, context.appConstruct);
    const templatePathOf = new Map(stacks.map((s) => [s.stackName, s.templatePath]));
    const outdir = this.props.outdir ?? assemblyDirectory(context.appConstruct, context.templatePaths);
    fs.mkdirSync(outdir, { recursive: true });
    const writer = new AccessMatrixWriter(outdir);
    const bounds = new CheckBounds('governance proof', this.props.bounds);
    let result: ProofSummary;
    try {
      result = runGovernanceProof(stacks, { ...this.props, onProgress: (done, total) => bounds.check(`${done} of ${total} principals`) }, writer.add);
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
    writer.finish(result, renderMatrixMarkdown(result));
    const principals = new Map(result.principals.map((p) => [p.id, p]));
    const zones = new Map(result.zones.map((z) => [z.id, z]));
    const violations = result.violations.map((v) => this.toPolicyViolation(v, principals, zones, templatePathOf));
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }

  private toPolicyViolation(
    v: GovernanceViolation,
    principals: ReadonlyMap<string, ProofSummary['principals'][number]>,
    zones: ReadonlyMap<string, ProofSummary['zones'][number]>,
    templatePathOf: ReadonlyMap<string, string>,
  ): PolicyViolationBeta1 {
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
    const principal = principals.get(v.principal);
    push(principal?.stack, principal?.logicalId, 'Properties');
    for (const statement of v.allowedBy) {
      const ref = parseStatementId(statement);
      push(ref?.stack, ref?.logicalId, `Statement ${statement.slice(statement.indexOf('#') + 1)}`);
    }
    const zone = zones.get(v.bucket);
    push(zone?.stack, zone?.logicalId, 'BucketPolicy');
    if (v.zone === SECRET_TARGET) {
      const secret = parseStatementId(v.bucket);
      push(secret?.stack, secret?.logicalId, 'ResourcePolicy');
    }
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
