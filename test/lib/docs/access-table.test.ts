import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../../lib/config';
import { CLEAR_DATA_LEGEND, accessLegend, docsAppContext, proveDefaultApp, renderAccessTable, renderClearDataTable } from '../../../lib/docs/access-table';

describe('README access table', () => {
  test('is what the governance proof computes for the default app (regenerate with lib/docs/print-access-table.ts)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = /<!-- access-table:start -->\n([\s\S]*?)\n<!-- access-table:end -->/.exec(readme)?.[1];
    const result = proveDefaultApp(ENVIRONMENTS.dev);
    expect(result.violations).toEqual([]);
    expect(block).toBe(`${renderAccessTable(result.principals)}\n\n${accessLegend()}`);
    // The "who can read clear PII" table, from the same proof.
    const clear = /<!-- clear-data-table:start -->\n([\s\S]*?)\n<!-- clear-data-table:end -->/.exec(readme)?.[1];
    expect(clear).toBe(`${renderClearDataTable(result.principals)}\n\n${CLEAR_DATA_LEGEND}`);
    // Not vacuous: the clean-stage pipeline roles, and only they, read the key; stewards read their domain's raw and quarantine.
    expect(clear).toMatch(/^\| pipeline, clean stage \(per domain\) \| – \| r¹ \| – \| read \| read \|$/m);
    expect(clear).toMatch(/^\| steward \(per domain\) \| – \| r¹ \| r¹ \| – \| – \|$/m);
    expect(clear).toMatch(/^\| hypothetical same-account-admin \| – \| – \| – \| – \| – \|$/m);
    expect(clear).toMatch(/^\| analyst \(per team\) \| – \| – \| – \| – \| – \|$/m);
  });

  test("the docs app's own settings win over cdk.json's context (cdk.json turns the CloudFormation validator on)", () => {
    const context = docsAppContext();
    expect(context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(false);
    expect(context['aws:cdk:bundling-stacks']).toEqual([]);
    // cdk.json's feature flags are still there.
    expect(context['@aws-cdk/aws-iam:minimizePolicies']).toBeDefined();
  });
});
