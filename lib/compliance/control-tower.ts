/**
 * AWS Control Tower's proactive controls as a synth-time check.
 *
 * A CDK validation plugin: `Validations.of(app).addPlugins(new ControlTowerChecks())`. CDK calls it
 * once with every template of the app; it runs the Control Tower rules that
 * `@cdklabs/cdk-validator-cfnguard` ships with its cfn-guard binary (offline), batched
 * (`guard-batch.ts`), and reports each non-compliant resource with the control id
 * (`CT.CLOUDWATCH.PR.3`), its construct path and the control's fix.
 *
 * Why not the package's own `CfnGuardValidator`: it registers the same way and works offline, but
 * runs every rule file over every full template in one call — about 4 s per domain template here,
 * minutes for hundreds of domains — and its findings can only be acknowledged through CDK's own
 * suppression, which the acknowledgement budget cannot count.
 *
 * Acknowledgements: a deliberate contradiction is acknowledged like a nag finding, with
 * `acknowledge(construct, { id: 'CT.S3.PR.11', reason })` on the resource or the construct that owns
 * it (`Validations.of(...).acknowledge({ id: 'ControlTower::CT.S3.PR.11' })` is honoured too). An
 * acknowledged resource is left out of the report; the synth summary counts the decision.
 */
import * as fs from 'fs';
import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { GuardBatchStats, GuardFinding, runGuardBatched, TemplateInput } from './guard-batch';
import { defaultGuardBinary, defaultRulesDir, GuardRule, guardPackageVersion, loadGuardRules } from './guard-rules';

/** The plugin's name, and the pack name of its acknowledgements. */
export const CONTROL_TOWER_PACK_NAME = 'ControlTower';

export interface ControlTowerChecksProps {
  /**
   * The cfn-guard binary.
   * @default - the binary `@cdklabs/cdk-validator-cfnguard` ships for this platform
   */
  readonly guardPath?: string;
  /**
   * The directory of rule files.
   * @default - the package's Control Tower rules (`rules/control-tower/cfn-guard`)
   */
  readonly rulesDir?: string;
  /**
   * Control ids not to run (e.g. a control your organisation has not enabled).
   * @default - none
   */
  readonly disabledControls?: readonly string[];
  /**
   * How many cfn-guard processes run at once.
   * @default os.availableParallelism()
   */
  readonly concurrency?: number;
}

/** The Control Tower proactive controls, run over every template of the app. */
export class ControlTowerChecks implements IPolicyValidationPlugin {
  public readonly name = CONTROL_TOWER_PACK_NAME;
  public readonly version: string;
  /** Every control id the rules directory holds. */
  public readonly ruleIds: string[];
  /** What the last `validate` did: rules run, groups, processes, bytes read. */
  public lastRun?: GuardBatchStats;
  private readonly rules: readonly GuardRule[];
  private readonly guardPath?: string;
  private readonly concurrency?: number;

  constructor(props: ControlTowerChecksProps = {}) {
    const disabled = new Set(props.disabledControls ?? []);
    this.rules = loadGuardRules(props.rulesDir ?? defaultRulesDir()).filter((r) => !disabled.has(r.controlId));
    this.ruleIds = this.rules.map((r) => r.controlId);
    this.version = guardPackageVersion();
    this.guardPath = props.guardPath;
    this.concurrency = props.concurrency;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates: TemplateInput[] = context.templatePaths.map((p) => ({ path: p, document: JSON.parse(fs.readFileSync(p, 'utf8')) }));
    const { findings, stats } = runGuardBatched(templates, { guardPath: this.guardPath ?? defaultGuardBinary(), rules: this.rules, concurrency: this.concurrency });
    this.lastRun = stats;
    const resolver = new ConstructResolver(context);
    const byControl = new Map<string, PolicyViolation>();
    for (const finding of findings) {
      const construct = resolver.resource(finding.templatePath, finding.logicalId);
      if (construct && isAcknowledged(construct, finding.rule.controlId)) continue;
      let violation = byControl.get(finding.rule.controlId);
      if (!violation) {
        violation = {
          ruleName: finding.rule.controlId,
          description: `${finding.rule.controlId}: ${finding.rule.description} (guard rule ${finding.rule.ruleName})`,
          fix: finding.rule.fix,
          severity: 'error',
          ruleMetadata: { ControlId: finding.rule.controlId, GuardRule: finding.rule.ruleName },
          violatingResources: [],
        };
        byControl.set(finding.rule.controlId, violation);
      }
      if (violation.violatingResources.some((r) => r.templatePath === finding.templatePath && r.resourceLogicalId === finding.logicalId)) continue;
      (violation.violatingResources as PolicyViolation['violatingResources'][number][]).push({
        resourceLogicalId: finding.logicalId,
        templatePath: finding.templatePath,
        constructPath: construct?.node.path,
        locations: [...finding.locations],
      });
    }
    const violations = [...byControl.values()].sort((a, b) => a.ruleName.localeCompare(b.ruleName));
    return { success: violations.length === 0, violations };
  }
}

/** Finds the CfnResource behind a template's logical id, through the stack the template belongs to. */
class ConstructResolver {
  private readonly stacks = new Map<string, Stack | undefined>();
  private readonly resources = new Map<string, Map<string, CfnResource>>();

  constructor(private readonly context: IPolicyValidationContext) {}

  public resource(templatePath: string, logicalId: string): CfnResource | undefined {
    let map = this.resources.get(templatePath);
    if (!map) {
      map = new Map();
      const stack = this.stack(templatePath);
      if (stack) {
        for (const c of stack.node.findAll()) {
          if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) map.set(stack.resolve(c.logicalId) as string, c);
        }
      }
      this.resources.set(templatePath, map);
    }
    return map.get(logicalId);
  }

  private stack(templatePath: string): Stack | undefined {
    if (!this.stacks.has(templatePath)) {
      const entry = this.context.stackTemplates.find((s) => s.templatePath === templatePath);
      const found = entry ? this.context.appConstruct.node.tryFindChild(entry.stackConstructPath) ?? findByPath(this.context.appConstruct, entry.stackConstructPath) : undefined;
      this.stacks.set(templatePath, found && Stack.isStack(found) ? found : undefined);
    }
    return this.stacks.get(templatePath);
  }
}

function findByPath(root: IConstruct, constructPath: string): IConstruct | undefined {
  return root.node.findAll().find((c) => c.node.path === constructPath);
}

/** Whether `controlId` is acknowledged on the construct or an ancestor (`Annotation::`, `ControlTower::` or no namespace). */
export function isAcknowledged(construct: IConstruct, controlId: string): boolean {
  let current: IConstruct | undefined = construct;
  while (current) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') continue;
      for (const id of Object.keys(entry.data as Record<string, string>)) {
        if (id.replace(/^(annotation|ControlTower)::/i, '') === controlId) return true;
      }
    }
    current = current.node.scope;
  }
  return false;
}

export type { GuardFinding, GuardRule };
