/**
 * "Results do not depend on which engine ran": the same file through the function's transform
 * (DuckDB) and through the big-file route (prepare + the Athena SQL, run here on DuckDB with
 * the three Trino-only functions as macros) gives the same good rows, the same partitions and
 * the same quarantine entries, line for line.
 */
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { DatasetContract } from '../../../lambda/shared/dataset';
import type { Engine } from '../../../lambda/transform/core/engine';
import { sqlString } from '../../../lambda/shared/pipeline/rules';
import { generateOrders, ORDERS_CONTRACT } from '../../bench/orders';
import { CUSTOMERS, CUSTOMERS_HEADER, HEADER, ORDERS, ORDERS_NDJSON, run, useEngineAndScratch } from '../transform/helpers';
import { TokenKey } from '../../../lambda/shared/pipeline/tokens';
import { comparable, runBigFile } from './helpers';

let engine: Engine;
let dir: string;
useEngineAndScratch((e, d) => ((engine = e), (dir = d)));

async function expectSameResults(contract: DatasetContract, content: string | Buffer, opts: { partBytes?: number; arrivalDate?: string; tokenKey?: TokenKey } = {}) {
  const fn = await run(engine, dir, contract, content, {}, opts.arrivalDate, opts.tokenKey);
  const big = await runBigFile(engine, dir, contract, content, opts);
  const fnRows = fn.outputs.cleanFiles.length
    ? await engine.withConnection(async (c) => {
        const list = fn.outputs.cleanFiles.map((f) => sqlString(f.localPath)).join(', ');
        const r = await c.runAndReadAll(comparable(contract, `read_parquet([${list}], hive_partitioning = false)`));
        const names = r.columnNames();
        return r.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i], v === null ? null : String(v)])));
      })
    : [];
  expect(big.rowsIn).toBe(fn.rowsIn);
  expect(big.rows).toEqual(fnRows);
  expect(big.partitions).toEqual(Object.fromEntries(fn.outputs.cleanFiles.map((f) => [decodeURIComponent(f.partition), f.rows])));
  expect(big.quarantined).toEqual(fn.quarantined.map(({ line, record, reasons, recordBase64 }) => ({ line, record, reasons, ...(recordBase64 ? { recordBase64 } : {}) })));
  // Rows in = rows out + rows quarantined, on both routes.
  expect(big.rows.length + big.quarantined.length).toBe(big.rowsIn);
  expect(fn.rowsOut + fn.rowsQuarantined).toBe(fn.rowsIn);
  expect([...big.driftColumns].sort()).toEqual([...fn.driftColumns].sort());
  expect(big.missingColumns).toEqual(fn.missingColumns);
  for (const f of fn.outputs.cleanFiles) rmSync(f.localPath, { force: true });
  return { fn, big };
}

const csv = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';
const ok = (id: number, at = '2024-03-15T10:00:00Z') => `${id},2,12.50,${at},placed,false,ok`;

