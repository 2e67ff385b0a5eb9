/**
 * Personal data on the function route: a `pii: true` column reaches clean as the keyed token of
 * its validated value, a `pii: 'drop'` column not at all; the checks run on the clear value first;
 * quarantine keeps the original lines (clear); no byte of a clean file holds a clear value.
 */
import { readFileSync } from 'node:fs';
import type { DatasetContract } from '../../../lambda/shared/dataset';
import type { Engine } from '../../../lambda/transform/core/engine';
import { TokenKey } from '../../../lambda/shared/pipeline/tokens';
import { CUSTOMERS, CUSTOMERS_HEADER as HEADER, parquetSchema, readParquet, run, useEngineAndScratch } from './helpers';

let engine: Engine;
let dir: string;
useEngineAndScratch((e, d) => ((engine = e), (dir = d)));

const KEY = TokenKey.fromText('dev-environment-token-key-for-tests-0123456789');

const FILE =
  [
    HEADER,
    '1,alice@example.com,0042, DE ,+49 30 1234567,2024-03-01',
    '2, bob@example.com ,,,,2024-03-01',
    '3,carol@example.com,-5,FR,+33 1 23456789,2024-03-02',
    '4,,7,DE,+49 89 7654321,2024-03-02',
    '5,dave@example.com,+7,IT,+39 06 1234567,2024-03-02',
  ].join('\n') + '\n';

describe('PII on the function route', () => {
  test('tokenizes the validated value, drops the dropped column and keeps NULL for missing values', async () => {
    const result = await run(engine, dir, CUSTOMERS, FILE, {}, undefined, KEY);
    expect(result.rowsOut).toBe(2);
    const rows = await readParquet(engine, result.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows).toEqual([
      // "0042" is stored as 42 and tokenized as its text; " DE " (allowed values) is stored trimmed.
      { customer_id: '1', email: KEY.token('alice@example.com'), loyalty_no: KEY.token('42'), country: KEY.token('DE'), signed_up: '2024-03-01' },
      // A string keeps its spaces; missing values stay NULL.
      { customer_id: '2', email: KEY.token(' bob@example.com '), loyalty_no: null, country: null, signed_up: '2024-03-01' },
    ]);
    const schema = await parquetSchema(engine, result.outputs.cleanFiles[0].localPath);
    expect(schema).toEqual({ customer_id: 'BIGINT', email: 'VARCHAR', loyalty_no: 'VARCHAR', country: 'VARCHAR', signed_up: 'DATE' });
  });

  test('runs the checks on the clear value: required, range and allowed values reject before any token is made', async () => {
    const result = await run(engine, dir, CUSTOMERS, FILE, {}, undefined, KEY);
    expect(result.quarantined.map(({ line, reasons }) => ({ line, reasons }))).toEqual([
      { line: 4, reasons: ['column loyalty_no: below the minimum 1'] },
      { line: 5, reasons: ['column email: required value is missing'] },
      { line: 6, reasons: ['column country: not one of the allowed values (DE, FR)'] },
    ]);
    // Quarantine keeps the original lines for triage: it is a clear-data zone (README).
    expect(result.quarantined[0].record).toBe('3,carol@example.com,-5,FR,+33 1 23456789,2024-03-02');
  });

  test('no byte of a clean file holds a clear value of a pii column', async () => {
    const result = await run(engine, dir, CUSTOMERS, FILE, {}, undefined, KEY);
    const planted = ['alice@example.com', 'bob@example.com', '+49 30 1234567', '0042'];
    for (const f of result.outputs.cleanFiles) {
      const bytes = readFileSync(f.localPath);
      for (const value of planted) expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
    // Not vacuous: the token of each is in the files.
    const all = Buffer.concat(result.outputs.cleanFiles.map((f) => readFileSync(f.localPath)));
    expect(all.includes(Buffer.from(KEY.token('alice@example.com')))).toBe(true);
  });

  test('gives the same tokens on a rerun and for the same value in another file', async () => {
    const first = await readParquet(engine, (await run(engine, dir, CUSTOMERS, FILE, {}, undefined, KEY)).outputs.cleanFiles.map((f) => f.localPath));
    const again = await readParquet(engine, (await run(engine, dir, CUSTOMERS, FILE, { key: 'sales/customers/other.csv' }, undefined, KEY)).outputs.cleanFiles.map((f) => f.localPath));
    expect(again).toEqual(first);
  });

  test('fails if the contract tokenizes a column and no key is given, naming the columns', async () => {
    await expect(run(engine, dir, CUSTOMERS, FILE)).rejects.toThrow(/sales\/customers tokenizes email, loyalty_no, country \(pii\) but no PII token key was given/);
  });

  test('a contract without pii columns needs no key', async () => {
    const plain: DatasetContract = { ...CUSTOMERS, columns: CUSTOMERS.columns.map(({ pii: _pii, ...c }) => c) };
    const result = await run(engine, dir, plain, FILE);
    const rows = await readParquet(engine, result.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows[0].email).toBe('alice@example.com');
    expect(rows[0].phone).toBe('+49 30 1234567');
  });
});
