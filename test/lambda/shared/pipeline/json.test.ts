import { MAX_JSON_DEPTH, NOT_AN_OBJECT, NumberList, checkJsonLine, quoteNumbers, restoreNumbers } from '../../../../lambda/shared/pipeline/json';
import type { Engine } from '../../../../lambda/transform/core/engine';
import { sqlString } from '../../../../lambda/shared/pipeline/rules';
import { seededRandom } from '../../../helpers/random';
import { testEngine } from '../../transform/helpers';

/** The first pass's verdict on one line, and the line as it would write it. */
function check(line: string): { reason?: string; rewritten?: string; numbers: number[] } {
  const b = Buffer.from(line, 'utf8');
  const list = new NumberList();
  const reason = checkJsonLine(b, 0, b.length, list);
  const numbers = Array.from(list.starts.subarray(0, list.count));
  if (reason !== undefined) return { reason, numbers };
  const out = Buffer.alloc(b.length + 2 * list.count);
  const n = quoteNumbers(b, 0, b.length, list, out, 0);
  return { rewritten: out.toString('utf8', 0, n), numbers };
}

describe('checkJsonLine', () => {
  test.each([
    ['{}', '{}'],
    [' \t{ "a" : 1 , "b":[1.5, {"c":2.5}] }\t', ' \t{ "a" : 1 , "b":[1.5, {"c":2.5}] }\t'],
    ['{"a":12.50,"b":-0,"c":1e3,"d":-1.5E-7,"e":0,"f":-12}', '{"a":"12.50","b":"-0","c":"1e3","d":"-1.5E-7","e":0,"f":-12}'],
    ['{"big":123456789012345678901234567890.12345678901234567890}', '{"big":"123456789012345678901234567890.12345678901234567890"}'],
    ['{"s":"1.5","t":true,"f":false,"n":null}', '{"s":"1.5","t":true,"f":false,"n":null}'],
    ['{"e":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00","ü":"ä"}', '{"e":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00","ü":"ä"}'],
    ['{"a":{"a":1},"b":{"a":2}}', '{"a":{"a":1},"b":{"a":2}}'],
  ])('accepts %s and writes its top-level fractions and exponents as strings', (line, rewritten) => {
    const { reason, rewritten: written, numbers } = check(line);
    expect(reason).toBeUndefined();
    expect(written).toBe(rewritten);
    // and the quarantine can give back the line as it arrived
    expect(restoreNumbers(rewritten, numbers.join(','))).toBe(line);
  });

  test.each([
    ['{"a":1,}', 'malformed JSON: trailing comma at byte 7'],
    ['{"a":[1,2,]}', 'malformed JSON: trailing comma at byte 10'],
    ['{"a":NaN}', "malformed JSON: unexpected 'N' at byte 6"],
    ['{"a":Infinity}', "malformed JSON: unexpected 'I' at byte 6"],
    ['{"a":-Infinity}', 'malformed JSON: a number without digits at byte 6'],
    ['{"a":01}', "malformed JSON: unexpected '1' at byte 7, expected ',' or '}'"],
    ['{"a":1.}', 'malformed JSON: no digit after the decimal point at byte 8'],
    ['{"a":.5}', "malformed JSON: unexpected '.' at byte 6"],
    ['{"a":+1}', "malformed JSON: unexpected '+' at byte 6"],
    ['{"a":1e}', 'malformed JSON: no digit in the exponent at byte 8'],
    ['{"a":0x1F}', "malformed JSON: unexpected 'x' at byte 7, expected ',' or '}'"],
    ['{"a":tru}', "malformed JSON: unexpected 't' at byte 6"],
    ["{'a':1}", "malformed JSON: unexpected ''' at byte 2, expected a key in double quotes"],
    ['{a:1}', "malformed JSON: unexpected 'a' at byte 2, expected a key in double quotes"],
    ['{"a" 1}', "malformed JSON: unexpected '1' at byte 6, expected ':'"],
    ['{"a":1 "b":2}', "malformed JSON: unexpected '\"' at byte 8, expected ',' or '}'"],
    ['{"a":1}{"b":2}', 'malformed JSON: more text after the value at byte 8'],
    ['{"a":1} x', 'malformed JSON: more text after the value at byte 9'],
    ['{"a":[1,2}', "malformed JSON: unexpected '}' at byte 10, expected ',' or ']'"],
    ['{"a":[1,2', 'malformed JSON: the line ends inside the value'],
    ['{"a":"abc', 'malformed JSON: a string is not closed'],
    ['{"a":"x\ty"}', 'malformed JSON: a control character (0x09) in a string at byte 8; escape it'],
    ['{"a":"x\u0001"}', 'malformed JSON: a control character (0x01) in a string at byte 8; escape it'],
    ['{"a":1}\u0001', 'malformed JSON: more text after the value at byte 8'],
    ['{"a":"\\x"}', 'malformed JSON: an invalid escape in a string at byte 7'],
    ['{"a":"\\u12G4"}', 'malformed JSON: an invalid \\u escape in a string at byte 7'],
    ['{"a":"\\ud800"}', 'malformed JSON: an unpaired surrogate escape in a string at byte 7'],
    ['{"a":"\\ude00\\ud83d"}', 'malformed JSON: an unpaired surrogate escape in a string at byte 7'],
    ['', 'malformed JSON: no value on the line'],
    ['  \t ', 'malformed JSON: no value on the line'],
    ['{"a":1,"b":2,"a":3}', 'repeated key "a"'],
    ['{"":1,"":2}', 'repeated key ""'],
    ['{ "":1,"a":2,"":3}', 'repeated key ""'],
    ['{"ab":1,"x":2,"ab":3}', 'repeated key "ab"'],
    ['{"a":[1,}', "malformed JSON: unexpected '}' at byte 9"],
    ['[1,}', "malformed JSON: unexpected '}' at byte 4"],
    ['{"a":1.', 'malformed JSON: the line ends inside the value'],
    ['{"a":1e+', 'malformed JSON: the line ends inside the value'],
    ['{"a":"\\', 'malformed JSON: a string is not closed'],
    ['{"a":"\\ud800\\u12zz"}', 'malformed JSON: an invalid \\u escape in a string at byte 13'],
    ['{"a":1,"\\u0061":2}', 'repeated key "a"'],
    ['[1]', NOT_AN_OBJECT],
    ['"x"', NOT_AN_OBJECT],
    ['12.5', NOT_AN_OBJECT],
    ['null', NOT_AN_OBJECT],
  ])('fails if the line is %j', (line, reason) => {
    expect(check(line).reason).toBe(reason);
  });

  test('fails if the line nests deeper than MAX_JSON_DEPTH, and accepts that depth', () => {
    const nest = (d: number) => `{"a":${'['.repeat(d - 1)}${']'.repeat(d - 1)}}`;
    expect(check(nest(MAX_JSON_DEPTH)).reason).toBeUndefined();
    expect(check(nest(MAX_JSON_DEPTH + 1)).reason).toBe(`malformed JSON: nested deeper than ${MAX_JSON_DEPTH} levels at byte ${5 + MAX_JSON_DEPTH}`);
  });

  test('finds a repeated key among many (past the hashed list)', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `"k${i}":${i}`);
    expect(check(`{${keys.join(',')}}`).reason).toBeUndefined();
    expect(check(`{${keys.join(',')},"k150":1}`).reason).toBe('repeated key "k150"');
    expect(check(`{${keys.join(',')},"\\u006b7":1}`).reason).toBe('repeated key "k7"');
  });
});