describe('CSV: the function and the big-file route agree', () => {
  test('on good rows of every type, quoting, padding and partitions', async () => {
    const { big } = await expectSameResults(
      ORDERS,
      csv(
        ok(1),
        ok(2, '2024-03-15T23:30:00-02:00'),
        '3,,7,2024-03-16 08:00:00+01:00,,TRUE,',
        '4, 12 , 0012.5000 ,2024-03-17T00:00:00.123456+0530,placed,False," padded "',
        '5,1,-3.5,2024-03-15T10:00:00+05,shipped,true,"a, ""b""\nc"',
        '6,+3,+1.00,2024-03-15T10:00:00.1Z, placed ,false,',
      ),
    );
    expect(big.rows).toHaveLength(6);
  });

  test('on the bad-input matrix: types, decimals in int columns, ranges, allowed values, missing values', async () => {
    const { big } = await expectSameResults(
      ORDERS,
      csv(
        ok(1),
        '2,12.5,1.00,2024-03-15T10:00:00Z,placed,false,',
        '3,1,1.005,2024-03-15T10:00:00Z,placed,false,',
        '4,0,1.00,2024-03-15T10:00:00Z,placed,false,',
        '5,1,1.00,2024-03-15T10:00:00,placed,false,',
        '6,1,1.00,2024-02-30T10:00:00Z,placed,false,',
        '7,1,1.00,2024-03-15T10:00:00.1234567Z,placed,false,',
        ',1,,2024-03-15T10:00:00Z,lost,maybe,',
        '9,1e3,123456789.00,2024-03-15T24:00:00Z,placed,1,',
        '10,2147483648,1.00,2024-03-15T10:00:00Z,placed,false,',
        '99999999999999999999,1,1.00,,placed,false,',
        '12,0x1F,NaN,2024-03-15T10:00:00Z,placed,yes,',
        '   ,1,1.00,2024-03-15T10:00:00Z,placed,false,',
      ),
    );
    expect(big.quarantined.length).toBe(12);
  });

  test('on malformed records, field counts, an unterminated quote, invalid UTF-8, CRLF and a BOM', async () => {
    const content = Buffer.concat([
      Buffer.from('\ufeff' + HEADER + '\r\n' + ok(1) + '\r\n'),
      Buffer.from('2,1,1.00,2024-03-15T10:00:00Z,pla"ced,false,\r\n'),
      Buffer.from('3,1,1.00,2024-03-15T10:00:00Z,placed\n'),
      Buffer.from('4,1,1.00,2024-03-15T10:00:00Z,placed,false,x,extra\n'),
      Buffer.from([0x35, 0x2c, 0xff, 0xfe, 0x2c]),
      Buffer.from('1.00,2024-03-15T10:00:00Z,placed,false,\n\n\n'),
      Buffer.from('6,1,1.00,2024-03-15T10:00:00Z,placed,false,"never closed\n'),
      Buffer.from(ok(7) + '\n'),
      // Carriage returns that do not end a line: in an unquoted field (rejected), in a quoted one (kept).
      Buffer.from('8,1,1.00,2024-03-15T10:00:00Z,placed,false,a\rb\n9,1,1.00,2024-03-15T10:00:00Z,placed,false,"a\rb"\r\n'),
    ]);
    const { big } = await expectSameResults(ORDERS, content);
    expect(big.rows.map((r) => r.order_id)).toEqual(['1', '7', '9']);
  });

  test('on a header without a required column, extra columns (drift) and a missing optional column', async () => {
    await expectSameResults(ORDERS, 'order_id,quantity,ordered_at\n1,2,2024-03-15T10:00:00Z\n2,3,2024-03-15T10:00:00Z\n');
    const { big } = await expectSameResults(ORDERS, ' ORDER_ID ,amount,ordered_at,colour\n1,1.00,2024-03-15T10:00:00Z,red\n2,x,2024-03-15T10:00:00Z,blue\n');
    expect(big.driftColumns).toEqual(['colour']);
  });

  test('on empty files, a header alone and gzip input', async () => {
    await expectSameResults(ORDERS, '');
    await expectSameResults(ORDERS, HEADER + '\n');
    await expectSameResults(ORDERS, gzipSync(csv(ok(1), '2,x,1,2024-03-15T10:00:00Z,,,')));
  });

  test('on a seeded orders file split over several staging parts', async () => {
    const path = join(dir, 'orders.csv');
    await generateOrders({ rows: 3000, format: 'csv', path, seed: 7 });
    const { big } = await expectSameResults({ ...ORDERS_CONTRACT, format: 'csv' }, readFileSync(path), { partBytes: 64 * 1024 });
    expect(big.parts.length).toBeGreaterThan(3);
    expect(big.quarantined.length).toBeGreaterThan(0);
  });
});

