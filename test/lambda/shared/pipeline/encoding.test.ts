import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Transcoder, UnreadableFileError, firstInvalidUtf8, singleByteToUtf8 } from '../../../../lambda/shared/pipeline/encoding';
import { decompressed, sourceText } from '../../../../lambda/shared/pipeline/scan';

/** Transcodes `bytes` fed in `chunk`-byte pieces; returns the UTF-8 text and the detected encoding. */
async function transcode(bytes: Buffer, declared?: 'utf-8' | 'windows-1252' | 'latin-1', chunk = bytes.length || 1): Promise<{ text: string; encoding?: string }> {
  const pieces = async function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  };
  const t = new Transcoder(declared);
  const out: Buffer[] = [];
  for await (const b of t.transcode(pieces())) out.push(b);
  return { text: Buffer.concat(out).toString('utf8'), encoding: t.encoding };
}

async function unreadable(bytes: Buffer, declared?: 'utf-8' | 'windows-1252' | 'latin-1', chunk?: number): Promise<string> {
  try {
    await transcode(bytes, declared, chunk);
  } catch (e) {
    if (e instanceof UnreadableFileError) return e.problem;
    throw e;
  }
  throw new Error('expected the file to be unreadable');
}

const TEXT = 'id;name\r\n1;Zoë € “quoted” 🚀\n2;ñ\n';

describe('transcoding to UTF-8', () => {
  test('UTF-8 passes through untouched, a BOM included (the first pass skips it)', async () => {
    const bytes = Buffer.from('\ufeff' + TEXT);
    expect(await transcode(bytes)).toEqual({ text: '\ufeff' + TEXT, encoding: 'utf-8' });
  });

  test.each([1, 2, 3, 7, 1000])('UTF-16 LE and BE with a byte-order mark are detected and decoded, cut every %i bytes', async (chunk) => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    expect(await transcode(le, 'utf-8', chunk)).toEqual({ text: TEXT, encoding: 'utf-16le' });
    expect(await transcode(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'windows-1252', chunk)).toEqual({ text: TEXT, encoding: 'utf-16be' });
  });

  test('Windows-1252 and Latin-1 decode every byte as declared (0x80 is € in one, U+0080 in the other)', async () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9, 0x0a, 0x81]);
    expect(await transcode(bytes, 'windows-1252')).toEqual({ text: '€ “q” é\n\u0081', encoding: 'windows-1252' });
    expect(await transcode(bytes, 'latin-1')).toEqual({ text: '\u0080 \u0093q\u0094 é\n\u0081', encoding: 'latin-1' });
    // Every byte maps to one character, so the text round-trips to the same bytes.
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(Buffer.from((await transcode(all, 'latin-1')).text, 'latin1')).toEqual(all);
  });

  test('ASCII input is returned as it is (no copy)', () => {
    const ascii = Buffer.from('a,b\n1,2\n');
    expect(singleByteToUtf8(ascii, new Uint16Array(128))).toBe(ascii);
  });

  test('line feeds stay where they were: the same line numbers in every encoding', async () => {
    const lines = TEXT.split('\n').length;
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), Buffer.from(TEXT)]) {
      expect((await transcode(bytes)).text.split('\n')).toHaveLength(lines);
    }
  });
});

