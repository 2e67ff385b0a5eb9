/**
 * The quarantine file: NDJSON, one line per rejected record, in source line order —
 * `{"line":<1-based line in the source>,"record":"<original text>","reasons":["column x: …"],"source":"s3://…"}`,
 * plus `"recordBase64":"<the original bytes>"` when the record is not valid UTF-8 (its `record`
 * then holds U+FFFD where bytes could not be decoded): a steward recovers it byte for byte.
 * Written lazily, so a file without bad records leaves no quarantine file behind.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** About how much text (characters) the writer collects before one stream write; also the stream's buffer (bytes). */
const WRITE_BUFFER_BYTES = 1 << 20;
/** Entries the merge collects before handing them to the writer. */
const MERGE_BATCH_ENTRIES = 4096;

export interface QuarantineEntry {
  readonly line: number;
  readonly text: string;
  readonly reasons: readonly string[];
  /** The original bytes, base64, when they are not valid UTF-8 (`text` is then lossy). */
  readonly bytes?: string;
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
    await this.writeAll([entry]);
  }

  /**
   * Writes entries as a few large stream writes (per-record writes cost more than the JSON);
   * a write is issued at every WRITE_BUFFER_BYTES of text, so memory stays bounded.
   */
  async writeAll(entries: Iterable<QuarantineEntry>): Promise<void> {
    if (this.failure) throw this.failure;
    let text = '';
    for (const e of entries) {
      const line = { line: e.line, record: e.text, reasons: e.reasons, source: this.source };
      text += JSON.stringify(e.bytes === undefined ? line : { ...line, recordBase64: e.bytes }) + '\n';
      this.count++;
      if (text.length >= WRITE_BUFFER_BYTES) {
        await this.put(text);
        text = '';
      }
    }
    if (text !== '') await this.put(text);
  }

  private async put(text: string): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path, { highWaterMark: WRITE_BUFFER_BYTES });
      this.out.on('error', (e) => (this.failure = e));
    }
    if (!this.out.write(text)) await once(this.out, 'drain');
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

/** Reads a quarantine file back, in file order. */
export async function* readQuarantine(path: string): AsyncGenerator<QuarantineEntry> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const l of lines) {
    if (l === '') continue;
    const o = JSON.parse(l) as { line: number; record: string; reasons: string[]; recordBase64?: string };
    yield o.recordBase64 === undefined ? { line: o.line, text: o.record, reasons: o.reasons } : { line: o.line, text: o.record, reasons: o.reasons, bytes: o.recordBase64 };
  }
}

/**
 * Merges two streams of quarantine entries, each in line order, into one writer: the records
 * the first pass rejected (already in a file) and those DuckDB found bad (pushed in batches).
 */
export class QuarantineMerge {
  private readonly early: AsyncIterator<QuarantineEntry> | undefined;
  private next: QuarantineEntry | undefined;
  private started = false;
  /** Entries pushed by the caller (not from the early file). */
  pushed = 0;

  private renamed = false;
  /** Merged entries not yet handed to the writer (at most MERGE_BATCH_ENTRIES). */
  private batch: QuarantineEntry[] = [];

  /**
   * @param earlyReasons when set, the early entries are written with these reasons instead of
   *   their own (a file quarantined whole carries one reason on every entry)
   */
  constructor(
    private readonly out: QuarantineWriter,
    private readonly earlyFile: { readonly path: string; readonly count: number } | undefined,
    private readonly earlyReasons?: readonly string[],
  ) {
    this.early = earlyFile ? readQuarantine(earlyFile.path)[Symbol.asyncIterator]() : undefined;
  }

  /** Lines in the quarantine file (complete once closed). */
  get written(): number {
    return this.renamed ? this.earlyFile!.count : this.out.count;
  }

  private async add(entry: QuarantineEntry): Promise<void> {
    this.batch.push(entry);
    if (this.batch.length >= MERGE_BATCH_ENTRIES) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    await this.out.writeAll(batch);
  }

  private async drainBefore(line: number): Promise<void> {
    if (!this.early) return;
    if (!this.started) {
      this.started = true;
      this.next = (await this.early.next()).value;
    }
    while (this.next && this.next.line < line) {
      await this.add(this.earlyReasons ? { ...this.next, reasons: this.earlyReasons } : this.next);
      const r = await this.early.next();
      this.next = r.done ? undefined : r.value;
    }
  }

  /** Writes a batch of entries in line order (and every earlier early entry first). */
  async writeAll(entries: readonly QuarantineEntry[]): Promise<void> {
    for (const e of entries) {
      await this.drainBefore(e.line);
      await this.add(e);
      this.pushed++;
    }
    await this.flush();
  }

  /** Writes what is left and closes; returns the quarantine file's path, or undefined when empty. */
  async close(): Promise<string | undefined> {
    if (this.pushed === 0 && this.earlyFile && !this.earlyReasons) {
      // Nothing to merge: the early file is the quarantine file.
      await this.out.close();
      await this.early?.return?.();
      await rename(this.earlyFile.path, this.out.path);
      this.renamed = true;
      return this.out.path;
    }
    await this.drainBefore(Infinity);
    await this.flush();
    return this.out.close();
  }
}
