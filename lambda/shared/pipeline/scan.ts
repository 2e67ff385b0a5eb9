/**
 * The first pass: streams the source file (gunzipping on the fly), numbers every record by the
 * physical line it starts on, catches what DuckDB must never see (quoting errors, an unusable
 * header, NDJSON that is not strict JSON: json.ts), and writes the rest to an intermediate file
 * that DuckDB then reads in parallel:
 *
 * - CSV:    `<line>,<offset>,<record>\n` — `offset` locates the record's original text inside the
 *           intermediate file, so a quarantined row can quote it byte for byte;
 * - NDJSON: `<line>\x01<numbers>\x01<record>\n` — DuckDB reads the whole line as one text column;
 *           the record's top-level numbers with a fraction or an exponent are written as JSON
 *           strings of the same text, and `numbers` lists where (json.ts `restoreNumbers`).
 *
 * Memory stays flat: one read chunk, two output buffers, and at most one record of up to
 * `MAX_RECORD_BYTES` carried between chunks.
 *
 * The source reaches this pass as UTF-8 (`sourceText`: gunzipped, then transcoded, encoding.ts);
 * a record that is still not valid UTF-8 is rejected here, quoted as decoded plus its original
 * bytes (base64). A source that cannot be read on (corrupt gzip, undecodable text) stops the
 * pass: `ScanResult.unreadable` says why, where, and what was left unread; the callers quarantine
 * the whole file.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { TextEncoding } from '../dataset';
import * as csvBytes from './csv';
import { cutLine, parseCsvFields, scanRecord } from './csv';
import { RFC_4180, type CsvFormat } from './dialect';
import { Transcoder, UnreadableFileError, byteOffset, notUtf8Reason, peekStream, type DetectedEncoding } from './encoding';
import { NumberList, checkJsonLine, quoteNumbers } from './json';
import type { QuarantineEntry } from './quarantine';

// Module-local copies: an imported binding may compile to a property read (a getter when the
// module is transpiled to CommonJS), which costs in the per-record loop.
const { COMMA, CR, NL } = csvBytes;

/** A longer record is quarantined (its first MAX_RECORD_BYTES); an unclosed quote, by its first line. */
export const MAX_RECORD_BYTES = 1 << 20;
const OUT_BUFFER_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 1 << 20;
/** The reason a record that is not valid UTF-8 is quarantined with (DuckDB's reader gives CSV records the same). */
export const NOT_UTF8 = 'not valid UTF-8';
/** Why a record with a carriage return that does not end its line is quarantined (a quoted CSV field may hold one). */
export const LONE_CR_CSV = 'a carriage return inside an unquoted field';
export const LONE_CR_LINE = 'a carriage return (CR) inside the line; lines end with LF or CRLF';
/** Separates the fields of the NDJSON intermediate: never valid in JSON text. */
export const NDJSON_SEPARATOR = 0x01;

/** Compressed bytes handed to gunzip at a time: a corrupt stream is located to within this many bytes. */
const GZIP_SLICE_BYTES = 256 * 1024;

/** What zlib says, in the words of a reason. */
function gzipProblem(e: { code?: string; message: string }): string {
  if (e.code === 'Z_BUF_ERROR') return 'the gzip data ends before its stream does (the file is truncated)';
  if (/incorrect data check|incorrect length check/.test(e.message)) return `the gzip checksum does not match the data (zlib: ${e.message}): the file is corrupt`;
  return `the gzip data is corrupt (zlib: ${e.message})`;
}

const isZlibError = (e: unknown): e is { code: string; message: string } => typeof (e as { code?: unknown })?.code === 'string' && /^Z_/.test((e as { code: string }).code);

/**
 * Gunzips `chunks`, handing zlib one slice at a time so that a failure is located: a corrupt or
 * truncated stream becomes an UnreadableFileError naming the compressed bytes it lies in. A
 * source that itself fails (a network error) fails as it did, to be retried.
 */
