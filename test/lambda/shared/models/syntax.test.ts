import { codeOnly, ModelFileError, parseLiteralList, parseModelFile, tableReferences } from '../../../../lambda/shared/models/syntax';
import { exampleModelText } from '../../models/fixtures';
import { FILE, parse, HEADER, model } from './helpers';

/** The problems a bad file reports, as "line: problem … Fix: …" strings. */
function problemsOf(text: string, file = FILE): string[] {
  try {
    parse(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as ModelFileError).problems.map((p) => `${p.line}: ${p.problem}. Fix: ${p.fix}`);
  }
  throw new Error('expected the model file to be rejected');
}

describe('model file parser', () => {
  test('parses the sales example: header, columns, assertions, SELECT and its clean input', () => {
    const m = parse(exampleModelText('sales', 'daily_revenue'), 'lib/domains/sales/daily_revenue.sql');
    expect(m).toMatchObject({
      domain: 'sales',
      name: 'daily_revenue',
      description: 'Orders, order lines, units and revenue per order day (UTC) and currency',
      partition: 'order_date',
      minRows: 1,
      minRowsLine: 14,
      sqlLine: 22,
      inputs: [{ database: 'sales_clean', table: 'orders', line: 30 }],
    });
    expect(m.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'order_date date',
      'currency string',
      'orders bigint',
      'order_lines bigint',
      'units bigint',
      'revenue decimal(18,2)',
      'gift_lines bigint',
    ]);
    expect(m.columns[5].description).toBe('Sum of quantity × unit price');
    expect(m.assertions).toEqual([
      { kind: 'not_null', columns: ['currency', 'orders', 'order_lines', 'revenue'], line: 15 },
      { kind: 'unique', columns: ['order_date', 'currency'], line: 16 },
      { kind: 'accepted_values', column: 'currency', values: ['EUR', 'USD', 'GBP'], line: 17 },
      { kind: 'sql', name: 'revenue_not_negative', sql: 'SELECT currency, revenue FROM {{ this }} WHERE revenue < 0', line: 18 },
      { kind: 'sql', name: 'orders_within_lines', sql: 'SELECT currency, orders, order_lines FROM {{ this }} WHERE orders > order_lines', line: 20 },
    ]);
    expect(m.sql.startsWith('SELECT\n  ordered_at_date AS order_date')).toBe(true);
    expect(m.sql.endsWith('GROUP BY ordered_at_date, currency')).toBe(true);
  });

  test('parses the web_events example (single-line sql assertion)', () => {
    const m = parseModelFile(exampleModelText('web_events', 'daily_page_views'), { domain: 'web_events', file: 'daily_page_views.sql' });
    expect(m.partition).toBe('event_date');
    expect(m.inputs.map((i) => `${i.database}.${i.table}`)).toEqual(['web_events_clean.page_views']);
    expect(m.assertions.find((a) => a.kind === 'sql')).toMatchObject({ name: 'sessions_within_views', sql: 'SELECT page, device, views, sessions FROM {{ this }} WHERE sessions > views' });
  });

  test('indented comment lines continue @description and @assert sql; other comments are free text', () => {
    const m = parse([
      '-- A free comment: @ signs are fine here',
      '-- @description Revenue per day',
      '--   and currency',
      '-- Another free comment',
      ...HEADER,
      '-- @assert sql positive',
      '--     SELECT *',
      '--     FROM {{this}}',
      '--     WHERE revenue <= 0;',
      'SELECT 1 AS x FROM sales_clean.orders;',
    ].join('\n'));
    expect(m.description).toBe('Revenue per day and currency');
    expect(m.assertions).toEqual([{ kind: 'sql', name: 'positive', sql: 'SELECT *\nFROM {{this}}\nWHERE revenue <= 0', line: 9 }]);
    expect(m.sql).toBe('SELECT 1 AS x FROM sales_clean.orders');
  });

  test('columns take pii and a description; min_rows defaults to 1 and may be 0', () => {
    const m = parse(model(...HEADER, '-- @column email string pii: Customer e-mail', '-- @assert min_rows 0'));
    expect(m.columns.find((c) => c.name === 'email')).toEqual({ name: 'email', type: 'string', pii: true, description: 'Customer e-mail' });
    expect(m.minRows).toBe(0);
    expect(parse(model(...HEADER)).minRows).toBe(1);
    expect(parse(model(...HEADER)).minRowsLine).toBe(0);
  });

  test('a model may read several clean tables, quoted or not, each listed once', () => {
    const m = parse([...HEADER, 'SELECT * FROM "sales_clean"."orders" o', 'JOIN sales_clean.returns r ON r.id = o.id', "WHERE o.note <> 'sales_raw.x' -- sales_curated.y", 'AND o.id IN (SELECT id FROM sales_clean.orders)'].join('\n'));
    expect(m.inputs).toEqual([
      { database: 'sales_clean', table: 'orders', line: 5 },
      { database: 'sales_clean', table: 'returns', line: 6 },
    ]);
  });

  const failures: Array<[string, string, RegExp]> = [
    ['an unknown directive', model(...HEADER, '-- @owner me'), /^5: unknown directive "@owner". Fix: use one of @model, @description, @partition, @column, @assert/],
    ['no @partition', model('-- @column d date', '-- @column x string'), /^1: no @partition. Fix: declare the partition column/],
    ['a partition that is not a column', model('-- @partition day', '-- @column d date', '-- @column x string'), /^1: the partition column day is not a declared @column. Fix: add -- @column day date/],
    ['a partition that is not a date', model('-- @partition d', '-- @column d timestamp', '-- @column x string'), /^2: the partition column d has type timestamp. Fix: declare it as date/],
    ['an unknown type', model(...HEADER, '-- @column n number'), /^5: column n has unknown type "number"/],
    ['a column declared twice', model(...HEADER, '-- @column currency string'), /^5: column currency is declared twice \(first on line 3\)/],
    ['an assertion on an undeclared column', model(...HEADER, '-- @assert not_null currency, amount'), /^5: @assert not_null names amount, which is not a declared @column. Fix: declare it/],
    ['a malformed accepted_values', model(...HEADER, '-- @assert accepted_values currency EUR, USD'), /^5: @assert accepted_values .* is not "<column> in \('a', 'b', …\)"/],
    ['a sql assertion that ignores the staged partition', model(...HEADER, '-- @assert sql neg: SELECT * FROM sales_clean.orders WHERE 1 = 0'), /^5: @assert sql neg does not read \{\{ this \}\}. Fix: select the offending rows FROM \{\{ this \}\}/],
    ['a sql assertion without query', model(...HEADER, '-- @assert sql neg'), /^5: @assert sql neg has no query/],
    ['an unknown assertion', model(...HEADER, '-- @assert positive revenue'), /^5: unknown assertion "positive". Fix: use one of min_rows, not_null, unique, accepted_values, sql/],
    ['min_rows twice', model(...HEADER, '-- @assert min_rows 1', '-- @assert min_rows 2'), /^6: @assert min_rows is declared twice/],
    ['two statements', [...HEADER, 'SELECT 1 FROM sales_clean.orders;', 'DROP TABLE sales_curated.x'].join('\n'), /^5: the model holds more than one statement.*Fix: keep one query per file/],
    ['a statement that is not a query', [...HEADER, 'INSERT INTO sales_clean.orders SELECT 1'].join('\n'), /^5: the model must be one SELECT .*starts with "insert"/],
    ['a directive inside the SELECT', [...HEADER, 'SELECT 1 FROM sales_clean.orders', '-- @assert unique d'].join('\n'), /^6: a directive follows the start of the SELECT. Fix: move every -- @ line above the SELECT/],
    ['a read of the raw zone', [...HEADER, 'SELECT * FROM sales_raw.orders'].join('\n'), /^5: the model reads sales_raw.orders from the raw zone. Fix: read the validated sales_clean.orders table/],
    ['a read of another domain', [...HEADER, 'SELECT * FROM sales_clean.orders JOIN web_events_clean.page_views ON true'].join('\n'), /^5: the model reads web_events_clean.page_views, which belongs to another domain. Fix: read sales_clean tables only/],
    ['a read of a curated table', [...HEADER, 'SELECT * FROM sales_clean.orders UNION ALL SELECT * FROM sales_curated.daily'].join('\n'), /^5: the model reads sales_curated.daily from the curated zone/],
    ['no clean input', [...HEADER, 'SELECT 1 AS d'].join('\n'), /^5: the SELECT reads no sales_clean table/],
    ['no SELECT at all', HEADER.join('\n'), /^4: the file has no SELECT after its header/],
    ['@model that differs from the file name', model('-- @model other', ...HEADER), /^1: @model "other" differs from the file name "m". Fix: rename the file to other.sql/],
  ];
  test.each(failures)('fails if a model file has %s (file, line and fix)', (_what, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  test('fails if the file name is not a model name', () => {
    expect(problemsOf(model(...HEADER), 'lib/domains/sales/Daily-Revenue.sql')[0]).toMatch(/^1: the file name "Daily-Revenue" is not a model name/);
    expect(problemsOf(model(...HEADER), 'lib/domains/sales/a__b.sql')[0]).toMatch(/not a model name/);
  });

  test('reports every problem of a file at once, in line order, in a message naming the file', () => {
    let error: ModelFileError | undefined;
    try {
      parse(model('-- @bogus', '-- @partition d', '-- @column d date', '-- @column x money', '-- @assert unique y'));
    } catch (e) {
      error = e as ModelFileError;
    }
    expect(error?.problems.map((p) => p.line)).toEqual([1, 4, 5]);
    expect(error?.message.split('\n')[0]).toMatch(/^lib\/domains\/sales\/m\.sql:1: unknown directive "@bogus"\. Fix: /);
  });
});

describe('syntax helpers', () => {
  test('helpers: literals, comments and strings', () => {
    expect(parseLiteralList(`'a', 'it''s' ,'c'`)).toEqual(['a', "it's", 'c']);
    expect(parseLiteralList(`'a' 'b'`)).toBeUndefined();
    expect(parseLiteralList(`a, 'b'`)).toBeUndefined();
    expect(codeOnly(`SELECT ';' -- x;\n/* ; */ 1`)).toBe(`SELECT     ${' '.repeat(5)}\n${' '.repeat(7)} 1`);
    expect(tableReferences(`SELECT 'sales_clean.x' FROM sales_clean.orders`).map((r) => r.table)).toEqual(['orders']);
  });
});

describe('@estimate (what the cost estimate assumes)', () => {
  test('reads runs per day and sizes per run, in decimal and binary units', () => {
    const m = parse(model(...HEADER, '-- @estimate runs 4/day, scans 1.5 GiB/run, writes 64 KB/run'));
    expect(m.estimate).toEqual({ runsPerDay: 4, scanBytesPerRun: Math.round(1.5 * 1024 ** 3), writeBytesPerRun: 64_000, line: 5 });
    expect(parse(model(...HEADER, '-- @estimate scans 200 MB/run')).estimate).toEqual({ scanBytesPerRun: 200_000_000, line: 5 });
    expect(parse(model(...HEADER)).estimate).toBeUndefined();
  });

  test('fails with the line and the fix on a bad part or a second @estimate', () => {
    expect(problemsOf(model(...HEADER, '-- @estimate runs hourly'))).toEqual([
      '5: @estimate part "runs hourly" is not "runs <n>/day", "scans <size>/run" or "writes <size>/run". Fix: write e.g. -- @estimate runs 24/day, scans 120 MB/run, writes 64 KB/run',
    ]);
    expect(problemsOf(model(...HEADER, '-- @estimate runs 1/day', '-- @estimate runs 2/day'))).toEqual(['6: @estimate is declared twice. Fix: keep one @estimate line']);
    expect(problemsOf(model(...HEADER, '-- @estimate scans 1 PB/run'))[0]).toMatch(/^5: @estimate part "scans 1 PB\/run"/);
  });

  test('is not part of the spec the Glue table carries', () => {
    const { resolveModel } = jest.requireActual('../../../../lambda/shared/models/spec');
    const { SALES } = jest.requireActual('../../models/fixtures');
    const text = exampleModelText('sales', 'daily_revenue').replace('-- @partition', '-- @estimate runs 24/day\n-- @partition');
    expect(resolveModel(parse(text, 'daily_revenue.sql'), SALES)).not.toHaveProperty('estimate');
  });
});
