import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RECORD_BYTES, scanToIntermediate, type ScanResult } from '../../../../lambda/shared/pipeline/scan';
import { restoreNumbers } from '../../../../lambda/shared/pipeline/json';
import type { QuarantineEntry } from '../../../../lambda/shared/pipeline/quarantine';
import { seededRandom } from '../../../helpers/random';
import { scratch } from '../../transform/helpers';

/**
 * The first pass must not depend on how its input is cut into chunks (S3 bodies, gunzip and file
 * streams all cut anywhere): a record, a quoted newline, a CRLF, the BOM or a multi-byte character
 * may straddle two chunks.
 */
interface Outcome {
  readonly result: ScanResult;
  readonly intermediate: Buffer;
  readonly rejects: QuarantineEntry[];
  readonly headers: (string[] | string)[];
}

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = scratch();
});
afterAll(() => work.cleanup());

let runs = 0;
async function scan(format: 'csv' | 'ndjson', data: Buffer, cuts: readonly number[]): Promise<Outcome> {
  const intermediatePath = join(work.dir, `intermediate-${++runs}.txt`);
  const rejects: QuarantineEntry[] = [];
  const headers: (string[] | string)[] = [];
  async function* chunks() {
    let at = 0;
    for (const cut of [...cuts, data.length]) {
      if (cut > at) yield data.subarray(at, cut);
      at = Math.max(at, cut);
    }
  }
  const result = await scanToIntermediate({
    format,
    input: chunks(),
    intermediatePath,
    onHeader: (fields) => {
      headers.push(fields instanceof Error ? fields.message : fields);
      return undefined;
    },
    onRejects: async (batch) => {
      rejects.push(...batch);
    },
  });
  return { result, intermediate: readFileSync(intermediatePath), rejects, headers };
}

/** An outcome to compare: the intermediate bytes as a hash (jest compares a large Buffer byte by byte, slowly). */
const comparable = (o: Outcome) => ({ ...o, intermediate: createHash('sha256').update(o.intermediate).digest('hex') });

/** Cut points: every `step`-th byte, or random sizes from 1 to `max` bytes (seeded). */
function everyByte(length: number, step = 1): number[] {
  return Array.from({ length: Math.floor(length / step) }, (_, i) => (i + 1) * step);
}
function randomCuts(length: number, max: number, seed: number): number[] {
  const random = seededRandom(seed);
  const cuts: number[] = [];
  for (let at = 1 + Math.floor(random() * max); at < length; at += 1 + Math.floor(random() * max)) cuts.push(at);
  return cuts;
}

const CSV = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(
    'id,name,note\r\n' +
      '1,plain,x\n' +
      '2,"quoted, comma","a ""quote"""\r\n' +
      '\n' +
      '3,"two\nlines","and\r\nthree"\n' +
      '4,stray"quote,x\n' +
      '5,"closed"then,x\n' +
      '6,ünïcödé 🚀,é\n' +
      '\r\n' +
      '7,"after blank",x\n',
  ),
  Buffer.from([0x38, 0x2c, 0xff, 0xfe, 0x2c, 0x78, 0x0a]), // 8,<invalid UTF-8>,x
  Buffer.from('9,"unterminated,x\n10,last,"y"'),
]);

const NDJSON = Buffer.from(
  '\ufeff{"id":1,"name":"a"}\n' +
    '\n' +
    '{"id":2,"name":"ünïcödé 🚀"}\r\n' +
    '{"id":3,"name":"ctl\u0001"}\n' +
    'not json\n' +
    '{"id":5,"amount":12.50,"rate":-1e-7,"n":-0,"list":[1.5]}\n' +
    '{"id":6,"a":1,}\n' +
    '{"id":4}',
);
// Carriage returns that do not end a line (DuckDB's reader would fail the whole file on them).
const LONE_CR_CSV = Buffer.from('id,n,m\n1,a\rb,x\n2,"q\rq",c\r\n3,x,y\r\r\n4,"y",z\rw\n5,ok,\r');
const LONE_CR_NDJSON = Buffer.from('{"a":1}\r\n{"a":\r2}\n{"a":3}\r\r\n{"a":4}\r');
const NDJSON_BAD_UTF8 = Buffer.concat([Buffer.from('{"id":1}\n{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"id":2}\n')]);

