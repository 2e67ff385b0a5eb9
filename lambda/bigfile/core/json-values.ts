/**
 * The values of one NDJSON record as text, exactly as the function's transform sees them.
 *
 * The record comes from the first pass (scan.ts), which has checked it is a strict JSON object and
 * written each top-level number with a fraction or an exponent (and `-0`) as a JSON string of the
 * same text (json.ts). The function reads it with DuckDB (`json_transform(line, '{"col":
 * "VARCHAR"}')`); the big-file route parses it here and hands Athena the same texts, so the same
 * rules decide the same way on both engines. The text of a top-level value (DuckDB's side is
 * pinned by a differential test):
 * - a string: its unescaped value; `true`/`false`: that word; `null` or an absent key: NULL;
 * - an integer literal (the only numbers left unquoted): its digits as written, any size;
 * - an object or array: its compact JSON text (and the caller is told it is not a single value).
 */

export type JsonScalarText =
  | { readonly kind: 'null' }
  | { readonly kind: 'scalar'; readonly text: string }
  | { readonly kind: 'nested'; readonly text: string };

/** The top-level members' texts of one record the first pass accepted. */
export function jsonValues(line: string): ReadonlyMap<string, JsonScalarText> {
  // The first pass has validated the text: a light scan finds each member's raw value (integers
  // keep their digits, which JSON.parse would round); strings without escapes are sliced.
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
      else if (raw === 'true' || raw === 'false' || /^-?[0-9]+$/.test(raw)) values.set(key, { kind: 'scalar', text: raw });
      else throw new Error(`the first pass left the number ${raw} unquoted`);
    }
    i = skipWs(line, i);
    if (line.charCodeAt(i) === COMMA) i++;
  }
  return values;
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
