/**
 * The Athena side of the big-file route: the staging table over the prepared records
 * (prepare.ts) and the queries that check and convert them with the contract's rules — the same
 * expressions the function's DuckDB passes use (rules.ts), in the Trino dialect.
 *
 * - `goodRowsSelect`: the rows that pass, typed (a `pii` column as the token prepare.ts made, or
 *   left out), plus `__partition` (`YYYY-MM-DD`); the CTAS
 *   around it writes them as Parquet (zstd), one file per partition value (one bucket).
 * - `quarantineSelect`: `line, record, reasons, bytes` of the rows that do not, in line order —
 *   the function's quarantine file, row for row (`bytes`: base64 of a record that is not UTF-8);
 *   `wholeFileQuarantineSelect`: every row with one reason, for a source that turned out
 *   unreadable (prepare.ts).
 * A row is bad exactly when the function finds it bad: a reason from the first steps (`r`), or a
 * row failing the cheap checks whose full reasons are not all NULL.
 */
import type { DatasetContract } from '../../shared/dataset';
import { effectiveColumns, partitionValue, PARTITION_COLUMN } from '../../shared/pipeline/plan';
import { REASON_SEPARATOR, TRINO, columnSql, sqlIdent, sqlString, type SqlDialect, type NotScalar } from '../../shared/pipeline/rules';
import { cleanColumns, piiTreatment } from '../../shared/pipeline/tokens';

/** The staging table's columns, as Glue declares them (OpenX JSON SerDe over prepare.ts's records). */
export function stagingColumns(contract: DatasetContract): { name: string; type: string }[] {
  const cols = effectiveColumns(contract);
  const columns = [
    { name: 'l', type: 'bigint' },
    { name: 'o', type: 'string' },
    { name: 'r', type: 'string' },
    { name: 'b', type: 'string' },
    ...cols.map((_, i) => ({ name: `c${i}`, type: 'string' })),
  ];
  if (contract.format === 'ndjson') columns.push(...cols.map((_, i) => ({ name: `x${i}`, type: 'boolean' })));
  // The tokens of the columns clean holds as tokens (prepare.ts made them; Athena never sees the key).
  cols.forEach((col, i) => {
    if (piiTreatment(col) === 'token') columns.push({ name: `t${i}`, type: 'string' });
  });
  return columns;
}

/** Glue `TableInput` of the staging table: gzip JSON lines under `location` (an `s3://…/` prefix). */
export function stagingTableInput(contract: DatasetContract, name: string, location: string) {
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'json', 'lakehouse.temporary': 'true' },
    StorageDescriptor: {
      Columns: stagingColumns(contract).map((c) => ({ Name: c.name, Type: c.type })),
      Location: location,
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { 'case.insensitive': 'false' } },
    },
  };
}

interface Checked {
  /** The staging rows with `__v<i>` (typed values), `__fast` and `__reasons` (NULL when good). */
  readonly relation: string;
}

/** Every staging row with its typed values and its verdict. */
function checked(contract: DatasetContract, staging: string, dialect: SqlDialect): Checked {
  const cols = effectiveColumns(contract);
  const ndjson = contract.format === 'ndjson';
  const parts = cols.map((col, i) => {
    const notScalar: NotScalar | undefined = ndjson ? { fast: `COALESCE(x${i}, false)`, sure: `COALESCE(x${i}, false)` } : undefined;
    return columnSql(col, `c${i}`, `__v${i}`, notScalar, dialect);
  });
  const typed = parts.map((p, i) => `${p.typed} AS __v${i}`).join(', ');
  const fast = parts.map((p) => `(${p.fast})`).join(' AND ');
  const ok = parts.map((p) => `(${p.ok})`).join(' AND ');
  const reasons = `NULLIF(concat_ws(${sqlString(REASON_SEPARATOR)}, ${parts.map((p) => p.reason).join(', ')}), '')`;
  const verdict = `CASE WHEN r IS NOT NULL THEN r WHEN ${fast} THEN NULL WHEN ${ok} THEN NULL ELSE ${reasons} END`;
  return { relation: `(SELECT *, ${verdict} AS __reasons FROM (SELECT *, ${typed} FROM ${staging}) t) checked` };
}

/**
 * The good rows, typed, with `__partition` last (as a CTAS `partitioned_by` wants it): the
 * partition column's date, or by arrival `arrivalDate` (plan.ts `partitionValue`).
 */
export function goodRowsSelect(contract: DatasetContract, staging: string, dialect: SqlDialect = TRINO, arrivalDate?: string): string {
  const cols = effectiveColumns(contract);
  // Personal data: the token the prepare step made (`t<i>`), or nothing (tokens.ts).
  const values = cols.flatMap((col, i) => {
    const pii = piiTreatment(col);
    return pii === 'drop' ? [] : [`${pii === 'token' ? `t${i}` : `__v${i}`} AS ${sqlIdent(col.name)}`];
  });
  const value = partitionValue(contract, arrivalDate, (column) => `CAST(__v${cols.findIndex((c) => c.name === column)} AS DATE)`);
  const partition = `CAST(${value} AS VARCHAR) AS ${sqlIdent(PARTITION_COLUMN)}`;
  return `SELECT ${[...values, partition].join(', ')} FROM ${checked(contract, staging, dialect).relation} WHERE __reasons IS NULL`;
}

/** `line, record, reasons` (joined by REASON_SEPARATOR), `bytes` of the bad rows, in line order. */
export function quarantineSelect(contract: DatasetContract, staging: string, dialect: SqlDialect = TRINO): string {
  return `SELECT l AS line, o AS record, __reasons AS reasons, b AS bytes FROM ${checked(contract, staging, dialect).relation} WHERE __reasons IS NOT NULL ORDER BY l`;
}

/** Every staged row with the one reason of an unreadable source, in line order (quarantineSelect's columns). */
export function wholeFileQuarantineSelect(staging: string, reason: string): string {
  return `SELECT l AS line, o AS record, ${sqlString(reason)} AS reasons, b AS bytes FROM ${staging} ORDER BY l`;
}

/**
 * The CTAS that writes the good rows as Parquet (zstd) into a temporary table, one file per
 * partition value (`bucket_count = 1`); the enforced workgroup decides where the files go.
 */
export function convertSql(contract: DatasetContract, database: string, table: string, staging: string, arrivalDate?: string): string {
  // The first column the written table has (a dropped pii column is not written).
  const first = cleanColumns(effectiveColumns(contract))[0].name;
  return [
    `CREATE TABLE ${sqlIdent(database)}.${sqlIdent(table)}`,
    `WITH (format = 'PARQUET', write_compression = 'ZSTD', partitioned_by = ARRAY[${sqlString(PARTITION_COLUMN)}], bucketed_by = ARRAY[${sqlString(first)}], bucket_count = 1)`,
    'AS',
    goodRowsSelect(contract, staging, TRINO, arrivalDate),
  ].join('\n');
}

/** Rows the CTAS wrote, per partition (counted from the written table, not assumed). */
export function countSql(database: string, table: string): string {
  return `SELECT ${sqlIdent(PARTITION_COLUMN)} AS p, count(*) AS n FROM ${sqlIdent(database)}.${sqlIdent(table)} GROUP BY 1 ORDER BY 1`;
}