describe('NDJSON: the function and the big-file route agree', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify(o);
  const base = { order_id: 1, quantity: 2, amount: '12.50', ordered_at: '2024-03-15T10:00:00Z', status: 'placed', gift: false, note: 'ok' };

  test('on values as strings, numbers and booleans, nulls, absent keys and nested values', async () => {
    await expectSameResults(
      ORDERS_NDJSON,
      [
        line(base),
        line({ ...base, order_id: '2', quantity: '3', amount: 7 }),
        '{"order_id": 3, "quantity": 1e3, "amount": 1.0, "ordered_at": "2024-03-16T00:00:00+01:00", "gift": true}',
        '{"order_id": 4, "quantity": 12.5, "amount": 1E2, "ordered_at": "2024-03-15T10:00:00Z", "note": {"a": [1, 2]}}',
        '{"order_id": 5, "quantity": null, "amount": 12345678901234567890, "ordered_at": "2024-03-15T10:00:00Z", "status": ["placed"]}',
        '{"order_id": -0, "quantity": 2, "amount": "0.10", "ordered_at": "2024-03-15T10:00:00Z", "note": "x\\ny \\"q\\" \\u00e9"}',
        '{"order_id": 9007199254740993, "amount": 0.000001, "ordered_at": "2024-03-15T10:00:00Z", "gift": "TRUE", "status": " placed "}',
        line({ ...base, order_id: 8, colour: 'red' }),
        '{"order_id": 10, "amount": 12345678.125, "note": 2.50, "ordered_at": "2024-03-15T10:00:00Z"}',
        '{"order_id": 11, "amount": 0.10, "note": 1234567890.12345678901234567890, "ordered_at": "2024-03-15T10:00:00Z"}',
      ].join('\n') + '\n',
    );
  });

  test('on malformed JSON, non-objects, blank lines, CRLF, control bytes and invalid UTF-8', async () => {
    const content = Buffer.concat([
      Buffer.from(line(base) + '\r\n'),
      Buffer.from('{"order_id": 2,\n'),
      Buffer.from('[1, 2]\n\n5\nnull\n"text"\n'),
      Buffer.from('\t ' + line({ ...base, order_id: 4 }) + '\n\t[1]\n' + line({ ...base, order_id: 5 }) + '\r\r\n'),
      Buffer.from('{"order_id": 3, "note": "a\u0001b", "amount": 1, "ordered_at": "2024-03-15T10:00:00Z"}\n'),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x41, 0xe2, 0x82, 0x22, 0x7d, 0x0a]),
      Buffer.from(line({ ...base, order_id: 9 }) + '\n'),
      Buffer.from('{"order_id": 10, "amount": 1, "ordered_at": "2024-03-15T10:00:00Z",}\n{"order_id": 11, "amount": NaN}\n'),
      Buffer.from('{"order_id": 12, "amount": 1, "amount": 2, "ordered_at": "2024-03-15T10:00:00Z"}\n   \n{"a":"\\ud800"}\n'),
    ]);
    const { big } = await expectSameResults(ORDERS_NDJSON, content);
    expect(big.rows.map((r) => r.order_id)).toEqual(['1', '4', '9']);
    // The original line is quoted as decoded (U+FFFD), its quote characters kept, and byte for byte.
    expect(big.quarantined.find((q) => q.line === 13)).toEqual({
      line: 13,
      record: '{"a":"\ufffd\ufffdA\ufffd"}',
      reasons: ["not valid UTF-8: byte 0xFF at byte 6 of the record (a Windows-1252 or Latin-1 file? declare encoding: 'windows-1252' or 'latin-1')"],
      recordBase64: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x41, 0xe2, 0x82, 0x22, 0x7d]).toString('base64'),
    });
  });

  test('on a seeded orders file, gzip-compressed', async () => {
    const path = join(dir, 'orders.ndjson');
    await generateOrders({ rows: 3000, format: 'ndjson', path, seed: 11 });
    const { big } = await expectSameResults({ ...ORDERS_CONTRACT, format: 'ndjson' }, gzipSync(readFileSync(path)), { partBytes: 64 * 1024 });
    expect(big.quarantined.length).toBeGreaterThan(0);
  });
});

