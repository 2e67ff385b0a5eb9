import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { DatasetContract } from '../../../lambda/shared/dataset';
import type { Engine } from '../../../lambda/transform/core/engine';
import { MAX_RECORD_BYTES } from '../../../lambda/shared/pipeline/scan';
import { checkQuery, writeQuery } from '../../../lambda/shared/pipeline/plan';
import { HEADER, ORDERS, ORDERS_NDJSON, parquetSchema, readParquet, run, scratch, testEngine, useEngineAndScratch, type Run } from './helpers';

let engine: Engine;
let dir: string;
useEngineAndScratch((e, d) => ((engine = e), (dir = d)));

const SOURCE = 's3://raw/sales/orders/2024/03/orders.csv?versionId=v1';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';
const good = (id: number, at = '2024-03-15T10:00:00Z') => `${id},2,12.50,${at},placed,false,ok`;

/** Every record is accounted for once; the quarantine file is in line order. */
function expectAccounted(r: Run, rowsIn: number) {
  expect(r.rowsIn).toBe(rowsIn);
  expect(r.rowsOut + r.rowsQuarantined).toBe(r.rowsIn);
  expect(r.quarantined).toHaveLength(r.rowsQuarantined);
  expect(r.outputs.cleanFiles.reduce((n, f) => n + f.rows, 0)).toBe(r.rowsOut);
  const lines = r.quarantined.map((q) => q.line);
  expect(lines).toEqual([...new Set(lines)].sort((a, b) => a - b));
}

describe('good records', () => {
  test('are written as Parquet, one file per partition value, with the contract types', async () => {
    const r = await run(engine, dir, ORDERS, csv(good(1), good(2, '2024-03-15T23:30:00-02:00'), '3,,7,2024-03-16 08:00:00+01:00,,TRUE,'));
    expectAccounted(r, 3);
    expect(r.rowsOut).toBe(3);
    expect(r.outputs.quarantineFile).toBeUndefined();
    // Order 2 is on 2024-03-16 in UTC, so it lands in that partition.
    expect(r.outputs.cleanFiles.map((f) => [f.partition, f.rows, f.key])).toEqual([
      ['2024-03-15', 1, `sales/orders/ordered_at_date=2024-03-15/${r.sourceId}.parquet`],
      ['2024-03-16', 2, `sales/orders/ordered_at_date=2024-03-16/${r.sourceId}.parquet`],
    ]);
    const schema = await parquetSchema(engine, r.outputs.cleanFiles[0].localPath);
    expect(schema).toEqual({
      order_id: 'BIGINT',
      quantity: 'INTEGER',
      amount: 'DECIMAL(10,2)',
      ordered_at: 'TIMESTAMP WITH TIME ZONE',
      status: 'VARCHAR',
      gift: 'BOOLEAN',
      note: 'VARCHAR',
    });
    const rows = await readParquet(engine, r.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows).toEqual([
      { order_id: '1', quantity: '2', amount: '12.50', ordered_at: '2024-03-15 10:00:00+00', status: 'placed', gift: 'false', note: 'ok' },
      { order_id: '2', quantity: '2', amount: '12.50', ordered_at: '2024-03-16 01:30:00+00', status: 'placed', gift: 'false', note: 'ok' },
      { order_id: '3', quantity: null, amount: '7.00', ordered_at: '2024-03-16 07:00:00+00', status: null, gift: 'true', note: null },
    ]);
  });

  test('quoted fields keep their commas, quotes and newlines; line numbers count physical lines', async () => {
    const r = await run(engine, dir, ORDERS, csv('1,2,1.00,2024-03-15T10:00:00Z,placed,false,"a, ""b""\nc"', '2,x,1.00,2024-03-15T10:00:00Z,placed,false,'));
    expectAccounted(r, 2);
    const rows = await readParquet(engine, r.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows.map((x) => x.note)).toEqual(['a, "b"\nc']);
    // Header line 1, record 1 on lines 2–3, record 2 on line 4.
    expect(r.quarantined).toEqual([
      { line: 4, record: '2,x,1.00,2024-03-15T10:00:00Z,placed,false,', reasons: ['column quantity: not an integer'], source: SOURCE },
    ]);
  });
});

