import * as path from 'path';
import { DatasetDefinition, DomainDefinition } from '../../../lambda/shared/dataset';
import { domainCheckError } from '../../domain-checks';
import { loadDomains } from '../../domains';

export interface Output {
  write(chunk: string): unknown;
}

export interface CommandOptions {
  /** The project root: `.lakehouse/` lives here. */
  readonly root: string;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Where domain files are. @default lib/domains of this repository */
  readonly domainsDir?: string;
}

/** Usage error: printed with the usage line, exit code 2. */
export class UsageError extends Error {}

/** The domain files of this repository. */
export const DEFAULT_DOMAINS_DIR = path.join(__dirname, '..', '..', 'domains');

/**
 * Every domain, checked as synth checks it (lib/domain-checks.ts) before anything touches data:
 * the first problem throws the LakehouseError synth would (the domain file as its location).
 */
export function loadCheckedDomains(domainsDir: string = DEFAULT_DOMAINS_DIR): DomainDefinition[] {
  const domains = loadDomains(domainsDir);
  for (const d of domains) {
    const error = domainCheckError(d, domainsDir, `lib/domains/${d.name}.ts`);
    if (error) throw error;
  }
  return domains;
}

/** `<domain>/<dataset>` → the definitions, or a UsageError naming what exists. */
export function findDataset(ref: string | undefined, domainsDir?: string): { domain: DomainDefinition; dataset: DatasetDefinition } {
  const domains = loadCheckedDomains(domainsDir);
  const [domainName, datasetName, ...rest] = (ref ?? '').split('/');
  const known = domains.flatMap((d) => d.datasets.map((ds) => `${d.name}/${ds.name}`)).join(', ');
  const domain = domains.find((d) => d.name === domainName);
  const dataset = domain?.datasets.find((ds) => ds.name === datasetName);
  if (!domain || !dataset || rest.length > 0) {
    throw new UsageError(`unknown dataset ${JSON.stringify(ref ?? '')}; known: ${known || '(none: add a file to lib/domains/)'}`);
  }
  return { domain, dataset };
}
