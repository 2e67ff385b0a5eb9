/**
 * The estimate as text: one line per domain for synth (the most expensive first, the rest summed,
 * so 500 domains print a dozen lines), and markdown for the report — a summary, a month-by-month
 * chart (Mermaid `xychart-beta`), the table per zone and service, the domains, every assumption;
 * the long parts folded.
 */
import { ZONE_NAMES } from '../../lambda/shared/zones';
import { budgetFindings, lineName, usd } from './budget';
import { CostEstimate, CostLine, DomainCost, ENVIRONMENT_LINE } from './estimate';
import { MONTHS } from './storage';

/** Domains listed one per line at synth and in the report's table before the rest are summed. */
export const TOP_DOMAINS = 10;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const peak = (xs: readonly number[]) => Math.max(...xs);

function byTotal(domains: readonly DomainCost[]): DomainCost[] {
  return [...domains].sort((a, b) => b.total - a.total || a.domain.localeCompare(b.domain));
}

function domainLine(d: DomainCost): string {
  const budget = d.monthlyBudgetUsd === undefined ? '' : `, budget ${usd(d.monthlyBudgetUsd)}/month${peak(d.monthly) > d.monthlyBudgetUsd ? ' — OVER' : ''}`;
  const undeclared = d.undeclared.length > 0 ? ` (no volume declared: ${d.undeclared.join(', ')})` : '';
  return `${d.domain}: ${usd(d.monthly[0])} in month 1, ${usd(d.monthly[MONTHS - 1])} in month 12, ${usd(d.total)} over 12 months${budget}${undeclared}`;
}

/** What synth prints: the environment's total, then one line per domain (the top ones, the rest summed). */
export function renderCostSynthText(estimate: CostEstimate, top = TOP_DOMAINS): string {
  const lines = [
    `Cost estimate (${estimate.environment}, ${estimate.region} prices of ${estimate.pricesAsOf}, ${estimate.currency}): ${usd(estimate.monthly[0])} in month 1, ${usd(estimate.monthly[MONTHS - 1])} in month 12, ${usd(estimate.total)} over 12 months (cdk.out/cost-estimate.jsonl; npm run report)`,
  ];
  const sorted = byTotal(estimate.domains);
  for (const d of sorted.slice(0, top)) lines.push(`  ${domainLine(d)}`);
  const rest = sorted.slice(top);
  if (rest.length > 0) lines.push(`  … ${rest.length} more domain(s): ${usd(sum(rest.map((d) => d.total)))} over 12 months`);
  const env = estimate.lines.filter((l) => l.domain === ENVIRONMENT_LINE);
  lines.push(`  ${ENVIRONMENT_LINE}: ${usd(sum(env.map((l) => sum(l.monthly))))} over 12 months`);
  return lines.join('\n');
}

