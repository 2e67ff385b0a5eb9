/**
 * NDJSON lines, checked strictly in the first pass (scan.ts) before any engine parses them.
 *
 * DuckDB's JSON reader is lenient where the contract is strict: it accepts a trailing comma,
 * `NaN` and `Infinity`, keeps the first of repeated keys, and reads every number as a double that
 * it prints back in its own way (`12.50` → `12.5`, `0.00001` → `1e-05`, 17 digits rounded). So:
 *
 * - `checkJsonLine` validates the line against RFC 8259 (the UTF-8 check is the caller's) and
 *   rejects, with the place and what is wrong: a syntax error, a control character or an invalid
 *   escape in a string, an unpaired surrogate escape (no UTF-8 text can hold it), nesting deeper
 *   than MAX_JSON_DEPTH, a repeated top-level key (which value is meant is a guess), and a line
 *   that is valid JSON but not an object;
 * - it also lists the top-level numbers whose text an engine would not keep (a fraction or an
 *   exponent, or `-0`); the first pass writes them as JSON strings of the same text, so both
 *   engines check a number exactly as it was written, like a CSV field;
 * - `restoreNumbers` turns such a rewritten line back into the original text for the quarantine.
 *
 * The top-level values of the line are then exactly what JSON.parse gives, numbers excepted.
 */

/** The record-level verdicts (both routes quarantine with these: the big-file route runs the same first pass). */
const MALFORMED_JSON = 'malformed JSON';
export const NOT_AN_OBJECT = 'not a JSON object';
/** Deeper nesting is rejected: no contract column holds an object, and it bounds the parsers' recursion. */
export const MAX_JSON_DEPTH = 512;
/** With more top-level keys than this, repeated keys are found with a Set instead of comparing hashes. */
const KEY_LIST_LIMIT = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
const SMALL_E = 0x65;
const BIG_E = 0x45;
const PLUS = 0x2b;

// What the parser expects next.
const VALUE = 0; // any value
const VALUE_OR_CLOSE = 1; // after '[': a value or ']'
const KEY_OR_CLOSE = 2; // after '{': a key or '}'
const KEY = 3; // after ',' in an object
const COLON_NEXT = 4; // after a key
const AFTER_VALUE = 5; // ',' or the container's close (or the end of the line at depth 0)

const OBJECT = 1;
const ARRAY = 2;

const stack = new Uint8Array(MAX_JSON_DEPTH + 1);
const keyHash = new Int32Array(KEY_LIST_LIMIT);
const keyStart = new Int32Array(KEY_LIST_LIMIT);
const keyEnd = new Int32Array(KEY_LIST_LIMIT);
const utf8 = new TextDecoder('utf-8');
/** Set by `stringEnd`: whether the string holds an escape. */
let lastEscaped = false;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function describe(c: number): string {
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
}

const LINE_ENDS = `${MALFORMED_JSON}: the line ends inside the value`;
const malformedAt = (what: string, p: number, start: number, hint = '') => `${MALFORMED_JSON}: ${what} at byte ${p - start + 1}${hint}`;

/** The top-level numbers of a line to be written as strings: `[starts[k], ends[k])`, from the line's start. */
export class NumberList {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;
  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count++] = end;
  }
}

/**
 * Checks the NDJSON line `b[start..end)` (no line ending). Returns undefined when it is one JSON
 * object, else the reason. `numbers` receives the top-level numbers to be written as strings.
 */
