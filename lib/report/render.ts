/**
 * Renders the pull-request report (GitHub-flavoured markdown) from the synth outputs in `cdk.out/`.
 *
 * Pure: takes `ReportInputs` (see read.ts), returns a string.
 *
 * Result rule — the report says FAIL when any of these holds, and lists which:
 * - `validation-report.json` is missing or unreadable (no evidence is not a pass);
 * - a validation plugin concluded `failure` (cdk-nag 3 packs fail on warnings too; the
 *   construct-annotations plugin concludes `success` with warnings);
 * - more acknowledgements are used than the budget allows;
 * - an optional input exists but cannot be read.
 * Acknowledgements used = the number of entries in acknowledgements.json; the per-rule table
 * shows `counts` (and says so when `counts` disagree with the entries).
 */
import { renderCostMarkdown } from '../cost/render';
import { usd } from '../cost/budget';
import { MARKDOWN_DETAIL_MARKER } from '../governance/render';
import { renderDataFlowMarkdown } from './data-flow';
import { diffSummaryLine, renderDiffMarkdown } from './render-diff';
import { AcknowledgementEntry, Acknowledgements, PluginReport, REPORT_FILES, ReportInputs, SuppressedViolation, Violation, ViolatingConstruct } from './types';

/** Paths listed per rule before the list is cut (the artifact has them all). */
export const MAX_PATHS_PER_RULE = 50;

/** Level order for sorting; unknown levels sort last. */
const LEVEL_ORDER = ['fatal', 'error', 'warning', 'info'];

export interface RuleFindings {
  readonly pack: string;
  readonly rule: string;
  /** `fatal`, `error`, `warning`, `info`, or a plugin's own severity. */
  readonly level: string;
  readonly description: string;
  readonly fix?: string;
  readonly constructs: readonly ViolatingConstruct[];
}

export interface ReportSummary {
  readonly pass: boolean;
  /** Why it fails (empty when it passes). */
  readonly reasons: readonly string[];
  /** Findings at level error or fatal. */
  readonly errors: number;
  readonly warnings: number;
  /** Findings at other levels (info, custom). */
  readonly others: number;
  readonly acknowledgementsUsed?: number;
  readonly budget?: number;
}

/** Active (unsuppressed) findings grouped by pack and rule, most severe first. */
export function findingsByRule(inputs: ReportInputs): RuleFindings[] {
  const out: RuleFindings[] = [];
  for (const plugin of inputs.validationReport?.pluginReports ?? []) {
    for (const v of plugin.violations) out.push(toRuleFindings(plugin, v));
  }
  return out.sort(byLevelPackRule);
}

/** The pass/fail decision and the counts for the summary line. */
export function summarize(inputs: ReportInputs): ReportSummary {
  const reasons: string[] = [];
  const vr = inputs.validationReport;
  const vrProblem = inputs.problems.find((p) => p.file === REPORT_FILES.validationReport);
  if (!vr) {
    reasons.push(
      vrProblem
        ? `${REPORT_FILES.validationReport} could not be read (${vrProblem.problem})`
        : `${REPORT_FILES.validationReport} is missing: synth stopped before validation, or no validation plugin ran`,
    );
  }
  for (const plugin of vr?.pluginReports ?? []) {
    if (plugin.conclusion === 'failure') {
      const error = pluginError(plugin);
      reasons.push(error ? `plugin ${plugin.pluginName} crashed: ${error}` : `plugin ${plugin.pluginName} concluded failure`);
    }
  }
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const f of findingsByRule(inputs)) {
    const n = findingCount(f);
    if (f.level === 'error' || f.level === 'fatal') errors += n;
    else if (f.level === 'warning') warnings += n;
    else others += n;
  }
  const acks = inputs.acknowledgements;
  const used = acks?.entries.length;
  if (acks && acks.entries.length > acks.budget) {
    reasons.push(`${acks.entries.length} acknowledgements used, over the budget of ${acks.budget}`);
  }
  for (const p of inputs.problems) {
    if (p.file !== REPORT_FILES.validationReport) reasons.push(`${p.file} could not be read (${p.problem})`);
  }
  return { pass: reasons.length === 0, reasons, errors, warnings, others, acknowledgementsUsed: used, budget: acks?.budget };
}

