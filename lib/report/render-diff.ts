/**
 * The diff against the base as markdown, for the top of the report: one summary line, the
 * called-out access changes, then every change folded (at most MAX_CHANGES_KEPT listed).
 */
import { AccessDiff, CellChange, MAX_CHANGES_KEPT, ReportDiff } from './diff';
import { cell, code } from './render';
import { exceptionsOf, WHOLE_ZONE } from './data-flow/access';

/** Rows listed before the rest are folded away. */
export const DIFF_ROWS_SHOWN = 20;

function changeRow(c: CellChange): string {
  return `| ${c.change === 'granted' ? '**granted**' : 'revoked'} | ${code(c.principal, true)} | ${cell(c.kind)} | ${c.zone} | ${cell(c.action)} | ${prefixCell(c.prefix)} |`;
}

const HEADER = ['| change | principal | kind | zone | action | prefix |', '|---|---|---|---|---|---|'];

function table(rows: readonly CellChange[]): string[] {
  return [...HEADER, ...rows.map(changeRow)];
}

/** One line: what changed. */
export function diffSummaryLine(diff: ReportDiff): string {
  const parts: string[] = [];
  if (diff.access) {
    const a = diff.access;
    parts.push(`access: ${a.granted} cell(s) granted, ${a.revoked} revoked${a.calloutCount > 0 ? ` (**${a.calloutCount} called out**)` : ''}`);
  } else parts.push(`access: not compared (${diff.accessMissing})`);
  if (diff.findings) {
    const up = diff.findings.filter((f) => f.change === 'appeared').length;
    parts.push(`nag findings: +${up} / −${diff.findings.length - up}`);
  } else parts.push('nag findings: not compared (a validation report is missing)');
  if (diff.acknowledgements) {
    const up = diff.acknowledgements.filter((a) => a.change === 'appeared').length;
    const down = diff.acknowledgements.filter((a) => a.change === 'disappeared').length;
    parts.push(`acknowledgements: +${up} / −${down}${diff.acknowledgements.length - up - down > 0 ? `, ${diff.acknowledgements.length - up - down} covering a different number of findings` : ''}`);
  } else parts.push('acknowledgements: not compared');
  parts.push(`${diff.stacks.length} stack template(s) changed`);
  return parts.join(' · ');
}

function renderAccess(a: AccessDiff): string[] {
  const out: string[] = [];
  if (a.granted + a.revoked === 0) return ['No access-matrix cell changed.', ''];
  if (a.calloutCount > 0) {
    out.push(`**Called out first** — new writes or deletes on clean or curated, and new readers of clear data (landing, raw, quarantine, the pipelines' query results): ${a.calloutCount}.`, '');
    out.push(...table(a.callouts.slice(0, DIFF_ROWS_SHOWN)), '');
    if (a.calloutCount > DIFF_ROWS_SHOWN) out.push(`… ${a.calloutCount - DIFF_ROWS_SHOWN} more called out (in the list below).`, '');
  }
  if (a.principalsAdded.length + a.principalsRemoved.length > 0) {
    out.push(`Principals added: ${a.principalsAdded.length}${a.principalsAdded.length ? ` (${a.principalsAdded.slice(0, 5).map((p) => code(p)).join(', ')}${a.principalsAdded.length > 5 ? ', …' : ''})` : ''}; removed: ${a.principalsRemoved.length}${a.principalsRemoved.length ? ` (${a.principalsRemoved.slice(0, 5).map((p) => code(p)).join(', ')}${a.principalsRemoved.length > 5 ? ', …' : ''})` : ''}.`, '');
  }
  const total = a.granted + a.revoked;
  out.push(`<details><summary>Every changed cell (${total}${total > a.changes.length ? `; the first ${a.changes.length} listed` : ''})</summary>`, '', ...table(a.changes), '');
  if (total > a.changes.length) out.push(`The list stops at ${MAX_CHANGES_KEPT} changes; \`npm run report -- --base <dir>\` counts them all.`, '');
  out.push('</details>', '');
  return out;
}

/** The diff section. */
export function renderDiffMarkdown(diff: ReportDiff): string[] {
  const out = ['## Changes against the base', '', `Base: \`${diff.baseDir}\`. ${diffSummaryLine(diff)}.`, ''];
  if (diff.access) out.push(...renderAccess(diff.access));
  if (diff.findings && diff.findings.length > 0) {
    out.push(`<details><summary>Nag findings that appear or disappear (${diff.findings.length})</summary>`, '', '| change | pack | rule | path |', '|---|---|---|---|');
    for (const f of diff.findings.slice(0, MAX_CHANGES_KEPT)) out.push(`| ${f.change === 'appeared' ? '**appeared**' : 'disappeared'} | ${cell(f.pack)} | ${cell(f.rule)} | ${code(f.path || '(no path)', true)} |`);
    out.push('', '</details>', '');
  }
  if (diff.acknowledgements && diff.acknowledgements.length > 0) {
    out.push(`<details><summary>Acknowledgements that appear, disappear or cover a different number of findings (${diff.acknowledgements.length})</summary>`, '', '| change | pack | rule | findings | reason |', '|---|---|---|---:|---|');
    for (const a of diff.acknowledgements) out.push(`| ${a.change === 'appeared' ? '**appeared**' : a.change} | ${cell(a.pack)} | ${cell(a.rule)} | ${a.before !== undefined ? `${a.before} → ` : ''}${a.findings} | ${cell(a.reason)} |`);
    out.push('', '</details>', '');
  }
  if (diff.stacks.length > 0) {
    out.push(`<details><summary>Stack templates that changed (${diff.stacks.length})</summary>`, '', ...diff.stacks.slice(0, MAX_CHANGES_KEPT).map((s) => `- \`${s}\``), '', '</details>', '');
  }
  return out;
}

/** A diff row's prefix: the whole zone, every prefix but some, or one prefix. */
function prefixCell(prefix: string): string {
  const except = exceptionsOf(prefix);
  if (prefix === WHOLE_ZONE) return '(whole zone)';
  return except ? `(every prefix but ${except.map((p) => `${p}/`).join(', ')})` : code(`${prefix}/`, true);
}
