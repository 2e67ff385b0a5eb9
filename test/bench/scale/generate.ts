/**
 * Generates N data domains for the scale benchmark by copying the example domains (and their SQL
 * models) under new names: `sales` → `sales_0001`, `web_events` → `web_events_0002`, … alternately.
 * Writes the models into a temporary domains directory (never committed) and returns the domain
 * definitions, for `buildLakehouse({ domains, domainsDir })`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainDefinition } from '../../../lambda/shared/dataset';
import { loadDomains } from '../../../lib/domains';

/** Where the scale app writes its figures in the cloud assembly. */
export const TIMINGS_FILE = 'bench-timings.json';

const EXAMPLES_DIR = join(__dirname, '..', '..', '..', 'lib', 'domains');

export interface GeneratedDomains {
  readonly domains: DomainDefinition[];
  /** Where the generated `<domain>/*.sql` model files are. */
  readonly domainsDir: string;
}

/** The generated name of domain `i` (0-based) copied from `example`. */
export function generatedName(example: string, i: number): string {
  return `${example}_${String(i + 1).padStart(4, '0')}`;
}

/** Copies the examples round-robin until there are `count` domains. */
export function generateDomains(count: number, domainsDir: string = mkdtempSync(join(tmpdir(), 'lakehouse-scale-'))): GeneratedDomains {
  const examples = loadDomains(EXAMPLES_DIR);
  const domains: DomainDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const example = examples[i % examples.length];
    const name = generatedName(example.name, i);
    domains.push({ ...example, name });
    const modelDir = join(EXAMPLES_DIR, example.name);
    const sqlFiles = safeList(modelDir).filter((f) => f.endsWith('.sql'));
    if (sqlFiles.length === 0) continue;
    mkdirSync(join(domainsDir, name), { recursive: true });
    for (const file of sqlFiles) {
      const sql = readFileSync(join(modelDir, file), 'utf8').replace(new RegExp(`\\b${example.name}_(clean|curated|raw)\\.`, 'g'), `${name}_$1.`);
      writeFileSync(join(domainsDir, name, file), sql);
    }
  }
  return { domains, domainsDir };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