/** Renders the whole report. */
export function renderReport(inputs: ReportInputs): string {
  const s = summarize(inputs);
  const lines: string[] = [];
  lines.push('# Synth report', '');
  lines.push(summaryLine(inputs, s), '');
  lines.push(...overviewLines(inputs));
  if (s.reasons.length > 0) {
    lines.push('Why it fails:', '', ...s.reasons.map((r) => `- ${r}`), '');
  }
  const missing = missingInputs(inputs);
  if (missing.length > 0) {
    lines.push(`**Missing from \`${inputs.cdkOut}\`:**`, '', ...missing.map((m) => `- ${m}`), '');
  }
  for (const p of inputs.problems) lines.push(`**Could not read \`${p.file}\`:** ${p.problem}`, '');

  if (inputs.diff) lines.push(...renderDiffMarkdown(inputs.diff));
  if (inputs.dataFlow) lines.push(...renderDataFlowMarkdown(inputs.dataFlow, { changed: changedDomains(inputs) }));
  if (inputs.cost) lines.push(...renderCostMarkdown(inputs.cost));
  lines.push(...renderFindings(inputs));
  lines.push(...renderAcknowledgements(inputs));
  lines.push(...renderAccessMatrix(inputs));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** The domains a change touches: their access or their stack changed (only with a base). */
export function changedDomains(inputs: ReportInputs): ReadonlySet<string> | undefined {
  if (!inputs.diff) return undefined;
  const known = new Map((inputs.dataFlow?.facts ?? []).map((f) => [f.stack, f.domain]));
  const names = new Set((inputs.dataFlow?.facts ?? []).map((f) => f.domain));
  const out = new Set<string>();
  for (const stack of inputs.diff.stacks) {
    const domain = known.get(stack);
    if (domain) out.add(domain);
  }
  for (const d of inputs.diff.access?.domains ?? []) if (names.has(d)) out.add(d);
  return out;
}

/** The headline figures under the verdict: the diff, the cost, the budgets, the diagrams. */
function overviewLines(inputs: ReportInputs): string[] {
  const out: string[] = [];
  if (inputs.diff) out.push(`- **Against the base**: ${diffSummaryLine(inputs.diff)}.`);
  if (inputs.baseNote) out.push(`- ${inputs.baseNote}`);
  if (inputs.cost) {
    const over = inputs.cost.domains.filter((d) => d.monthlyBudgetUsd !== undefined && Math.max(...d.monthly) > d.monthlyBudgetUsd).length;
    out.push(`- **Cost** (\`${inputs.cost.environment}\`, 12 months): ${usd(inputs.cost.total)}; month 1 ${usd(inputs.cost.monthly[0])}, month 12 ${usd(inputs.cost.monthly[inputs.cost.monthly.length - 1])}; ${over === 0 ? 'every budget holds' : `**${over} domain(s) over budget**`}.`);
  }
  if (inputs.dataFlow && inputs.dataFlow.facts.length > 0) {
    const changed = changedDomains(inputs);
    out.push(`- **Data flow**: ${inputs.dataFlow.facts.length} domain(s)${changed ? `, ${changed.size} touched by this change` : ''} (diagrams below and in \`data-flow.md\`).`);
  }
  return out.length > 0 ? [...out, ''] : [];
}

function summaryLine(inputs: ReportInputs, s: ReportSummary): string {
  const verdict = s.pass ? '**PASS**' : '**FAIL**';
  const parts: string[] = [];
  if (inputs.validationReport) {
    const plugins = inputs.validationReport.pluginReports.length;
    let findings = `${plural(s.errors, 'error finding')}, ${plural(s.warnings, 'warning finding')}`;
    if (s.others > 0) findings += `, ${plural(s.others, 'other finding')}`;
    parts.push(`${findings} (${plural(plugins, 'plugin')} reporting)`);
  } else {
    parts.push('no validation report');
  }
  parts.push(
    s.acknowledgementsUsed === undefined
      ? 'acknowledgements: not reported'
      : `acknowledgements: ${s.acknowledgementsUsed} used of a budget of ${s.budget}`,
  );
  return `${verdict} — ${parts.join(' · ')}`;
}

function missingInputs(inputs: ReportInputs): string[] {
  const failedToRead = new Set(inputs.problems.map((p) => p.file));
  const out: string[] = [];
  if (!inputs.validationReport && !failedToRead.has(REPORT_FILES.validationReport)) {
    out.push(`\`${REPORT_FILES.validationReport}\` — no findings can be reported (required input).`);
  }
  if (!inputs.acknowledgements && !failedToRead.has(REPORT_FILES.acknowledgements)) {
    out.push(`\`${REPORT_FILES.acknowledgements}\` — acknowledgements and the budget are not reported.`);
  }
  if (inputs.accessMatrixMarkdown === undefined && !failedToRead.has(REPORT_FILES.accessMatrixMarkdown)) {
    out.push(
      inputs.accessMatrixJsonPresent
        ? `\`${REPORT_FILES.accessMatrixMarkdown}\` — the access matrix is not shown (\`${REPORT_FILES.accessMatrixJson}\` is present).`
        : `\`${REPORT_FILES.accessMatrixMarkdown}\` and \`${REPORT_FILES.accessMatrixJson}\` — the governance access matrix is not shown.`,
    );
  } else if (!inputs.accessMatrixJsonPresent) {
    out.push(`\`${REPORT_FILES.accessMatrixJson}\` — only the markdown access matrix was produced.`);
  }
  return out;
}

function renderFindings(inputs: ReportInputs): string[] {
  const vr = inputs.validationReport;
  if (!vr) return [];
  const lines: string[] = ['## Findings by pack and rule', ''];
  const rules = findingsByRule(inputs);
  if (rules.length === 0) {
    lines.push('No findings.', '');
  } else {
    lines.push('| Pack | Rule | Level | Count |', '| --- | --- | --- | ---: |');
    for (const f of rules) lines.push(`| ${cell(f.pack)} | ${cell(f.rule)} | ${cell(f.level)} | ${findingCount(f)} |`);
    lines.push('', '## Findings', '');
    for (const f of rules) {
      lines.push(`### ${f.pack} · ${f.rule} (${f.level}, ${findingCount(f)})`, '');
      lines.push(oneLine(f.description), '');
      lines.push(f.fix ? `**Fix:** ${oneLine(f.fix)}` : '**Fix:** none given by the plugin — see the description.', '');
      const shown = f.constructs.slice(0, MAX_PATHS_PER_RULE);
      if (shown.length === 0) lines.push('- (the plugin named no construct)');
      for (const c of shown) lines.push(`- ${constructLine(c)}`);
      if (f.constructs.length > shown.length) {
        lines.push(`- … and ${f.constructs.length - shown.length} more (all are in \`${REPORT_FILES.validationReport}\`)`);
      }
      lines.push('');
    }
  }
  const crashed = vr.pluginReports.filter((p) => pluginError(p));
  if (crashed.length > 0) {
    lines.push('## Plugin errors', '');
    for (const p of crashed) lines.push(`- **${p.pluginName}**: ${oneLine(pluginError(p)!)}`);
    lines.push('');
  }
  return lines;
}

function renderAcknowledgements(inputs: ReportInputs): string[] {
  const lines: string[] = ['## Acknowledgements', ''];
  const acks = inputs.acknowledgements;
  if (!acks) {
    lines.push(`Not reported: \`${REPORT_FILES.acknowledgements}\` is ${inputs.problems.some((p) => p.file === REPORT_FILES.acknowledgements) ? 'unreadable' : 'missing'}.`, '');
  } else {
    lines.push(...renderAcknowledgementFile(acks));
  }
  const suppressed = suppressedFindings(inputs);
  if (suppressed.length > 0) {
    lines.push('### Suppressed in the validation report', '');
    lines.push(
      'Findings the CDK validation framework moved to `suppressedViolations` because of an acknowledgement ' +
        '(cdk-nag packs filter their own acknowledged findings, so those appear only above).',
      '',
    );
    lines.push('| Pack | Rule | Path | Reason | Acknowledged at |', '| --- | --- | --- | --- | --- |');
    for (const { pack, v, c } of suppressed) {
      const at = v.acknowledgedAt ? code(v.acknowledgedAt, true) : 'unknown';
      lines.push(`| ${cell(pack)} | ${cell(v.ruleName)} | ${code(c.constructPath || '(no path)', true)} | ${cell(v.reason ?? '(no reason given)')} | ${at} |`);
    }
    lines.push('');
  }
  return lines;
}

function renderAcknowledgementFile(acks: Acknowledgements): string[] {
  const lines: string[] = [];
  const used = acks.entries.length;
  lines.push(`${used} used of a budget of ${acks.budget}${used > acks.budget ? ' — **over budget**' : ''}.`, '');
  if (used === 0 && Object.keys(acks.counts).length === 0) return [...lines, 'No acknowledgements.', ''];

  // Group entries by pack and rule.
  const groups = new Map<string, { pack: string; rule: string; entries: AcknowledgementEntry[] }>();
  for (const e of acks.entries) {
    const k = `${e.pack}\u0000${e.rule}`;
    if (!groups.has(k)) groups.set(k, { pack: e.pack, rule: e.rule, entries: [] });
    groups.get(k)!.entries.push(e);
  }
  for (const [pack, rules] of Object.entries(acks.counts)) {
    for (const rule of Object.keys(rules)) {
      const k = `${pack}\u0000${rule}`;
      if (!groups.has(k)) groups.set(k, { pack, rule, entries: [] });
    }
  }
  const sorted = [...groups.values()].sort((a, b) => cmp(a.pack, b.pack) || cmp(a.rule, b.rule));

  lines.push('| Pack | Rule | Count |', '| --- | --- | ---: |');
  for (const g of sorted) lines.push(`| ${cell(g.pack)} | ${cell(g.rule)} | ${acks.counts[g.pack]?.[g.rule] ?? g.entries.length} |`);
  lines.push('');
  const countTotal = Object.values(acks.counts).reduce((n, rules) => n + Object.values(rules).reduce((m, x) => m + x, 0), 0);
  if (countTotal !== used) {
    lines.push(`Note: \`counts\` add up to ${countTotal}, but there are ${used} entries; the budget is checked against the entries.`, '');
  }
  for (const g of sorted) {
    if (g.entries.length === 0) continue;
    lines.push(`### ${g.pack} · ${g.rule} (${g.entries.length})`, '');
    for (const e of g.entries) lines.push(`- ${code(shortPaths(e.path))} — ${oneLine(e.reason) || '(no reason given)'} _(made at ${code(e.source)})_`);
    lines.push('');
  }
  return lines;
}

function renderAccessMatrix(inputs: ReportInputs): string[] {
  const lines: string[] = ['## Governance access matrix', ''];
  if (inputs.accessMatrixMarkdown !== undefined) {
    // The summary and the violations; the per-domain detail stays in the file (it grows with domains).
    const [summary, detail] = inputs.accessMatrixMarkdown.split(MARKDOWN_DETAIL_MARKER);
    lines.push(summary.trimEnd(), '');
    if (detail !== undefined) lines.push(`The detail per domain is in \`${REPORT_FILES.accessMatrixMarkdown}\`; every cell with its keys and statements in \`${REPORT_FILES.accessMatrixJson}\` and \`access-matrix/\`.`, '');
  } else {
    lines.push(`Not shown: \`${REPORT_FILES.accessMatrixMarkdown}\` is missing${inputs.accessMatrixJsonPresent ? ` (\`${REPORT_FILES.accessMatrixJson}\` is present)` : ''}.`, '');
  }
  return lines;
}

function toRuleFindings(plugin: PluginReport, v: Violation): RuleFindings {
  return {
    pack: plugin.pluginName,
    rule: v.ruleName,
    level: v.severity === 'custom' ? v.customSeverity ?? 'custom' : v.severity,
    description: v.description,
    fix: v.suggestedFix,
    constructs: v.violatingConstructs,
  };
}

function suppressedFindings(inputs: ReportInputs): { pack: string; v: SuppressedViolation; c: ViolatingConstruct }[] {
  const out: { pack: string; v: SuppressedViolation; c: ViolatingConstruct }[] = [];
  for (const plugin of inputs.validationReport?.pluginReports ?? []) {
    for (const v of plugin.suppressedViolations ?? []) {
      for (const c of v.violatingConstructs) out.push({ pack: plugin.pluginName, v, c });
    }
  }
  return out;
}

/** A plugin that threw is reported as a failure with no violations and `metadata.error`. */
function pluginError(p: PluginReport): string | undefined {
  return p.conclusion === 'failure' && p.violations.length === 0 ? p.metadata?.error ?? 'failed without findings or an error message' : undefined;
}

function constructLine(c: ViolatingConstruct): string {
  const path = code(c.constructPath || '(no construct path)');
  const r = c.cloudFormationResource;
  if (!r) return path;
  const props = r.propertyPaths && r.propertyPaths.length > 0 ? ` (${r.propertyPaths.map((p) => code(p)).join(', ')})` : '';
  return `${path} — ${code(r.templatePath)} › ${code(r.logicalId)}${props}`;
}

/** Paths an acknowledgement entry lists before the rest are counted (the entry's list grows with domains). */
export const MAX_ACKNOWLEDGED_PATHS = 3;

/** An entry's comma-separated paths, the first few and how many more (all are in acknowledgements.json). */
function shortPaths(paths: string): string {
  const list = paths.split(', ');
  return list.length > MAX_ACKNOWLEDGED_PATHS ? `${list.slice(0, MAX_ACKNOWLEDGED_PATHS).join(', ')}, … ${list.length - MAX_ACKNOWLEDGED_PATHS} more` : paths;
}

/** Findings of a rule: one per violating construct (a violation naming none still counts once). */
export function findingCount(f: RuleFindings): number {
  return Math.max(f.constructs.length, 1);
}

function byLevelPackRule(a: RuleFindings, b: RuleFindings): number {
  return levelRank(a.level) - levelRank(b.level) || cmp(a.pack, b.pack) || cmp(a.rule, b.rule);
}

function levelRank(level: string): number {
  const i = LEVEL_ORDER.indexOf(level);
  return i === -1 ? LEVEL_ORDER.length : i;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Text on one line (markdown list items and table cells). */
function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/** A table cell: one line, pipes escaped. */
export function cell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}

/** Inline code that survives backticks in the text; in a table cell, pipes are escaped too. */
export function code(s: string, inTable = false): string {
  const text = inTable ? oneLine(s).replace(/\|/g, '\\|') : oneLine(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
