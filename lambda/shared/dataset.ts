/**
 * The dataset contract: how a dataset's arriving records must look.
 *
 * Declared once in a domain file (`lib/domains/<domain>.ts`), written into the Glue catalog as
 * the clean table's columns plus the `lakehouse.contract` table parameter, and read back by the
 * transform at run time (the catalog is the single source of truth). The local runner reads the
 * same declaration. Pure: imports nothing from CDK or the AWS SDK.
 */
import { parseJson } from './json-value';

export type ScalarType = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'date' | 'timestamp';
/** A column type: a scalar, or `decimal(p,s)`. */
export type ColumnType = ScalarType | `decimal(${number},${number})`;

export interface ColumnDefinition {
  /** Column name: lower snake case, starts with a letter, ≤ 255 characters. */
  readonly name: string;
  readonly type: ColumnType;
  /** A record without a value here is quarantined. @default false */
  readonly required?: boolean;
  /**
   * Personal data. `true`: clean holds a keyed token of the value instead of the value (HMAC-SHA256
   * under the environment's secret key, `pipeline/tokens.ts`; string, int and bigint columns);
   * `'drop'`: clean does not hold the column at all. Either way the column is checked on its clear
   * value first and tagged `[pii]` in the catalog; landing, raw and quarantine keep it in clear.
   * @default false
   */
  readonly pii?: boolean | 'drop';
  /** The only values accepted (compared as text, after trimming). */
  readonly allowedValues?: readonly string[];
  /** Inclusive numeric range (numeric columns only). */
  readonly range?: { readonly min?: number; readonly max?: number };
  /** One line describing the column. */
  readonly description?: string;
}

export type ArrivalFormat = 'csv' | 'ndjson';

export interface DatasetDefinition {
  /** Dataset name: lower snake case, unique within the domain. */
  readonly name: string;
  readonly description?: string;
  /** How files arrive: CSV with a header row, or newline-delimited JSON. */
  readonly format: ArrivalFormat;
  /** Whether files arrive gzip-compressed (`.gz`). The transform also detects gzip by its magic bytes. @default false */
  readonly gzip?: boolean;
  readonly columns: readonly ColumnDefinition[];
  /**
   * The partition: a `date` column, or a `timestamp` column whose UTC date is used.
   * The clean table is partitioned by `partitionName` (default `<column>` for a date column,
   * `<column>_date` for a timestamp column).
   */
  readonly partition: { readonly column: string; readonly name?: string };
  /** Freshness SLA: new clean data is expected at least this often. */
  readonly freshnessSlaHours: number;
  /**
   * The domain's sources that deliver this dataset (names from `DomainDefinition.sources`): each
   * may put files under `<domain>/<source>/<dataset>/` in landing and raw.
   * @default - every internal source of the domain (none when the domain declares no sources)
   */
  readonly sources?: readonly string[];
}

export interface DomainDefinition {
  /** Domain name: lower snake case, ≤ 40 characters (it prefixes Glue database names). */
  readonly name: string;
  readonly owner: string;
  readonly costCenter: string;
  readonly description?: string;
  readonly datasets: readonly DatasetDefinition[];
  /**
   * The systems and partners that deliver files, each with its own ingest role that may only put
   * new objects under `<domain>/<source>/<dataset>/` (landing and raw) for the datasets that
   * declare it (`sources.ts`).
   * @default - one internal source for the whole domain: today's ingest role, writing under `<domain>/`
   */
  readonly sources?: readonly SourceDefinition[];
}

/** A system (internal) or a partner (external) that delivers files to a domain. */
export interface SourceDefinition {
  /** Lower snake case, ≤ 40 characters, unlike any dataset of the domain: the key prefix `<domain>/<source>/`. */
  readonly name: string;
  /** `internal`: assumed from this account, as the domain-wide ingest role is; `external`: a partner's account. */
  readonly kind: 'internal' | 'external';
  /** External sources: the partner's 12-digit AWS account id, the only account that may assume the source's role. */
  readonly accountId?: string;
  /** External sources: the external id the partner must pass to `sts:AssumeRole` (2–1224 characters of `\w+=,.@:/-`). */
  readonly externalId?: string;
  readonly description?: string;
}

