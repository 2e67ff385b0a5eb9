/**
 * Acknowledgements with provenance: where and why each nag finding was accepted.
 *
 * `acknowledge(scope, { id, reason, appliesTo })` wraps `Validations.of(scope).acknowledge(...)` (cdk-nag 3
 * reads the acknowledged ids from construct metadata, on the resource or any ancestor) and records the
 * construct path, the reason and the caller's `file:line`. `acknowledgementSummary(app)` reads every
 * acknowledgement in the tree — including ones made with `Validations.of(...)` directly, which have no
 * recorded source — and counts them per pack and rule; `renderAcknowledgementSummary` prints it at synth;
 * `assertAcknowledgementBudget` enforces the app-wide budget.
 *
 * One decision can cover the same control as several packs check it (`sameControl`): a function
 * outside a VPC is one design choice whether Control Tower (CT.LAMBDA.PR.3) or NIST 800-53
 * (NIST.800.53.R5-LambdaInsideVPC) flags it. The budget counts decisions; the summary lists every rule
 * each decision covers.
 *
 * Narrowing: rules that return findings (AwsSolutions-IAM5, DataOps-CostAllocationTags,
 * DataOps-GlueTableParameters) report ids like `AwsSolutions-IAM5[Action::s3:*]`; in cdk-nag 3 each such
 * finding must be acknowledged by its full id (acknowledging `AwsSolutions-IAM5` does not cover them).
 * `appliesTo: ['Action::s3:*']` acknowledges `AwsSolutions-IAM5[Action::s3:*]`, one entry per finding.
 */
