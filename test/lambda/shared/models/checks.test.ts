import { describeFailures, runChecks } from '../../../../lambda/shared/models/checks';
import { dailyRevenue } from './helpers';

describe('runChecks', () => {
  const spec = dailyRevenue();

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
});
