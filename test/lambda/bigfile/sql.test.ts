import type { DatasetContract } from '../../../lambda/shared/dataset';
import { contractOf } from '../../../lambda/shared/dataset';
import { bigFileTables } from '../../../lambda/shared/contracts/big-file-tables';
import { convertSql, countSql, quarantineSelect, stagingColumns, stagingTableInput, wholeFileQuarantineSelect } from '../../../lambda/bigfile/core/sql';
import { checkQuery } from '../../../lambda/shared/pipeline/plan';
import { loadDomains } from '../../../lib/domains';
import { trinoSyntaxErrors } from '../../helpers/trino-grammar';
import { ORDERS, ORDERS_NDJSON } from '../transform/helpers';


const CONTRACTS: [string, DatasetContract][] = [
  ['orders (CSV)', ORDERS],
  ['orders (NDJSON)', ORDERS_NDJSON],
  ...loadDomains().flatMap((d) => d.datasets.map((ds): [string, DatasetContract] => [`${d.name}/${ds.name}`, contractOf(d.name, ds)])),
];
const staging = '"sales_clean"."orders__big_run_1_in"';

describe('the Athena SQL of the big-file route', () => {
  test('the CTAS, the quarantine SELECT and the count of every example dataset parse under Trino\'s grammar', () => {
    const statements = CONTRACTS.flatMap(([name, contract]) => {
      const t = bigFileTables(contract.dataset, 'run-1');
      return [convertSql(contract, `${contract.domain}_clean`, t.output, staging), quarantineSelect(contract, staging), countSql(`${contract.domain}_clean`, t.output)].map((sql) => ({ name, sql }));
    });
    const errors = trinoSyntaxErrors(statements.map((s) => s.sql));
    expect(statements.map((s, i) => [s.name, errors[i]])).toEqual(statements.map((s) => [s.name, []]));
    expect(statements.length).toBe(CONTRACTS.length * 3);
  });

  test.each(CONTRACTS)('%s: uses none of the DuckDB functions and types the function\'s SQL uses', (_name, contract) => {
    const sql = convertSql(contract, 'db', 'out', staging) + quarantineSelect(contract, staging);
    for (const duckOnly of ['regexp_full_match', 'isfinite(', 'TIMESTAMPTZ', 'strftime', 'json_', '::']) expect([duckOnly, sql.includes(duckOnly)]).toEqual([duckOnly, false]);
  });

  test('a dataset partitioned by arrival, mapped keys, and an unreadable file\'s quarantine parse under Trino\'s grammar', () => {
    const arrival: DatasetContract = { ...ORDERS_NDJSON, columns: ORDERS.columns.map((c) => (c.name === 'note' ? { ...c, header: 'Contact Phone Number' } : c)), partitionColumn: 'arrival_date', partitionName: 'arrival_date', partitionBy: 'arrival' };
    const ctas = convertSql(arrival, 'sales_clean', 'out', staging, '2026-03-01');
    expect(ctas).toContain(`CAST(DATE '2026-03-01' AS VARCHAR) AS "__partition"`);
    const unreadable = wholeFileQuarantineSelect(staging, "unreadable file s3://raw/x: it's truncated");
    expect(trinoSyntaxErrors([ctas, quarantineSelect(arrival, staging), unreadable])).toEqual([[], [], []]);
    expect(() => convertSql(arrival, 'sales_clean', 'out', staging)).toThrow(/partitioned by arrival, but the arrival date is undefined/);
  });

  test('fails if SQL is written in DuckDB\'s dialect: the grammar check can fail', () => {
    const duck = checkQuery({ contract: ORDERS, layout: { format: 'csv', fieldCount: 7, fieldOf: new Map([['order_id', 0]]) }, intermediatePath: '/tmp/x', rejectsTable: 'r', rejectsScan: 's' });
    const [cast, check] = trinoSyntaxErrors(['SELECT c::INTEGER FROM t', duck]);
    expect(cast).not.toEqual([]);
    expect(check).not.toEqual([]);
  });

  test('the CTAS writes zstd Parquet partitioned by __partition, one bucket, the partition column last', () => {
    const sql = convertSql(ORDERS, 'sales_clean', 'orders__big_run_1_out', staging);
    expect(sql).toMatch(/^CREATE TABLE "sales_clean"\."orders__big_run_1_out"\nWITH \(format = 'PARQUET', write_compression = 'ZSTD', partitioned_by = ARRAY\['__partition'\], bucketed_by = ARRAY\['order_id'\], bucket_count = 1\)\nAS\nSELECT /);
    expect(sql).toMatch(/AS "__partition" FROM .* WHERE __reasons IS NULL$/s);
  });

  test('the staging table: JSON lines under the run\'s prefix, a text column per contract column (NDJSON: and a nested flag)', () => {
    expect(stagingColumns(ORDERS).map((c) => `${c.name} ${c.type}`)).toEqual(['l bigint', 'o string', 'r string', 'b string', ...ORDERS.columns.map((_, i) => `c${i} string`)]);
    expect(stagingColumns(ORDERS_NDJSON).slice(-ORDERS.columns.length).map((c) => `${c.name} ${c.type}`)).toEqual(ORDERS.columns.map((_, i) => `x${i} boolean`));
    const input = stagingTableInput(ORDERS, 'orders__big_run_1_in', 's3://results/pipelines/bigfile/sales/orders/run_1/');
    expect(input.StorageDescriptor.Location).toBe('s3://results/pipelines/bigfile/sales/orders/run_1/');
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
  });

  test('run ids become table-name-safe', () => {
    expect(bigFileTables('orders', 'Exec-2026-11-21T10:00:00.123Z')).toEqual({ input: 'orders__big_exec_2026_11_21t10_00_00_123z_in', output: 'orders__big_exec_2026_11_21t10_00_00_123z_out' });
  });
});
