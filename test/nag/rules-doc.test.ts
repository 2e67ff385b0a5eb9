import { DOMAIN_COST_BUDGET_RULE_ID } from '../../lib/cost/budget';
import * as fs from 'fs';
import * as path from 'path';
import { DataOpsChecks } from '../../lib/nag';
import {
  QUOTAS_TABLE_END,
  QUOTAS_TABLE_START,
  renderQuotasTable,
  renderRulesTable,
  RULES_TABLE_END,
  RULES_TABLE_START,
} from '../../lib/nag/rules-doc';
import { StackQuotas } from '../../lib/quotas';
import { TEST_LIMITS } from './helpers';

const RULES_MD = fs.readFileSync(path.join(__dirname, '../../lib/nag/RULES.md'), 'utf8');

function between(start: string, end: string): string {
  const from = RULES_MD.indexOf(start);
  const to = RULES_MD.indexOf(end);
  expect(from).toBeGreaterThanOrEqual(0);
  expect(to).toBeGreaterThan(from);
  return RULES_MD.slice(from + start.length, to).trim();
}

describe('lib/nag/RULES.md', () => {
  test("lists exactly the pack's rule ids, the quota check's and the cost check's", () => {
    const documented = [...RULES_MD.matchAll(/^\| (DataOps-[A-Za-z0-9]+) \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...new DataOpsChecks(undefined, TEST_LIMITS).ruleIds, ...new StackQuotas().ruleIds, DOMAIN_COST_BUDGET_RULE_ID].sort());
  });

  test("its table is the pack's rule list (levels, causes, fixes); regenerate with `npx tsx lib/nag/rules-doc.ts`", () => {
    expect(between(RULES_TABLE_START, RULES_TABLE_END)).toEqual(renderRulesTable());
  });

  test('its quota table is QUOTAS (limits, thresholds, sources, counting, fixes); regenerate with `npx tsx lib/nag/rules-doc.ts`', () => {
    expect(between(QUOTAS_TABLE_START, QUOTAS_TABLE_END)).toEqual(renderQuotasTable());
  });
});
