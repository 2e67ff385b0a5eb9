import * as path from 'path';
import { datasetRules, dqdlNumber, dqdlString, modelRules, renderRuleset } from '../../../constructs/quality';
import { loadDomainModels } from '../../../constructs/models/load-models';
import type { DatasetDefinition } from '../../../lambda/shared/dataset';
import { loadDomains } from '../../../lib/domains';
import { DqdlError, parseDqdl } from '../../helpers/dqdl-grammar';

const DOMAINS_DIR = path.join(__dirname, '..', '..', '..', 'lib', 'domains');
const domains = loadDomains(DOMAINS_DIR);
const domain = (name: string) => domains.find((d) => d.name === name)!;
const model = (d: string, m: string) => loadDomainModels(DOMAINS_DIR, domain(d)).find((s) => s.name === m)!;

describe('the DQDL checker (written from AWS grammar) accepts what the docs show and rejects what they do not', () => {
  test.each([
    'Rules = [ IsComplete "order-id", IsUnique "order-id" ]',
    'Rules = [ (IsComplete "id") and (IsUnique "id") ]',
    'Rules = [ ColumnValues "Country" in [ "US", "CA", "UK", NULL, EMPTY, WHITESPACES_ONLY ] ]',
    'Rules = [ ColumnValues "gender" in ["F", "M"] where "weightinkgs < 10" ]',
    'Rules = [ ColumnValues "Customer_ID" between 1 and 2000, ColumnValues "colA" not in [ 1, 2, 3 ] ]',
    'Rules = [ ColumnValues "colA" between "2022-05-31" and "2022-06-30", ColumnValues "colA" != "a" ]',
    'Rules = [ RowCount >= 1, ColumnValues "x" >= -0.5, IsUnique "a" "b", IsPrimaryKey "a" ]',
    'Rules = [ ]',
  ])('accepts %s', (doc) => {
    expect(() => parseDqdl(doc)).not.toThrow();
  });

  test.each([
    ['a Boolean rule with a condition', 'Rules = [ IsComplete "a" > 1 ]', /returns a Boolean and takes no condition/],
    ['a number rule without one', 'Rules = [ RowCount ]', /RowCount needs a condition/],
    ['a missing parameter', 'Rules = [ IsComplete ]', /IsComplete takes 1 parameter/],
    ['an unknown rule type', 'Rules = [ IsNotNull "a" ]', /unknown rule type IsNotNull/],
    ['an exponent', 'Rules = [ ColumnValues "a" >= 1e3 ]', /expected/],
    ['a plus sign', 'Rules = [ ColumnValues "a" >= +1 ]', /unexpected character|expected a number/],
    ['between without and', 'Rules = [ ColumnValues "a" between 1 ]', /expected AND/],
    ['an unescaped quote', 'Rules = [ ColumnValues "a" in ["x"y"] ]', /expected/],
    ['composite rules without parentheses', 'Rules = [ IsComplete "a" and IsComplete "b" ]', /must be in parentheses/],
    ['a where clause on a rule that takes none', 'Rules = [ ColumnCount > 1 where "a > 1" ]', /takes no where clause/],
    ['a missing comma', 'Rules = [ IsComplete "a" IsComplete "b" ]', /takes no condition/],
  ])('rejects %s', (_name, doc, error) => {
    expect(() => parseDqdl(doc)).toThrow(DqdlError);
    expect(() => parseDqdl(doc)).toThrow(error);
  });
});

