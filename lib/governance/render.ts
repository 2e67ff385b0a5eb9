/**
 * The proof's findings as text: the access matrix in markdown (summary by kind of principal, the
 * violations, then the detail per domain, folded) and the violations as plain text. Both read the
 * proof's summary only (O(principals)), never the cells.
 */
import { accessLegend, groupOf, renderAccessTable, renderClearDataTable, renderPrincipalTable } from './access-summary';
import { describeAction, GovernanceViolation, PrincipalSummary, ProofSummary, SECRET_TARGET } from './proof';

/** Where the folded detail begins in access-matrix.md; the report shows what comes before it. */
export const MARKDOWN_DETAIL_MARKER = '<!-- access-matrix:detail -->';

/** What the clear-PII table's cells mean. */
export const CLEAR_DATA_LEGEND =
  "landing, raw and quarantine hold personal data in clear; clean and curated hold it only as keyed tokens. `r` reads every key, `r¹` only under its own domain's prefix, `–` nothing; pipelines' query results: `read` when it can read the pipelines workgroup's results prefix in query-results (the big-file route's staging records and quarantine rows); PII token key: `read` when it can read the key tokens are made with (Secrets Manager and KMS).";

/** Violations listed in full before the rest are folded. */
const VIOLATIONS_SHOWN = 50;

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function violationLine(v: GovernanceViolation): string {
  return `- **${v.rule}** — ${escapeCell(v.message)} Fix: ${v.fix}`;
}

/** The principal's group within its domain's table. */
function principalLabel(p: PrincipalSummary): string {
  const name = p.logicalId ?? p.id;
  return `${name} (${groupOf(p).replace(' (per domain)', '').replace(' (per team)', '')})`;
}

/**
 * The access matrix as markdown: the summary by kind of principal and the violations first (what
 * the pull-request report shows), then per domain one folded table of its principals.
 */
export function renderMatrixMarkdown(result: ProofSummary): string {
  const lines: string[] = [];
  const { stats } = result;
  const kinds = [...countBy(result.principals, (p) => groupOf(p)).entries()].sort(([a], [b]) => a.localeCompare(b));
  lines.push('# Governance proof: access matrix', '');
  lines.push(
    `Account \`${result.environment.account}\`, region \`${result.environment.region}\` (symbolic). ` +
      `${stats.principals} principals × ${stats.zones} zones: ${stats.cells} cells decided from ${stats.probes} requests (${stats.keyMode} keys). ` +
      `Violations: **${result.violations.length}**.`,
    '',
  );
  lines.push('## Summary by kind of principal', '', renderAccessTable(result.principals), '', accessLegend(), '');
  lines.push(`Principals per kind: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}.`, '');
  lines.push('## Who can read clear PII', '', renderClearDataTable(result.principals), '', CLEAR_DATA_LEGEND, '');
  lines.push('## Violations', '');
  if (result.violations.length === 0) lines.push('None.');
  const byRule = countBy(result.violations, (v) => v.rule);
  if (result.violations.length > 0) lines.push(`By rule: ${[...byRule.entries()].map(([r, n]) => `${r} ${n}`).join(', ')}.`, '');
  for (const v of result.violations.slice(0, VIOLATIONS_SHOWN)) lines.push(violationLine(v));
  if (result.violations.length > VIOLATIONS_SHOWN) {
    lines.push('', `<details><summary>${result.violations.length - VIOLATIONS_SHOWN} more violations</summary>`, '');
    for (const v of result.violations.slice(VIOLATIONS_SHOWN)) lines.push(violationLine(v));
    lines.push('', '</details>');
  }
  if (result.notes.length > 0 || result.stats.exhaustiveFallbacks.length > 0) {
    lines.push('', '## Notes', '', ...result.notes.map((n) => `- ${n}`));
    if (stats.exhaustiveFallbacks.length > 0) {
      lines.push(`- Probed with every key (a pattern may match under any prefix): ${stats.exhaustiveFallbacks.length} principal/zone pair(s), e.g. ${stats.exhaustiveFallbacks.slice(0, 5).join('; ')}.`);
    }
  }
  lines.push('', MARKDOWN_DETAIL_MARKER, '', '## Detail per domain', '');
  lines.push('Every cell with its probed keys and deciding statements: `access-matrix.json` (index) and `access-matrix/<stack>.json`.', '');
  const groups = new Map<string, PrincipalSummary[]>();
  for (const p of result.principals) {
    const group = p.hypothetical ? 'hypothetical principals' : p.domain !== undefined ? `domain ${p.domain}` : `${p.stack ?? 'other'} (no domain)`;
    const list = groups.get(group) ?? [];
    list.push(p);
    groups.set(group, list);
  }
  for (const [group, members] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`<details><summary>${group}: ${members.length} principal(s)</summary>`, '', renderPrincipalTable(members, principalLabel), '', '</details>', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One plain-text paragraph per violation. */
export function renderViolations(result: Pick<ProofSummary, 'violations'>): string {
  if (result.violations.length === 0) return 'Governance proof: no violations.\n';
  return `${result.violations
    .map((v) => `[${v.rule}] principal=${v.principal} action=${describeAction(v)} zone=${v.zone} ${v.zone === SECRET_TARGET ? 'secret' : 'bucket'}=${v.bucket} key=${v.key ?? '(bucket)'}\n  ${v.message}\n  allowed by: ${v.allowedBy.join(', ')}\n  fix: ${v.fix}`)
    .join('\n')}\n`;
}
