/**
 * The values of one NDJSON record as text, exactly as the function's transform sees them.
 *
 * The function reads NDJSON with DuckDB (`json_transform(line, '{"col": "VARCHAR"}')`); the
 * big-file route parses the line here and hands Athena the same texts, so the same rules decide
 * the same way on both engines. DuckDB's text for a JSON value (pinned by a differential test
 * against DuckDB):
 * - a string: its unescaped value; `true`/`false`: that word; `null` or an absent key: NULL;
 * - an integer literal (no `.`, no exponent): its digits as written, any size (`-0` is `0`);
 * - any other number: the double it denotes, printed shortest round-trip — positional for decimal
 *   exponents -4…15 with `.0` on whole numbers (`1E5` → `100000.0`), else `d.ddde±XX` with at
 *   least two exponent digits (`1e-7` → `1e-07`); a literal that overflows stays as written;
 * - an object or array: its compact JSON text (and the caller is told it is not a single value).
 */

export type JsonScalarText =
  | { readonly kind: 'null' }
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'nested'; readonly text: string };

/** The record-level verdicts of the function's transform, with its wording. */
export const MALFORMED_JSON = 'malformed JSON';
export const NOT_AN_OBJECT = 'not a JSON object';

export type ParsedRecord =
  | { readonly ok: true; readonly values: ReadonlyMap<string, JsonScalarText> }
  | { readonly ok: false; readonly reason: string };

/** Parses one NDJSON line into its top-level members' texts. */
export function parseJsonRecord(line: string): ParsedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, reason: MALFORMED_JSON };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, reason: NOT_AN_OBJECT };
  // JSON.parse has validated the text: a light scan finds each member's raw value (for numbers,
  // whose text JSON.parse does not keep); strings without escapes are sliced, not parsed again.
  const values = new Map<string, JsonScalarText>();
  const n = line.length;
  let i = skipWs(line, 0) + 1; // past '{'
  for (;;) {
    i = skipWs(line, i);
    if (line.charCodeAt(i) === CLOSE_BRACE) break;
    const keyEnd = stringEnd(line, i);
    const key = unquote(line, i, keyEnd);
    i = skipWs(line, skipWs(line, keyEnd) + 1); // past ':'
    const start = i;
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(line, i);
      values.set(key, { kind: 'scalar', text: unquote(line, start, i) });
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i = nestedEnd(line, i);
      values.set(key, { kind: 'nested', text: JSON.stringify(JSON.parse(line.slice(start, i))) });
    } else {
      while (i < n) {
        const d = line.charCodeAt(i);
        if (d === COMMA || d === CLOSE_BRACE || isWs(d)) break;
        i++;
      }
      const raw = line.slice(start, i);
      if (raw === 'null') values.set(key, { kind: 'null' });
      else if (raw === 'true' || raw === 'false') values.set(key, { kind: 'scalar', text: raw });
      else values.set(key, { kind: 'scalar', text: numberText(raw) });
    }
    i = skipWs(line, i);
    if (line.charCodeAt(i) === COMMA) i++;
  }
  return { ok: true, values };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** The value of the JSON string `s[start..end)` (quotes included). */
function unquote(s: string, start: number, end: number): string {
  const inner = s.slice(start + 1, end - 1);
  return inner.indexOf('\\') < 0 ? inner : (JSON.parse(s.slice(start, end)) as string);
}

/** DuckDB's text for a JSON number literal (see the module comment). */
export function numberText(raw: string): string {
  if (/^-?[0-9]+$/.test(raw)) return raw === '-0' ? '0' : raw;
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const [mantissa, e] = Math.abs(n).toExponential().split('e');
  const exponent = Number(e);
  const digits = mantissa.replace('.', '');
  if (exponent >= -4 && exponent <= 15) {
    let text: string;
    if (exponent < 0) text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
    else if (digits.length <= exponent + 1) text = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
    else text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
    return sign + text;
  }
  const abs = Math.abs(exponent);
  return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** `s[i]` is a quote: the index after the string's closing quote. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return s.length;
}

/** `s[i]` opens an object or array: the index after its matching close. */
function nestedEnd(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) j = stringEnd(s, j) - 1;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return s.length;
}