describe('DQDL of the example domains, rule by rule', () => {
  test('sales/orders: required, ranges, allowed values, the unique key', () => {
    const rules = datasetRules(domain('sales').datasets[0]);
    expect(rules.rules).toEqual([
      'IsComplete "order_id"',
      'IsComplete "line_no"',
      'ColumnValues "line_no" >= 1',
      'ColumnValues "line_no" <= 1000',
      'IsComplete "customer_email"',
      'IsComplete "sku"',
      'IsComplete "quantity"',
      'ColumnValues "quantity" >= 1',
      'ColumnValues "quantity" <= 10000',
      'IsComplete "unit_price"',
      'ColumnValues "unit_price" >= 0',
      'IsComplete "currency"',
      'ColumnValues "currency" in ["EUR", "USD", "GBP"]',
      'IsComplete "ordered_at"',
      'IsUnique "order_id" "line_no"',
    ]);
    expect(parseDqdl(renderRuleset(rules.rules))).toHaveLength(rules.rules.length);
  });

  test('web_events/page_views: an optional allowed value list takes NULL, an optional range a where clause', () => {
    const rules = datasetRules(domain('web_events').datasets[0]);
    expect(rules.rules).toEqual([
      'IsComplete "event_id"',
      'IsComplete "event_date"',
      'IsComplete "session_id"',
      'IsComplete "page"',
      'ColumnValues "device" in ["desktop", "mobile", "tablet", NULL]',
      'ColumnValues "duration_ms" >= 0 where "`duration_ms` IS NOT NULL"',
      'IsComplete "viewed_at"',
      'IsUnique "event_id"',
    ]);
    const parsed = parseDqdl(renderRuleset(rules.rules));
    expect(parsed.find((r) => r.params[0] === 'duration_ms')).toEqual({ type: 'ColumnValues', params: ['duration_ms'], condition: 'number', where: '`duration_ms` IS NOT NULL' });
    expect(parsed.find((r) => r.params[0] === 'device')).toMatchObject({ condition: 'string' });
  });

  test('sales/daily_revenue: min_rows, not_null, unique and accepted_values; the sql assertions are listed, not translated', () => {
    const rules = modelRules(model('sales', 'daily_revenue'));
    expect(rules.rules).toEqual([
      'RowCount >= 1',
      'IsComplete "currency"',
      'IsComplete "orders"',
      'IsComplete "order_lines"',
      'IsComplete "revenue"',
      'IsUnique "order_date" "currency"',
      'ColumnValues "currency" in ["EUR", "USD", "GBP", NULL]',
    ]);
    expect(rules.notExpressed).toEqual([
      expect.stringMatching(/^assertions hold per partition/),
      'line 18: sql revenue_not_negative (Athena SQL over {{ this }}; DQDL\'s CustomSql runs Spark SQL over "primary")',
      'line 20: sql orders_within_lines (Athena SQL over {{ this }}; DQDL\'s CustomSql runs Spark SQL over "primary")',
    ]);
    expect(parseDqdl(renderRuleset(rules.rules)).map((r) => r.type)).toEqual(['RowCount', 'IsComplete', 'IsComplete', 'IsComplete', 'IsComplete', 'IsUnique', 'ColumnValues']);
  });

  test('web_events/daily_page_views', () => {
    const rules = modelRules(model('web_events', 'daily_page_views'));
    expect(rules.rules).toEqual([
      'RowCount >= 1',
      'IsComplete "page"',
      'IsComplete "device"',
      'IsComplete "views"',
      'IsComplete "sessions"',
      'IsUnique "event_date" "page" "device"',
      'ColumnValues "device" in ["desktop", "mobile", "tablet", "unknown", NULL]',
    ]);
    expect(parseDqdl(renderRuleset(rules.rules))).toHaveLength(7);
  });
});

