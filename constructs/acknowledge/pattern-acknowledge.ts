/**
 * Pattern acknowledgements: one reviewed decision that covers every finding of a rule matching a
 * pattern, under one construct.
 *
 * cdk-nag 2 had `appliesTo: [{ regex }]` for this; cdk-nag 3 matches acknowledged ids exactly, so a
 * least-privilege grant on `bucket/<domain>/*` needs one acknowledgement per domain, per zone, per
 * role. `acknowledgeFindings` restores the v2 behaviour: the packs registered with
 * `withPatternAcknowledgements` drop a violation `<id>[<finding>]` whose resource lies under the
 * acknowledged scope and whose finding matches the pattern, and count it against the
 * acknowledgement, which the synth summary prints with its instances.
 */
import type { PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { LakehouseError } from '../errors';
import { MIN_REASON_LENGTH } from './acknowledge';
/** Any cdk-nag pack class, abstract or concrete. */
// TypeScript requires a mixin's base constructor to take `...args: any[]` (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NagPackClass = abstract new (...args: any[]) => import('cdk-nag').NagPack;
import { callerLocation } from './provenance';

export interface FindingPatternAcknowledgement {
  /** The rule id whose findings are covered, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Findings (the text inside the brackets) this decision covers, anchored: e.g. `^Resource::<...>/[a-z_]+/\*$`. */
  readonly findings: RegExp;
  /** Why findings of this shape are acceptable (at least 20 characters). */
  readonly reason: string;
}

export interface PatternAcknowledgementEntry {
  readonly pack: string;
  readonly rule: string;
  /** The pattern, as text. */
  readonly pattern: string;
  /** The construct path it covers (that construct and its children). */
  readonly path: string;
  readonly reason: string;
  readonly source: string;
  /** Findings it covered in the last validation, as `<construct path> <finding>`. */
  readonly instances: string[];
}

const registry = new WeakMap<IConstruct, PatternAcknowledgementEntry[]>();

/** Acknowledge every finding of `id` matching `findings` on `scope` and its children. */
export function acknowledgeFindings(scope: IConstruct, ack: FindingPatternAcknowledgement): void {
  if (Stage.isStage(scope) || Stack.isStack(scope)) {
    throw new LakehouseError({ code: 'LH915', scope, value: ack.id, problem: 'a pattern acknowledgement on a whole app, stage or stack covers findings nobody has seen', fix: 'acknowledge on the construct that owns the resources' });
  }
  if (!/^[A-Za-z0-9]+-[A-Za-z0-9]+$/.test(ack.id)) {
    throw new LakehouseError({ code: 'LH911', scope, value: ack.id, problem: 'the id must be a plain rule id such as AwsSolutions-IAM5', fix: 'put the finding shape in `findings`' });
  }
  if (!ack.findings.source.startsWith('^') || !ack.findings.source.endsWith('$')) {
    throw new LakehouseError({ code: 'LH916', scope, value: ack.findings.source, problem: 'the finding pattern must be anchored (^…$) so it covers only the shape it names', fix: 'anchor the pattern' });
  }
  if (ack.reason.trim().length < MIN_REASON_LENGTH) {
    throw new LakehouseError({ code: 'LH912', scope, value: ack.reason, problem: `the reason must say why the findings are acceptable (at least ${MIN_REASON_LENGTH} characters)`, fix: 'state the constraint and what compensates for it' });
  }
  const root = scope.node.root;
  const entries = registry.get(root) ?? [];
  registry.set(root, entries);
  entries.push({
    pack: ack.id.split('-')[0],
    rule: ack.id,
    pattern: ack.findings.source,
    path: scope.node.path,
    reason: ack.reason,
    source: callerLocation(__filename),
    instances: [],
  });
  patterns.set(entries[entries.length - 1], ack.findings);
}

const patterns = new WeakMap<PatternAcknowledgementEntry, RegExp>();

/** The pattern acknowledgements made in the tree of `root`. */
export function patternAcknowledgements(root: IConstruct): readonly PatternAcknowledgementEntry[] {
  return registry.get(root.node.root) ?? [];
}

const FINDING_RE = /^([^[\]]+)\[(.*)\]$/;

/** Removes from a report the findings that pattern acknowledgements in `root`'s tree cover, recording them. */
export function applyPatternAcknowledgements(root: IConstruct, report: PolicyValidationPluginReport, pack: string): PolicyValidationPluginReport {
  const entries = registry.get(root.node.root)?.filter((e) => e.pack === pack);
  if (!entries || entries.length === 0) return report;
  for (const e of entries) e.instances.length = 0;
  const violations: PolicyViolation[] = [];
  for (const violation of report.violations) {
    const m = FINDING_RE.exec(violation.ruleName);
    if (!m) {
      violations.push(violation);
      continue;
    }
    const [, rule, finding] = m;
    const remaining = violation.violatingResources.filter((resource) => {
      const at = resource.constructPath ?? '';
      const entry = entries.find((e) => e.rule === rule && (at === e.path || at.startsWith(`${e.path}/`)) && patterns.get(e)!.test(finding));
      if (entry) entry.instances.push(`${at} ${finding}`);
      return !entry;
    });
    if (remaining.length > 0) violations.push({ ...violation, violatingResources: remaining });
  }
  return { ...report, violations, success: report.success || violations.length === 0 };
}

/** Mixin: the pack, with pattern acknowledgements applied to its reports. */
export function withPatternAcknowledgements<TBase extends NagPackClass>(Base: TBase) {
  abstract class WithPatterns extends Base {
    public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
      return applyPatternAcknowledgements(scope, super.validateScope(scope), this.readPackName);
    }
  }
  return WithPatterns;
}