describe('the bad-input matrix', () => {
  test('malformed lines, wrong types, decimals in integer columns and missing values are quarantined with their line', async () => {
    const r = await run(
      engine,
      dir,
      ORDERS,
      csv(
        good(1),
        '2,2,12.50,2024-03-15T10:00:00Z,placed,false,a "stray" quote', // malformed quoting
        '3,2.5,12.50,2024-03-15T10:00:00Z,placed,false,', // decimal in an int column
        '4,2,12.345,2024-03-15T10:00:00Z,placed,false,', // more decimals than the scale
        ',2,,2024-03-15T10:00:00Z,placed,false,', // required values missing
        '6,2,1.00,2024-03-15T10:00:00,lost,maybe,', // no offset, not allowed, not a boolean
        '7,2,1.00', // too few fields
        '8,2,1.00,2024-03-15T10:00:00Z,placed,false,,surplus', // too many fields
        '9,0,1e3,2024-03-15T10:00:00Z,placed,false,', // below the range, exponent
        good(10),
      ),
    );
    expectAccounted(r, 10);
    expect(r.rowsOut).toBe(2);
    const byLine = Object.fromEntries(r.quarantined.map((q) => [q.line, q]));
    expect(byLine[3]).toEqual({
      line: 3,
      record: '2,2,12.50,2024-03-15T10:00:00Z,placed,false,a "stray" quote',
      reasons: ['malformed CSV: a quote inside an unquoted field'],
      source: SOURCE,
    });
    expect(byLine[4].reasons).toEqual(['column quantity: not an integer']);
    expect(byLine[5].reasons).toEqual(['column amount: more than 2 fractional digits for decimal(10,2)']);
    expect(byLine[6].reasons).toEqual(['column order_id: required value is missing', 'column amount: required value is missing']);
    expect(byLine[7].reasons).toEqual([
      'column ordered_at: timestamp has no UTC offset (add Z or ±hh:mm)',
      'column status: not one of the allowed values (placed, shipped)',
      'column gift: not true or false',
    ]);
    expect(byLine[8]).toEqual({ line: 8, record: '7,2,1.00', reasons: ['malformed CSV: 3 fields, the header has 7'], source: SOURCE });
    expect(byLine[9].reasons).toEqual(['malformed CSV: 8 fields, the header has 7']);
    expect(byLine[9].record).toBe('8,2,1.00,2024-03-15T10:00:00Z,placed,false,,surplus');
    expect(byLine[10].reasons).toEqual(['column quantity: below the minimum 1', 'column amount: not a decimal number']);
    const rows = await readParquet(engine, r.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows.map((x) => x.order_id)).toEqual(['1', '10']);
  });

  test('an unterminated quote costs one line, not the rest of the file', async () => {
    const r = await run(engine, dir, ORDERS, csv(good(1), '2,2,1.00,2024-03-15T10:00:00Z,placed,false,"never closed', good(3), good(4)));
    expectAccounted(r, 4);
    expect(r.rowsOut).toBe(3);
    expect(r.quarantined).toEqual([
      { line: 3, record: '2,2,1.00,2024-03-15T10:00:00Z,placed,false,"never closed', reasons: ['malformed CSV: unterminated quoted field'], source: SOURCE },
    ]);
  });

  test('a header without a required column quarantines every data line', async () => {
    const r = await run(engine, dir, ORDERS, 'order_id,quantity,ordered_at\n1,2,2024-03-15T10:00:00Z\n\n2,3,2024-03-15T10:00:00Z\n');
    expectAccounted(r, 2);
    expect(r.rowsOut).toBe(0);
    expect(r.outputs.cleanFiles).toEqual([]);
    expect(r.quarantined).toEqual([
      { line: 2, record: '1,2,2024-03-15T10:00:00Z', reasons: ['header lacks required column amount'], source: SOURCE },
      { line: 4, record: '2,3,2024-03-15T10:00:00Z', reasons: ['header lacks required column amount'], source: SOURCE },
    ]);
    expect(r.missingColumns).toEqual(['amount', 'status', 'gift', 'note']);
  });

  test('a header that names a column twice quarantines the file', async () => {
    const r = await run(engine, dir, ORDERS, `${HEADER},Note\n${good(1)},x\n`);
    expectAccounted(r, 1);
    expect(r.quarantined[0].reasons).toEqual(['header repeats column Note']);
  });

  test('an extra column is accepted, dropped from the output and reported as drift', async () => {
    const r = await run(engine, dir, ORDERS, `coupon,${HEADER}\nSPRING,${good(1)}\n`);
    expectAccounted(r, 1);
    expect(r.rowsOut).toBe(1);
    expect(r.driftColumns).toEqual(['coupon']);
    expect(r.missingColumns).toEqual([]);
    expect(Object.keys(await parquetSchema(engine, r.outputs.cleanFiles[0].localPath))).toEqual(ORDERS.columns.map((c) => c.name));
  });

  test('header names match the contract after trimming, in any case; an optional column may be absent', async () => {
    const r = await run(engine, dir, ORDERS, ' ORDER_ID ,Amount,ordered_at\n1,3.5,2024-03-15T10:00:00Z\n');
    expectAccounted(r, 1);
    expect(r.missingColumns).toEqual(['quantity', 'status', 'gift', 'note']);
    expect(await readParquet(engine, [r.outputs.cleanFiles[0].localPath])).toEqual([
      { order_id: '1', quantity: null, amount: '3.50', ordered_at: '2024-03-15 10:00:00+00', status: null, gift: null, note: null },
    ]);
  });

  test('an empty file has no records and no outputs', async () => {
    for (const content of ['', '\n\n', `${HEADER}\n`]) {
      const r = await run(engine, dir, ORDERS, content);
      expectAccounted(r, 0);
      expect(r.outputs).toEqual({ cleanFiles: [], quarantineFile: undefined });
    }
  });

  test('gzip input is detected by its magic bytes and gives the same result', async () => {
    const text = csv(good(1), '2,2.5,1.00,2024-03-15T10:00:00Z,placed,false,', good(3));
    const plain = await run(engine, dir, ORDERS, text);
    const zipped = await run(engine, dir, ORDERS, gzipSync(Buffer.from(text)));
    expect(zipped.gzip).toBe(true);
    expect(zipped.bytesDecompressed).toBe(Buffer.byteLength(text));
    expectAccounted(zipped, 3);
    expect([zipped.rowsOut, zipped.rowsQuarantined, zipped.quarantined]).toEqual([plain.rowsOut, plain.rowsQuarantined, plain.quarantined]);
    expect(await readParquet(engine, zipped.outputs.cleanFiles.map((f) => f.localPath))).toEqual(
      await readParquet(engine, plain.outputs.cleanFiles.map((f) => f.localPath)),
    );
  });

  test('a UTF-8 byte order mark and CRLF line endings are handled', async () => {
    const text = '\ufeff' + [HEADER, good(1), '2,x,1.00,2024-03-15T10:00:00Z,placed,false,'].join('\r\n') + '\r\n';
    const r = await run(engine, dir, ORDERS, text);
    expectAccounted(r, 2);
    expect(r.driftColumns).toEqual([]);
    expect(r.quarantined[0]).toMatchObject({ line: 3, record: '2,x,1.00,2024-03-15T10:00:00Z,placed,false,' });
  });

  test('bytes that are not UTF-8 are quarantined, not dropped', async () => {
    const bad = Buffer.concat([Buffer.from(`${HEADER}\n${good(1)}\n2,2,1.00,2024-03-15T10:00:00Z,placed,false,`), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]);
    const r = await run(engine, dir, ORDERS, bad);
    expectAccounted(r, 2);
    expect(r.rowsOut).toBe(1);
    expect(r.quarantined[0]).toMatchObject({ line: 3, reasons: [expect.stringMatching(/^not valid UTF-8: byte 0x[0-9A-F]{2} at byte [0-9]+ of the record/)] });
  });
});