describe('files that cannot be decoded are unreadable, with what was found and where', () => {
  test('UTF-16 without a byte-order mark, in a UTF-8 dataset', async () => {
    expect(await unreadable(Buffer.from('id,name\n', 'utf16le'))).toBe(
      'the file looks UTF-16 LE without a byte-order mark (bytes 0x69 0x00 0x64 0x00 at byte 0): save it as UTF-8, or as UTF-16 with a byte-order mark',
    );
    expect(await unreadable(Buffer.from('id,name\n', 'utf16le').swap16())).toMatch(/^the file looks UTF-16 BE without a byte-order mark/);
  });

  test('UTF-32 byte-order marks', async () => {
    expect(await unreadable(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toBe('the file is UTF-32 LE (byte-order mark FF FE 00 00 at byte 0), which is not read: save it as UTF-8 or UTF-16');
  });

  test.each([1, 3, 1000])('UTF-16 with an unpaired surrogate or an odd length, cut every %i bytes', async (chunk) => {
    // BOM, 'A', a lone high surrogate (byte 4), 'B'.
    expect(await unreadable(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x3d, 0xd8, 0x42, 0x00]), undefined, chunk)).toBe('UTF-16 LE: an unpaired surrogate 0xD83D at byte 4, which no text can hold');
    expect(await unreadable(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0xdc, 0x00]), undefined, chunk)).toBe('UTF-16 BE: an unpaired surrogate 0xDC00 at byte 4, which no text can hold');
    expect(await unreadable(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]), undefined, chunk)).toBe('UTF-16 LE: the file ends in the middle of a character (an odd number of bytes, 5) at byte 4');
  });
});

describe('gzip that cannot be read is unreadable; a short transport is not', () => {
  const body = Buffer.from('a,b\n1,2\n'.repeat(50_000));
  const gz = gzipSync(body);

  async function read(bytes: Buffer, expectedBytes?: number): Promise<Buffer> {
    const { stream } = await decompressed(Readable.from([bytes]), { expectedBytes });
    const out: Buffer[] = [];
    for await (const b of stream) out.push(b);
    return Buffer.concat(out);
  }

  test('a whole gzip file decompresses', async () => {
    // Buffer#equals: jest's deep equality compares 400 KB element by element.
    expect((await read(gz, gz.length)).equals(body)).toBe(true);
  });

  test('a truncated gzip names the end of the file', async () => {
    await expect(read(gz.subarray(0, gz.length - 9))).rejects.toThrow(
      new UnreadableFileError(`the gzip data ends before its stream does (the file is truncated) at compressed byte ${(gz.length - 9).toLocaleString('en-US')}, the end of the file`),
    );
  });

  test('corrupt gzip data names the compressed bytes it lies in', async () => {
    const corrupt = Buffer.from(gz);
    for (let i = 20; i < 40; i++) corrupt[i] ^= 0x5a;
    await expect(read(corrupt)).rejects.toThrow(/^the gzip data is corrupt \(zlib: .+\) in compressed bytes 0–[0-9,]+$/);
  });

  test('a source that gives fewer bytes than the object has fails as a transport error, not an unreadable file', async () => {
    const error = await read(gz.subarray(0, 100), gz.length).catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(UnreadableFileError);
    expect(String(error)).toMatch(/gave 100 bytes of the object's [0-9]+: not the whole object/);
  });

  test('sourceText: gzip, then the encoding', async () => {
    const utf16 = gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x;y\n', 'utf16le')]));
    const src = await sourceText(Readable.from([utf16]));
    const out: Buffer[] = [];
    for await (const b of src.stream) out.push(b);
    expect({ text: Buffer.concat(out).toString(), gzip: src.gzip, encoding: src.encoding() }).toEqual({ text: 'x;y\n', gzip: true, encoding: 'utf-16le' });
  });
});

describe('firstInvalidUtf8', () => {
  test.each<[string, number[], { at: number; byte: number } | undefined]>([
    ['valid text', [...Buffer.from('aé€🚀')], undefined],
    ['a lone continuation byte', [0x61, 0x80], { at: 1, byte: 0x80 }],
    ['an overlong encoding', [0xc0, 0xaf], { at: 0, byte: 0xc0 }],
    ['a surrogate', [0xed, 0xa0, 0x80], { at: 0, byte: 0xed }],
    ['a truncated sequence', [0x61, 0xe2, 0x82], { at: 1, byte: 0xe2 }],
    ['Windows-1252 é', [0x43, 0x61, 0x66, 0xe9], { at: 3, byte: 0xe9 }],
  ])('%s', (_name, bytes, expected) => {
    const b = Buffer.from(bytes);
    expect(firstInvalidUtf8(b, 0, b.length)).toEqual(expected);
    expect(firstInvalidUtf8(b, 0, b.length) === undefined).toBe(isUtf8(b));
  });
});