describe('files as they come: both routes agree, and rows in = rows out + rows quarantined', () => {
  // The bad-input matrix's rows, in any dialect: good rows, a quoted delimiter, bad values, a wrong field count.
  const rows = (d: string, q = '"') => [
    ['order_id', 'quantity', 'amount', 'ordered_at', 'status', 'gift', 'note'],
    ['1', '2', '12.50', '2024-03-15T10:00:00Z', 'placed', 'false', `${q}a${d}b${q}`],
    ['2', '2.5', '1.00', '2024-03-15T10:00:00Z', 'placed', 'false', ''],
    ['3', '1', '3.00', '2024-03-16T10:00:00+02:00', 'shipped', 'true', `${q}x${q}`],
    ['4', '1', 'x', '2024-03-16T10:00:00Z', 'lost', 'maybe', ''],
    ['5', '1', '1.00'],
  ];
  const file = (d: string, q = '"', header = true) => (header ? rows(d, q) : rows(d, q).slice(1)).map((r) => r.join(d)).join('\r\n') + '\r\n';
  const reasonsOf = (r: { quarantined: { line: number; reasons: string[] }[] }) => r.quarantined.map((e) => [e.line, e.reasons]);

  test.each([
    [';', { delimiter: ';' as const }],
    ['tab', { delimiter: '\t' as const }],
    ['|', { delimiter: '|' as const }],
  ])('a %s-separated file', async (_name, csv) => {
    const { fn, big } = await expectSameResults({ ...ORDERS, csv }, file(csv.delimiter));
    expect(fn.rowsOut).toBe(2);
    expect(reasonsOf(big)).toEqual([
      [3, ['column quantity: not an integer']],
      [5, ['column amount: not a decimal number', 'column status: not one of the allowed values (placed, shipped)', 'column gift: not true or false']],
      [6, ['malformed CSV: 3 fields, the header has 7']],
    ]);
    expect(big.rows.find((r) => r.order_id === '1')!.note).toBe(`a${csv.delimiter}b`);
  });

  test("a single-quote dialect with backslash escapes: 'it\\'s' and \\\\", async () => {
    const content = [HEADER.replace(/,/g, '|'), "1|2|1.00|2024-03-15T10:00:00Z|placed|false|'it\\'s a \\\\ b'", "2|2|1.00|2024-03-15T10:00:00Z|placed|false|'bad \\n escape'", '3|2|1.00|2024-03-15T10:00:00Z|placed|false|plain'].join('\n') + '\n';
    const { big } = await expectSameResults({ ...ORDERS, csv: { delimiter: '|', quote: "'", escape: '\\' } }, content);
    expect(big.rows.map((r) => r.note)).toEqual(["it's a \\ b", 'plain']);
    expect(reasonsOf(big)).toEqual([[3, ["malformed CSV: an escape character ('\\') before 'n'; only the quote and the escape character can be escaped"]]]);
  });

  test('UTF-16 LE and BE with a byte-order mark are detected, whatever is declared, with the same line numbers', async () => {
    const text = file(';').replace('a;b', 'Zoë 🚀');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const utf8 = await run(engine, dir, { ...ORDERS, csv: { delimiter: ';' } }, text);
    for (const [bytes, encoding] of [[le, undefined], [be, 'windows-1252' as const]] as const) {
      const { fn, big } = await expectSameResults({ ...ORDERS, csv: { delimiter: ';' }, encoding }, bytes);
      expect(fn.encoding).toBe(bytes === le ? 'utf-16le' : 'utf-16be');
      expect(big.rows.find((r) => r.order_id === '1')!.note).toBe('Zoë 🚀');
      expect(reasonsOf(big)).toEqual(reasonsOf(utf8));
    }
  });

  test('Windows-1252 and Latin-1, when declared, are transcoded (0x80 is € in one, U+0080 in the other)', async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n1,2,1.00,2024-03-15T10:00:00Z,placed,false,`), Buffer.from([0x80, 0x20, 0xe9]), Buffer.from('\n2,x,1.00,2024-03-15T10:00:00Z,placed,false,\n')]);
    const cp = await expectSameResults({ ...ORDERS, encoding: 'windows-1252' }, bytes);
    expect(cp.big.rows[0].note).toBe('€ é');
    expect(cp.big.quarantined).toEqual([{ line: 3, record: '2,x,1.00,2024-03-15T10:00:00Z,placed,false,', reasons: ['column quantity: not an integer'] }]);
    const latin = await expectSameResults({ ...ORDERS, encoding: 'latin-1' }, bytes);
    expect(latin.big.rows[0].note).toBe('\u0080 é');
    // Undeclared, the same bytes are not UTF-8: quarantined byte for byte.
    const undeclared = await expectSameResults(ORDERS, bytes);
    expect(Buffer.from(undeclared.big.quarantined[0].recordBase64!, 'base64')).toEqual(bytes.subarray(HEADER.length + 1, bytes.indexOf(0x0a, HEADER.length + 1)));
  });

  test('a header-less file: the fields are the columns in declaration order', async () => {
    const { fn, big } = await expectSameResults({ ...ORDERS, csv: { header: false } }, file(',', '"', false));
    expect(fn.rowsIn).toBe(5);
    expect(big.rows.map((r) => r.order_id)).toEqual(['1', '3']);
    expect(reasonsOf(big)).toContainEqual([5, ['malformed CSV: 3 fields, the dataset declares 7 columns (no header)']]);
  });

  test('mapped CSV headers (trimmed, any case) and NDJSON keys', async () => {
    const mapped = { ...ORDERS, columns: ORDERS.columns.map((c) => (c.name === 'order_id' ? { ...c, header: 'Order ID' } : c.name === 'note' ? { ...c, header: 'Contact Phone Number' } : c)) };
    const csv = await expectSameResults(mapped, ` order id ,quantity,amount,ordered_at,status,gift,CONTACT PHONE NUMBER\n1,2,1.00,2024-03-15T10:00:00Z,placed,false,+49 30 1\n`);
    expect(csv.big.rows).toEqual([expect.objectContaining({ order_id: '1', note: '+49 30 1' })]);
    expect(csv.big.driftColumns).toEqual([]);
    // A header without the mapped name lacks the column, and says which header was expected.
    const missing = await expectSameResults(mapped, `order_id,amount,ordered_at\n1,1.00,2024-03-15T10:00:00Z\n`);
    expect(missing.big.quarantined[0].reasons).toEqual(['header lacks required column order_id (header "Order ID")']);
    const ndjson = await expectSameResults(
      { ...mapped, format: 'ndjson' },
      '{"Order ID": 1, "amount": "1.00", "ordered_at": "2024-03-15T10:00:00Z", "Contact Phone Number": "+49", "order_id": 9}\n{"order_id": 2, "amount": "1.00", "ordered_at": "2024-03-15T10:00:00Z"}\n',
    );
    expect(ndjson.big.rows).toEqual([expect.objectContaining({ order_id: '1', note: '+49' })]);
    expect(ndjson.big.quarantined).toEqual([expect.objectContaining({ line: 2, reasons: ['column order_id: required value is missing'] })]);
    expect(ndjson.big.driftColumns).toEqual(['order_id']);
  });

  test('partitioned by arrival: every good row in the arrival date partition, on both routes', async () => {
    const contract = { ...ORDERS, partitionColumn: 'arrival_date', partitionName: 'arrival_date', partitionBy: 'arrival' as const };
    const { fn, big } = await expectSameResults(contract, file(','), { arrivalDate: '2026-01-31' });
    expect(big.partitions).toEqual({ '2026-01-31': 2 });
    expect(fn.outputs.cleanFiles.map((f) => f.key)).toEqual([expect.stringMatching(/^sales\/orders\/arrival_date=2026-01-31\/[0-9a-f]{32}\.parquet$/)]);
    await expect(run(engine, dir, contract, file(','))).rejects.toThrow(/partitioned by arrival, but the arrival date is undefined/);
  });

  test('a header that does not match its declaration says what was found', async () => {
    const { big } = await expectSameResults(ORDERS, file(';'));
    expect(big.quarantined[0].reasons).toEqual([
      `header lacks required column order_id, amount, ordered_at; the header looks ';'-separated (7 of its 7 fields are columns of the dataset): declare csv: { delimiter: ";" }`,
    ]);
  });

  const unreadable = (problem: string) => `unreadable file s3://raw/sales/orders/2024/03/orders.csv?versionId=v1: ${problem}; the whole file is quarantined and nothing of it is published`;

  test('a truncated gzip: every record read and the unread rest quarantined with one reason, nothing published', async () => {
    const body = file(',').repeat(1).concat(Array.from({ length: 3000 }, (_, i) => `${i + 10},1,1.00,2024-03-15T10:00:00Z,placed,false,row ${i}\n`).join(''));
    const gz = gzipSync(body);
    const cut = gz.subarray(0, gz.length - 50);
    const { fn, big } = await expectSameResults(ORDERS, cut);
    const reason = unreadable(`the gzip data ends before its stream does (the file is truncated) at compressed byte ${cut.length.toLocaleString('en-US')}, the end of the file`);
    expect(fn.unreadable).toBe(reason);
    expect(fn.rowsOut).toBe(0);
    expect(fn.outputs.cleanFiles).toEqual([]);
    expect(new Set(big.quarantined.flatMap((q) => q.reasons))).toEqual(new Set([reason]));
    // Everything read is quarantined (the rows before the cut included), and the unread rest as the last entry.
    expect(big.quarantined.length).toBeGreaterThan(2000);
    expect(fn.rowsIn).toBe(big.quarantined.length);
    expect(big.quarantined[0]).toMatchObject({ line: 2, record: rows(',')[1].join(',') });
    const rest = big.quarantined[big.quarantined.length - 1];
    expect(body.startsWith(rest.record) || body.includes(`\n${rest.record}`)).toBe(true);
  });

  test('corrupt gzip data and undecodable UTF-16: quarantined whole, with where the problem is', async () => {
    const gz = Buffer.from(gzipSync(file(',')));
    for (let i = 12; i < 30; i++) gz[i] ^= 0xa5;
    const corrupt = await expectSameResults(ORDERS, gz);
    expect(corrupt.fn.unreadable).toMatch(/^unreadable file s3:\/\/raw\/.*: the gzip data is corrupt \(zlib: .+\) in compressed bytes 0–[0-9]+;/);
    expect(corrupt.big.quarantined.map((q) => q.line)).toEqual([1]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file(','), 'utf16le'), Buffer.from([0x3d, 0xd8, 0x41, 0x00])]);
    const { fn, big } = await expectSameResults(ORDERS, utf16);
    expect(fn.unreadable).toBe(unreadable(`UTF-16 LE: an unpaired surrogate 0xD83D at byte ${(utf16.length - 4).toLocaleString('en-US')}, which no text can hold`));
    // The records before it (5 data records) and the rest: 6 entries, one reason.
    expect(big.quarantined.map((q) => q.line)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  test('a record that is not UTF-8 is recovered byte for byte from the quarantine, on both routes', async () => {
    const bad = Buffer.from([0x32, 0x2c, 0x31, 0x2c, 0x31, 0x2e, 0x30, 0x30, 0x2c, 0x32, 0x30, 0x32, 0x34, 0x2d, 0x30, 0x33, 0x2d, 0x31, 0x35, 0x54, 0x31, 0x30, 0x3a, 0x30, 0x30, 0x3a, 0x30, 0x30, 0x5a, 0x2c, 0x2c, 0x2c, 0xc3, 0x28, 0xff]);
    const content = Buffer.concat([Buffer.from(`${HEADER}\n${ok(1)}\n`), bad, Buffer.from(`\n${ok(3)}\n`)]);
    const { fn, big } = await expectSameResults(ORDERS, content);
    for (const q of [fn.quarantined[0], big.quarantined[0]]) {
      expect(q.line).toBe(3);
      expect(Buffer.from(q.recordBase64!, 'base64')).toEqual(bad);
      expect(q.record).toBe(bad.toString('utf8'));
    }
    expect(fn.rowsOut).toBe(2);
  });
});

describe('PII: both routes give the same tokens', () => {
  const key = TokenKey.fromText('dev-environment-token-key-for-tests-0123456789');
  const customers = (...lines: string[]) => [CUSTOMERS_HEADER, ...lines].join('\n') + '\n';

  test('on CSV: strings as received or trimmed (allowed values), integers as their digits, missing values as NULL, dropped columns left out', async () => {
    const { big } = await expectSameResults(
      CUSTOMERS,
      customers(
        '1,alice@example.com,0042, DE ,+49 30 1234567,2024-03-01',
        '2, bob@example.com ,,,,2024-03-01',
        '3,"carol, c@example.com",+7,FR,x,2024-03-02',
        '4,,7,DE,+49 89 7654321,2024-03-02',
        '5,dave@example.com,-5,IT,y,2024-03-02',
        '6,zoë@exämple.de,9223372036854775807,FR,,2024-03-03',
      ),
      { tokenKey: key },
    );
    expect(big.rows.map((r) => r.email)).toEqual([key.token('alice@example.com'), key.token(' bob@example.com '), key.token('carol, c@example.com'), key.token('zoë@exämple.de')]);
    expect(big.rows.map((r) => r.loyalty_no)).toEqual([key.token('42'), null, key.token('7'), key.token('9223372036854775807')]);
    expect(big.rows.every((r) => !('phone' in r))).toBe(true);
    expect(big.quarantined.map((q) => q.line)).toEqual([5, 6]);
  });

  test('on NDJSON: numbers and strings, JSON nulls, empty strings and nested values', async () => {
    const ndjson = { ...CUSTOMERS, format: 'ndjson' as const };
    const { big } = await expectSameResults(
      ndjson,
      [
        '{"customer_id": 1, "email": "alice@example.com", "loyalty_no": 42, "country": "DE", "phone": "+49", "signed_up": "2024-03-01"}',
        '{"customer_id": 2, "email": "bob@example.com", "loyalty_no": "0042", "country": null, "signed_up": "2024-03-01"}',
        '{"customer_id": 3, "email": "x@example.com", "loyalty_no": null, "country": "", "signed_up": "2024-03-01"}',
        '{"customer_id": 4, "email": {"a": 1}, "loyalty_no": 1, "signed_up": "2024-03-01"}',
        '{"customer_id": 5, "email": "", "signed_up": "2024-03-01"}',
      ].join('\n') + '\n',
      { tokenKey: key },
    );
    expect(big.rows.map((r) => r.loyalty_no)).toEqual([key.token('42'), key.token('42'), null]);
    expect(big.quarantined.map((q) => q.line)).toEqual([4, 5]);
  });

  test('on a seeded orders file whose customer ids and notes are tokens and status is dropped, over several staging parts', async () => {
    const path = join(dir, 'orders-pii.csv');
    await generateOrders({ rows: 3000, format: 'csv', path, seed: 13 });
    const contract: DatasetContract = {
      ...ORDERS_CONTRACT,
      columns: ORDERS_CONTRACT.columns.map((c) => (c.name === 'customer_id' || c.name === 'note' ? { ...c, pii: true } : c.name === 'status' ? { ...c, pii: 'drop' as const } : c)),
    };
    const { big } = await expectSameResults(contract, readFileSync(path), { partBytes: 64 * 1024, tokenKey: key });
    expect(big.parts.length).toBeGreaterThan(3);
    expect(big.rows.length).toBeGreaterThan(2500);
    expect(big.rows.every((r) => /^[0-9a-f]{64}$/.test(r.customer_id ?? '') && !('status' in r))).toBe(true);
  });
});