describe('translation details', () => {
  const base: DatasetDefinition = { name: 'd', format: 'csv', columns: [{ name: 'id', type: 'bigint', required: true }], partition: { arrival: true }, freshnessSlaHours: 24 };
  const withColumns = (...columns: DatasetDefinition['columns']) => datasetRules({ ...base, columns: [...base.columns, ...columns] });

  test.each<[string | number, string | undefined]>([
    ['12.50', '12.5'],
    ['+0012', '12'],
    ['-0.0', '0'],
    ['.5', '0.5'],
    ['1e3', '1000'],
    ['-2.5E-3', '-0.0025'],
    [1e21, '1000000000000000000000'],
    [0.1, '0.1'],
    ['NaN', undefined],
    ['12,5', undefined],
    [Infinity, undefined],
  ])('dqdlNumber(%j) = %j', (input, expected) => {
    expect(dqdlNumber(input)).toBe(expected);
  });

  test('strings escape quotes and backslashes, the two escapes DQDL has', () => {
    expect(dqdlString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(parseDqdl(`Rules = [ ColumnValues "a" in [${dqdlString('say "hi" \\ bye')}] ]`)).toHaveLength(1);
  });

  test('allowed values of numbers and dates are DQDL literals; of booleans and timestamps they are listed as not expressed', () => {
    const r = withColumns(
      { name: 'code', type: 'int', allowedValues: ['01', '2', ' 3 '] },
      { name: 'rate', type: 'decimal(4,2)', required: true, allowedValues: ['1.50', '2'] },
      { name: 'day', type: 'date', allowedValues: ['2024-01-01'] },
      { name: 'flag', type: 'boolean', allowedValues: ['true'] },
      { name: 'at', type: 'timestamp', allowedValues: ['2024-01-01T00:00:00Z'] },
    );
    expect(r.rules).toEqual([
      'IsComplete "id"',
      'ColumnValues "code" in [1, 2, 3, NULL]',
      'IsComplete "rate"',
      'ColumnValues "rate" in [1.5, 2]',
      'ColumnValues "day" in ["2024-01-01", NULL]',
    ]);
    expect(r.notExpressed).toEqual(expect.arrayContaining(['columns[4] flag: allowed values of a boolean column (DQDL lists strings, numbers and dates)', 'columns[5] at: allowed values of a timestamp column (DQDL lists strings, numbers and dates)']));
    expect(parseDqdl(renderRuleset(r.rules)).map((x) => x.condition)).toEqual([undefined, 'number', undefined, 'number', 'date']);
  });

  test('an inclusive range is two rules (DQDL between is exclusive); the partition column is required', () => {
    const r = datasetRules({ ...base, columns: [...base.columns, { name: 'day', type: 'date' }, { name: 'n', type: 'double', required: true, range: { min: -1.5, max: 1e3 } }], partition: { column: 'day' } });
    expect(r.rules).toEqual(['IsComplete "id"', 'IsComplete "day"', 'IsComplete "n"', 'ColumnValues "n" >= -1.5', 'ColumnValues "n" <= 1000']);
  });

  test("a pii column: its token keeps completeness and uniqueness, its values' rules are listed; a dropped column has no rule", () => {
    const r = datasetRules({
      ...base,
      columns: [
        ...base.columns,
        { name: 'country', type: 'string', required: true, allowedValues: ['DE', 'FR'], pii: true },
        { name: 'ssn', type: 'string', required: true, pii: 'drop' },
        { name: 'age', type: 'int', range: { min: 0, max: 130 }, pii: 'drop' },
      ],
      uniqueKey: ['id', 'country'],
    });
    expect(r.rules).toEqual(['IsComplete "id"', 'IsComplete "country"', 'IsUnique "id" "country"']);
    expect(r.notExpressed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^columns\[1\] country: allowed values and ranges of a pii column/),
        expect.stringMatching(/^columns\[2\] ssn: pii 'drop', not in the clean table/),
        expect.stringMatching(/^columns\[3\] age: pii 'drop'/),
      ]),
    );
    expect(() => parseDqdl(renderRuleset(r.rules))).not.toThrow();
    // A unique key with a dropped column cannot be checked on the clean table.
    const dropped = datasetRules({ ...base, columns: [...base.columns, { name: 'ssn', type: 'string', pii: 'drop' }], uniqueKey: ['id', 'ssn'] });
    expect(dropped.rules.some((x) => x.startsWith('IsUnique'))).toBe(false);
    expect(dropped.notExpressed).toContain("uniqueKey: ssn is pii 'drop', not in the clean table");
  });

  test('a dataset with nothing to check has no rules (and gets no ruleset)', () => {
    expect(datasetRules({ ...base, columns: [{ name: 'note', type: 'string' }] }).rules).toEqual([]);
    expect(renderRuleset([])).toBe('Rules = [ ]');
  });
});
