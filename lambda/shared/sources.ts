/**
 * Sources: who delivers a domain's files, and where they put them. Pure (no CDK, no SDK): the
 * domain stack builds one ingest role per source from it, the functions find a raw key's dataset
 * with it, and the local runner puts files where a source would.
 *
 * Key layout in landing and raw:
 * - a domain that declares no sources: `<domain>/<dataset>/…`, written by one internal ingest role
 *   for the whole domain (prefix `<domain>/`);
 * - a domain that declares sources: `<domain>/<source>/<dataset>/…`, each source written by its own
 *   role, only for the datasets that declare it. The transform reads all of `raw/<domain>/`.
 */
import type { DatasetDefinition, DomainDefinition } from './dataset';

/** With sources, the raw Glue table's partition column naming the source (partition projection over the source prefixes). */
export const RAW_SOURCE_PARTITION = 'lakehouse_source';

/** The sources that deliver a dataset: its own list, or every internal source of the domain; none when the domain declares none. */
export function sourcesOfDataset(domain: Pick<DomainDefinition, 'sources'>, dataset: Pick<DatasetDefinition, 'sources'>): string[] {
  if (!domain.sources || domain.sources.length === 0) return [];
  return [...(dataset.sources ?? domain.sources.filter((s) => s.kind === 'internal').map((s) => s.name))];
}

/** The datasets a source delivers. */
export function datasetsOfSource(domain: Pick<DomainDefinition, 'sources' | 'datasets'>, source: string): string[] {
  return domain.datasets.filter((d) => sourcesOfDataset(domain, d).includes(source)).map((d) => d.name);
}

/** A source's key prefix in landing and raw (no trailing slash): the value of its role's `lakehouse:source` tag. */
export function sourcePrefix(domain: string, source: string): string {
  return `${domain}/${source}`;
}

/** Where a dataset's files arrive in raw (each ends with `/`): one prefix per source, or `<domain>/<dataset>/`. */
export function rawPrefixes(domain: string, dataset: string, sources: readonly string[]): string[] {
  return sources.length === 0 ? [`${domain}/${dataset}/`] : sources.map((s) => `${sourcePrefix(domain, s)}/${dataset}/`);
}

/**
 * The dataset (and source) of a raw key of `domain`: `<domain>/<dataset>/<anything>`, or with
 * sources `<domain>/<source>/<dataset>/<anything>`; undefined for any other key. Source and
 * dataset names of a domain never coincide (the domain checks), so the two forms cannot be confused.
 */
export function datasetOfRawKey(key: string, domain: string, datasets: readonly string[], sources: readonly string[]): { dataset: string; source?: string } | undefined {
  const parts = key.split('/');
  if (parts[0] !== domain) return undefined;
  if (sources.length === 0) return parts.length >= 3 && parts[2] !== '' && datasets.includes(parts[1]) ? { dataset: parts[1] } : undefined;
  return parts.length >= 4 && parts[3] !== '' && sources.includes(parts[1]) && datasets.includes(parts[2]) ? { dataset: parts[2], source: parts[1] } : undefined;
}
