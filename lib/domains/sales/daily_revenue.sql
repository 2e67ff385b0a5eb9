-- Daily revenue per currency: one row per order day (UTC) and currency, from the validated orders.
-- Runs unchanged on Athena (Trino) and DuckDB: see lambda/shared/models.ts for the syntax and
-- constructs/models/README.md for the SQL subset both engines share.
--
-- @description Orders, order lines, units and revenue per order day (UTC) and currency
-- @partition order_date
-- @column order_date date: Day the orders were placed (UTC)
-- @column currency string: ISO 4217 currency code
-- @column orders bigint: Distinct orders
-- @column order_lines bigint: Order lines
-- @column units bigint: Units sold
-- @column revenue decimal(18,2): Sum of quantity × unit price
-- @column gift_lines bigint: Order lines marked as gifts
-- @assert min_rows 1
-- @assert not_null currency, orders, order_lines, revenue
-- @assert unique order_date, currency
-- @assert accepted_values currency in ('EUR', 'USD', 'GBP')
-- @assert sql revenue_not_negative:
--     SELECT currency, revenue FROM {{ this }} WHERE revenue < 0
-- @assert sql orders_within_lines:
--     SELECT currency, orders, order_lines FROM {{ this }} WHERE orders > order_lines
SELECT
  ordered_at_date AS order_date,
  currency,
  COUNT(DISTINCT order_id) AS orders,
  COUNT(*) AS order_lines,
  SUM(CAST(quantity AS BIGINT)) AS units,
  SUM(CAST(quantity AS DECIMAL(18, 2)) * unit_price) AS revenue,
  SUM(CASE WHEN COALESCE(is_gift, false) THEN 1 ELSE 0 END) AS gift_lines
FROM sales_clean.orders
GROUP BY ordered_at_date, currency