describe('against JSON.parse and DuckDB', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine();
  });
  afterAll(() => engine.close());

  /** Seeded lines: valid objects, and the same with one byte inserted, deleted or replaced. */
  function lines(count: number): string[] {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const atoms = ['0', '-0', '12', '-7', '1.5', '2.50', '1e3', '-4.2E-7', '123456789012345678901', 'true', 'false', 'null', '"x"', '"a\\"b"', '"\\u00e9"', '"é"', '""', '"1.5"',
      '"\\ud83d\\ude00"', '"\\ud800"', '"x\\udc00"', '"\\ud800\\u0041"'];
    const value = (d: number): string => {
      const r = rnd();
      if (d > 2 || r < 0.6) return pick(atoms);
      if (r < 0.8) return `[${Array.from({ length: Math.floor(rnd() * 3) }, () => value(d + 1)).join(',')}]`;
      return object(d + 1);
    };
    const object = (d: number): string =>
      `{${Array.from({ length: Math.floor(rnd() * 4) }, () => `${pick([' ', '', '\t'])}"${pick(['a', 'b', 'c', 'd', 'é'])}":${value(d)}`).join(',')}}`;
    const noise = ['{', '}', '[', ']', ',', ':', '"', '\\', '.', '-', '+', 'e', '0', '5', ' ', 'N', 'x', '\u0001', 'u'];
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      let line = rnd() < 0.1 ? value(1) : object(0);
      if (rnd() < 0.7) {
        const at = Math.floor(rnd() * (line.length + 1));
        const r = rnd();
        line = r < 0.4 ? line.slice(0, at) + pick(noise) + line.slice(at) : r < 0.7 ? line.slice(0, at) + line.slice(at + 1) : line.slice(0, at) + pick(noise) + line.slice(at + 1);
      }
      out.push(line);
    }
    return out;
  }

  /**
   * The reference verdicts: JSON.parse for the syntax (plus the rule it lacks: no lone surrogate
   * escapes), DuckDB's json_keys for repeated top-level keys (JSON.parse keeps the last silently).
   */
  async function reference(all: readonly string[]): Promise<('ok' | 'not an object' | 'bad')[]> {
    const verdicts = all.map((line) => {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        return 'bad' as const;
      }
      if (/\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F]/.test(line)) return 'bad' as const;
      return v === null || typeof v !== 'object' || Array.isArray(v) ? ('not an object' as const) : ('ok' as const);
    });
    const objects = all.map((line, i) => [i, line] as const).filter(([i]) => verdicts[i] === 'ok');
    const repeated = await engine.withConnection(async (c) => {
      const rows = objects.map(([i, l]) => `(${i}, ${sqlString(l)})`).join(', ');
      const r = await c.runAndReadAll(`SELECT i FROM (VALUES ${rows}) t(i, j) WHERE len(json_keys(j)) <> len(list_distinct(json_keys(j)))`);
      return r.getRows().map(([i]) => Number(i));
    });
    for (const i of repeated) verdicts[i] = 'bad';
    return verdicts;
  }

  test('accepts exactly the objects JSON.parse accepts with unique keys, and every line it accepts is valid JSON to DuckDB', async () => {
    const all = lines(4000);
    const refs = await reference(all);
    const accepted: string[] = [];
    const verdicts = { ok: 0, notObject: 0, bad: 0, repeated: 0, surrogate: 0 };
    all.forEach((line, i) => {
      const r = check(line);
      const mine = r.reason === undefined ? 'ok' : r.reason === NOT_AN_OBJECT ? 'not an object' : 'bad';
      if (mine !== refs[i]) throw new Error(`${JSON.stringify(line)}: checkJsonLine says ${r.reason ?? 'ok'}, the reference says ${refs[i]}`);
      if (r.reason === undefined) accepted.push(r.rewritten!);
      if (r.reason?.startsWith('repeated key')) verdicts.repeated++;
      if (r.reason?.includes('unpaired surrogate')) verdicts.surrogate++;
      verdicts[mine === 'ok' ? 'ok' : mine === 'bad' ? 'bad' : 'notObject']++;
    });
    // the seeded lines cover every outcome
    expect(verdicts.ok).toBeGreaterThan(500);
    expect(verdicts.bad).toBeGreaterThan(500);
    expect(verdicts.repeated).toBeGreaterThan(50);
    expect(verdicts.notObject).toBeGreaterThan(0);
    expect(verdicts.surrogate).toBeGreaterThan(20);
    const invalid = await engine.withConnection(async (c) => {
      const rows = accepted.map((l) => `(${sqlString(l)})`).join(', ');
      const r = await c.runAndReadAll(`SELECT j FROM (VALUES ${rows}) t(j) WHERE NOT json_valid(j)`);
      return r.getRows().map(([j]) => j);
    });
    expect(invalid).toEqual([]);
  });
});
