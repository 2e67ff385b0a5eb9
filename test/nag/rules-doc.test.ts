import * as fs from 'fs';
import * as path from 'path';
import { DataOpsChecks } from '../../lib/nag';
import { renderRulesTable, RULES_TABLE_END, RULES_TABLE_START } from '../../lib/nag/rules-doc';
import { TEST_LIMITS } from './helpers';

const RULES_MD = fs.readFileSync(path.join(__dirname, '../../lib/nag/RULES.md'), 'utf8');

describe('lib/nag/RULES.md', () => {
  test("lists exactly the pack's rule ids", () => {
    const documented = [...RULES_MD.matchAll(/^\| (DataOps-[A-Za-z0-9]+) \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...new DataOpsChecks(undefined, TEST_LIMITS).ruleIds].sort());
  });

  test("its table is the pack's rule list (levels, causes, fixes); regenerate with `npx tsx lib/nag/rules-doc.ts`", () => {
    const start = RULES_MD.indexOf(RULES_TABLE_START);
    const end = RULES_MD.indexOf(RULES_TABLE_END);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(RULES_MD.slice(start + RULES_TABLE_START.length, end).trim()).toEqual(renderRulesTable());
  });
});
