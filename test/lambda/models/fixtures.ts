/**
 * Test fixtures: the example domains (lib/domains/sales.ts, lib/domains/web_events.ts) and a
 * temporary domains folder holding them with the example model files, so tests do not depend on
 * which other domain files are present in the working tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainDefinition } from '../../../lambda/shared/dataset';
import salesDomain from '../../../lib/domains/sales';
import webEventsDomain from '../../../lib/domains/web_events';

export const REPO_DOMAINS_DIR = path.join(__dirname, '..', '..', '..', 'lib', 'domains');

/** The example domains themselves: model tests run against what ships. */
export const SALES: DomainDefinition = salesDomain;
export const WEB_EVENTS: DomainDefinition = webEventsDomain;

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
