import { defineDomain } from '../domain-definition';

/** Orders from the web shop, delivered as CSV files several times a day. */
export default defineDomain({
  name: 'sales',
  owner: 'sales-analytics',
  costCenter: 'cc-2000',
  description: 'Web shop sales',
  // The cost estimate (npm run report) must stay within this in every month, or synth fails (DataOps-DomainCostBudget).
  monthlyBudgetUsd: 15,
  // Who delivers files: the web shop (this account) and a marketplace partner (its own account).
  // Each gets a role that may only put new files under landing|raw/sales/<source>/<dataset>/.
  sources: [
    { name: 'webshop', kind: 'internal', description: 'The web shop order export' },
    { name: 'marketplace', kind: 'external', accountId: '210987654321', externalId: 'lakehouse-sales-marketplace', description: 'Orders placed through the partner marketplace' },
  ],
  datasets: [
    {
      name: 'orders',
      description: 'One row per order line',
      format: 'csv',
      columns: [
        { name: 'order_id', type: 'bigint', required: true, description: 'Order number' },
        { name: 'line_no', type: 'int', required: true, range: { min: 1, max: 1000 } },
        // Personal data: clean holds its keyed token (HMAC-SHA256), never the address.
        { name: 'customer_email', type: 'string', required: true, pii: true },
        { name: 'sku', type: 'string', required: true },
        { name: 'quantity', type: 'int', required: true, range: { min: 1, max: 10000 } },
        { name: 'unit_price', type: 'decimal(12,2)', required: true, range: { min: 0 } },
        { name: 'currency', type: 'string', required: true, allowedValues: ['EUR', 'USD', 'GBP'] },
        { name: 'is_gift', type: 'boolean' },
        { name: 'ordered_at', type: 'timestamp', required: true, description: 'When the order was placed (any offset; stored as UTC)' },
      ],
      partition: { column: 'ordered_at' },
      freshnessSlaHours: 6,
      // For the cost estimate: six CSV files a day, ~93 bytes a row (README "Benchmark"), +3 % a month.
      volume: { filesPerDay: 6, rowsPerDay: 300_000, bytesPerDay: 27_900_000, monthlyGrowth: 0.03 },
      // A Glue Data Quality rule on the clean table (the transform sees one file at a time).
      uniqueKey: ['order_id', 'line_no'],
      sources: ['webshop', 'marketplace'],
    },
  ],
});
