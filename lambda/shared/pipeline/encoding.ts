/**
 * A file's character encoding, detected and transcoded to UTF-8 before the first pass (scan.ts),
 * on both routes and locally. Line structure is kept (a line feed stays a line feed), so line
 * numbers are the file's own.
 *
 * - A byte-order mark decides, whatever the dataset declares: `EF BB BF` UTF-8 (the first pass
 *   skips it), `FF FE` UTF-16 LE, `FE FF` UTF-16 BE; a UTF-32 mark makes the file unreadable.
 * - Without one, the declared encoding: UTF-8 (passed through untouched: a record that is not
 *   valid UTF-8 is quarantined by the first pass, byte for byte), Windows-1252 or Latin-1
 *   (ISO-8859-1; every byte is a character, so these never fail). A UTF-8 dataset whose file
 *   starts like UTF-16 without a mark (`41 00 42 00`) is unreadable, and the reason says so.
 * - UTF-16 that cannot be decoded (an unpaired surrogate, an odd number of bytes) makes the file
 *   unreadable (`UnreadableFileError`, with the byte offset): the caller quarantines it whole.
 *
 * Memory: one input chunk and its output (at most 1.5× the chunk for UTF-16, 3× for Windows-1252).
 */
import type { TextEncoding } from '../dataset';

/** The encoding a file was read with. */
export type DetectedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin-1';

/**
 * A file that cannot be read at all (corrupt or truncated gzip, undecodable text). `problem` says
 * what was found and where (a byte offset); the callers quarantine the whole file with it.
 */
export class UnreadableFileError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'UnreadableFileError';
  }
}

/** Byte offsets in messages: grouped by thousands (`1,048,576`). */
export const byteOffset = (n: number): string => n.toLocaleString('en-US');
const hexByte = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** Windows-1252 bytes 0x80–0x9F (WHATWG's index; the five undefined bytes map to the C1 controls). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Code points of the bytes 0x80–0xFF of a single-byte encoding. */
function highTable(encoding: 'windows-1252' | 'latin-1'): Uint16Array {
  const t = new Uint16Array(128);
  for (let i = 0; i < 128; i++) t[i] = 0x80 + i;
  if (encoding === 'windows-1252') WINDOWS_1252_HIGH.forEach((cp, i) => (t[i] = cp));
  return t;
}

/** A single-byte encoding to UTF-8; ASCII-only input is returned as it is. */
export function singleByteToUtf8(src: Buffer, table: Uint16Array): Buffer {
  const n = src.length;
  let i = 0;
  while (i < n && src[i] < 0x80) i++;
  if (i === n) return src;
  const out = Buffer.allocUnsafe(i + (n - i) * 3);
  src.copy(out, 0, 0, i);
  let o = i;
  for (; i < n; i++) {
    const b = src[i];
    if (b < 0x80) {
      out[o++] = b;
      continue;
    }
    const cp = table[b - 0x80];
    if (cp < 0x800) {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    }
  }
  return out.subarray(0, o);
}

/** Streaming UTF-16 → UTF-8 with exact byte offsets for what cannot be decoded. */
class Utf16Decoder {
  /** Bytes of the file consumed before the current chunk. */
  private offset: number;
  private odd: number | undefined;
  /** A high surrogate waiting for its low half, and where it started. */
  private high = -1;
  private highAt = 0;
  /**
   * @param skip bytes at the start of the file that are not text (the byte-order mark)
   */
  constructor(
    private readonly le: boolean,
    private skip: number,
  ) {
    this.offset = 0;
  }

  private get label(): string {
    return this.le ? 'UTF-16 LE' : 'UTF-16 BE';
  }

  /**
   * Set when the chunk held what cannot be decoded: `decode` returns the text before it, and the
   * caller throws this after handing that text on (the records before the problem are read).
   */
  failure: UnreadableFileError | undefined;

  decode(input: Buffer): Buffer {
    let chunk = input;
    if (this.skip > 0) {
      const n = Math.min(this.skip, chunk.length);
      this.skip -= n;
      this.offset += n;
      chunk = chunk.subarray(n);
    }
    let src = chunk;
    let base = this.offset; // file offset of src[0]
    if (this.odd !== undefined) {
      src = Buffer.concat([Buffer.from([this.odd]), chunk]);
      base -= 1;
      this.odd = undefined;
    }
    this.offset += chunk.length;
    const even = src.length & ~1;
    if (even < src.length) this.odd = src[even];
    const out = Buffer.allocUnsafe(even * 2 + 4);
    let o = 0;
    for (let i = 0; i < even; i += 2) {
      const u = this.le ? src[i] | (src[i + 1] << 8) : (src[i] << 8) | src[i + 1];
      if (this.high >= 0) {
        if (u < 0xdc00 || u > 0xdfff) {
          this.failure = this.unpaired(this.high, this.highAt);
          return out.subarray(0, o);
        }
        const cp = 0x10000 + ((this.high - 0xd800) << 10) + (u - 0xdc00);
        out[o++] = 0xf0 | (cp >> 18);
        out[o++] = 0x80 | ((cp >> 12) & 0x3f);
        out[o++] = 0x80 | ((cp >> 6) & 0x3f);
        out[o++] = 0x80 | (cp & 0x3f);
        this.high = -1;
      } else if (u < 0x80) {
        out[o++] = u;
      } else if (u < 0x800) {
        out[o++] = 0xc0 | (u >> 6);
        out[o++] = 0x80 | (u & 0x3f);
      } else if (u >= 0xd800 && u <= 0xdbff) {
        this.high = u;
        this.highAt = base + i;
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        this.failure = this.unpaired(u, base + i);
        return out.subarray(0, o);
      } else {
        out[o++] = 0xe0 | (u >> 12);
        out[o++] = 0x80 | ((u >> 6) & 0x3f);
        out[o++] = 0x80 | (u & 0x3f);
      }
    }
    return out.subarray(0, o);
  }

  end(): void {
    if (this.high >= 0) throw this.unpaired(this.high, this.highAt);
    if (this.odd !== undefined) {
      throw new UnreadableFileError(`${this.label}: the file ends in the middle of a character (an odd number of bytes, ${byteOffset(this.offset)}) at byte ${byteOffset(this.offset - 1)}`);
    }
  }

  private unpaired(unit: number, at: number): UnreadableFileError {
    return new UnreadableFileError(`${this.label}: an unpaired surrogate 0x${unit.toString(16).toUpperCase()} at byte ${byteOffset(at)}, which no text can hold`);
  }
}

/** Does the start of a file without a byte-order mark look like UTF-16 (every second byte zero)? */
function looksUtf16(head: Buffer): 'LE' | 'BE' | undefined {
  if (head.length < 4) return undefined;
  if (head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0) return 'LE';
  if (head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0) return 'BE';
  return undefined;
}

/**
 * The first `n` bytes of a stream (fewer if it is shorter), and the whole stream again from its
 * start: how the gzip and encoding detections look ahead without holding more than a chunk.
 */
export async function peekStream(body: AsyncIterable<Buffer | Uint8Array>, n: number): Promise<{ first: Buffer; all: AsyncGenerator<Buffer> }> {
  const it = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else {
      head.push(Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value));
      size += r.value.length;
    }
  }
  const first = head.length === 1 ? head[0] : Buffer.concat(head);
  const all = async function* () {
    if (first.length > 0) yield first;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
  };
  return { first, all: all() };
}