/**
 * The contract as the transform sees it: the dataset definition plus where it lives.
 * Serialised into the clean Glue table's `lakehouse.contract` parameter.
 */
export interface DatasetContract {
  readonly version: 1;
  readonly domain: string;
  readonly dataset: string;
  readonly format: ArrivalFormat;
  readonly columns: readonly ColumnDefinition[];
  readonly partitionColumn: string;
  readonly partitionName: string;
  /** The sources that deliver the dataset (their raw prefixes `<domain>/<source>/<dataset>/`); absent: `<domain>/<dataset>/`. */
  readonly sources?: readonly string[];
}

/** The Glue table parameter that carries the contract. */
export const CONTRACT_PARAMETER = 'lakehouse.contract';

export function partitionNameOf(dataset: DatasetDefinition): string {
  if (dataset.partition.name) return dataset.partition.name;
  const col = dataset.columns.find((c) => c.name === dataset.partition.column);
  return col?.type === 'timestamp' ? `${dataset.partition.column}_date` : dataset.partition.column;
}

export function contractOf(domain: string, dataset: DatasetDefinition, sources?: readonly string[]): DatasetContract {
  return {
    version: 1,
    domain,
    dataset: dataset.name,
    format: dataset.format,
    columns: dataset.columns,
    partitionColumn: dataset.partition.column,
    partitionName: partitionNameOf(dataset),
    ...(sources && sources.length > 0 ? { sources } : {}),
  };
}

const DECIMAL_RE = /^decimal\((\d+),(\d+)\)$/;

/** Parses `decimal(p,s)`; undefined for other types. */
export function decimalOf(type: string): { precision: number; scale: number } | undefined {
  const m = DECIMAL_RE.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

export function isColumnType(type: string): type is ColumnType {
  if (['string', 'int', 'bigint', 'double', 'boolean', 'date', 'timestamp'].includes(type)) return true;
  const d = decimalOf(type);
  return d !== undefined && d.precision >= 1 && d.precision <= 38 && d.scale >= 0 && d.scale <= d.precision;
}

/** The column types a PII token can be made from (each has one canonical text on every engine: `pipeline/tokens.ts`). */
export const TOKENIZABLE_TYPES: readonly ColumnType[] = ['string', 'int', 'bigint'];

export function isTokenizable(type: string): boolean {
  return (TOKENIZABLE_TYPES as readonly string[]).includes(type);
}

/** Reads and checks a contract from its serialised form (the Glue parameter). Throws on anything malformed. */
export function parseContract(text: string): DatasetContract {
  const value = parseJson(text, (reason) => new Error(`${CONTRACT_PARAMETER} is not JSON: ${reason}`));
  const c = value as DatasetContract;
  if (!c || c.version !== 1 || typeof c.domain !== 'string' || typeof c.dataset !== 'string') {
    throw new Error(`${CONTRACT_PARAMETER} has an unknown version or lacks domain/dataset`);
  }
  if (c.format !== 'csv' && c.format !== 'ndjson') throw new Error(`${CONTRACT_PARAMETER}: unknown format ${String(c.format)}`);
  if (!Array.isArray(c.columns) || c.columns.length === 0) throw new Error(`${CONTRACT_PARAMETER}: no columns`);
  for (const col of c.columns) {
    if (typeof col.name !== 'string' || !isColumnType(String(col.type))) {
      throw new Error(`${CONTRACT_PARAMETER}: column ${JSON.stringify(col.name)} has unknown type ${JSON.stringify(col.type)}`);
    }
    // Personal data must never pass in clear because its declaration was not understood.
    if (col.pii !== undefined && col.pii !== false && col.pii !== true && col.pii !== 'drop') {
      throw new Error(`${CONTRACT_PARAMETER}: column ${col.name} has unknown pii ${JSON.stringify(col.pii)}`);
    }
    if (col.pii === true && !isTokenizable(col.type)) {
      throw new Error(`${CONTRACT_PARAMETER}: column ${col.name} is pii but a ${col.type} cannot be tokenized`);
    }
  }
  if (!c.columns.some((col) => col.name === c.partitionColumn)) {
    throw new Error(`${CONTRACT_PARAMETER}: partition column ${c.partitionColumn} is not a column`);
  }
  return c;
}
