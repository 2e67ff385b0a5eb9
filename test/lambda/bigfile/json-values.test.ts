import type { Engine } from '../../../lambda/transform/core/engine';
import { MALFORMED_JSON, NOT_AN_OBJECT, numberText, parseJsonRecord } from '../../../lambda/bigfile/core/json-values';
import { sqlString } from '../../../lambda/transform/core/rules';
import { seededRandom } from '../../helpers/random';
import { testEngine } from '../transform/helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine();
});
afterAll(() => engine.close());

/** DuckDB's text for each JSON value, as the function's transform reads it. */
async function duckTexts(literals: readonly string[]): Promise<(string | null)[]> {
  return engine.withConnection(async (c) => {
    const rows = literals.map((l, i) => `(${i}, ${sqlString(`{"a":${l}}`)})`).join(', ');
    const r = await c.runAndReadAll(`SELECT json_transform(j, '{"a":"VARCHAR"}').a FROM (VALUES ${rows}) t(i, j) ORDER BY i`);
    return r.getRows().map(([v]) => (v === null ? null : String(v)));
  });
}

const FIXED = [
  '0', '-0', '12', '-5', '123456789012345678901', '-123456789012345678901', '9007199254740993', '18446744073709551615',
  '1e3', '1E+2', '1.0', '-0.0', '0.5', '2.50', '0.1', '1e-5', '1e-7', '0.0001', '0.000001', '1e15', '1e16', '1e17', '1e20',
  '1e21', '123456789.123', '12345678901234567890.5', '3.14159265358979323846', '1.5e300', '-1.5e-10', '5e-324',
  '1.7976931348623157e308', '1e400', '-1e400', '1.0e0', '0e0', '-0e5', '100000.0', '999999999999999.9', '0.00012345',
];

describe('numberText', () => {
  test('matches DuckDB on chosen literals', async () => {
    expect(FIXED.map(numberText)).toEqual(await duckTexts(FIXED));
  });

  test('matches DuckDB on 3,000 seeded random literals', async () => {
    const rnd = seededRandom(2026);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    const literals: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const sign = rnd() < 0.3 ? '-' : '';
      const int = String(Number(digits(1 + Math.floor(rnd() * 18))));
      const frac = rnd() < 0.7 ? `.${digits(1 + Math.floor(rnd() * 12))}` : '';
      const exp = rnd() < 0.4 ? `${rnd() < 0.5 ? 'e' : 'E'}${rnd() < 0.5 ? '-' : '+'}${Math.floor(rnd() * 40)}` : '';
      literals.push(`${sign}${int}${frac}${exp}`);
    }
    expect(literals.map(numberText)).toEqual(await duckTexts(literals));
  });
});

describe('parseJsonRecord', () => {
  test('gives each top-level value its text, and says which are objects or arrays', () => {
    const r = parseJsonRecord(' { "s" : "a\\"b" , "n":1e3,"i":-0, "t":true,"z":null, "o":{"x":[1, "}"]}, "a":[ ] } ');
    expect(r).toEqual({
      ok: true,
      values: new Map<string, unknown>([
        ['s', { kind: 'scalar', text: 'a"b' }],
        ['n', { kind: 'scalar', text: '1000.0' }],
        ['i', { kind: 'scalar', text: '0' }],
        ['t', { kind: 'scalar', text: 'true' }],
        ['z', { kind: 'null' }],
        ['o', { kind: 'nested', text: '{"x":[1,"}"]}' }],
        ['a', { kind: 'nested', text: '[]' }],
      ]),
    });
  });

  test('fails if the line is not JSON, or not an object', () => {
    expect(parseJsonRecord('{"a":1,')).toEqual({ ok: false, reason: MALFORMED_JSON });
    expect(parseJsonRecord('[1]')).toEqual({ ok: false, reason: NOT_AN_OBJECT });
    expect(parseJsonRecord('null')).toEqual({ ok: false, reason: NOT_AN_OBJECT });
    expect(parseJsonRecord('"x"')).toEqual({ ok: false, reason: NOT_AN_OBJECT });
  });
});
