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
 * - `l` the line the record starts on, `o` its original text (quoted in the quarantine file), `b`
 *   its original bytes (base64) when they are not valid UTF-8;
 * - `r` a reason when the record is already known to be bad: what the first pass rejects, and what
 *   DuckDB's reader would reject in the function (wrong number of CSV fields, invalid UTF-8),
 *   and for NDJSON a line that is not strict JSON or not an object — with the function's wording;
 * - `c<i>` the text of the contract's i-th column (absent: NULL), as the function's DuckDB
 *   passes see it (CSV: the field, an empty one is NULL; NDJSON: see json-values.ts);
 * - `x<i>` (NDJSON) true when the value is an object or array;
 * - `t<i>` for a column clean holds as a token (`pii: true`): the keyed token of the value a good
 *   row would store (tokens.ts). This step holds the environment's key, so Athena never sees it.
 * Athena then applies the contract's rules to the texts (sql.ts) and keeps `t<i>` for good rows.
 *
 * A source that cannot be read to its end (`unreadable`): every record staged so far stays, the
 * unread rest is staged as one more record, and the convert step quarantines them all with the
 * one file reason (sql.ts `wholeFileQuarantineSelect`), publishing nothing, as the function does.
 */
import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { sourceNameOf, type ColumnDefinition, type DatasetContract } from '../../shared/dataset';
import { parseCsvFields } from '../../shared/pipeline/csv';
import { csvFormatOf, fieldCountReason } from '../../shared/pipeline/dialect';
import { notUtf8Reason, unreadableReason } from '../../shared/pipeline/encoding';
import { IntermediateParser } from '../../shared/pipeline/intermediate';
import { DRIFT_SAMPLE_LINES, effectiveColumns } from '../../shared/pipeline/plan';
import type { QuarantineEntry } from '../../shared/pipeline/quarantine';
import { REASON_SEPARATOR } from '../../shared/pipeline/rules';
import { NOT_UTF8, scanToIntermediate } from '../../shared/pipeline/scan';
import { headerReader, keysDrift } from '../../shared/pipeline/header';
import { restoreNumbers } from '../../shared/pipeline/json';
import { jsonValues } from './json-values';
import { piiTreatment, tokenText, type TokenKey } from '../../shared/pipeline/tokens';

/** Uncompressed bytes per staging part: one Athena split each (gzip is not splittable). */
export const DEFAULT_PART_BYTES = 64 * 1024 * 1024;

export interface PrepareInput {
  readonly contract: DatasetContract;
  /** The source as UTF-8 text bytes (scan.ts `sourceText`: gunzipped, transcoded). */
  readonly input: AsyncIterable<Buffer>;
  /** How the reasons name the source (`s3://…`, keys.ts `sourceUri`). */
  readonly sourceUri: string;
  /** Stores one gzip-compressed part (`part-00000.json.gz`, …); awaited before more is read. */
  readonly putPart: (name: string, body: Buffer) => Promise<void>;
  /** @default DEFAULT_PART_BYTES */
  readonly partBytes?: number;
  /** The environment's PII token key: required when the contract tokenizes a column. @default - none */
  readonly tokenKey?: TokenKey;
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
  /**
   * Set when the source could not be read to its end: the reason every staged record is
   * quarantined with (the unread rest is staged as one more record, counted in rowsIn).
   */
  readonly unreadable?: string;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // a record's own U+FEFF is its text
const gzipAsync = promisify(gzip);

/** gzip level of the staging parts: fast (the step must stream the file in one function run); Athena reads them once or twice. */
const GZIP_LEVEL = 1;

/**
 * Collects JSON lines into gzip parts, as bytes: a part's lines are written into a buffer as they
 * come (holding them as strings until the part is full costs more in garbage collection than all
 * the rest). A full part is compressed (zlib's thread pool) and stored while the next one fills
 * the other buffer; at most one part is in flight.
 */
class PartWriter {
  private buf: Buffer;
  private spare: Buffer;
  private used = 0;
  private inFlight: Promise<void> = Promise.resolve();
  readonly parts: string[] = [];
  constructor(
    private readonly put: (name: string, body: Buffer) => Promise<void>,
    private readonly partBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(partBytes);
    this.spare = Buffer.allocUnsafe(partBytes);
  }

  /** Set while an `add` waits for a flush: other adds (the scan's rejects arrive alongside its records) wait for it. */
  private flushing: Promise<void> | undefined;

  async add(line: string): Promise<void> {
    while (this.flushing) await this.flushing;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = line.length * 3 + 1;
    if (this.used + most > this.buf.length) {
      this.flushing = this.flush().finally(() => (this.flushing = undefined));
      await this.flushing;
      if (most > this.buf.length) {
        // One record longer than a part (possible only with a small partBytes): a part of its own.
        this.buf = Buffer.allocUnsafe(most);
      }
    }
    this.used += this.buf.write(line, this.used, 'utf8');
    this.buf[this.used++] = 0x0a;
  }

