import { lookbackDates, partitionOfCleanKey, partitionPrefix, runRecordPrefix } from '../../../../lambda/shared/models/layout';
import { dailyRevenue } from './helpers';

describe('partitions and keys', () => {
  const spec = dailyRevenue();

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
