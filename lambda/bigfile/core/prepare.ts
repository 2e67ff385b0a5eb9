/**
 * The big-file route's first step: turns a raw file too big for the transform function into
 * staging records Athena can check, without holding the file on disk or in memory.
 *
 * It runs the function's own first pass (`scanToIntermediate`: gunzip, strict RFC 4180 record
 * boundaries, line numbers, header check, early rejects) with a sink instead of an intermediate
 * file, and writes each record as one JSON object — gzip-compressed parts of up to `partBytes`:
 *
 *   {"l": <line>, "o": "<original text>", "r": "<reason>", "c0": "<text>", …, "x3": true}
 *
 * - `l` the line the record starts on, `o` its original text (quoted in the quarantine file);
 * - `r` a reason when the record is already known to be bad: what the first pass rejects, and what
 *   DuckDB's reader would reject in the function (wrong number of CSV fields, invalid UTF-8),
 *   and for NDJSON a line that is not JSON or not an object — with the function's wording;
 * - `c<i>` the text of the contract's i-th column (absent: NULL), as the function's DuckDB
 *   passes see it (CSV: the field, an empty one is NULL; NDJSON: see json-values.ts);
 * - `x<i>` (NDJSON) true when the value is an object or array.
 * Athena then applies the contract's rules to the texts (sql.ts).
 */
import { isUtf8 } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import type { DatasetContract } from '../../shared/dataset';
import { parseCsvFields, scanRecord } from '../../transform/core/csv';
import { DRIFT_SAMPLE_LINES, effectiveColumns, type CsvLayout } from '../../transform/core/plan';
import type { QuarantineEntry } from '../../transform/core/quarantine';
import { REASON_SEPARATOR } from '../../transform/core/rules';
import { NDJSON_SEPARATOR, NOT_UTF8, scanToIntermediate, type ByteSink } from '../../transform/core/scan';
import { matchHeader } from '../../transform/core/header';
import { parseJsonRecord } from './json-values';

/** Uncompressed bytes per staging part: one Athena split each (gzip is not splittable). */
export const DEFAULT_PART_BYTES = 64 * 1024 * 1024;

/** One staging record (what each JSON line holds). */
export interface StagingRecord {
  readonly l: number;
  readonly o: string;
  readonly r?: string;
  readonly [column: `c${number}`]: string | undefined;
}

export interface PrepareInput {
  readonly contract: DatasetContract;
  /** The source's bytes, decompressed. */
  readonly input: AsyncIterable<Buffer>;
  /** Stores one gzip-compressed part (`part-00000.json.gz`, …); awaited before more is read. */
  readonly putPart: (name: string, body: Buffer) => Promise<void>;
  /** @default DEFAULT_PART_BYTES */
  readonly partBytes?: number;
}

export interface PrepareResult {
  /** Data records (the header and blank lines are not records). */
  readonly rowsIn: number;
  /** Records already known to be bad (`r` set). */
  readonly rejected: number;
  readonly bytesDecompressed: number;
  readonly parts: readonly string[];
  /** Columns (CSV header names, NDJSON keys of the first lines) the contract does not know. */
  readonly driftColumns: string[];
  /** Contract columns the file does not have. */
  readonly missingColumns: string[];
}

const utf8 = new TextDecoder('utf-8');

/** Collects JSON lines into gzip parts. */
class PartWriter {
  private lines: string[] = [];
  private size = 0;
  readonly parts: string[] = [];
  constructor(
    private readonly put: (name: string, body: Buffer) => Promise<void>,
    private readonly partBytes: number,
  ) {}