  /** Hands the filled part over; waits for the previous one first. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.inFlight;
    const name = `part-${String(this.parts.length).padStart(5, '0')}.json.gz`;
    this.parts.push(name);
    const full = this.buf.subarray(0, this.used);
    const stored = gzipAsync(full, { level: GZIP_LEVEL }).then((body) => this.put(name, body));
    // Awaited by the next flush or close; until then a failure must not count as unhandled.
    stored.catch(() => undefined);
    this.inFlight = stored;
    [this.buf, this.spare] = [this.spare.length >= this.partBytes ? this.spare : Buffer.allocUnsafe(this.partBytes), this.buf];
    this.used = 0;
  }

  /** Flushes and waits until every part is stored. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.flush();
    await this.inFlight;
  }
}

/** The key and the columns to tokenize (indexes into the effective columns). */
interface Tokenizer {
  readonly key: TokenKey;
  readonly columns: ReadonlyArray<{ readonly index: number; readonly col: ColumnDefinition }>;
}

/** One staging record as a JSON line (keys as in the module comment; absent values are left out). */
function stagingLine(line: number, original: string, reason: string | undefined, values: readonly (string | undefined)[], nested?: readonly boolean[], tokens?: Tokenizer, bytes?: string): string {
  let out = `{"l":${line},"o":${JSON.stringify(original)}`;
  if (bytes !== undefined) out += `,"b":"${bytes}"`;
  if (reason !== undefined) out += `,"r":${JSON.stringify(reason)}`;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== undefined) out += `,"c${i}":${JSON.stringify(v)}`;
    if (nested?.[i]) out += `,"x${i}":true`;
  }
  for (const { index, col } of tokens?.columns ?? []) {
    const text = tokenText(col, values[index] ?? null);
    if (text !== null) out += `,"t${index}":"${tokens!.key.token(text)}"`;
  }
  return out + '}';
}

export async function prepareStaging(input: PrepareInput): Promise<PrepareResult> {
  const { contract } = input;
  const csv = contract.format === 'csv';
  const dialect = csvFormatOf(contract.csv);
  const [delimiter, quote, escape] = [dialect.delimiter, dialect.quote, dialect.escape].map((c) => String.fromCharCode(c));
  const columns = effectiveColumns(contract);
  const toTokenize = columns.flatMap((col, index) => (piiTreatment(col) === 'token' ? [{ index, col }] : []));
  if (toTokenize.length > 0 && !input.tokenKey) {
    throw new Error(`${contract.domain}/${contract.dataset} tokenizes ${toTokenize.map((t) => t.col.name).join(', ')} (pii) but no PII token key was given. Fix: pass the environment's key (the function reads it from the secret its environment names).`);
  }
  const tokens: Tokenizer | undefined = toTokenize.length > 0 ? { key: input.tokenKey!, columns: toTokenize } : undefined;
  const writer = new PartWriter(input.putPart, input.partBytes ?? DEFAULT_PART_BYTES);
  const header = headerReader(contract);
  /** CSV: the header field of each contract column (set at the first record). */
  let fieldOf: (number | undefined)[] | undefined;
  let rejected = 0;
  const sampledKeys = new Set<string>();
  let sampled = false;

  const bad = async (line: number, text: string, reason: string, bytes?: string) => {
    rejected++;
    await writer.add(stagingLine(line, text, reason, [], undefined, undefined, bytes));
  };

  /** One record the first pass accepted: its bytes in `b[start..end)` (NDJSON: `numbers` quoted, json.ts). */
  const record = async (line: number, b: Buffer, start: number, end: number, numbers: string | undefined) => {
    const bytes = b.subarray(start, end);
    const text = utf8.decode(bytes);
    // (The first pass rejects a record that is not UTF-8; kept as a guard with the same words.)
    if (!isUtf8(bytes)) return bad(line, text, notUtf8Reason(NOT_UTF8, b, start, end), bytes.toString('base64'));
    const values: (string | undefined)[] = new Array(columns.length);
    if (csv) {
      const layout = header.columns.layout!;
      fieldOf ??= columns.map((c) => layout.fieldOf.get(c.name));
      const fields = parseCsvFields(text, delimiter, quote, escape);
      if (fields.length !== layout.fieldCount) return bad(line, text, fieldCountReason(fields.length, layout.fieldCount, layout.header ?? true));
      for (let i = 0; i < columns.length; i++) {
        const at = fieldOf[i];
        const value = at === undefined ? '' : fields[at];
        values[i] = value === '' ? undefined : value;
      }
      return writer.add(stagingLine(line, text, undefined, values, undefined, tokens));
    }
    const parsed = jsonValues(text);
    if (line <= DRIFT_SAMPLE_LINES) {
      sampled = true;
      for (const k of parsed.keys()) sampledKeys.add(k);
    }
    const nested: boolean[] = new Array(columns.length).fill(false);
    columns.forEach((col, i) => {
      const v = parsed.get(sourceNameOf(col));
      if (!v || v.kind === 'null') return;
      values[i] = v.text;
      nested[i] = v.kind === 'nested';
    });
    return writer.add(stagingLine(line, restoreNumbers(text, numbers), undefined, values, nested, tokens));
  };

  const sink = new IntermediateParser(contract.format, record, dialect);
  const scan = await scanToIntermediate({
    format: contract.format,
    csv: dialect,
    input: input.input,
    intermediatePath: '',
    sink,
    onHeader: header.onHeader,
    onRejects: async (rejects: QuarantineEntry[]) => {
      for (const r of rejects) await bad(r.line, r.text, r.reasons.join(REASON_SEPARATOR), r.bytes);
    },
  });
  let unreadable: string | undefined;
  if (scan.unreadable) {
    unreadable = unreadableReason(input.sourceUri, scan.unreadable.problem);
    const rest = scan.unreadable.rest;
    await bad(rest.line, rest.text, unreadable, rest.bytes);
  }
  await writer.close();
  if (!csv && sampled) Object.assign(header.columns, keysDrift(contract, [...sampledKeys].sort()));
  // The early rejects were counted by the scan too: records = accepted + rejected by the scan.
  return {
    rowsIn: scan.records + (unreadable ? 1 : 0),
    rejected,
    bytesDecompressed: scan.bytes,
    parts: writer.parts,
    driftColumns: header.columns.drift,
    missingColumns: header.columns.missing,
    ...(unreadable ? { unreadable } : {}),
  };
}