/** Reads a file's bytes as UTF-8, transcoding from what its byte-order mark or declaration says. */
export class Transcoder {
  /** Set once the first bytes have been read. */
  encoding: DetectedEncoding | undefined;
  constructor(private readonly declared: TextEncoding = 'utf-8') {}

  async *transcode(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const { first, all } = await peekStream(input, 4);
    const encoding = this.detect(first);
    this.encoding = encoding;
    if (encoding === 'utf-8') {
      yield* all;
      return;
    }
    if (encoding === 'windows-1252' || encoding === 'latin-1') {
      const table = highTable(encoding);
      for await (const chunk of all) yield singleByteToUtf8(chunk, table);
      return;
    }
    const decoder = new Utf16Decoder(encoding === 'utf-16le', 2);
    for await (const chunk of all) {
      yield decoder.decode(chunk);
      if (decoder.failure) throw decoder.failure;
    }
    decoder.end();
  }

  private detect(first: Buffer): DetectedEncoding {
    const b = first;
    if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) throw utf32('LE', 'FF FE 00 00');
    if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) throw utf32('BE', '00 00 FE FF');
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
    if (this.declared === 'utf-8') {
      const utf16 = looksUtf16(b);
      if (utf16) {
        throw new UnreadableFileError(
          `the file looks UTF-16 ${utf16} without a byte-order mark (bytes ${[...b.subarray(0, 4)].map(hexByte).join(' ')} at byte 0): save it as UTF-8, or as UTF-16 with a byte-order mark`,
        );
      }
    }
    return this.declared;
  }
}

function utf32(order: 'LE' | 'BE', mark: string): UnreadableFileError {
  return new UnreadableFileError(`the file is UTF-32 ${order} (byte-order mark ${mark} at byte 0), which is not read: save it as UTF-8 or UTF-16`);
}

/**
 * Where the first byte that is not valid UTF-8 is in `b[start..end)`, relative to `start`, and
 * which byte it is; undefined when the range is valid UTF-8.
 */
export function firstInvalidUtf8(b: Uint8Array, start: number, end: number): { at: number; byte: number } | undefined {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    // Continuation bytes that follow the lead byte, and the smallest code point that needs them.
    const [n, min] = c >= 0xc2 && c <= 0xdf ? [1, 0x80] : c >= 0xe0 && c <= 0xef ? [2, 0x800] : c >= 0xf0 && c <= 0xf4 ? [3, 0x10000] : [0, 0];
    if (n === 0) return { at: i - start, byte: c };
    if (i + n >= end) return { at: i - start, byte: c };
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if ((d & 0xc0) !== 0x80) return { at: i - start, byte: c };
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { at: i - start, byte: c };
    i += n + 1;
  }
  return undefined;
}

/** The reason a record that is not valid UTF-8 is quarantined with: what was found, where, and the likely fix. */
export function notUtf8Reason(prefix: string, b: Uint8Array, start: number, end: number): string {
  const bad = firstInvalidUtf8(b, start, end);
  const where = bad ? `: byte ${hexByte(bad.byte)} at byte ${byteOffset(bad.at)} of the record` : '';
  return `${prefix}${where} (a Windows-1252 or Latin-1 file? declare encoding: 'windows-1252' or 'latin-1')`;
}

/**
 * The one reason every entry of an unreadable file is quarantined with: the file, the problem and
 * where it is (both routes, the same words).
 */
export function unreadableReason(source: string, problem: string): string {
  return `unreadable file ${source}: ${problem}; the whole file is quarantined and nothing of it is published`;
}
