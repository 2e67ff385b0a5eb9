import {
  ModelFileError,
  checkQueries,
  codeOnly,
  describeFailures,
  lookbackDates,
  parseLiteralList,
  parseModelFile,
  parseModelSpec,
  partitionOfCleanKey,
  partitionPrefix,
  resolveModel,
  runChecks,
  serialiseModelSpec,
  stagedSelectSql,
  runRecordPrefix,
  tableReferences,
  thisRelation,
} from '../../../lambda/shared/models';
import { SALES, WEB_EVENTS, exampleModelText } from './fixtures';

const FILE = 'lib/domains/sales/m.sql';
const parse = (text: string, file = FILE) => parseModelFile(text, { domain: 'sales', file });

const HEADER = [
  '-- @partition d',
  '-- @column d date',
  '-- @column currency string',
  '-- @column revenue decimal(18,2)',
];
const model = (...lines: string[]) => [...lines, 'SELECT ordered_at_date AS d, currency, SUM(unit_price) AS revenue', 'FROM sales_clean.orders', 'GROUP BY 1, 2'].join('\n');

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

describe('resolution against the domain', () => {
  test('resolves inputs to their clean partition names and prefixes', () => {
    const spec = resolveModel(parse(exampleModelText('sales', 'daily_revenue'), 'daily_revenue.sql'), SALES);
    expect(spec.inputs).toEqual([{ database: 'sales_clean', dataset: 'orders', partitionName: 'ordered_at_date', prefix: 'sales/orders/' }]);
    const web = resolveModel(parseModelFile(exampleModelText('web_events', 'daily_page_views'), { domain: 'web_events', file: 'daily_page_views.sql' }), WEB_EVENTS);
    expect(web.inputs).toEqual([{ database: 'web_events_clean', dataset: 'page_views', partitionName: 'event_date', prefix: 'web_events/page_views/' }]);
  });

  test('fails if the model reads a dataset the domain does not declare (file, line, fix)', () => {
    const m = parse([...HEADER, 'SELECT *', 'FROM sales_clean.refunds'].join('\n'));
    expect(() => resolveModel(m, SALES)).toThrow(/m\.sql:6: sales_clean\.refunds is not a dataset of domain sales\. Fix: read one of sales_clean\.orders/);
  });

  test('the spec survives the Glue parameter round trip; a malformed one is rejected', () => {
    const spec = resolveModel(parse(exampleModelText('sales', 'daily_revenue'), 'daily_revenue.sql'), SALES);
    expect(parseModelSpec(serialiseModelSpec(spec))).toEqual(spec);
    expect(() => parseModelSpec('{')).toThrow(/not JSON/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, version: 2 }))).toThrow(/unknown version/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, partition: 'currency' }))).toThrow(/not a date column/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, inputs: [] }))).toThrow(/inputs/);
  });
});

