import type { Engine } from '../../../lambda/transform/core/engine';
import { jsonValues } from '../../../lambda/bigfile/core/json-values';
import { NumberList, checkJsonLine, quoteNumbers } from '../../../lambda/shared/pipeline/json';
import { sqlString } from '../../../lambda/shared/pipeline/rules';
import { seededRandom } from '../../helpers/random';
import { testEngine } from '../transform/helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await testEngine();
});
afterAll(() => engine.close());

/** A line as the first pass writes it (json.ts): its top-level fractions and exponents quoted. */
function firstPass(line: string): string {
  const b = Buffer.from(line);
  const numbers = new NumberList();
  const reason = checkJsonLine(b, 0, b.length, numbers);
  if (reason !== undefined) throw new Error(`${line}: ${reason}`);
  const out = Buffer.alloc(b.length + 2 * numbers.count);
  return out.toString('utf8', 0, quoteNumbers(b, 0, b.length, numbers, out, 0));
}

/** DuckDB's text for member `a` of each line, as the function's transform reads it. */
async function duckTexts(lines: readonly string[]): Promise<(string | null)[]> {
  return engine.withConnection(async (c) => {
    const rows = lines.map((l, i) => `(${i}, ${sqlString(l)})`).join(', ');
    const r = await c.runAndReadAll(`SELECT json_transform(j, '{"a":"VARCHAR"}').a FROM (VALUES ${rows}) t(i, j) ORDER BY i`);
    return r.getRows().map(([v]) => (v === null ? null : String(v)));
  });
}

const FIXED = [
  '0', '-0', '12', '-5', '123456789012345678901', '-123456789012345678901', '9007199254740993', '18446744073709551615',
  '1e3', '1E+2', '1.0', '-0.0', '0.5', '2.50', '0.1', '1e-5', '1e-7', '0.0001', '0.000001', '1e16', '1e400', '-1e400',
  '12345678901234567890.5', '3.14159265358979323846', '5e-324', '0e0', '-0e5', '100000.0', '999999999999999.9',
];

describe('a number reaches both engines as it was written', () => {
  test('chosen literals', async () => {
    const lines = FIXED.map((n) => firstPass(`{"a":${n}}`));
    expect(lines.map((l) => (jsonValues(l).get('a') as { text: string }).text)).toEqual(FIXED);
    expect(await duckTexts(lines)).toEqual(FIXED);
  });

  test('3,000 seeded random literals', async () => {
    const rnd = seededRandom(2026);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
    const literals: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const sign = rnd() < 0.3 ? '-' : '';
      const int = String(BigInt(digits(1 + Math.floor(rnd() * 25))));
      const frac = rnd() < 0.7 ? `.${digits(1 + Math.floor(rnd() * 20))}` : '';
      const exp = rnd() < 0.4 ? `${rnd() < 0.5 ? 'e' : 'E'}${rnd() < 0.5 ? '-' : '+'}${Math.floor(rnd() * 400)}` : '';
      literals.push(`${sign}${int}${frac}${exp}`);
    }
    const lines = literals.map((n) => firstPass(`{"a":${n}}`));
    expect(lines.map((l) => (jsonValues(l).get('a') as { text: string }).text)).toEqual(literals);
    expect(await duckTexts(lines)).toEqual(literals);
  });
});

describe('jsonValues', () => {
  test('gives each top-level value its text, and says which are objects or arrays', () => {
    const values = jsonValues(firstPass(' { "s" : "a\\"b" , "n":1e3,"i":-0, "t":true,"z":null, "o":{"x":[1.50, "}"]}, "a":[ ] } '));
    expect(values).toEqual(
      new Map<string, unknown>([
        ['s', { kind: 'scalar', text: 'a"b' }],
        ['n', { kind: 'scalar', text: '1e3' }],
        ['i', { kind: 'scalar', text: '-0' }],
        ['t', { kind: 'scalar', text: 'true' }],
        ['z', { kind: 'null' }],
        ['o', { kind: 'nested', text: '{"x":[1.5,"}"]}' }],
        ['a', { kind: 'nested', text: '[]' }],
      ]),
    );
  });

  test('fails if a fraction was left unquoted (the first pass quotes every one)', () => {
    expect(() => jsonValues('{"a":1.5}')).toThrow('the first pass left the number 1.5 unquoted');
  });
});
