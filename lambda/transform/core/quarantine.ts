/**
 * The quarantine file: NDJSON, one line per rejected record —
 * `{"line":<1-based line in the source>,"record":"<original text>","reasons":["column x: …"],"source":"s3://…"}`.
 * Opened lazily, so a file without bad records leaves no quarantine file behind.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface QuarantineEntry {
  readonly line: number;
  readonly text: string;
  readonly reasons: readonly string[];
}

export class QuarantineWriter {
  private out: WriteStream | undefined;
  private failure: Error | undefined;
  /** Records written so far. */
  count = 0;

  constructor(
    readonly path: string,
    private readonly source: string,
  ) {}

  async write(entry: QuarantineEntry): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.on('error', (e) => (this.failure = e));
    }
    const line = JSON.stringify({ line: entry.line, record: entry.text, reasons: entry.reasons, source: this.source }) + '\n';
    this.count++;
    if (!this.out.write(line)) await once(this.out, 'drain');
  }

  async writeAll(entries: Iterable<QuarantineEntry>): Promise<void> {
    for (const e of entries) await this.write(e);
  }

  /** Closes the file; returns its path, or undefined when nothing was written. */
  async close(): Promise<string | undefined> {
    if (!this.out) return undefined;
    this.out.end();
    await once(this.out, 'finish');
    if (this.failure) throw this.failure;
    return this.path;
  }
}
