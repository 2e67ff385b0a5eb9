/**
 * Reads the first pass's intermediate format back, record by record, as it is produced (the
 * big-file route's staging) or from the file (the function, when a source turned out unreadable
 * and every record it read is quarantined): `<line><delimiter><offset><delimiter><record>\n` for
 * CSV, `<line>\x01<numbers>\x01<record>\n` for NDJSON (scan.ts).
 */
import { createReadStream } from 'node:fs';
import { scanRecord } from './csv';
import { RFC_4180, type CsvFormat } from './dialect';
import { NDJSON_SEPARATOR, type ByteSink } from './scan';

/** One record: its line, its bytes `b[start..end)` and, for NDJSON, where its numbers were quoted (json.ts). */
export type RecordHandler = (line: number, b: Buffer, start: number, end: number, numbers: string | undefined) => Promise<void>;

/** A ByteSink that parses the intermediate bytes written to it and hands over each record. */
export class IntermediateParser implements ByteSink {
  private carry: Buffer | undefined;
  private readonly csv: boolean;
  private readonly dialect: CsvFormat;
  constructor(
    format: 'csv' | 'ndjson',
    private readonly onRecord: RecordHandler,
    dialect: CsvFormat = RFC_4180,
  ) {
    this.csv = format === 'csv';
    this.dialect = dialect;
  }

  async write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }> {
    // Copied: the scanner reuses its buffer once this promise settles.
    const chunk = Buffer.from(data.subarray(offset, offset + length));
    const b = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const used = await this.consume(b, false);
    this.carry = used < b.length ? b.subarray(used) : undefined;
    return { bytesWritten: length };
  }

  async close(): Promise<void> {
    if (this.carry) {
      const used = await this.consume(this.carry, true);
      if (used < this.carry.length) throw new Error('the intermediate records end in the middle of a record');
      this.carry = undefined;
    }
  }

  private async consume(b: Buffer, eof: boolean): Promise<number> {
    const { delimiter, quote, escape } = this.dialect;
    let pos = 0;
    while (pos < b.length) {
      const sep = b.indexOf(this.csv ? delimiter : NDJSON_SEPARATOR, pos);
      if (sep < 0) break;
      const line = Number(b.toString('latin1', pos, sep));
      let start = sep + 1;
      if (this.csv) {
        const afterOffset = b.indexOf(delimiter, start);
        if (afterOffset < 0) break;
        start = afterOffset + 1; // past the offset, which only the function's quarantine needs
        const outcome = scanRecord(b, start, b.length, eof, delimiter, quote, escape);
        if (outcome.kind === 'more') break;
        if (outcome.kind === 'malformed') throw new Error(`the first pass let through a malformed record (line ${line}): ${outcome.reason}`);
        await this.onRecord(line, b, start, outcome.end, undefined);
        pos = outcome.next;
      } else {
        const sep2 = b.indexOf(NDJSON_SEPARATOR, start);
        const nl = b.indexOf(0x0a, start);
        if (nl < 0 || sep2 < 0) break;
        await this.onRecord(line, b, sep2 + 1, nl, sep2 > start ? b.toString('latin1', start, sep2) : undefined);
        pos = nl + 1;
      }
    }
    return pos;
  }
}

/** Reads an intermediate file, handing over each record in file (line) order. */
export async function readIntermediate(path: string, format: 'csv' | 'ndjson', onRecord: RecordHandler, dialect?: CsvFormat): Promise<void> {
  const parser = new IntermediateParser(format, onRecord, dialect);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    await parser.write(b, 0, b.length);
  }
  await parser.close();
}
