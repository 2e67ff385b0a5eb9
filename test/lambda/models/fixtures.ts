/**
 * Test fixtures: the example domains' contracts (as declared in lib/domains/sales.ts and
 * lib/domains/web_events.ts) and a temporary domains folder holding them with the example model
 * files, so tests do not depend on which domain files are present in the working tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainDefinition } from '../../../lambda/shared/dataset';

export const REPO_DOMAINS_DIR = path.join(__dirname, '..', '..', '..', 'lib', 'domains');

export const SALES: DomainDefinition = {
  name: 'sales',
  owner: 'sales-analytics',
  costCenter: 'cc-2000',
  description: 'Web shop sales',
  datasets: [
    {
      name: 'orders',
      description: 'One row per order line',
      format: 'csv',
      columns: [
        { name: 'order_id', type: 'bigint', required: true },
        { name: 'line_no', type: 'int', required: true },
        { name: 'customer_email', type: 'string', required: true, pii: true },
        { name: 'sku', type: 'string', required: true },
        { name: 'quantity', type: 'int', required: true },
        { name: 'unit_price', type: 'decimal(12,2)', required: true },
        { name: 'currency', type: 'string', required: true, allowedValues: ['EUR', 'USD', 'GBP'] },
        { name: 'is_gift', type: 'boolean' },
        { name: 'ordered_at', type: 'timestamp', required: true },
      ],
      partition: { column: 'ordered_at' },
      freshnessSlaHours: 6,
    },
  ],
};

export const WEB_EVENTS: DomainDefinition = {
  name: 'web_events',
  owner: 'web-analytics',
  costCenter: 'cc-3000',
  description: 'Web site click-stream',
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
        { name: 'user_id', type: 'bigint', pii: true },
        { name: 'page', type: 'string', required: true },
        { name: 'device', type: 'string', allowedValues: ['desktop', 'mobile', 'tablet'] },
        { name: 'duration_ms', type: 'bigint' },
        { name: 'viewed_at', type: 'timestamp', required: true },
      ],
      partition: { column: 'event_date' },
      freshnessSlaHours: 2,
    },
  ],
};

/** The example model files shipped in lib/domains/<domain>/. */
export function exampleModelText(domain: string, model: string): string {
  return fs.readFileSync(path.join(REPO_DOMAINS_DIR, domain, `${model}.sql`), 'utf8');
}

/**
 * A temporary domains folder: `<domain>.ts` for each definition (discoverable by loadDomains) and
 * `<domain>/<model>.sql` for each model text given (default: the examples).
 */
export function tempDomainsDir(
  domains: readonly DomainDefinition[] = [SALES, WEB_EVENTS],
  models: Record<string, Record<string, string>> = {
    sales: { daily_revenue: exampleModelText('sales', 'daily_revenue') },
    web_events: { daily_page_views: exampleModelText('web_events', 'daily_page_views') },
  },
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-domains-'));
  for (const d of domains) {
    fs.writeFileSync(path.join(dir, `${d.name}.ts`), `module.exports = { default: ${JSON.stringify(d)} };\n`);
  }
  for (const [domain, files] of Object.entries(models)) {
    fs.mkdirSync(path.join(dir, domain), { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, domain, `${name}.sql`), text);
  }
  return dir;
}