describe('carriage returns', () => {
  // DuckDB's reader stops at a CR that does not end a line and failed the whole file on it.
  test('a CR inside an unquoted CSV field quarantines that record; the rest of the file goes through', async () => {
    const r = await run(engine, dir, ORDERS, csv(good(1), `${good(2)}\rx`, '3,2,12.50,2024-03-15T10:00:00Z,placed,false,"a\rb"', good(4)));
    expectAccounted(r, 4);
    expect(r.rowsOut).toBe(3);
    expect(r.quarantined.map((q) => [q.line, q.record, q.reasons])).toEqual([[3, `${good(2)}\rx`, ['malformed CSV: a carriage return inside an unquoted field']]]);
  });

  test('a CR inside an NDJSON line quarantines that line', async () => {
    const o = '{"order_id": 1, "amount": 1, "ordered_at": "2024-03-15T10:00:00Z"}';
    const r = await run(engine, dir, ORDERS_NDJSON, [o, o.replace(', "amount"', ',\r"amount"'), o + '\r\r', o].join('\n') + '\n');
    expectAccounted(r, 4);
    expect(r.rowsOut).toBe(2);
    expect(r.quarantined.map((q) => q.line)).toEqual([2, 3]);
  });
});

describe('very long records', () => {
  test('a line longer than the limit is quarantined (truncated); the next line is read normally', async () => {
    const long = `2,2,1.00,2024-03-15T10:00:00Z,placed,false,${'x'.repeat(MAX_RECORD_BYTES + 10)}`;
    const r = await run(engine, dir, ORDERS, csv(good(1), long, good(3)));
    expectAccounted(r, 3);
    expect(r.rowsOut).toBe(2);
    expect(r.quarantined[0]).toMatchObject({ line: 3, reasons: [`malformed CSV: record longer than ${MAX_RECORD_BYTES} bytes (quarantined text truncated)`] });
    expect(r.quarantined[0].record).toBe(long.slice(0, MAX_RECORD_BYTES));
  });

  test('a quoted field never closed within the limit costs its first line only', async () => {
    const open = `2,2,1.00,2024-03-15T10:00:00Z,placed,false,"starts here`;
    const filler = Array.from({ length: 40_000 }, (_, i) => good(100 + i));
    const r = await run(engine, dir, ORDERS, csv(good(1), open, ...filler));
    expectAccounted(r, 40_002);
    expect(r.rowsOut).toBe(40_001);
    expect(r.quarantined).toEqual([{ line: 3, record: open, reasons: [`malformed CSV: quoted field not closed within ${MAX_RECORD_BYTES} bytes`], source: SOURCE }]);
  });
});