import { Stack, Stage, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { LakehouseError } from '../errors';
import { callerLocation } from './provenance';
import { PatternAcknowledgementEntry, patternAcknowledgements } from './pattern-acknowledge';

/** The app-wide acknowledgement budget. */
export const ACKNOWLEDGEMENT_BUDGET = 15;

/** The budget of an environment that also runs the NIST 800-53 R5, HIPAA Security and PCI DSS packs. */
export const COMPLIANCE_ACKNOWLEDGEMENT_BUDGET = 25;

/** Rule ids: `<Pack>-<Rule>` (the pack may contain dots: `NIST.800.53.R5-LambdaInsideVPC`) or a Control Tower control `CT.<SERVICE>.PR.<n>`. */
const RULE_ID_RE = /^(?:[A-Za-z0-9][A-Za-z0-9.]*-[A-Za-z0-9]+|CT\.[A-Z0-9-]+\.PR\.\d+)$/;

/** The shortest reason accepted, in characters. */
export const MIN_REASON_LENGTH = 20;

export interface NagAcknowledgement {
  /** The rule id, without a finding: `DataOps-LambdaArm64`, `AwsSolutions-IAM5`, `CT.S3.PR.11`. */
  readonly id: string;
  /** Why the finding is accepted (at least 20 characters): printed in the synth summary. */
  readonly reason: string;
  /**
   * Narrow the acknowledgement to these findings of the rule: each `f` acknowledges `<id>[f]`
   * (e.g. `Action::s3:*`, `Resource::*`, `lakehouse:owner`).
   *
   * @default - the rule id itself (a rule that reports findings needs appliesTo)
   */
  readonly appliesTo?: readonly string[];
  /**
   * The same control as other packs check it (e.g. `NIST.800.53.R5-LambdaInsideVPC` next to
   * `CT.LAMBDA.PR.3`): acknowledged on the same construct for the same reason, and counted with `id`
   * as one decision. Only ids of the same control belong here; another reason is another decision.
   *
   * @default - none
   */
  readonly sameControl?: readonly string[];
}

/** One acknowledged id at one construct. */
export interface AcknowledgementEntry {
  /** The pack: the namespace or the id's prefix before `-` (`DataOps`, `AwsSolutions`). */
  readonly pack: string;
  /** The rule id without a finding (`AwsSolutions-IAM5`). */
  readonly rule: string;
  /** The id as acknowledged, with its finding if any (`AwsSolutions-IAM5[Action::s3:*]`). */
  readonly id: string;
  /** The construct path the acknowledgement is attached to (it covers that construct and its children). */
  readonly path: string;
  readonly reason: string;
  /** `file:line` of the `acknowledge(...)` call, relative to the working directory; `undefined` if not made with it. */
  readonly source?: string;
}

/**
 * One acknowledgement decision: a place in the code (file:line) that accepts findings of one rule
 * for one reason. The same decision applied by a reusable construct to every domain is one
 * decision with several instances; the budget counts decisions.
 */
export interface AcknowledgementDecision {
  /** The pack of the decision's first rule. */
  readonly pack: string;
  /** The decision's first rule (the `id` it was made with). */
  readonly rule: string;
  /** Every rule the decision covers: `rule`, then the same control in other packs (`sameControl`). */
  readonly rules: readonly string[];
  /** `file:line` of the call; `undefined` for acknowledgements not made with the helpers (each is its own decision). */
  readonly source?: string;
  readonly reason: string;
  /** What it covers: `<construct path> <id or finding>` per acknowledged id or covered finding. */
  readonly instances: readonly string[];
}

export interface AcknowledgementSummary {
  /** Number of acknowledgement decisions (the budget counts these). */
  readonly total: number;
  /** Number of acknowledged ids and covered findings across all decisions. */
  readonly instances: number;
  /** Decisions per pack (a decision covering rules of several packs counts in each). */
  readonly byPack: Readonly<Record<string, number>>;
  /** Decisions per rule id (findings counted under their rule; a decision counts under every rule it covers). */
  readonly byRule: Readonly<Record<string, number>>;
  /** Instances per rule id. */
  readonly instancesByRule: Readonly<Record<string, number>>;
  readonly decisions: readonly AcknowledgementDecision[];
  /** Every exact acknowledgement, sorted by pack, rule, path. */
  readonly entries: readonly AcknowledgementEntry[];
  /** Pattern acknowledgements (`acknowledgeFindings`), each with the findings it covered in the last validation. */
  readonly patterns: readonly PatternAcknowledgementEntry[];
}

interface Provenance {
  readonly source: string;
  /** The id the call was made with: the acknowledgements of one call share it. */
  readonly primary: string;
}

export interface AcknowledgementSummaryOptions {
  /**
   * Count only acknowledgements of these packs (the packs the app runs); acknowledgements of packs
   * that are not registered cover nothing.
   *
   * @default - every pack
   */
  readonly packs?: readonly string[];
}

/** Per construct tree (keyed by its root): `path|id` → where it was acknowledged. */
const registry = new WeakMap<IConstruct, Map<string, Provenance>>();

/**
 * Acknowledge a nag rule (or, with `appliesTo`, specific findings of it) on a construct and its children,
 * recording where and why.
 *
 * @throws LakehouseError LH910 if the scope is an App, Stage or Stack (acknowledge on the resource or the
 * construct that owns it), LH911 if the id is not a plain `<Pack>-<Rule>` id, LH912 if the reason is too
 * short, LH913 if an `appliesTo` entry is empty.
 */
export function acknowledge(scope: IConstruct, ack: NagAcknowledgement): void {
  validate(scope, ack);
  const rules = [ack.id, ...(ack.sameControl ?? [])];
  const ids = rules.flatMap((rule) => (ack.appliesTo === undefined ? [rule] : ack.appliesTo.map((finding) => `${rule}[${finding}]`)));
  const source = callerLocation(__filename);
  let provenance = registry.get(scope.node.root);
  if (!provenance) {
    provenance = new Map();
    registry.set(scope.node.root, provenance);
  }
  for (const id of ids) {
    Validations.of(scope).acknowledge({ id, reason: ack.reason });
    provenance.set(`${scope.node.path}|${id}`, { source, primary: ack.id });
  }
}

/** Every acknowledgement in the tree under `root` (of the given packs), counted per pack and rule. */
export function acknowledgementSummary(root: IConstruct, options: AcknowledgementSummaryOptions = {}): AcknowledgementSummary {
  const counted = (pack: string) => options.packs === undefined || options.packs.includes(pack);
  const provenance = registry.get(root.node.root);
  const seen = new Set<string>();
  const entries: AcknowledgementEntry[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || !entry.data) {
        continue;
      }
      for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, string>)) {
        const { namespace, id } = splitNamespace(qualifiedId);
        const key = `${construct.node.path}|${id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const rule = id.replace(/\[.*\]$/, '');
        if (!counted(packOf(namespace, rule))) continue;
        entries.push({
          pack: packOf(namespace, rule),
          rule,
          id,
          path: construct.node.path,
          reason,
          source: provenance?.get(key)?.source,
        });
      }
    }
  }
  entries.sort((a, b) => a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
  const patterns = patternAcknowledgements(root).filter((p) => counted(p.pack));
  interface Draft { pack: string; rule: string; packs: Set<string>; rules: string[]; source?: string; reason: string; instances: string[]; instancesByRule: Map<string, number> }
  const byKey = new Map<string, Draft>();
  const decide = (pack: string, rule: string, primary: string, source: string | undefined, reason: string, unique: string, instances: readonly string[]) => {
    const key = source ? `${source}|${primary}|${reason}` : `unknown|${unique}`;
    let d = byKey.get(key);
    if (!d) byKey.set(key, (d = { pack, rule, packs: new Set(), rules: [], source, reason, instances: [], instancesByRule: new Map() }));
    if (!d.rules.includes(rule)) d.rules.push(rule);
    d.packs.add(pack);
    d.instances.push(...instances);
    d.instancesByRule.set(rule, (d.instancesByRule.get(rule) ?? 0) + instances.length);
    // The decision is named after the rule its call was made with, when that pack is counted.
    if (rule === primary) {
      d.pack = pack;
      d.rule = rule;
    }
  };
  for (const e of entries) {
    const primary = provenance?.get(`${e.path}|${e.id}`)?.primary ?? e.rule;
    decide(e.pack, e.rule, primary, e.source, e.reason, `${e.path}|${e.id}`, [`${e.path} ${e.id}`]);
  }
  for (const p of patterns) decide(p.pack, p.rule, p.rule, p.source, p.reason, `${p.path}|${p.pattern}`, p.instances);
  const decisions = [...byKey.values()]
    .map((d) => ({ ...d, rules: [d.rule, ...d.rules.filter((r) => r !== d.rule).sort()] }))
    .sort((a, b) => a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule) || (a.source ?? '').localeCompare(b.source ?? ''));
  const byPack: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const instancesByRule: Record<string, number> = {};
  for (const d of decisions) {
    for (const pack of d.packs) byPack[pack] = (byPack[pack] ?? 0) + 1;
    for (const rule of d.rules) {
      byRule[rule] = (byRule[rule] ?? 0) + 1;
      instancesByRule[rule] = (instancesByRule[rule] ?? 0) + (d.instancesByRule.get(rule) ?? 0);
    }
  }
  return {
    total: decisions.length,
    instances: decisions.reduce((n, d) => n + d.instances.length, 0),
    byPack: sortKeys(byPack),
    byRule: sortKeys(byRule),
    instancesByRule,
    decisions: decisions.map(({ pack, rule, rules, source, reason, instances }) => ({ pack, rule, rules, source, reason, instances })),
    entries,
    patterns,
  };
}

/** The summary as text for the synth output: totals per pack and rule, then one line per acknowledgement. */
export function renderAcknowledgementSummary(
  summary: AcknowledgementSummary,
  budget: number = ACKNOWLEDGEMENT_BUDGET,
  environment?: string,
): string {
  const title = environment === undefined ? 'Nag acknowledgements' : `Nag acknowledgements (${environment})`;
  const lines = [`${title}: ${summary.total} of a budget of ${budget} (decisions), covering ${summary.instances} finding(s)`];
  for (const [pack, count] of Object.entries(summary.byPack)) {
    lines.push(`  ${pack}: ${count}`);
    for (const [rule, ruleCount] of Object.entries(summary.byRule)) {
      if (packOf(undefined, rule) === pack || summary.entries.some((e) => e.rule === rule && e.pack === pack) || summary.patterns.some((p) => p.rule === rule && p.pack === pack)) {
        lines.push(`    ${rule}: ${ruleCount} (${summary.instancesByRule[rule]} finding(s))`);
      }
    }
  }
  for (const d of summary.decisions) {
    const shown = d.instances.slice(0, 3).join('; ');
    const more = d.instances.length > 3 ? `; … ${d.instances.length - 3} more` : '';
    lines.push(`  - ${d.rules.join(' = ')} (${d.source ?? 'source unknown: not made with acknowledge()'}): ${d.reason} — ${d.instances.length} finding(s): ${shown}${more}`);
  }
  return lines.join('\n');
}

/**
 * The summary, after checking the app stays within the budget.
 *
 * @throws LakehouseError LH914 when there are more acknowledgements than the budget.
 */
export function assertAcknowledgementBudget(
  root: IConstruct,
  budget: number = ACKNOWLEDGEMENT_BUDGET,
  options: AcknowledgementSummaryOptions = {},
): AcknowledgementSummary {
  const summary = acknowledgementSummary(root, options);
  if (summary.total > budget) {
    throw new LakehouseError({
      code: 'LH914',
      scope: root,
      value: summary.total,
      problem: `the app makes ${summary.total} acknowledgement decisions, over the budget of ${budget}:\n${renderAcknowledgementSummary(summary, budget)}\n`,
      fix: 'fix the findings instead of acknowledging them, or acknowledge higher up with one reason where one decision covers several',
    });
  }
  return summary;
}

function validate(scope: IConstruct, ack: NagAcknowledgement): void {
  if (Stage.isStage(scope) || Stack.isStack(scope)) {
    throw new LakehouseError({
      code: 'LH910',
      scope,
      value: ack.id,
      problem: 'acknowledgements on a whole app, stage or stack hide every future finding of the rule',
      fix: 'acknowledge on the resource, or on the construct that owns it',
    });
  }
  for (const id of [ack.id, ...(ack.sameControl ?? [])]) {
    if (!RULE_ID_RE.test(id)) {
      throw new LakehouseError({
        code: 'LH911',
        scope,
        value: id,
        problem: 'the id must be a plain rule id such as DataOps-LambdaArm64, AwsSolutions-IAM5, NIST.800.53.R5-LambdaInsideVPC or CT.S3.PR.11',
        fix: "drop any 'Pack::' namespace and pass findings such as 'Action::s3:*' in appliesTo",
      });
    }
  }
  if (ack.reason.trim().length < MIN_REASON_LENGTH) {
    throw new LakehouseError({
      code: 'LH912',
      scope,
      value: ack.reason,
      problem: `the reason must say why the finding is acceptable (at least ${MIN_REASON_LENGTH} characters)`,
      fix: 'state the constraint that makes the finding unavoidable and what compensates for it',
    });
  }
  if (ack.appliesTo !== undefined && (ack.appliesTo.length === 0 || ack.appliesTo.some((f) => f.trim() === ''))) {
    throw new LakehouseError({
      code: 'LH913',
      scope,
      value: ack.appliesTo,
      problem: 'appliesTo must list at least one non-empty finding',
      fix: "list the findings as printed inside the brackets, e.g. ['Action::s3:*'], or omit appliesTo",
    });
  }
}

/** `Pack::Id` → namespace + id; CDK stores plain ids as `Annotation::Id`. */
function splitNamespace(qualifiedId: string): { namespace?: string; id: string } {
  const match = /^([^[:]+)::(.*)$/.exec(qualifiedId);
  if (!match) return { id: qualifiedId };
  return match[1].toLowerCase() === 'annotation' ? { id: match[2] } : { namespace: match[1], id: match[2] };
}

/** The pack of a rule id: its namespace, `ControlTower` for `CT.*` controls, else the id's prefix before `-`. */
export function packOf(namespace: string | undefined, rule: string): string {
  if (namespace) return namespace;
  if (/^CT\./.test(rule)) return 'ControlTower';
  const prefix = /^([A-Za-z0-9.]+)-/.exec(rule);
  return prefix ? prefix[1] : 'Annotations';
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}


