import { DatasetDefinition, DomainDefinition } from '../../../lambda/shared/dataset';
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

/** `<domain>/<dataset>` → the definitions, or a UsageError naming what exists. */
export function findDataset(ref: string | undefined, domainsDir?: string): { domain: DomainDefinition; dataset: DatasetDefinition } {
  const domains = loadDomains(domainsDir);
  const [domainName, datasetName, ...rest] = (ref ?? '').split('/');
  const known = domains.flatMap((d) => d.datasets.map((ds) => `${d.name}/${ds.name}`)).join(', ');
  const domain = domains.find((d) => d.name === domainName);
  const dataset = domain?.datasets.find((ds) => ds.name === datasetName);
  if (!domain || !dataset || rest.length > 0) {
    throw new UsageError(`unknown dataset ${JSON.stringify(ref ?? '')}; known: ${known || '(none: add a file to lib/domains/)'}`);
  }
  return { domain, dataset };
}
