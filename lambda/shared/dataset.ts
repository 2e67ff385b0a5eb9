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
  /**
   * The source's name for the column when it differs from `name`: the CSV header text (matched
   * after trimming, case-insensitive, like names) or the NDJSON key (exact). The clean column is
   * still `name`. @default the column's name
   */
  readonly header?: string;
}

/** The CSV delimiters the transform reads. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** How a CSV file is written: RFC 4180 by default. */
export interface CsvDialect {
  /** The field delimiter. @default ',' */
  readonly delimiter?: CsvDelimiter;
  /** The quote character. @default '"' */
  readonly quote?: string;
  /**
   * The character that escapes a quote (or itself) inside a quoted field. The quote itself means
   * a quote is doubled (`""`), as RFC 4180 has it. @default the quote character
   */
  readonly escape?: string;
  /** Whether the first line is a header. Without one, the fields are the columns in declaration order. @default true */
  readonly header?: boolean;
}

/** Encodings a dataset may declare (UTF-16 with a byte-order mark is detected, whatever is declared). */
export const TEXT_ENCODINGS = ['utf-8', 'windows-1252', 'latin-1'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** The partition name of a dataset partitioned by arrival, unless it names one. */
export const ARRIVAL_PARTITION_NAME = 'arrival_date';

export type ArrivalFormat = 'csv' | 'ndjson';

/**
 * The volume a dataset is expected to receive: what the cost estimate (lib/cost) is computed from.
 * Figures are per day at the start; `monthlyGrowth` compounds them month by month.
 */
export interface DatasetVolume {
  /** Files delivered per day. */
  readonly filesPerDay: number;
  /** Bytes delivered per day, as stored (a gzip file counts its compressed size). */
  readonly bytesPerDay: number;
  /** Records delivered per day. */
  readonly rowsPerDay: number;
  /** Growth of the daily figures per month, as a fraction (0.05 = +5 % a month, compounded). @default 0 */
  readonly monthlyGrowth?: number;
}

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
   * The partition: a `date` column, or a `timestamp` column whose UTC date is used; or, with
   * `arrival: true`, the UTC date the file arrived (its S3 event time; for a dataset without a
   * date column). The clean table is partitioned by `name` (default `<column>` for a date column,
   * `<column>_date` for a timestamp column, `arrival_date` by arrival).
   */
  readonly partition: { readonly column?: string; readonly name?: string; readonly arrival?: boolean };
  /** Freshness SLA: new clean data is expected at least this often. */
  readonly freshnessSlaHours: number;
  /**
   * Expected volume, for the cost estimate.
   * @default - the dataset's storage, requests and compute are not estimated (the report says so)
   */
  readonly volume?: DatasetVolume;
  /** CSV only: the file's dialect. @default RFC 4180: `,`, `"` doubled to escape, a header row */
  readonly csv?: CsvDialect;
  /** The files' character encoding; files are transcoded to UTF-8 before anything else. @default 'utf-8' */
  readonly encoding?: TextEncoding;
  /**
   * Columns whose combination is unique across the dataset: a Glue Data Quality rule
   * (`IsUnique`) on the clean table. The transform does not check it: a duplicate may be in
   * another file. @default - none
   */
  readonly uniqueKey?: readonly string[];
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
   * The most the domain may cost per month in an environment, in US dollars: synth fails
   * (`DataOps-DomainCostBudget`) when a month of its 12-month estimate is above it.
   * @default - no budget
   */
  readonly monthlyBudgetUsd?: number;
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
  /** The partition column; by arrival, the partition name (no column holds it). */
  readonly partitionColumn: string;
  readonly partitionName: string;
  /** `arrival`: partitioned by the UTC date the file arrived, not by a column. @default - by `partitionColumn` */
  readonly partitionBy?: 'arrival';
  /** CSV: the dialect as declared. @default RFC 4180 with a header */
  readonly csv?: CsvDialect;
  /** @default 'utf-8' */
  readonly encoding?: TextEncoding;
  /** The sources that deliver the dataset (their raw prefixes `<domain>/<source>/<dataset>/`); absent: `<domain>/<dataset>/`. */
  readonly sources?: readonly string[];
}

/** The Glue table parameter that carries the contract. */
export const CONTRACT_PARAMETER = 'lakehouse.contract';

export function partitionNameOf(dataset: DatasetDefinition): string {
  if (dataset.partition.name) return dataset.partition.name;
  if (dataset.partition.arrival) return ARRIVAL_PARTITION_NAME;
  const column = dataset.partition.column ?? '';
  const col = dataset.columns.find((c) => c.name === column);
  return col?.type === 'timestamp' ? `${column}_date` : column;
}

export function contractOf(domain: string, dataset: DatasetDefinition, sources?: readonly string[]): DatasetContract {
  const partitionName = partitionNameOf(dataset);
  const arrival = dataset.partition.arrival === true;
  return {
    version: 1,
    domain,
    dataset: dataset.name,
    format: dataset.format,
    columns: dataset.columns,
    partitionColumn: arrival ? partitionName : dataset.partition.column ?? '',
    partitionName,
    ...(arrival ? { partitionBy: 'arrival' as const } : {}),
    ...(dataset.csv ? { csv: dataset.csv } : {}),
    ...(dataset.encoding ? { encoding: dataset.encoding } : {}),
    ...(sources && sources.length > 0 ? { sources } : {}),
  };
}

/** The name a column has in the source: its CSV header text or NDJSON key. */
export function sourceNameOf(col: Pick<ColumnDefinition, 'name' | 'header'>): string {
  return col.header ?? col.name;
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
  if (c.partitionBy !== undefined && c.partitionBy !== 'arrival') throw new Error(`${CONTRACT_PARAMETER}: unknown partitionBy ${JSON.stringify(c.partitionBy)}`);
  if (c.partitionBy !== 'arrival' && !c.columns.some((col) => col.name === c.partitionColumn)) {
    throw new Error(`${CONTRACT_PARAMETER}: partition column ${c.partitionColumn} is not a column`);
  }
  if (c.encoding !== undefined && !(TEXT_ENCODINGS as readonly string[]).includes(c.encoding)) throw new Error(`${CONTRACT_PARAMETER}: unknown encoding ${JSON.stringify(c.encoding)}`);
  if (c.csv !== undefined && (typeof c.csv !== 'object' || (c.csv.delimiter !== undefined && !(CSV_DELIMITERS as readonly string[]).includes(c.csv.delimiter)))) {
    throw new Error(`${CONTRACT_PARAMETER}: malformed csv dialect ${JSON.stringify(c.csv)}`);
  }
  return c;
}