/** A Mermaid `xychart-beta`: the environment's total per month. */
export function renderCostChart(estimate: Pick<CostEstimate, 'monthly' | 'currency' | 'environment'>): string {
  const values = estimate.monthly.map((x) => x.toFixed(2));
  const max = Math.max(1, Math.ceil(peak(estimate.monthly) * 1.1));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Estimated cost per month, ${estimate.environment} (${estimate.currency})"`,
    `  x-axis [${Array.from({ length: MONTHS }, (_, i) => `m${i + 1}`).join(', ')}]`,
    `  y-axis "${estimate.currency}" 0 --> ${max}`,
    `  bar [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

/** Rows per zone (S3) and per service, summed over every domain. */
function tableRows(lines: readonly CostLine[]): Array<{ label: string; monthly: number[] }> {
  const rows = new Map<string, number[]>();
  for (const l of lines) {
    const label = l.service === 'S3' ? `S3 ${l.zone} (${l.item})` : `${l.service} (${l.item.replace(/ \(.*\)$/, '')})`;
    const row = rows.get(label) ?? new Array<number>(MONTHS).fill(0);
    l.monthly.forEach((x, i) => (row[i] += x));
    rows.set(label, row);
  }
  const zoneRank = (label: string) => {
    const i = ZONE_NAMES.findIndex((z) => label.startsWith(`S3 ${z} `));
    return i < 0 ? ZONE_NAMES.length : i;
  };
  return [...rows.entries()]
    .map(([label, monthly]) => ({ label, monthly }))
    .filter((r) => sum(r.monthly) >= 0.005)
    .sort((a, b) => zoneRank(a.label) - zoneRank(b.label) || sum(b.monthly) - sum(a.monthly));
}

export interface CostMarkdownInput extends CostEstimate {
  readonly assumptions: readonly string[];
  readonly notEstimated: readonly string[];
}

/** The report's cost section. */
export function renderCostMarkdown(estimate: CostMarkdownInput, top = TOP_DOMAINS): string[] {
  const out: string[] = ['## Cost estimate, 12 months', ''];
  const over = budgetFindings(estimate);
  out.push(
    `**${usd(estimate.total)}** over 12 months for \`${estimate.environment}\` (${usd(estimate.monthly[0])} in month 1, ${usd(estimate.monthly[MONTHS - 1])} in month 12), ` +
      `${estimate.domains.length} domain(s); ${estimate.region} list prices of ${estimate.pricesAsOf} in ${estimate.currency} (\`lib/cost/prices.ts\`). ` +
      (over.length === 0 ? 'Every budget holds.' : `**${over.length} domain(s) over budget**: ${over.slice(0, 5).map((f) => `${f.domain} (${usd(f.amount)} in month ${f.month + 1}, budget ${usd(f.budget)}; biggest: ${f.biggest ? lineName(f.biggest) : '–'})`).join('; ')}${over.length > 5 ? ' …' : ''}.`),
    '',
  );
  out.push(renderCostChart(estimate), '');
  const sorted = byTotal(estimate.domains);
  out.push('| domain | month 1 | month 12 | 12 months | budget / month | biggest line (month 12) |', '|---|---:|---:|---:|---:|---|');
  for (const d of sorted.slice(0, top)) {
    const biggest = [...d.lines].sort((a, b) => b.monthly[MONTHS - 1] - a.monthly[MONTHS - 1])[0];
    const budget = d.monthlyBudgetUsd === undefined ? '–' : `${usd(d.monthlyBudgetUsd)}${peak(d.monthly) > d.monthlyBudgetUsd ? ' **over**' : ''}`;
    out.push(`| ${d.domain}${d.undeclared.length > 0 ? ` (no volume: ${d.undeclared.join(', ')})` : ''} | ${usd(d.monthly[0])} | ${usd(d.monthly[MONTHS - 1])} | ${usd(d.total)} | ${budget} | ${biggest ? `${lineName(biggest)} ${usd(biggest.monthly[MONTHS - 1])}` : '–'} |`);
  }
  const rest = sorted.slice(top);
  if (rest.length > 0) {
    const m = new Array<number>(MONTHS).fill(0);
    for (const d of rest) d.monthly.forEach((x, i) => (m[i] += x));
    out.push(`| … ${rest.length} more | ${usd(m[0])} | ${usd(m[MONTHS - 1])} | ${usd(sum(m))} | | |`);
  }
  const env = estimate.lines.filter((l) => l.domain === ENVIRONMENT_LINE);
  const envMonthly = new Array<number>(MONTHS).fill(0);
  for (const l of env) l.monthly.forEach((x, i) => (envMonthly[i] += x));
  out.push(`| ${ENVIRONMENT_LINE} | ${usd(envMonthly[0])} | ${usd(envMonthly[MONTHS - 1])} | ${usd(sum(envMonthly))} | | |`, '');

  out.push('<details><summary>By zone and service, month by month</summary>', '');
  out.push(`| line | ${Array.from({ length: MONTHS }, (_, i) => `m${i + 1}`).join(' | ')} | 12 months |`, `|---|${'---:|'.repeat(MONTHS + 1)}`);
  for (const r of tableRows(estimate.lines)) out.push(`| ${r.label} | ${r.monthly.map((x) => x.toFixed(2)).join(' | ')} | ${sum(r.monthly).toFixed(2)} |`);
  out.push('', '</details>', '');
  out.push('<details><summary>Assumptions and what is not estimated</summary>', '');
  for (const a of estimate.assumptions) out.push(`- ${a}`);
  for (const n of estimate.notEstimated) out.push(`- Not estimated: ${n}`);
  out.push('', '</details>', '');
  return out;
}