describe('partitions and keys', () => {
  const spec = resolveModel(parse(exampleModelText('sales', 'daily_revenue'), 'daily_revenue.sql'), SALES);

  test('a clean object key gives the model partition it affects', () => {
    expect(partitionOfCleanKey(spec, 'sales/orders/ordered_at_date=2024-05-01/part-0.parquet')).toBe('2024-05-01');
    expect(partitionOfCleanKey(spec, 'sales/orders/ordered_at_date=2024-02-30/part-0.parquet')).toBeUndefined();
    expect(partitionOfCleanKey(spec, 'sales/orders/ordered_at_date=2024-05-01/_tmp.parquet')).toBeUndefined();
    expect(partitionOfCleanKey(spec, 'sales/orders/other=2024-05-01/part-0.parquet')).toBeUndefined();
    expect(partitionOfCleanKey(spec, 'sales/orders/part-0.parquet')).toBeUndefined();
    expect(partitionOfCleanKey(spec, 'sales/customers/ordered_at_date=2024-05-01/part-0.parquet')).toBeUndefined();
  });

  test('keys of the published partition and of its run records; lookback dates', () => {
    expect(partitionPrefix(spec, '2024-05-01')).toBe('sales/daily_revenue/order_date=2024-05-01/');
    expect(runRecordPrefix(spec, '2024-05-01')).toBe('sales/_runs/daily_revenue/order_date=2024-05-01/');
    expect(() => partitionPrefix(spec, '2024-5-1')).toThrow(/not a yyyy-mm-dd date/);
    expect(lookbackDates(new Date('2024-03-01T05:00:00Z'), 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('engine-neutral SQL', () => {
  const spec = resolveModel(parse(exampleModelText('sales', 'daily_revenue'), 'daily_revenue.sql'), SALES);

  test('the staged SELECT casts to the declared types, filters the partition and leaves the partition column out', () => {
    const sql = stagedSelectSql(spec, '2024-05-01');
    expect(sql).toContain('CAST("model"."currency" AS varchar) AS "currency"');
    expect(sql).toContain('CAST("model"."revenue" AS decimal(18,2)) AS "revenue"');
    expect(sql).not.toContain('AS "order_date"');
    expect(sql.endsWith(`) AS "model"\nWHERE "model"."order_date" = DATE '2024-05-01'`)).toBe(true);
    expect(() => stagedSelectSql(spec, "2024-05-01' OR 1=1 --")).toThrow(/not a yyyy-mm-dd date/);
  });

  test('each assertion becomes one query over {{ this }} returning a bounded sample and the total', () => {
    const self = thisRelation(spec, 'stg', '2024-05-01');
    expect(self).toBe(`(SELECT *, DATE '2024-05-01' AS "order_date" FROM stg)`);
    const q = checkQueries(spec, self, 3);
    expect(q.rowCount).toBe(`SELECT COUNT(*) AS row_count FROM ${self} AS t`);
    expect(q.assertions.map((a) => a.name)).toEqual([
      'not_null(currency, orders, order_lines, revenue)',
      'unique(order_date, currency)',
      'accepted_values(currency)',
      'sql(revenue_not_negative)',
      'sql(orders_within_lines)',
    ]);
    expect(q.assertions[2].sql).toContain(`CAST(t."currency" AS varchar) NOT IN ('EUR', 'USD', 'GBP')`);
    expect(q.assertions[3].sql).toContain(`SELECT currency, revenue FROM ${self} WHERE revenue < 0`);
    expect(q.assertions.every((a) => a.sql.startsWith('SELECT COUNT(*) OVER () AS lakehouse_failing_rows, v.* FROM (') && a.sql.endsWith(') AS v LIMIT 3'))).toBe(true);
  });

  test('runChecks reads the row count and each assertion, keeping a sample of failures', async () => {
    const seen: string[] = [];
    const report = await runChecks(spec, 'stg', async (_sql, label) => {
      seen.push(label);
      if (label === 'row count') return [{ row_count: '4' }];
      if (label === 'unique(order_date, currency)') return [{ lakehouse_failing_rows: '7', order_date: '2024-05-01', currency: 'EUR', duplicate_rows: '2' }];
      return [];
    });
    expect(seen).toEqual(['row count', 'not_null(currency, orders, order_lines, revenue)', 'unique(order_date, currency)', 'accepted_values(currency)', 'sql(revenue_not_negative)', 'sql(orders_within_lines)']);
    expect(report.ok).toBe(false);
    expect(report.rows).toBe(4);
    expect(report.assertions.filter((a) => !a.ok)).toEqual([
      { name: 'unique(order_date, currency)', kind: 'unique', line: 16, ok: false, failingRows: 7, sample: [{ order_date: '2024-05-01', currency: 'EUR', duplicate_rows: '2' }] },
    ]);
    expect(describeFailures(spec, report)).toBe('unique(order_date, currency) (daily_revenue.sql:16) failed on 7 row(s), e.g. [{"order_date":"2024-05-01","currency":"EUR","duplicate_rows":"2"}]');
  });

  test('min_rows fails an empty partition', async () => {
    const report = await runChecks({ ...spec, assertions: [] }, 'stg', async () => [{ row_count: '0' }]);
    expect(report).toEqual({ rows: 0, ok: false, assertions: [{ name: 'min_rows(1)', kind: 'min_rows', line: 14, ok: false, failingRows: 1, sample: [{ row_count: '0' }] }] });
  });

  test('helpers: literals, comments and strings', () => {
    expect(parseLiteralList(`'a', 'it''s' ,'c'`)).toEqual(['a', "it's", 'c']);
    expect(parseLiteralList(`'a' 'b'`)).toBeUndefined();
    expect(parseLiteralList(`a, 'b'`)).toBeUndefined();
    expect(codeOnly(`SELECT ';' -- x;\n/* ; */ 1`)).toBe(`SELECT     ${' '.repeat(5)}\n${' '.repeat(7)} 1`);
    expect(tableReferences(`SELECT 'sales_clean.x' FROM sales_clean.orders`).map((r) => r.table)).toEqual(['orders']);
  });
});