async function* gunzipped(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  let processed = 0; // compressed bytes zlib has consumed
  let inFlight = 0; // the slice it is consuming
  // Settles when zlib fails or is destroyed: a pending write's callback may then never come.
  const closed = new Promise<void>((resolve) => gunzip.once('close', resolve));
  /** Hands zlib one slice and waits until it has consumed it; false when zlib has closed. */
  const write = async (slice: Buffer): Promise<boolean> => {
    inFlight = slice.length;
    const written = new Promise<boolean>((resolve, reject) => gunzip.write(slice, (e) => (e ? reject(e) : resolve(true))));
    if (!(await Promise.race([written, closed.then(() => false)]))) return false;
    processed += slice.length;
    inFlight = 0;
    return true;
  };
  const feeder = (async () => {
    try {
      // Slices end at multiples of GZIP_SLICE_BYTES of the file, however its chunks arrive: the
      // same file fails at the same offsets on every route.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of chunks) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < GZIP_SLICE_BYTES) continue;
        const joined = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        let at = 0;
        for (; joined.length - at >= GZIP_SLICE_BYTES; at += GZIP_SLICE_BYTES) {
          if (!(await write(joined.subarray(at, at + GZIP_SLICE_BYTES)))) return;
        }
        pending = at < joined.length ? [joined.subarray(at)] : [];
        pendingBytes = joined.length - at;
      }
      if (pendingBytes > 0 && !(await write(pending.length === 1 ? pending[0] : Buffer.concat(pending)))) return;
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  try {
    for await (const out of gunzip) yield out as Buffer;
  } catch (e) {
    if (!isZlibError(e)) throw e;
    const where =
      inFlight > 0
        ? `in compressed bytes ${byteOffset(processed)}–${byteOffset(processed + inFlight)}`
        : `at compressed byte ${byteOffset(processed)}, the end of the file`;
    throw new UnreadableFileError(`${gzipProblem(e)} ${where}`);
  } finally {
    // Stopped early (the reader failed) or done: either way the feeder must not wait on zlib.
    gunzip.destroy();
    await feeder;
  }
}

/**
 * A source's bytes as a stream, gunzipped when they start with the gzip magic bytes (whatever
 * the name or the dataset's `gzip` flag says). With `expectedBytes` (the object's size), a source
 * that ends early fails as a transport error (retried), not as a truncated file.
 */
export async function decompressed(
  body: AsyncIterable<Buffer | Uint8Array>,
  opts: { readonly expectedBytes?: number } = {},
): Promise<{ stream: AsyncIterable<Buffer>; gzip: boolean }> {
  const { first, all } = await peekStream(body, 2);
  const rest = async function* () {
    let read = 0;
    for await (const chunk of all) {
      read += chunk.length;
      yield chunk;
    }
    if (opts.expectedBytes !== undefined && read !== opts.expectedBytes) {
      throw new Error(`the source stream gave ${read} bytes of the object's ${opts.expectedBytes}: not the whole object (retry)`);
    }
  };
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  return { stream: gzip ? gunzipped(rest()) : rest(), gzip };
}

/** A source as UTF-8 text bytes: gunzipped when it is gzip, transcoded from its encoding (encoding.ts). */
export interface SourceText {
  readonly stream: AsyncIterable<Buffer>;
  readonly gzip: boolean;
  /** The encoding it was read with (known once the stream has started). */
  encoding(): DetectedEncoding | undefined;
}

export async function sourceText(
  body: AsyncIterable<Buffer | Uint8Array>,
  opts: { readonly encoding?: TextEncoding; readonly expectedBytes?: number } = {},
): Promise<SourceText> {
  const { stream, gzip } = await decompressed(body, opts);
  const transcoder = new Transcoder(opts.encoding);
  return { stream: transcoder.transcode(stream), gzip, encoding: () => transcoder.encoding };
}

/** Opens a local file as UTF-8 text (sourceText). */
export function openSource(path: string, encoding?: TextEncoding): Promise<SourceText> {
  return sourceText(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), { encoding });
}

/** Where the intermediate bytes go when they do not go to a local file (`FileHandle` has this shape). */
export interface ByteSink {
  write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

export interface ScanOptions {
  readonly format: 'csv' | 'ndjson';
  /** CSV: the dialect. @default RFC 4180 with a header */
  readonly csv?: CsvFormat;
  /** UTF-8 text (sourceText). */
  readonly input: AsyncIterable<Buffer>;
  /** The intermediate file; ignored when `sink` is given. */
  readonly intermediatePath: string;
  /** Receives the intermediate bytes instead of a file (the big-file route streams them on). */
  readonly sink?: ByteSink;
  /**
   * CSV with a header only: called once with the header's fields (or the error that made it
   * unreadable) and its text. Returns a reason to quarantine every data record of the file, or
   * undefined to go on.
   */
  readonly onHeader?: (fields: string[] | Error, text: string) => string | undefined;
  /** Receives early rejects in batches (after each chunk); awaited, so a slow writer slows the scan. */
  readonly onRejects: (rejects: QuarantineEntry[]) => Promise<void>;
}

export interface ScanResult {
  /** Data records seen (the header and blank lines are not records). */
  readonly records: number;
  /** Records written to the intermediate file for DuckDB. */
  readonly written: number;
  /** Records rejected by this pass (also passed to `onRejects`). */
  readonly rejected: number;
  /** Bytes after decompression. */
  readonly bytes: number;
  /**
   * CSV records written that span lines (a quoted field holds a newline). DuckDB must then read
   * the intermediate file on one thread: its parallel reader starts each thread at a newline it
   * guesses is a record boundary, and one inside a quoted field can shift or drop records.
   */
  readonly multiline: number;
  /**
   * Set when the source could not be read to its end (UnreadableFileError): what was found and
   * where, and the unread rest as one entry (`line`: where reading stopped; `text`: the partial
   * record, up to MAX_RECORD_BYTES, possibly empty). Records before it were handled as usual.
   */
  readonly unreadable?: { readonly problem: string; readonly rest: QuarantineEntry };
}

/**
 * Buffered writer for the intermediate file that knows the file offset of every byte it writes.
 * Double-buffered: one buffer fills while the other is being written.
 */
class OutFile {
  private buf = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  private spare = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  private used = 0;
  private flushed = 0;
  private pending: Promise<void> = Promise.resolve();
  constructor(private readonly fh: ByteSink) {}

  /** File offset the next byte will land at. */
  get position(): number {
    return this.flushed + this.used;
  }
  room(n: number): boolean {
    return this.used + n <= this.buf.length;
  }
  /** Starts writing the filled buffer and switches to the other one. */
  async flush(): Promise<void> {
    await this.pending;
    const full = this.buf;
    const n = this.used;
    this.buf = this.spare;
    this.spare = full;
    this.flushed += n;
    this.used = 0;
    this.pending = writeAll(this.fh, full, n);
    // Awaited by the next flush or close; if the scan stops first (another error), this one must
    // not surface as an unhandled rejection.
    this.pending.catch(() => undefined);
  }
  async close(): Promise<void> {
    await this.flush();
    await this.pending;
  }
  async writeLarge(data: Uint8Array): Promise<void> {
    await this.flush();
    await this.pending;
    await writeAll(this.fh, data, data.length);
    this.flushed += data.length;
  }
  /** Writes a non-negative integer (below 2^53) in decimal, two digits at a time. */
  uint(n: number): void {
    const b = this.buf;
    let at = this.used + digitCount(n);
    this.used = at;
    while (n >= 100) {
      const q = n < 0x80000000 ? ((n / 100) | 0) : Math.floor(n / 100);
      const r = (n - q * 100) * 2;
      b[--at] = DIGIT_PAIRS[r + 1];
      b[--at] = DIGIT_PAIRS[r];
      n = q;
    }
    // The leading one or two digits, just before those written above.
    if (n >= 10) {
      b[at - 1] = DIGIT_PAIRS[n * 2 + 1];
      b[at - 2] = DIGIT_PAIRS[n * 2];
    } else {
      b[at - 1] = 0x30 + n;
    }
  }
  byte(c: number): void {
    this.buf[this.used++] = c;
  }
  /** Copies an NDJSON record with the listed numbers quoted (json.ts), then a newline. */
  quoted(src: Buffer, start: number, end: number, numbers: NumberList): void {
    this.used = quoteNumbers(src, start, end, numbers, this.buf, this.used);
    this.buf[this.used++] = NL;
  }
  copy(src: Buffer, start: number, end: number): void {
    // Buffer#copy: no intermediate view object per record.
    this.used += src.copy(this.buf, this.used, start, end);
  }
}

async function writeAll(fh: ByteSink, data: Uint8Array, n: number): Promise<void> {
  let off = 0;
  while (off < n) off += (await fh.write(data, off, n - off)).bytesWritten;
}

const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

function digitCount(n: number): number {
  if (n < 1e5) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  if (n < 1e10) return n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  let d = 11;
  for (let p = 1e11; n >= p && d < 16; p *= 10) d++;
  return d;
}

// ignoreBOM: a U+FEFF that starts a record (not the file) is part of its text, and is quoted.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const text = (b: Uint8Array, start: number, end: number) => decoder.decode(b.subarray(start, end));

/** A quarantine entry for `b[start..end)`: its text, and its bytes (base64) when they are not valid UTF-8. */
export function entryOf(line: number, b: Buffer, start: number, end: number, reason: string): QuarantineEntry {
  const bytes = b.subarray(start, end);
  return isUtf8(bytes) ? { line, text: text(b, start, end), reasons: [reason] } : { line, text: text(b, start, end), reasons: [reason], bytes: bytes.toString('base64') };
}

/** Runs the first pass. */
export async function scanToIntermediate(opts: ScanOptions): Promise<ScanResult> {
  const csv = opts.format === 'csv';
  const dialect = opts.csv ?? RFC_4180;
  const { delimiter: DELIM, quote: QUOTE, escape: ESCAPE } = dialect;
  const fh: ByteSink = opts.sink ?? (await open(opts.intermediatePath, 'w'));
  const out = new OutFile(fh);
  let line = 1; // the physical line the next record starts on
  let records = 0;
  let written = 0;
  let rejected = 0;
  let multiline = 0;
  let headerSeen = !csv || !dialect.header;
  let fileReason: string | undefined;
  let first = true;
  let skipping = false;
  let rejects: QuarantineEntry[] = [];
  /** NDJSON: the numbers of the current record to quote (json.ts). */
  const numbers = new NumberList();

  const reject = (ln: number, b: Buffer, start: number, end: number, reason: string) => {
    records++;
    rejected++;
    rejects.push(entryOf(ln, b, start, end, reason));
  };

  /** A record the scanner found malformed, or an over-long line. */
  const malformed = (b: Buffer, start: number, end: number, ln: number, reason: string) => {
    if (!headerSeen) {
      headerSeen = true;
      fileReason = opts.onHeader?.(new Error(reason), text(b, start, end)) ?? `header: ${reason}`;
      return;
    }
    reject(ln, b, start, end, fileReason ?? `malformed ${csv ? 'CSV' : 'line'}: ${reason}`);
  };

  /** Consumes the whole records in b; returns where the unconsumed tail starts. */
  const consume = async (b: Buffer, eof: boolean): Promise<number> => {
    const len = b.length;
    let pos = 0;
    if (first) {
      if (len < 3 && !eof) return 0;
      first = false;
      if (len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) pos = 3; // UTF-8 BOM
    }
    // A record that is not UTF-8 is rejected here, quoted as Node decodes it and byte for byte
    // (base64); DuckDB's reader would quote it with bytes replaced by '?'. One check per buffer
    // (up to its last line feed: the rest waits for the next chunk); per record only when the
    // buffer fails it.
    const lastNl = eof ? len : b.lastIndexOf(NL);
    const checkUtf8 = lastNl > pos && !isUtf8(b.subarray(pos, lastNl));
    let nextQuote = csv ? b.indexOf(QUOTE, pos) : -1;
    let nextCr = b.indexOf(CR, pos);
    while (pos < len) {
      const nl = b.indexOf(NL, pos);
      if (skipping) {
        // The tail of an over-long line that was already quarantined.
        if (nl < 0) return len;
        pos = nl + 1;
        line++;
        skipping = false;
        continue;
      }
      if (nl < 0 && !eof) {
        if (len - pos <= MAX_RECORD_BYTES) break; // wait for the rest of the line
        malformed(b, pos, pos + MAX_RECORD_BYTES, line, `record longer than ${MAX_RECORD_BYTES} bytes (quarantined text truncated)`);
        skipping = true;
        return len;
      }
      const stop = nl < 0 ? len : nl;
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = b.indexOf(QUOTE, pos);
      const start = pos;
      const recordLine = line;
      let end: number;
      let loneCr = false;
      if (nextQuote >= 0 && nextQuote < stop) {
        // A line with a quote: the strict scanner decides where the record ends, looking at most
        // MAX_RECORD_BYTES + 1 bytes ahead, so the outcome never depends on how much is buffered.
        const windowEnd = Math.min(len, pos + MAX_RECORD_BYTES + 1);
        let outcome = scanRecord(b, pos, windowEnd, eof && windowEnd === len, DELIM, QUOTE, ESCAPE);
        if (outcome.kind === 'more') {
          if (len - pos <= MAX_RECORD_BYTES && !eof) break; // a quoted newline: wait for more bytes
          // No end within the limit: the record is cut at the end of its first physical line.
          if (nl < 0 || nl - pos > MAX_RECORD_BYTES) {
            // That line alone is over-long: quarantined truncated, its tail skipped.
            malformed(b, pos, pos + MAX_RECORD_BYTES, line, `record longer than ${MAX_RECORD_BYTES} bytes (quarantined text truncated)`);
            if (nl < 0) {
              skipping = true;
              return len;
            }
            pos = nl + 1;
            line++;
            continue;
          }
          outcome = cutLine(b, pos, len, eof, `quoted field not closed within ${MAX_RECORD_BYTES} bytes`);
          if (outcome.kind === 'more') break;
        }
        pos = outcome.next;
        line += b[pos - 1] === NL ? 1 : 0;
        if (outcome.kind === 'malformed') {
          malformed(b, start, outcome.end, recordLine, outcome.reason);
          continue;
        }
        line += outcome.newlines;
        if (outcome.newlines > 0) multiline++;
        end = outcome.end;
      } else {
        end = stop > pos && b[stop - 1] === CR ? stop - 1 : stop;
        pos = nl < 0 ? len : nl + 1;
        if (nl >= 0) line++;
        // A CR that does not end the line: DuckDB's reader (new_line '\n', strict) would stop at
        // it and fail the whole file. One search per CR, so LF files pay one search per buffer.
        if (nextCr >= 0 && nextCr < start) nextCr = b.indexOf(CR, start);
        loneCr = nextCr >= 0 && nextCr < end;
      }
      if (end === start) continue; // a blank line is not a record
      if (end - start > MAX_RECORD_BYTES) {
        malformed(b, start, start + MAX_RECORD_BYTES, recordLine, `record longer than ${MAX_RECORD_BYTES} bytes (quarantined text truncated)`);
        continue;
      }
      if (loneCr) {
        malformed(b, start, end, recordLine, csv ? LONE_CR_CSV : LONE_CR_LINE);
        continue;
      }
      if (!headerSeen) {
        headerSeen = true;
        const header = text(b, start, end);
        let fields: string[] | Error;
        try {
          fields = parseCsvFields(header, String.fromCharCode(DELIM), String.fromCharCode(QUOTE), String.fromCharCode(ESCAPE));
        } catch (e) {
          fields = e as Error;
        }
        fileReason = opts.onHeader?.(fields, header);
        continue;
      }
      if (fileReason !== undefined) {
        reject(recordLine, b, start, end, fileReason);
        continue;
      }
      if (checkUtf8 && !isUtf8(b.subarray(start, end))) {
        reject(recordLine, b, start, end, notUtf8Reason(NOT_UTF8, b, start, end));
        continue;
      }
      if (!csv) {
        const reason = checkJsonLine(b, start, end, numbers);
        if (reason !== undefined) {
          reject(recordLine, b, start, end, reason);
          continue;
        }
      }
      records++;
      written++;
      if (!csv) {
        // Two quotes, up to 7 digits and a comma for each rewritten number.
        const size = end - start + numbers.count * 10;
        if (!out.room(size + 40)) await out.flush();
        if (out.room(size + 40)) {
          out.uint(recordLine);
          out.byte(NDJSON_SEPARATOR);
          for (let k = 0; k < numbers.count; k++) {
            if (k > 0) out.byte(COMMA);
            out.uint(numbers.starts[k]);
          }
          out.byte(NDJSON_SEPARATOR);
          out.quoted(b, start, end, numbers);
        } else {
          const starts = Array.from(numbers.starts.subarray(0, numbers.count)).join(',');
          const prefix = Buffer.from(`${recordLine}\x01${starts}\x01`, 'latin1');
          const rec = Buffer.allocUnsafe(prefix.length + size + 1);
          prefix.copy(rec);
          const n = quoteNumbers(b, start, end, numbers, rec, prefix.length);
          rec[n] = NL;
          await out.writeLarge(rec.subarray(0, n + 1));
        }
        continue;
      }
      const size = end - start;
      if (!out.room(size + 40)) await out.flush();
      out.uint(recordLine);
      out.byte(DELIM);
      // The record starts after "<offset><delimiter>", so its offset counts its own digits.
      const fixed = out.position + 1;
      let offset = fixed + 1;
      while (fixed + digitCount(offset) !== offset) offset = fixed + digitCount(offset);
      out.uint(offset);
      out.byte(DELIM);
      if (out.room(size + 1)) {
        out.copy(b, start, end);
        out.byte(NL);
      } else {
        const rec = Buffer.allocUnsafe(size + 1);
        b.copy(rec, 0, start, end);
        rec[size] = NL;
        await out.writeLarge(rec);
      }
    }
    if (rejects.length > 0) {
      const batch = rejects;
      rejects = [];
      await opts.onRejects(batch);
    }
    return pos;
  };

  let bytes = 0;
  let unreadable: ScanResult['unreadable'];
  try {
    let carry: Buffer | undefined;
    try {
      for await (const chunk of opts.input) {
        bytes += chunk.length;
        const b = carry ? Buffer.concat([carry, chunk]) : chunk;
        const pos = await consume(b, false);
        carry = pos < b.length ? Buffer.from(b.subarray(pos)) : undefined;
      }
    } catch (e) {
      if (!(e instanceof UnreadableFileError)) throw e;
      // Reading stops: what is carried is the start of a record the file does not finish.
      const rest = skipping || !carry ? Buffer.alloc(0) : carry.subarray(0, Math.min(carry.length, MAX_RECORD_BYTES));
      unreadable = { problem: e.problem, rest: entryOf(line, rest, 0, rest.length, e.problem) };
      carry = undefined;
    }
    while (carry) {
      const pos = await consume(carry, true);
      carry = pos < carry.length ? carry.subarray(pos) : undefined;
    }
    await out.close();
  } finally {
    await fh.close();
  }
  return { records, written, rejected, bytes, multiline, ...(unreadable ? { unreadable } : {}) };
}
