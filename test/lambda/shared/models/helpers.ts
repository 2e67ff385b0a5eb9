/** Shared fixtures of the model tests. */
import { resolveModel } from '../../../../lambda/shared/models/spec';
import { parseModelFile } from '../../../../lambda/shared/models/syntax';
import { SALES, exampleModelText } from '../../models/fixtures';

export const FILE = 'lib/domains/sales/m.sql';
export const parse = (text: string, file = FILE) => parseModelFile(text, { domain: 'sales', file });

export const HEADER = [
  '-- @partition d',
  '-- @column d date',
  '-- @column currency string',
  '-- @column revenue decimal(18,2)',
];
export const model = (...lines: string[]) => [...lines, 'SELECT ordered_at_date AS d, currency, SUM(unit_price) AS revenue', 'FROM sales_clean.orders', 'GROUP BY 1, 2'].join('\n');

/** The sales example `daily_revenue`, resolved. */
export const dailyRevenue = () => resolveModel(parse(exampleModelText('sales', 'daily_revenue'), 'daily_revenue.sql'), SALES);