describe('output keys', () => {
  test('are stable for one source version and differ for another version', async () => {
    const text = csv(good(1), '2,x,1.00,2024-03-15T10:00:00Z,placed,false,');
    const a = await run(engine, dir, ORDERS, text, { versionId: 'v1' });
    const b = await run(engine, dir, ORDERS, text, { versionId: 'v1' });
    const c = await run(engine, dir, ORDERS, text, { versionId: 'v2' });
    const keys = (r: Run) => [...r.outputs.cleanFiles.map((f) => f.key), r.outputs.quarantineFile?.key];
    expect(keys(a)).toEqual(keys(b));
    expect(keys(c)).not.toEqual(keys(a));
    expect(a.outputs.quarantineFile?.key).toBe(`sales/orders/${a.sourceId}.ndjson`);
  });

  test('name a partition YYYY-MM-DD as strftime does, also for dates DuckDB writes with (BC)', async () => {
    // Partitioned on the DATE value, DuckDB names year 0 `0001-01-01 (BC)`; the key keeps `0000-…`.
    const r = await run(engine, dir, ORDERS, csv(good(1, '0000-01-01T12:00:00Z'), good(2, '0999-06-01T00:30:00+01:00'), good(3)));
    expectAccounted(r, 3);
    expect(r.outputs.cleanFiles.map((f) => [f.partition, f.rows, f.key])).toEqual([
      ['0000-01-01', 1, `sales/orders/ordered_at_date=0000-01-01/${r.sourceId}.parquet`],
      ['0999-05-31', 1, `sales/orders/ordered_at_date=0999-05-31/${r.sourceId}.parquet`],
      ['2024-03-15', 1, `sales/orders/ordered_at_date=2024-03-15/${r.sourceId}.parquet`],
    ]);
    const rows = await readParquet(engine, [r.outputs.cleanFiles[0].localPath]);
    expect(rows.map((x) => x.order_id)).toEqual(['1']);
  });
});

