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

/** The shortest reason accepted, in characters. */
export const MIN_REASON_LENGTH = 20;

export interface NagAcknowledgement {
  /** The rule id, without a finding: `DataOps-LambdaArm64`, `AwsSolutions-IAM5`. */
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
  readonly pack: string;
  readonly rule: string;
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
  /** Decisions per pack. */
  readonly byPack: Readonly<Record<string, number>>;
  /** Decisions per rule id (findings counted under their rule). */
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
  const ids = ack.appliesTo === undefined ? [ack.id] : ack.appliesTo.map((finding) => `${ack.id}[${finding}]`);
  const source = callerLocation(__filename);
  let provenance = registry.get(scope.node.root);
  if (!provenance) {
    provenance = new Map();
    registry.set(scope.node.root, provenance);
  }
  for (const id of ids) {
    Validations.of(scope).acknowledge({ id, reason: ack.reason });
    provenance.set(`${scope.node.path}|${id}`, { source });
  }
}

/** Every acknowledgement in the tree under `root`, counted per pack and rule. */
export function acknowledgementSummary(root: IConstruct): AcknowledgementSummary {
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
  const patterns = patternAcknowledgements(root);
  const byKey = new Map<string, { pack: string; rule: string; source?: string; reason: string; instances: string[] }>();
  const decide = (pack: string, rule: string, source: string | undefined, reason: string, unique: string) => {
    const key = source ? `${source}|${rule}|${reason}` : `unknown|${unique}`;
    let d = byKey.get(key);
    if (!d) byKey.set(key, (d = { pack, rule, source, reason, instances: [] }));
    return d;
  };
  for (const e of entries) decide(e.pack, e.rule, e.source, e.reason, `${e.path}|${e.id}`).instances.push(`${e.path} ${e.id}`);
  for (const p of patterns) decide(p.pack, p.rule, p.source, p.reason, `${p.path}|${p.pattern}`).instances.push(...p.instances);
  const decisions = [...byKey.values()].sort((a, b) => a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule) || (a.source ?? '').localeCompare(b.source ?? ''));
  const instancesByRule: Record<string, number> = {};
  for (const d of decisions) instancesByRule[d.rule] = (instancesByRule[d.rule] ?? 0) + d.instances.length;
  return {
    total: decisions.length,
    instances: decisions.reduce((n, d) => n + d.instances.length, 0),
    byPack: countBy(decisions, (d) => d.pack),
    byRule: countBy(decisions, (d) => d.rule),
    instancesByRule,
    decisions,
    entries,
    patterns,
  };
}

/** The summary as text for the synth output: totals per pack and rule, then one line per acknowledgement. */
export function renderAcknowledgementSummary(
  summary: AcknowledgementSummary,
  budget: number = ACKNOWLEDGEMENT_BUDGET,
): string {
  const lines = [`Nag acknowledgements: ${summary.total} of a budget of ${budget} (decisions), covering ${summary.instances} finding(s)`];
  for (const [pack, count] of Object.entries(summary.byPack)) {
    lines.push(`  ${pack}: ${count}`);
    for (const [rule, ruleCount] of Object.entries(summary.byRule)) {
      if (summary.decisions.some((d) => d.pack === pack && d.rule === rule)) {
        lines.push(`    ${rule}: ${ruleCount} (${summary.instancesByRule[rule]} finding(s))`);
      }
    }
  }
  for (const d of summary.decisions) {
    const shown = d.instances.slice(0, 3).join('; ');
    const more = d.instances.length > 3 ? `; … ${d.instances.length - 3} more` : '';
    lines.push(`  - ${d.rule} (${d.source ?? 'source unknown: not made with acknowledge()'}): ${d.reason} — ${d.instances.length} finding(s): ${shown}${more}`);
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
): AcknowledgementSummary {
  const summary = acknowledgementSummary(root);
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
  if (!/^[A-Za-z0-9]+-[A-Za-z0-9]+$/.test(ack.id)) {
    throw new LakehouseError({
      code: 'LH911',
      scope,
      value: ack.id,
      problem: 'the id must be a plain rule id such as DataOps-LambdaArm64 or AwsSolutions-IAM5',
      fix: "drop any 'Pack::' namespace and pass findings such as 'Action::s3:*' in appliesTo",
    });
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

function packOf(namespace: string | undefined, rule: string): string {
  if (namespace) return namespace;
  const prefix = /^([A-Za-z0-9]+)-/.exec(rule);
  return prefix ? prefix[1] : 'Annotations';
}

function countBy<T>(entries: readonly T[], key: (e: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[key(e)] = (counts[key(e)] ?? 0) + 1;
  return counts;
}
