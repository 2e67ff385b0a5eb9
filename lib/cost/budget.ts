/**
 * `DataOps-DomainCostBudget`: a domain's estimate must stay within its `monthlyBudgetUsd` in every
 * one of the 12 months. A finding names the month, the biggest cost line that month and what would
 * lower it.
 */
import { biggestLine, CostEstimate, CostLine, DomainCost } from './estimate';

export const DOMAIN_COST_BUDGET_RULE_ID = 'DataOps-DomainCostBudget';

/** The rule as RULES.md lists it (lib/nag/rules-doc.ts). */
export const DOMAIN_COST_BUDGET_RULE = {
  id: DOMAIN_COST_BUDGET_RULE_ID,
  level: 'Error',
  info: "A domain's 12-month cost estimate (lib/cost: its datasets' declared volume, its models' @estimate, the zones' lifecycle and the resources its stack synthesized) passes its monthlyBudgetUsd in some month (the finding names the month, the estimate, the biggest cost line and its share).",
  explanation: 'Lower the biggest line as the finding says (e.g. move raw to colder classes earlier, deliver fewer and larger files, let models scan less or run less often), or raise monthlyBudgetUsd in lib/domains/<domain>.ts. The prices and assumptions are in lib/cost and the report (npm run report).',
} as const;

export interface BudgetFinding {
  readonly domain: string;
  /** 0-based month with the highest estimate. */
  readonly month: number;
  readonly amount: number;
  readonly budget: number;
  readonly biggest?: CostLine;
  readonly message: string;
  readonly fix: string;
}

/** A cost line's name, e.g. `S3 raw storage` or `Athena bytes scanned`. */
export function lineName(line: Pick<CostLine, 'service' | 'zone' | 'item'>): string {
  return [line.service, line.zone, line.item].filter(Boolean).join(' ');
}

export const usd = (x: number): string => `$${x.toFixed(2)}`;

/** The domains whose most expensive month passes their budget. */
export function budgetFindings(estimate: Pick<CostEstimate, 'domains'>): BudgetFinding[] {
  const out: BudgetFinding[] = [];
  for (const d of estimate.domains) {
    const finding = budgetFinding(d);
    if (finding) out.push(finding);
  }
  return out;
}

function budgetFinding(d: DomainCost): BudgetFinding | undefined {
  if (d.monthlyBudgetUsd === undefined) return undefined;
  let month = 0;
  d.monthly.forEach((x, m) => {
    if (x > d.monthly[month]) month = m;
  });
  const amount = d.monthly[month];
  if (!(amount > d.monthlyBudgetUsd)) return undefined;
  const biggest = biggestLine(d.lines, month);
  const share = biggest && amount > 0 ? Math.round((biggest.monthly[month] / amount) * 100) : 0;
  const message =
    `Domain ${d.domain}: the estimate for month ${month + 1} is ${usd(amount)}, above its monthlyBudgetUsd of ${usd(d.monthlyBudgetUsd)}` +
    (biggest ? `; the biggest line is ${lineName(biggest)} at ${usd(biggest.monthly[month])} (${share} %).` : '.');
  const fix = biggest ? `To lower ${lineName(biggest)}: ${biggest.lower}; or raise monthlyBudgetUsd in lib/domains/${d.domain}.ts.` : `Raise monthlyBudgetUsd in lib/domains/${d.domain}.ts.`;
  return { domain: d.domain, month, amount, budget: d.monthlyBudgetUsd, biggest, message, fix };
}
