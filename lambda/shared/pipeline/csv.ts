/**
 * Strict RFC 4180 record boundaries, byte by byte, without building field strings.
 *
 * The transform's first pass uses this to number records (by the physical line they start on)
 * and to catch quoting errors before DuckDB parses the fields, so that this module and DuckDB
 * always agree on where a record starts and ends: DuckDB only ever sees records this module
 * accepted. Rules:
 * - a field is either unquoted (no quote anywhere in it) or wholly quoted; inside quotes `""` is a
 *   quote (or, with an escape character other than the quote, `\"` is a quote and `\\` the escape
 *   character: nothing else may follow it), and a closing quote must be followed by the delimiter
 *   or the end of the line;
 * - the delimiter, quote and escape are the dataset's dialect (dialect.ts; RFC 4180 by default);
 * - a record ends at `\n` (or `\r\n`) outside quotes; a quoted field may hold newlines and
 *   carriage returns, an unquoted one neither;
 * - a malformed record is cut at the end of its first physical line and scanning resumes on the
 *   next line, so one stray quote cannot swallow the rest of the file.
 */

export const NL = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const COMMA = 0x2c;

export type ScanOutcome =
  /** `end` excludes the line terminator; `next` is where the next record starts; `newlines` inside the record. */
  | { readonly kind: 'record'; readonly end: number; readonly next: number; readonly newlines: number }
  | { readonly kind: 'malformed'; readonly end: number; readonly next: number; readonly reason: string }
  /** The record runs past the end of the buffer: call again with more bytes (or with `eof`). */
  | { readonly kind: 'more' };

const MORE: ScanOutcome = { kind: 'more' };

/** End of the physical line that starts at `pos`: the record is cut there when malformed. */
export function cutLine(b: Uint8Array, pos: number, len: number, eof: boolean, reason: string): ScanOutcome {
  const nl = b.indexOf(NL, pos);
  if (nl < 0 || nl >= len) return eof ? { kind: 'malformed', end: trimCr(b, pos, len), next: len, reason } : MORE;
  return { kind: 'malformed', end: trimCr(b, pos, nl), next: nl + 1, reason };
}

function trimCr(b: Uint8Array, start: number, end: number): number {
  return end > start && b[end - 1] === CR ? end - 1 : end;
}

function countNewlines(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(NL, from); i >= 0 && i < to; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/**
 * Scans one record that starts at `pos` in `b[0..len)`. `eof` says no more bytes will come.
 * Handles any record; `scanRecordFast` is the caller's shortcut for lines without quotes.
 */
export function scanRecord(b: Uint8Array, pos: number, len: number, eof: boolean, delim = COMMA, quote = QUOTE, escape = quote): ScanOutcome {
  let i = pos;
  let newlines = 0;
  for (;;) {
    // At the start of a field.
    if (i >= len) return eof ? { kind: 'record', end: len, next: len, newlines } : MORE;
    if (b[i] === quote) {
      i++;
      for (;;) {
        const q = b.indexOf(quote, i);
        if (q < 0 || q >= len) return eof ? cutLine(b, pos, len, eof, 'unterminated quoted field') : MORE;
        if (escape !== quote) {
          // An escape character before the quote: it must escape the quote or itself.
          const e = b.indexOf(escape, i);
          if (e >= 0 && e < q) {
            newlines += countNewlines(b, i, e);
            if (e + 1 >= len) return eof ? cutLine(b, pos, len, eof, 'unterminated quoted field') : MORE;
            const next = b[e + 1];
            if (next !== quote && next !== escape) {
              return cutLine(b, pos, len, eof, `an escape character (${show(escape)}) before ${show(next)}; only the quote and the escape character can be escaped`);
            }
            i = e + 2;
            continue;
          }
        }
        newlines += countNewlines(b, i, q);
        if (escape === quote) {
          if (q + 1 >= len && !eof) return MORE;
          if (q + 1 < len && b[q + 1] === quote) {
            i = q + 2;
            continue;
          }
        }
        i = q + 1;
        break;
      }
      if (i >= len) return eof ? { kind: 'record', end: len, next: len, newlines } : MORE;
      const c = b[i];
      if (c === delim) {
        i++;
        continue;
      }
      if (c === NL) return { kind: 'record', end: i, next: i + 1, newlines };
      if (c === CR) {
        if (i + 1 >= len) return eof ? { kind: 'record', end: i, next: len, newlines } : MORE;
        if (b[i + 1] === NL) return { kind: 'record', end: i, next: i + 2, newlines };
      }
      return cutLine(b, pos, len, eof, 'unexpected character after a closing quote');
    }
    // An unquoted field: runs to the delimiter or the end of the line, and holds no quote.
    for (;;) {
      if (i >= len) return eof ? { kind: 'record', end: trimCr(b, pos, len), next: len, newlines } : MORE;
      const c = b[i];
      if (c === delim) {
        i++;
        break;
      }
      if (c === NL) return { kind: 'record', end: trimCr(b, pos, i), next: i + 1, newlines };
      if (c === quote) return cutLine(b, pos, len, eof, 'a quote inside an unquoted field');
      if (c === CR && i + 1 < len && b[i + 1] !== NL) return cutLine(b, pos, len, eof, 'a carriage return inside an unquoted field');
      i++;
    }
  }
}

/** A byte as reasons show it: `'\\'`, or its code for a control byte. */
function show(c: number): string {
  return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
}

/**
 * Splits one record's text into fields, as DuckDB reads them with the same dialect (the header
 * on both routes; the big-file route's records, which the first pass already accepted).
 */
export function parseCsvFields(text: string, delim = ',', quote = '"', escape = quote): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === quote) {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf(quote, i);
        if (q < 0) throw new Error('unterminated quoted field');
        if (escape !== quote) {
          const e = text.indexOf(escape, i);
          if (e >= 0 && e < q) {
            const next = text[e + 1];
            if (next !== quote && next !== escape) throw new Error(`an escape character (${show(escape.charCodeAt(0))}) before ${next === undefined ? 'the end' : show(next.charCodeAt(0))}; only the quote and the escape character can be escaped`);
            value += text.slice(i, e) + next;
            i = e + 2;
            continue;
          }
        }
        value += text.slice(i, q);
        if (escape === quote && text[q + 1] === quote) {
          value += quote;
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= text.length) return fields;
      if (text[i] !== delim) throw new Error('unexpected character after a closing quote');
      i++;
    } else {
      const d = text.indexOf(delim, i);
      const value = d < 0 ? text.slice(i) : text.slice(i, d);
      if (value.includes(quote)) throw new Error('a quote inside an unquoted field');
      fields.push(value);
      if (d < 0) return fields;
      i = d + 1;
    }
  }
}
