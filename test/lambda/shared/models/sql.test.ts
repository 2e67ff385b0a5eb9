import { checkQueries, stagedSelectSql, thisRelation } from '../../../../lambda/shared/models/sql';
import { dailyRevenue } from './helpers';

describe('engine-neutral SQL', () => {
  const spec = dailyRevenue();

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
});
