/** Reading a text file a line at a time, synchronously, through a fixed buffer. */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';

/** The file's lines (without their newline), read in 1 MiB chunks. */
export function* readLinesSync(file: string, chunkBytes = 1 << 20): Generator<string> {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(chunkBytes);
  const decoder = new StringDecoder('utf8'); // keeps a character split across two chunks whole
  let rest = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) yield line;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    fs.closeSync(fd);
  }
}