export function checkJsonLine(b: Uint8Array, start: number, end: number, numbers: NumberList): string | undefined {
  numbers.count = 0;
  let i = start;
  let depth = 0;
  let expect = VALUE;
  let keys = 0;
  let keySet: Set<string> | undefined;
  let lastComma = -1;

  while (i < end) {
    const c = b[i];
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    switch (expect) {
      case VALUE:
      case VALUE_OR_CLOSE:
        if (c === QUOTE) {
          const e = stringEnd(b, i, end);
          if (e < 0) return stringError(b, -e - 1, end, start);
          i = e;
          expect = AFTER_VALUE;
        } else if (c === MINUS || isDigit(c)) {
          let j = c === MINUS ? i + 1 : i;
          if (j < end && b[j] === ZERO) j++;
          else if (j < end && isDigit(b[j])) while (j < end && isDigit(b[j])) j++;
          else return malformedAt('a number without digits', i, start);
          let plain = !(c === MINUS && j === i + 2 && b[i + 1] === ZERO); // -0 is printed 0
          if (j < end && b[j] === DOT) {
            j++;
            if (j === end) return LINE_ENDS;
            if (!isDigit(b[j])) return malformedAt('no digit after the decimal point', j, start);
            while (j < end && isDigit(b[j])) j++;
            plain = false;
          }
          if (j < end && (b[j] === SMALL_E || b[j] === BIG_E)) {
            j++;
            if (j < end && (b[j] === PLUS || b[j] === MINUS)) j++;
            if (j === end) return LINE_ENDS;
            if (!isDigit(b[j])) return malformedAt('no digit in the exponent', j, start);
            while (j < end && isDigit(b[j])) j++;
            plain = false;
          }
          if (!plain && depth === 1) numbers.push(i - start, j - start);
          i = j;
          expect = AFTER_VALUE;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          if (depth === MAX_JSON_DEPTH) return malformedAt(`nested deeper than ${MAX_JSON_DEPTH} levels`, i, start);
          stack[++depth] = c === OPEN_BRACE ? OBJECT : ARRAY;
          expect = c === OPEN_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
          lastComma = -1;
          i++;
        } else if (c === CLOSE_BRACKET && expect === VALUE_OR_CLOSE) {
          depth--;
          expect = AFTER_VALUE;
          i++;
        } else if (c === CLOSE_BRACKET && lastComma >= 0 && stack[depth] === ARRAY) {
          return malformedAt('trailing comma', lastComma, start);
        } else {
          const word = literal(b, i, end);
          if (word === 0) return malformedAt(`unexpected ${describe(c)}`, i, start);
          i += word;
          expect = AFTER_VALUE;
        }
        break;
      case KEY_OR_CLOSE:
      case KEY:
        if (c === QUOTE) {
          const e = stringEnd(b, i, end);
          if (e < 0) return stringError(b, -e - 1, end, start);
          if (depth === 1) {
            // Keys without escapes are compared by hash and bytes; an escaped key (`"\u0061"` is
            // `"a"`) or a long object switches to a Set of the decoded keys.
            if (!keySet && (keys === KEY_LIST_LIMIT || lastEscaped)) keySet = keySetOf(b, keys);
            if (keySet) {
              const text = keyText(b, i, e);
              if (keySet.has(text)) return `repeated key ${text}`;
              keySet.add(text);
            } else {
              // A cheap hash (the length, and the first and last two bytes; all of a shorter key):
              // equal hashes are compared byte by byte.
              const n = e - i - 2;
              let h = n << 16;
              if (n >= 4) h ^= (b[i + 1] << 12) ^ (b[i + 2] << 8) ^ (b[e - 3] << 4) ^ b[e - 2];
              else for (let k = i + 1; k < e - 1; k++) h = (h * 31 + b[k]) | 0;
              for (let k = 0; k < keys; k++) {
                if (keyHash[k] === h && e - i === keyEnd[k] - keyStart[k] && sameBytes(b, i, keyStart[k], e - i)) {
                  return `repeated key ${utf8.decode(b.subarray(i, e))}`;
                }
              }
              keyStart[keys] = i;
              keyEnd[keys] = e;
              keyHash[keys] = h;
            }
            keys++;
          }
          i = e;
          expect = COLON_NEXT;
        } else if (c === CLOSE_BRACE && expect === KEY_OR_CLOSE) {
          depth--;
          expect = AFTER_VALUE;
          i++;
        } else if (c === CLOSE_BRACE) {
          return malformedAt('trailing comma', lastComma, start);
        } else {
          return malformedAt(`unexpected ${describe(c)}`, i, start, ', expected a key in double quotes');
        }
        break;
      case COLON_NEXT:
        if (c !== COLON) return malformedAt(`unexpected ${describe(c)}`, i, start, ", expected ':'");
        expect = VALUE;
        lastComma = -1;
        i++;
        break;
      default: // AFTER_VALUE
        if (depth === 0) return malformedAt('more text after the value', i, start);
        if (c === COMMA) {
          expect = stack[depth] === OBJECT ? KEY : VALUE;
          lastComma = i;
        } else if (c === (stack[depth] === OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) {
          depth--;
          lastComma = -1;
        } else {
          return malformedAt(`unexpected ${describe(c)}`, i, start, `, expected ',' or '${stack[depth] === OBJECT ? '}' : ']'}'`);
        }
        i++;
    }
  }
  if (expect !== AFTER_VALUE || depth > 0) return expect === VALUE && depth === 0 ? `${MALFORMED_JSON}: no value on the line` : LINE_ENDS;
  let first = start;
  while (b[first] === SPACE || b[first] === TAB) first++;
  return b[first] === OPEN_BRACE ? undefined : NOT_AN_OBJECT;
}

/** The length of `true`, `false` or `null` at `b[i]`, or 0. */
function literal(b: Uint8Array, i: number, end: number): number {
  const word = b[i] === 0x74 ? 'true' : b[i] === 0x66 ? 'false' : b[i] === 0x6e ? 'null' : undefined;
  if (!word || i + word.length > end) return 0;
  for (let k = 1; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return 0;
  return word.length;
}

/**
 * `b[i]` is a quote: the index after the string's closing quote, or `-(p + 1)` where `p` is the
 * offending byte (an unclosed string gives `end`). Sets `lastEscaped`.
 */
function stringEnd(b: Uint8Array, i: number, end: number): number {
  lastEscaped = false;
  for (let j = i + 1; j < end; j++) {
    const c = b[j];
    if (c > BACKSLASH) continue; // most text: lower-case letters, and every byte of a multi-byte character
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) {
      if (j + 1 >= end) break; // the line ends inside the string
      lastEscaped = true;
      const e = b[j + 1];
      if (e === 0x75 /* u */) {
        const unit = hex4(b, j + 2, end);
        if (unit < 0) return -(j + 1);
        if (unit >= 0xdc00 && unit <= 0xdfff) return -(j + 1); // a low surrogate alone
        if (unit >= 0xd800 && unit <= 0xdbff) {
          const next = b[j + 6] === BACKSLASH && b[j + 7] === 0x75;
          const low = next ? hex4(b, j + 8, end) : -1;
          if (next && low < 0) return -(j + 7); // the next escape is itself invalid
          if (low < 0xdc00 || low > 0xdfff) return -(j + 1);
          j += 6;
        }
        j += 5;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        j++;
      } else {
        return -(j + 1);
      }
    } else if (c < 0x20) {
      return -(j + 1);
    }
  }
  return -(end + 1);
}

function hex4(b: Uint8Array, i: number, end: number): number {
  if (i + 4 > end) return -1;
  let v = 0;
  for (let k = i; k < i + 4; k++) {
    const c = b[k];
    if (!isHex(c)) return -1;
    v = v * 16 + (c <= NINE ? c - ZERO : (c | 0x20) - 0x57);
  }
  return v;
}

/** Why the string failing at `p` is malformed. */
function stringError(b: Uint8Array, p: number, end: number, start: number): string {
  if (p >= end) return `${MALFORMED_JSON}: a string is not closed`;
  if (b[p] !== BACKSLASH) return malformedAt(`a control character (${describe(b[p]).replace(/^byte /, '')}) in a string`, p, start, '; escape it');
  if (b[p + 1] !== 0x75) return malformedAt('an invalid escape in a string', p, start);
  return malformedAt(hex4(b, p + 2, end) < 0 ? 'an invalid \\u escape in a string' : 'an unpaired surrogate escape in a string', p, start);
}

/** A key's text (the quotes included) when it holds no escape; its decoded value otherwise. */
function keyText(b: Uint8Array, i: number, e: number): string {
  const s = utf8.decode(b.subarray(i, e));
  return s.includes('\\') ? JSON.stringify(JSON.parse(s) as string) : s;
}

function keySetOf(b: Uint8Array, n: number): Set<string> {
  const set = new Set<string>();
  for (let k = 0; k < n; k++) set.add(keyText(b, keyStart[k], keyEnd[k]));
  return set;
}

function sameBytes(b: Uint8Array, x: number, y: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (b[x + k] !== b[y + k]) return false;
  return true;
}

/**
 * Writes the line `b[start..end)` into `out` at `at` with each listed number quoted; returns the
 * index after it. `out` must have room for the line plus two bytes a number.
 */
export function quoteNumbers(b: Buffer, start: number, end: number, numbers: NumberList, out: Buffer, at: number): number {
  // One copy of the whole line, then, from the last number back, each piece moved right by the
  // quotes before it (copyWithin is a builtin: cheaper than a Buffer#copy call per piece).
  b.copy(out, at, start, end);
  let tail = at + (end - start);
  for (let k = numbers.count - 1; k >= 0; k--) {
    const s = at + numbers.starts[k];
    const e = at + numbers.ends[k];
    const shift = 2 * k;
    out.copyWithin(e + shift + 2, e, tail);
    out[e + shift + 1] = QUOTE;
    for (let j = e - 1; j >= s; j--) out[j + shift + 1] = out[j];
    out[s + shift] = QUOTE;
    tail = s;
  }
  return at + (end - start) + 2 * numbers.count;
}

/**
 * The original text of a line the first pass rewrote: `numbers` is the list of offsets it wrote
 * (comma-separated, as in the intermediate file), `rewritten` the line as written.
 */
export function restoreNumbers(rewritten: string, numbers: string | null | undefined): string {
  if (!numbers) return rewritten;
  const b = Buffer.from(rewritten, 'utf8');
  const out = Buffer.allocUnsafe(b.length);
  let from = 0;
  let used = 0;
  numbers.split(',').forEach((text, k) => {
    const quote = Number(text) + 2 * k; // each earlier number added two quotes
    used += b.copy(out, used, from, quote);
    let j = quote + 1;
    while (j < b.length && b[j] !== QUOTE) j++;
    used += b.copy(out, used, quote + 1, j);
    from = j + 1;
  });
  used += b.copy(out, used, from);
  return out.toString('utf8', 0, used);
}