describe('NDJSON', () => {
  const line = (o: Record<string, unknown>) => JSON.stringify(o);
  const base = { order_id: 1, quantity: 2, amount: 12.5, ordered_at: '2024-03-15T10:00:00Z', status: 'placed', gift: false, note: 'x' };

  test('an object after leading spaces or tabs (JSON whitespace) is an object', async () => {
    const lines = ['\t' + line({ ...base, order_id: 1 }), '  \t ' + line({ ...base, order_id: 2 }), '\t[1]'];
    const r = await run(engine, dir, ORDERS_NDJSON, lines.join('\n') + '\n');
    expectAccounted(r, 3);
    expect(r.rowsOut).toBe(2);
    expect(r.quarantined.map((q) => [q.line, q.reasons])).toEqual([[3, ['not a JSON object']]]);
  });

  test('values are read as text and checked like CSV; bad lines are quarantined verbatim', async () => {
    const lines = [
      line(base),
      line({ ...base, order_id: '2', amount: '7.10', quantity: '3' }), // strings holding numbers: fine
      '{"order_id": 3, "amount": 1.0, "ordered_at": "2024-03-15T10:00:00Z"', // malformed JSON
      '[1, 2, 3]', // not an object
      line({ ...base, order_id: 5, quantity: 1e3 / 400 }), // 2.5 in an int column
      line({ ...base, order_id: 6, note: { nested: true } }), // an object in a string column
      line({ ...base, order_id: 7, amount: '' }), // empty string: missing
      '',
      line({ ...base, order_id: 8, coupon: 'SPRING' }), // extra key: drift
      line({ order_id: 9, amount: 1, ordered_at: '2024-03-15T10:00:00+02:00' }), // optional keys absent
    ];
    const r = await run(engine, dir, ORDERS_NDJSON, lines.join('\n') + '\n', { key: 'sales/orders/a.ndjson' });
    expectAccounted(r, 9);
    expect(r.rowsOut).toBe(4);
    const src = 's3://raw/sales/orders/a.ndjson?versionId=v1';
    expect(r.quarantined).toEqual([
      { line: 3, record: lines[2], reasons: ['malformed JSON: the line ends inside the value'], source: src },
      { line: 4, record: lines[3], reasons: ['not a JSON object'], source: src },
      { line: 5, record: lines[4], reasons: ['column quantity: not an integer'], source: src },
      { line: 6, record: lines[5], reasons: ['column note: an object or array, not a single value'], source: src },
      { line: 7, record: lines[6], reasons: ['column amount: required value is missing'], source: src },
    ]);
    expect(r.driftColumns).toEqual(['coupon']);
    expect(r.missingColumns).toEqual([]);
    const rows = await readParquet(engine, r.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows).toEqual([
      { order_id: '1', quantity: '2', amount: '12.50', ordered_at: '2024-03-15 10:00:00+00', status: 'placed', gift: 'false', note: 'x' },
      { order_id: '2', quantity: '3', amount: '7.10', ordered_at: '2024-03-15 10:00:00+00', status: 'placed', gift: 'false', note: 'x' },
      { order_id: '8', quantity: '2', amount: '12.50', ordered_at: '2024-03-15 10:00:00+00', status: 'placed', gift: 'false', note: 'x' },
      { order_id: '9', quantity: null, amount: '1.00', ordered_at: '2024-03-15 08:00:00+00', status: null, gift: null, note: null },
    ]);
  });

  test('a JSON number is checked and stored as it was written, as a CSV field is', async () => {
    const contract: DatasetContract = {
      ...ORDERS_NDJSON,
      columns: [...ORDERS_NDJSON.columns, { name: 'rate', type: 'decimal(38,20)' }, { name: 'x', type: 'double' }],
    };
    const at = '"ordered_at": "2024-03-15T10:00:00Z"';
    const lines = [
      `{"order_id": 1, "amount": 12.50, "note": 12.50, "rate": 0.00001, ${at}}`,
      `{"order_id": 2, "amount": 1e3, ${at}}`, // a decimal is a plain number, as in CSV
      `{"order_id": 3, "amount": 1, "rate": 123456789012345678.12345678901234567891, "x": 1e3, ${at}}`,
      `{"order_id": 4, "amount": 1, "note": -0, "x": -1.5E-7, ${at}}`,
    ];
    const r = await run(engine, dir, contract, lines.join('\n') + '\n');
    expectAccounted(r, 4);
    // the quarantine quotes the line as it arrived, not as the first pass rewrote it
    expect(r.quarantined).toEqual([{ line: 2, record: lines[1], reasons: ['column amount: not a decimal number'], source: expect.any(String) }]);
    const rows = await readParquet(engine, r.outputs.cleanFiles.map((f) => f.localPath));
    expect(rows.map(({ order_id, amount, note, rate, x }) => ({ order_id, amount, note, rate, x }))).toEqual([
      { order_id: '1', amount: '12.50', note: '12.50', rate: '0.00001000000000000000', x: null },
      { order_id: '3', amount: '1.00', note: null, rate: '123456789012345678.12345678901234567891', x: '1000' },
      { order_id: '4', amount: '1.00', note: '-0', rate: null, x: '-1.5e-7' },
    ]);
  });

  test('a line of 1 MiB made of quoted numbers still fits DuckDB\'s line limit', async () => {
    // 117,000 top-level `-0`s: each gains two quotes, and its offset in the prefix.
    const chars = Array.from({ length: 0x7e - 0x23 + 1 }, (_, i) => String.fromCharCode(0x23 + i)).filter((c) => c !== '\\');
    const keys = [...chars, ...chars.flatMap((a) => chars.map((b) => a + b)), ...chars.flatMap((a) => chars.flatMap((b) => chars.map((c) => a + b + c)))];
    let big = '{"order_id":1,"amount":"1","ordered_at":"2024-03-15T10:00:00Z"';
    for (let k = 0; big.length + keys[k].length + 7 <= MAX_RECORD_BYTES; k++) big += `,"${keys[k]}":-0`;
    big += '}';
    expect(big.length).toBeGreaterThan(MAX_RECORD_BYTES - 8);
    const r = await run(engine, dir, ORDERS_NDJSON, `${big}\n{"order_id":2,"amount":"1","ordered_at":"2024-03-15T10:00:00Z"}\n`);
    expectAccounted(r, 2);
    expect(r.rowsOut).toBe(2);
  });

  test('a line that is not strict JSON is quarantined with what is wrong and where', async () => {
    const lines = [
      '{"order_id": 1, "amount": 1, "ordered_at": "2024-03-15T10:00:00Z",}',
      '{"order_id": 2, "amount": NaN, "ordered_at": "2024-03-15T10:00:00Z"}',
      '{"order_id": 3, "amount": 1, "amount": 2, "ordered_at": "2024-03-15T10:00:00Z"}',
      '{"order_id": 4, "amount": 1, "ordered_at": "2024-03-15T10:00:00Z"}',
      '   ',
    ];
    const r = await run(engine, dir, ORDERS_NDJSON, lines.join('\n') + '\n');
    expectAccounted(r, 5);
    expect(r.rowsOut).toBe(1);
    expect(r.quarantined.map((q) => [q.line, q.reasons])).toEqual([
      [1, ['malformed JSON: trailing comma at byte 66']],
      [2, ["malformed JSON: unexpected 'N' at byte 27"]],
      [3, ['repeated key "amount"']],
      [5, ['malformed JSON: no value on the line']],
    ]);
  });

  test('a JSON number with an exponent in an int column is rejected, not converted', async () => {
    const r = await run(engine, dir, ORDERS_NDJSON, '{"order_id": 1e3, "amount": 1, "ordered_at": "2024-03-15T10:00:00Z"}\n');
    expectAccounted(r, 1);
    expect(r.quarantined[0].reasons).toEqual(['column order_id: not an integer']);
  });
});