  async add(record: StagingRecord): Promise<void> {
    const line = JSON.stringify(record);
    this.lines.push(line);
    this.size += line.length + 1;
    if (this.size >= this.partBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const name = `part-${String(this.parts.length).padStart(5, '0')}.json.gz`;
    const body = gzipSync(Buffer.from(this.lines.join('\n') + '\n', 'utf8'));
    this.lines = [];
    this.size = 0;
    this.parts.push(name);
    await this.put(name, body);
  }
}

export async function prepareStaging(input: PrepareInput): Promise<PrepareResult> {
  const { contract } = input;
  const csv = contract.format === 'csv';
  const columns = effectiveColumns(contract);
  const writer = new PartWriter(input.putPart, input.partBytes ?? DEFAULT_PART_BYTES);
  let layout: CsvLayout | undefined;
  let drift: string[] = [];
  let missing: string[] = [];
  let rejected = 0;
  const sampledKeys = new Set<string>();
  let sampled = false;

  const bad = async (line: number, text: string, reason: string) => {
    rejected++;
    await writer.add({ l: line, o: text, r: reason });
  };

  /** One record the first pass accepted: its bytes in `b[start..end)`. */
  const record = async (line: number, b: Buffer, start: number, end: number) => {
    const bytes = b.subarray(start, end);
    const text = utf8.decode(bytes);
    // (CSV only: the first pass rejects an NDJSON line that is not UTF-8.)
    if (csv && !isUtf8(bytes)) return bad(line, text, NOT_UTF8);
    const out: Record<string, unknown> = { l: line, o: text };
    if (csv) {
      const fields = parseCsvFields(text);
      if (fields.length !== layout!.fieldCount) return bad(line, text, `malformed CSV: ${fields.length} fields, the header has ${layout!.fieldCount}`);
      columns.forEach((col, i) => {
        const at = layout!.fieldOf.get(col.name);
        const value = at === undefined ? '' : fields[at];
        if (value !== '') out[`c${i}`] = value;
      });
    } else {
      const parsed = parseJsonRecord(text);
      if (!parsed.ok) return bad(line, text, parsed.reason);
      if (line <= DRIFT_SAMPLE_LINES) {
        sampled = true;
        for (const k of parsed.values.keys()) sampledKeys.add(k);
      }
      columns.forEach((col, i) => {
        const v = parsed.values.get(col.name);
        if (!v || v.kind === 'null') return;
        out[`c${i}`] = v.text;
        if (v.kind === 'nested') out[`x${i}`] = true;
      });
    }
    await writer.add(out as unknown as StagingRecord);
  };

  const sink = new IntermediateParser(csv, record);
  const scan = await scanToIntermediate({
    format: contract.format,
    input: input.input,
    intermediatePath: '',
    sink,
    onHeader: (fields) => {
      if (fields instanceof Error) return `header is malformed: ${fields.message}`;
      const m = matchHeader(contract, fields);
      layout = m.layout;
      drift = m.drift;
      missing = m.missing;
      return m.fileReason;
    },
    onRejects: async (rejects: QuarantineEntry[]) => {
      for (const r of rejects) await bad(r.line, r.text, r.reasons.join(REASON_SEPARATOR));
    },
  });
  await writer.flush();
  if (!csv && sampled) {
    const known = new Set(contract.columns.map((c) => c.name));
    drift = [...sampledKeys].filter((k) => !known.has(k)).sort();
    missing = contract.columns.filter((c) => !sampledKeys.has(c.name)).map((c) => c.name);
  }
  // The early rejects were counted by the scan too: records = accepted + rejected by the scan.
  return {
    rowsIn: scan.records,
    rejected,
    bytesDecompressed: scan.bytes,
    parts: writer.parts,
    driftColumns: drift,
    missingColumns: missing,
  };
}

type RecordHandler = (line: number, b: Buffer, start: number, end: number) => Promise<void>;

/**
 * Reads the first pass's intermediate format as it is produced (`<line>,<offset>,<record>\n` for
 * CSV, `<line>\x01<record>\n` for NDJSON) and hands over each record.
 */
class IntermediateParser implements ByteSink {
  private carry: Buffer | undefined;
  constructor(
    private readonly csv: boolean,
    private readonly onRecord: RecordHandler,
  ) {}

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
    let pos = 0;
    while (pos < b.length) {
      const sep = b.indexOf(this.csv ? 0x2c : NDJSON_SEPARATOR, pos);
      if (sep < 0) break;
      const line = Number(b.toString('latin1', pos, sep));
      let start = sep + 1;
      if (this.csv) {
        const comma = b.indexOf(0x2c, start);
        if (comma < 0) break;
        start = comma + 1; // past the offset, which only the function's quarantine needs
        const outcome = scanRecord(b, start, b.length, eof);
        if (outcome.kind === 'more') break;
        if (outcome.kind === 'malformed') throw new Error(`the first pass let through a malformed record (line ${line}): ${outcome.reason}`);
        await this.onRecord(line, b, start, outcome.end);
        pos = outcome.next;
      } else {
        const nl = b.indexOf(0x0a, start);
        if (nl < 0) break;
        await this.onRecord(line, b, start, nl);
        pos = nl + 1;
      }
    }
    return pos;
  }
}
