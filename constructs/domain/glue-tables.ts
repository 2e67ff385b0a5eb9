/**
 * Glue table inputs for a dataset: the raw table over the arrival format (every column a string,
 * as delivered) and the clean table in Parquet with partition projection and the dataset contract.
 */
import * as glue from 'aws-cdk-lib/aws-glue';
import { CONTRACT_PARAMETER, ColumnDefinition, DatasetContract, DatasetDefinition, TextEncoding } from '../../lambda/shared/dataset';
import { cleanColumns, piiTreatment } from '../../lambda/shared/pipeline/tokens';
import { RAW_SOURCE_PARTITION } from '../../lambda/shared/sources';

/** Storage of every Parquet table (clean and curated). */
export const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};
const TEXT = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
};

/** The earliest partition date projection enumerates. */
export const PROJECTION_START = '2000-01-01';

/**
 * A column comment: the description, and `[pii]` for personal data — in clean, `[pii: token]` where
 * the column holds the value's keyed token (HMAC-SHA256, README "Personal data").
 */
export function columnComment(description: string | undefined, pii: ColumnDefinition['pii'], zone: 'raw' | 'clean' = 'raw'): string | undefined {
  const marker = pii ? (zone === 'clean' && piiTreatment({ pii }) === 'token' ? '[pii: token]' : '[pii]') : undefined;
  const text = [description, marker].filter(Boolean).join(' ');
  return text || undefined;
}

/** Java charset names of the encodings a dataset may declare (the raw table's `serialization.encoding`). */
const JAVA_CHARSETS: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', 'windows-1252': 'windows-1252', 'latin-1': 'ISO-8859-1' };

/**
 * The raw table: the files as they arrived, every column a string. CSV: the dataset's delimiter,
 * quote and escape, its header line skipped when it has one (columns by position, in declaration
 * order); NDJSON: each column mapped to its source key. A declared single-byte encoding is the
 * SerDe's `serialization.encoding` (UTF-16 files, detected by their mark, stay unreadable here).
 * With sources (files under `<domain>/<source>/<dataset>/`), partitioned by the source through
 * partition projection over the dataset's sources: `sources.domainUrl` is `s3://<raw bucket>/<domain>`.
 */
export function rawTableInput(dataset: DatasetDefinition, owner: string, location: string, sources?: { readonly domainUrl: string; readonly sources: readonly string[] }): glue.CfnTable.TableInputProperty {
  const csv = dataset.format === 'csv';
  const bySource = sources && sources.sources.length > 0 ? sources : undefined;
  const dialect = dataset.csv ?? {};
  const quote = dialect.quote ?? '"';
  const encoding = dataset.encoding && dataset.encoding !== 'utf-8' ? { 'serialization.encoding': JAVA_CHARSETS[dataset.encoding] } : {};
  const keys = Object.fromEntries(dataset.columns.filter((c) => c.header !== undefined).map((c) => [`mapping.${c.name}`, c.header!]));
  return {
    name: dataset.name,
    description: `${dataset.description ?? dataset.name} (raw, as delivered)`,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      classification: csv ? 'csv' : 'json',
      owner,
      EXTERNAL: 'TRUE',
      ...(csv && dialect.header !== false ? { 'skip.header.line.count': '1' } : {}),
      ...(bySource
        ? {
            'projection.enabled': 'true',
            [`projection.${RAW_SOURCE_PARTITION}.type`]: 'enum',
            [`projection.${RAW_SOURCE_PARTITION}.values`]: bySource.sources.join(','),
            'storage.location.template': `${bySource.domainUrl}/\${${RAW_SOURCE_PARTITION}}/${dataset.name}/`,
          }
        : {}),
    },
    ...(bySource ? { partitionKeys: [{ name: RAW_SOURCE_PARTITION, type: 'string', comment: 'The source that delivered the file (its key prefix)' }] } : {}),
    storageDescriptor: {
      ...TEXT,
      location: bySource ? `${bySource.domainUrl}/` : location,
      columns: dataset.columns.map((c) => ({ name: c.name, type: 'string', comment: columnComment(c.description, c.pii) })),
      serdeInfo: csv
        ? {
            serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
            parameters: { separatorChar: dialect.delimiter ?? ',', quoteChar: quote, escapeChar: dialect.escape !== undefined && dialect.escape !== quote ? dialect.escape : '\\', ...encoding },
          }
        : { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'ignore.malformed.json': 'true', ...keys, ...encoding } },
    },
  };
}

/**
 * The clean table: typed Parquet partitioned by `contract.partitionName`, found by partition
 * projection (no crawler, no partition registration). A date partition column lives in the path
 * only; a timestamp column stays in the data and its UTC date is the partition.
 */
export function cleanTableInput(contract: DatasetContract, description: string | undefined, owner: string, bucketName: string): glue.CfnTable.TableInputProperty {
  const p = contract.partitionName;
  const prefix = `s3://${bucketName}/${contract.domain}/${contract.dataset}/`;
  return {
    name: contract.dataset,
    description: `${description ?? contract.dataset} (clean, validated)`,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      ...parquetTableParameters(owner, p, prefix),
      [CONTRACT_PARAMETER]: JSON.stringify(contract),
    },
    partitionKeys: [{ name: p, type: 'date' }],
    storageDescriptor: {
      ...PARQUET_STORAGE,
      location: prefix,
      // What clean holds: a pii column's token is a string, a dropped column is not there (tokens.ts).
      columns: cleanColumns(contract.columns)
        .filter((c) => c.name !== p)
        .map((c) => ({ name: c.name, type: c.type, comment: columnComment(c.description, c.pii, 'clean') })),
    },
  };
}

/**
 * Table parameters for partition projection over one `date` partition per day under `prefix`
 * (`<prefix><partition>=yyyy-mm-dd/`): no crawler and no partition registration.
 */
export function dailyPartitionProjection(partition: string, prefix: string): Record<string, string> {
  return {
    'projection.enabled': 'true',
    [`projection.${partition}.type`]: 'date',
    [`projection.${partition}.format`]: 'yyyy-MM-dd',
    [`projection.${partition}.range`]: `${PROJECTION_START},NOW`,
    [`projection.${partition}.interval`]: '1',
    [`projection.${partition}.interval.unit`]: 'DAYS',
    'storage.location.template': `${prefix}${partition}=\${${partition}}/`,
  };
}

/** Parameters of every Parquet table the platform writes: classification, owner, zstd, daily projection. */
export function parquetTableParameters(owner: string, partition: string, prefix: string): Record<string, string> {
  return {
    classification: 'parquet',
    owner,
    EXTERNAL: 'TRUE',
    'parquet.compression': 'ZSTD',
    ...dailyPartitionProjection(partition, prefix),
  };
}
