import { defineDomain } from '../domain-definition';

/** Click-stream events from the web site, delivered as gzip NDJSON files every hour. */
export default defineDomain({
  name: 'web_events',
  owner: 'web-analytics',
  costCenter: 'cc-3000',
  description: 'Web site click-stream',
  // The cost estimate (npm run report) must stay within this in every month, or synth fails (DataOps-DomainCostBudget).
  monthlyBudgetUsd: 15,
  datasets: [
    {
      name: 'page_views',
      description: 'One row per page view',
      format: 'ndjson',
      gzip: true,
      columns: [
        { name: 'event_id', type: 'string', required: true },
        { name: 'event_date', type: 'date', required: true },
        { name: 'session_id', type: 'string', required: true },
        // Personal data: clean holds the keyed token of the id's digits; anonymous views stay NULL.
        { name: 'user_id', type: 'bigint', pii: true },
        { name: 'page', type: 'string', required: true },
        { name: 'device', type: 'string', allowedValues: ['desktop', 'mobile', 'tablet'] },
        { name: 'duration_ms', type: 'bigint', range: { min: 0 } },
        { name: 'viewed_at', type: 'timestamp', required: true },
      ],
      partition: { column: 'event_date' },
      freshnessSlaHours: 2,
      // For the cost estimate: one gzip NDJSON file an hour, ~27.7 bytes a row gzipped (README "Benchmark"), +5 % a month.
      volume: { filesPerDay: 24, rowsPerDay: 2_000_000, bytesPerDay: 55_400_000, monthlyGrowth: 0.05 },
      uniqueKey: ['event_id'],
    },
  ],
});