describe('a larger file', () => {
  test('keeps the invariant across read chunks and DuckDB threads', async () => {
    const lines: string[] = [];
    let bad = 0;
    for (let i = 1; i <= 30_000; i++) {
      const day = 1 + (i % 28);
      if (i % 97 === 0) {
        bad++;
        lines.push(`${i},2.5,1.00,2024-03-${String(day).padStart(2, '0')}T10:00:00Z,placed,false,`);
      } else if (i % 101 === 0) {
        bad++;
        lines.push(`${i},2,1.00,2024-03-${String(day).padStart(2, '0')}T10:00:00Z,placed,false,"broken`);
      } else {
        lines.push(`${i},2,${(i / 100).toFixed(2)},2024-03-${String(day).padStart(2, '0')}T10:00:00Z,shipped,true,"note ${i}, quoted"`);
      }
    }
    const r = await run(engine, dir, ORDERS, csv(...lines));
    expectAccounted(r, 30_000);
    expect(r.rowsQuarantined).toBe(bad);
    expect(r.outputs.cleanFiles).toHaveLength(28);
    // Line numbers are the record's own: the header is line 1.
    for (const q of r.quarantined) expect(q.record.startsWith(`${q.line - 1},`)).toBe(true);
  });
});

describe('records that span lines', () => {
  // DuckDB's parallel CSV reader starts each thread at a newline it takes for a record boundary;
  // one inside a quoted field, followed by text that looks like a record, shifted records and
  // made the file fail (found at ~40 MiB of intermediate file). Such files are read on one thread.
  test('a large file whose quoted fields hold record-like lines keeps every record', async () => {
    const rows = 500_000;
    const parts = [HEADER];
    for (let i = 1; i <= rows; i++) parts.push(`${i},2,1.00,2024-03-15T10:00:00Z,placed,false,"x\n1,2,3,4,5,6,7,8,9\n"`);
    const r = await run(engine, dir, ORDERS, parts.join('\n') + '\n');
    expectAccounted(r, rows);
    expect(r.rowsOut).toBe(rows);
  }, 300_000);

  test('only an intermediate file with multi-line records is read on one thread', () => {
    const layout = { format: 'csv' as const, fieldCount: 7, fieldOf: new Map([['order_id', 0]]) };
    const pass = { contract: ORDERS, layout, intermediatePath: '/tmp/x' };
    expect(writeQuery({ ...pass, badTable: 'b', sequential: true })).toContain('parallel=false');
    expect(checkQuery({ ...pass, rejectsTable: 'r', rejectsScan: 's', sequential: true })).toContain('parallel=false');
    expect(writeQuery({ ...pass, badTable: 'b' })).not.toContain('parallel=');
  });
});

describe('a failed run', () => {
  test('rejects and leaves no work files behind', async () => {
    const closed = await testEngine();
    closed.close();
    const { dir: work, cleanup: done } = scratch();
    try {
      await expect(run(closed, work, ORDERS, csv(good(1)))).rejects.toThrow();
      expect(readdirSync(work).filter((f) => !f.startsWith('source-'))).toEqual([]);
    } finally {
      done();
    }
  });
});
