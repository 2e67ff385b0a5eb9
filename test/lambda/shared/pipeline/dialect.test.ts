import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetContract } from '../../../../lambda/shared/dataset';
import { parseCsvFields } from '../../../../lambda/shared/pipeline/csv';
import { RFC_4180, csvFormatOf, duckDbDialect, fieldCountReason, headerHint, showChar } from '../../../../lambda/shared/pipeline/dialect';
import { ORDERS } from '../../transform/helpers';

describe('csvFormatOf', () => {
  test('RFC 4180 with a header by default; the escape defaults to the quote', () => {
    expect(csvFormatOf(undefined)).toEqual(RFC_4180);
    expect(csvFormatOf({})).toEqual(RFC_4180);
    expect(csvFormatOf({ delimiter: '\t', quote: "'", header: false })).toEqual({ delimiter: 9, quote: 0x27, escape: 0x27, header: false });
    expect(csvFormatOf({ escape: '\\' })).toEqual({ ...RFC_4180, escape: 0x5c });
  });

  test('messages show a tab as a tab', () => {
    expect([showChar(';'), showChar('\t'), showChar(0x7c)]).toEqual(["';'", "'\\t' (tab)", "'|'"]);
  });

  test('the field-count reason says what was found and what was expected', () => {
    expect(fieldCountReason(3, 7, true)).toBe('malformed CSV: 3 fields, the header has 7');
    expect(fieldCountReason(3, 7, false)).toBe('malformed CSV: 3 fields, the dataset declares 7 columns (no header)');
  });
});

describe('headerHint: what a header that does not match suggests', () => {
  const contract: DatasetContract = { ...ORDERS, columns: [...ORDERS.columns.slice(0, 3), { name: 'phone', type: 'string', header: 'Contact Phone Number' }] };

  test.each([
    [';', 'order_id;quantity;amount;Contact Phone Number', "the header looks ';'-separated (4 of its 4 fields are columns of the dataset): declare csv: { delimiter: \";\" }"],
    ['tab', 'order_id\tamount\tcolour', "the header looks '\\t' (tab)-separated (2 of its 3 fields are columns of the dataset): declare csv: { delimiter: \"\\t\" }"],
    ['|', 'ORDER_ID | amount', "the header looks '|'-separated (2 of its 2 fields are columns of the dataset): declare csv: { delimiter: \"|\" }"],
  ])('another delimiter (%s)', (_name, header, hint) => {
    expect(headerHint(contract, header, RFC_4180)).toBe(hint);
  });

  test('a header that is not valid UTF-8 suggests declaring the encoding', () => {
    expect(headerHint(contract, 'order_id,Bestellmenge f\ufffdr', RFC_4180)).toMatch(/^the header is not valid UTF-8: if the file is Windows-1252 or Latin-1, declare encoding/);
  });

  test('nothing when no other delimiter finds more columns', () => {
    expect(headerHint(contract, 'order_id,colour', RFC_4180)).toBeUndefined();
    expect(headerHint(contract, 'x;y', RFC_4180)).toBeUndefined();
  });
});

describe("the first pass splits fields as DuckDB's reader does, in every dialect", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'dialect-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    [{ delimiter: ';' as const }, ['1;"a;b";c,d', '2;"say ""hi""";', '3;"x\ny";z']],
    [{ delimiter: '\t' as const }, ['1\t"a\tb"\tc d', '2\t\t"q"']],
    [{ delimiter: '|' as const, quote: "'" }, ["1|'it''s'|x", "2|'a|b'|"]],
    [{ escape: '\\' }, ['1,"say \\"hi\\"",x', '2,"back\\\\slash",plain\\text']],
  ])('%j', async (dialect, records) => {
    const f = csvFormatOf(dialect);
    const d = String.fromCharCode(f.delimiter);
    const path = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, records.join('\n') + '\n');
    const ours = records.map((r) => parseCsvFields(r, d, String.fromCharCode(f.quote), String.fromCharCode(f.escape)).map((v) => (v === '' ? null : v)));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `SELECT * FROM read_csv('${path}', header=false, auto_detect=false, ${duckDbDialect(f)}, new_line='\\n', columns={'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR'}, strict_mode=true)`,
      );
      expect(reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))))).toEqual(ours);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