describe('the first pass does not depend on where its input is cut', () => {
  test.each([
    ['CSV', 'csv', CSV],
    ['NDJSON', 'ndjson', NDJSON],
    ['NDJSON with invalid UTF-8', 'ndjson', NDJSON_BAD_UTF8],
    ['CSV with carriage returns', 'csv', LONE_CR_CSV],
    ['NDJSON with carriage returns', 'ndjson', LONE_CR_NDJSON],
  ] as const)('%s: one chunk, one byte at a time and random chunks give the same output', async (_, format, data) => {
    const whole = await scan(format, data, []);
    // The fixture exercises what it is meant to: records, rejects and (CSV) a header.
    expect(whole.result.written).toBeGreaterThan(0);
    expect(whole.result.rejected).toBeGreaterThan(0);
    expect(whole.result.bytes).toBe(data.length);
    for (const cuts of [everyByte(data.length), everyByte(data.length, 2), randomCuts(data.length, 7, 1), randomCuts(data.length, 31, 2)]) {
      expect(comparable(await scan(format, data, cuts))).toEqual(comparable(whole));
    }
  });

  test('CSV: the records, line numbers, offsets and rejects of the fixture', async () => {
    const { result, intermediate, rejects, headers } = await scan('csv', CSV, []);
    expect(headers).toEqual([['id', 'name', 'note']]);
    // Invalid UTF-8 in a CSV record is rejected here, with its bytes (base64) beside the decoded text.
    expect(result).toEqual({ records: 10, written: 6, rejected: 4, bytes: CSV.length, multiline: 1 });
    // `<line>,<offset>,<record>\n`, where the offset is that of the record's first byte.
    const records: [number, Buffer][] = [
      [2, Buffer.from('1,plain,x')],
      [3, Buffer.from('2,"quoted, comma","a ""quote"""')],
      [5, Buffer.from('3,"two\nlines","and\r\nthree"')],
      [10, Buffer.from('6,ünïcödé 🚀,é')],
      [12, Buffer.from('7,"after blank",x')],
      [15, Buffer.from('10,last,"y"')],
    ];
    let at = 0;
    for (const [line, record] of records) {
      const prefix = /^([0-9]+),([0-9]+),/.exec(intermediate.subarray(at, at + 40).toString('latin1'));
      expect(prefix && [Number(prefix[1]), Number(prefix[2])]).toEqual([line, at + prefix![0].length]);
      at += prefix![0].length;
      expect(intermediate.subarray(at, at + record.length + 1)).toEqual(Buffer.concat([record, Buffer.from('\n')]));
      at += record.length + 1;
    }
    expect(at).toBe(intermediate.length);
    expect(rejects).toEqual([
      { line: 8, text: '4,stray"quote,x', reasons: ['malformed CSV: a quote inside an unquoted field'] },
      { line: 9, text: '5,"closed"then,x', reasons: ['malformed CSV: unexpected character after a closing quote'] },
      {
        line: 13,
        text: '8,\ufffd\ufffd,x',
        reasons: ["not valid UTF-8: byte 0xFF at byte 2 of the record (a Windows-1252 or Latin-1 file? declare encoding: 'windows-1252' or 'latin-1')"],
        bytes: Buffer.from([0x38, 0x2c, 0xff, 0xfe, 0x2c, 0x78]).toString('base64'),
      },
      // The open quote closes at the next line's `"y"`; the record is cut at the end of its own line.
      { line: 14, text: '9,"unterminated,x', reasons: ['malformed CSV: unexpected character after a closing quote'] },
    ]);
  });

  test('NDJSON: the records, line numbers, quoted numbers and rejects of the fixture', async () => {
    const { result, intermediate, rejects } = await scan('ndjson', NDJSON, []);
    expect(result).toEqual({ records: 7, written: 4, rejected: 3, bytes: NDJSON.length, multiline: 0 });
    // `<line>\x01<offsets of the quoted numbers>\x01<record>\n`
    expect(intermediate.toString('utf8').split('\n')).toEqual([
      '1\x01\x01{"id":1,"name":"a"}',
      '3\x01\x01{"id":2,"name":"ünïcödé 🚀"}',
      '6\x0117,30,40\x01{"id":5,"amount":"12.50","rate":"-1e-7","n":"-0","list":[1.5]}',
      '8\x01\x01{"id":4}',
      '',
    ]);
    expect(rejects.map((r) => [r.line, r.reasons[0]])).toEqual([
      [4, 'malformed JSON: a control character (0x01) in a string at byte 20; escape it'],
      [5, "malformed JSON: unexpected 'n' at byte 1"],
      [7, 'malformed JSON: trailing comma at byte 14'],
    ]);
  });

  test('a record that starts with a byte-order mark (not the file) is quoted with it', async () => {
    const { rejects } = await scan('ndjson', Buffer.from('{"a":1}\n\ufeff{"a":2}\n'), []);
    expect(rejects).toEqual([{ line: 2, text: '\ufeff{"a":2}', reasons: ['malformed JSON: unexpected byte 0xEF at byte 1'] }]);
  });

  test('NDJSON: a long line whose quoted numbers do not fit the output buffer is written whole', async () => {
    const values = Array.from({ length: 55_000 }, (_, i) => `"k${i}":${i}.5`);
    const line = `{${values.join(',')}}`;
    const data = Buffer.from(`{"a":1}\n${line}\n{"b":2.5}\n`);
    expect(line.length).toBeLessThan(MAX_RECORD_BYTES);
    const whole = await scan('ndjson', data, []);
    expect(whole.result).toMatchObject({ records: 3, written: 3, rejected: 0 });
    const [first, big, last] = whole.intermediate.toString('utf8').split('\n');
    expect(first).toBe('1\x01\x01{"a":1}');
    expect(last).toBe('3\x015\x01{"b":"2.5"}');
    expect(Buffer.byteLength(big)).toBeGreaterThan(1 << 20); // more than the first pass's output buffer
    const [lineNo, numbers, rewritten] = big.split('\x01');
    expect(lineNo).toBe('2');
    expect(numbers.split(',')).toHaveLength(55_000);
    expect(Object.values(JSON.parse(rewritten) as Record<string, string>).slice(0, 3)).toEqual(['0.5', '1.5', '2.5']);
    expect(restoreNumbers(rewritten, numbers)).toBe(line);
    for (const cuts of [[1 << 20], randomCuts(data.length, 300_000, 8)]) expect(comparable(await scan('ndjson', data, cuts))).toEqual(comparable(whole));
  });

  test('a quoted field not closed within the limit cuts its record at its first line, wherever the chunks end', async () => {
    // Line 2 opens a quoted note that closes on line 4, 1.1 MB later: over the limit, so line 2 is
    // rejected and lines 3 and 5 are records, whether or not the whole note was buffered at once.
    const data = Buffer.from('id,day,note\n1,2024-01-01,"' + 'a'.repeat(900_000) + '\n2,2024-01-02,' + 'd'.repeat(200_000) + '\n' + 'e'.repeat(10) + '"\n3,2024-01-03,z\n');
    const whole = await scan('csv', data, []);
    expect(whole.rejects.map((r) => [r.line, r.text.length, r.reasons[0]])).toEqual([
      [2, 900_014, `malformed CSV: quoted field not closed within ${MAX_RECORD_BYTES} bytes`],
      [4, 11, 'malformed CSV: a quote inside an unquoted field'],
    ]);
    expect(whole.result).toMatchObject({ records: 4, written: 2 });
    for (const cuts of [[1 << 20], [900_020, 1_000_000], randomCuts(data.length, 300_000, 5)]) expect(comparable(await scan('csv', data, cuts))).toEqual(comparable(whole));
  });

  test('an over-long first line with an open quote is quarantined truncated, and its tail skipped', async () => {
    const data = Buffer.from('id,note\n1,"' + 'x'.repeat(1_200_000) + '\n2,ok\n');
    const whole = await scan('csv', data, []);
    expect(whole.rejects.map((r) => [r.line, r.text.length, r.reasons[0]])).toEqual([
      [2, MAX_RECORD_BYTES, `malformed CSV: record longer than ${MAX_RECORD_BYTES} bytes (quarantined text truncated)`],
    ]);
    expect(whole.result).toMatchObject({ records: 2, written: 1 });
    expect(whole.intermediate.toString()).toMatch(/^3,[0-9]+,2,ok\n$/);
    for (const cuts of [[1 << 20], randomCuts(data.length, 300_000, 6)]) expect(comparable(await scan('csv', data, cuts))).toEqual(comparable(whole));
  });

  test('a carriage return that does not end a line rejects the record, except inside a quoted CSV field', async () => {
    const csv = await scan('csv', LONE_CR_CSV, []);
    expect(csv.rejects.map((r) => [r.line, r.text, r.reasons[0]])).toEqual([
      [2, '1,a\rb,x', 'malformed CSV: a carriage return inside an unquoted field'],
      [4, '3,x,y\r', 'malformed CSV: a carriage return inside an unquoted field'],
      [5, '4,"y",z\rw', 'malformed CSV: a carriage return inside an unquoted field'],
    ]);
    expect(csv.result).toMatchObject({ records: 5, written: 2 });
    const ndjson = await scan('ndjson', LONE_CR_NDJSON, []);
    expect(ndjson.rejects.map((r) => [r.line, r.reasons[0]])).toEqual([
      [2, 'malformed line: a carriage return (CR) inside the line; lines end with LF or CRLF'],
      [3, 'malformed line: a carriage return (CR) inside the line; lines end with LF or CRLF'],
    ]);
    expect(ndjson.result).toMatchObject({ records: 4, written: 2 });
  });

  test('a record longer than the limit is quarantined, truncated, however the input is cut', async () => {
    const long = Buffer.concat([Buffer.from('id,note\n1,a\n2,'), Buffer.alloc(MAX_RECORD_BYTES + 10, 0x61), Buffer.from('\n3,"q\nq"\n')]);
    const whole = await scan('csv', long, []);
    expect(whole.result).toEqual({ records: 3, written: 2, rejected: 1, bytes: long.length, multiline: 1 });
    expect(whole.rejects[0].line).toBe(3);
    expect(whole.rejects[0].text).toHaveLength(MAX_RECORD_BYTES);
    expect(whole.intermediate.toString()).toBe('2,4,1,a\n4,13,3,"q\nq"\n');
    for (const seed of [3, 4]) expect(comparable(await scan('csv', long, randomCuts(long.length, 200_000, seed)))).toEqual(comparable(whole));
  });
});
