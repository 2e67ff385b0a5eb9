/**
 * The example models' Athena SQL — the staging CTAS and every check query — parses under Trino's
 * grammar (Athena engine 3 is Trino). The local run-model test runs the same models on DuckDB.
 */
import { ctasSql, stagingTableName } from '../../../lambda/models/core/run-partition';
import { checkQueries, parseModelFile, resolveModel, thisRelation } from '../../../lambda/shared/models';
import { trinoSyntaxErrors } from '../../helpers/trino-grammar';
import { SALES, WEB_EVENTS, exampleModelText } from './fixtures';

const EXAMPLES = [
  { domain: SALES, model: 'daily_revenue' },
  { domain: WEB_EVENTS, model: 'daily_page_views' },
];

test('the example models\' staging CTAS and check queries parse under Trino\'s grammar', () => {
  const statements = EXAMPLES.flatMap(({ domain, model }) => {
    const spec = resolveModel(parseModelFile(exampleModelText(domain.name, model), { domain: domain.name, file: `lib/domains/${domain.name}/${model}.sql` }), domain);
    const database = `${domain.name}_curated`;
    const table = stagingTableName(spec.name, 'run1', 1);
    const checks = checkQueries(spec, thisRelation(spec, `"${database}"."${table}"`, '2026-03-01'));
    return [
      { what: `${model} CTAS`, sql: ctasSql(spec, '2026-03-01', database, table) },
      { what: `${model} row count`, sql: checks.rowCount },
      ...checks.assertions.map((a) => ({ what: `${model} ${a.name}`, sql: a.sql })),
    ];
  });
  expect(statements.length).toBeGreaterThan(6);
  const errors = trinoSyntaxErrors(statements.map((s) => s.sql));
  expect(statements.map((s, i) => [s.what, errors[i]])).toEqual(statements.map((s) => [s.what, []]));
});
