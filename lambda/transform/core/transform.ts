/**
 * Transforms one arrived file: every record ends up either in a clean Parquet file (one per
 * partition value) or in the quarantine file with its line number, original text and reasons.
 * Independent of S3: the caller downloads the source and uploads the outputs.
 *
 * 1. First pass (Node, streaming): gunzip if needed, number records by line, reject what must
 *    not reach DuckDB (quoting errors, a header without required columns, NDJSON that is not
 *    strict JSON or not an object), write the rest to an
 *    intermediate file (see scan.ts).
 * 2. DuckDB checking pass: read the intermediate file with every field as text, type and check
 *    every value (rules.ts), keep the bad rows (line, reasons) in a small table; DuckDB's own
 *    reader rejects (wrong field count, bad UTF-8) are kept with their line (plan.ts).
 * 3. DuckDB writing pass: read the file again, skip the bad lines, cast the rest, replace each
 *    `pii` column by its keyed token (or leave it out: tokens.ts) and write them with one
 *    `COPY … PARTITION_BY` (Parquet, zstd). Both passes stream: memory stays flat.
 * 4. Quarantine: the first pass's rejects merged, in line order, with DuckDB's (CSV: the original
 *    text is read back from the intermediate file by offset; NDJSON: DuckDB has the line as the
 *    first pass wrote it, and its numbers are unquoted again).
 * 5. Check the invariant rowsIn = rowsOut + rowsQuarantined; a mismatch throws.
 *
 * A source that cannot be read to its end (a corrupt or truncated gzip, undecodable UTF-16:
 * ScanResult.unreadable) is quarantined whole instead, with one reason naming the file, the
 * problem and the byte offset: every record read before the failure (with that reason, its own
 * replaced) and the unread rest as one more entry; nothing is published to clean, so no partial
 * file is ever taken for the whole (a rerun of a fixed upload is a new source version).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetContract } from '../../shared/dataset';
import { sharedEngine, type Engine } from './engine';
import { cleanKey, quarantineKey, sourceId, sourceUri, type SourceRef } from '../../shared/pipeline/keys';
import {
  KEYS_COLUMN,
  LINE_COLUMN,
  NUMBERS_COLUMN,
  OFFSET_COLUMN,
  PARTITION_COLUMN,
  RAW_COLUMN,
  REASONS_COLUMN,
  checkQuery,
  writeQuery,
  type CsvLayout,
} from '../../shared/pipeline/plan';
import { headerReader, keysDrift } from '../../shared/pipeline/header';
import { InvariantError } from '../../shared/pipeline/invariant';
import { QuarantineMerge, QuarantineWriter, type QuarantineEntry } from '../../shared/pipeline/quarantine';
import { REASON_SEPARATOR, sqlIdent, sqlString } from '../../shared/pipeline/rules';
import { NDJSON_SEPARATOR, NOT_UTF8, openSource, scanToIntermediate, type ScanResult } from '../../shared/pipeline/scan';
import { scanRecord } from '../../shared/pipeline/csv';
import { restoreNumbers } from '../../shared/pipeline/json';
import { csvFormatOf, fieldCountReasonParts, type CsvFormat } from '../../shared/pipeline/dialect';
import { unreadableReason } from '../../shared/pipeline/encoding';
import { readIntermediate } from '../../shared/pipeline/intermediate';
import { defineTokenFunction, tokenizedColumns, type TokenKey } from '../../shared/pipeline/tokens';

export interface TransformInput {
  readonly contract: DatasetContract;
  /** The source file as stored (possibly gzip-compressed: detected by its magic bytes). */
  readonly localPath: string;
  readonly source: SourceRef;
  /** A directory this call may fill; the outputs are left there for the caller to upload. */
  readonly workDir: string;
  /** @default the process-wide engine */
  readonly engine?: Engine;
  /**
   * The UTC date (`YYYY-MM-DD`) the source arrived (keys.ts `arrivalDateOf` of its event time):
   * the partition of a contract partitioned by arrival. @default - none (such a contract fails)
   */
  readonly arrivalDate?: string;
  /** The environment's PII token key: required when the contract tokenizes a column. @default - none */
  readonly tokenKey?: TokenKey;
}

export interface CleanFile {
  /** The partition value, e.g. `2024-03-15`. */
  readonly partition: string;
  readonly localPath: string;
  readonly key: string;
  readonly rows: number;
}

export interface TransformResult {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsQuarantined: number;
  /** Columns (CSV header names, NDJSON keys) the contract does not know: accepted and dropped. */
  readonly driftColumns: string[];
  /** Contract columns the file does not have (NDJSON: in none of the sampled records). */
  readonly missingColumns: string[];
  /** Bytes of the file as stored. */
  readonly bytesIn: number;
  /** Bytes after decompression. */
  readonly bytesDecompressed: number;
  readonly gzip: boolean;
  /** The stable id of this source version that the output keys carry. */
  readonly sourceId: string;
  /** The encoding the source was read with (UTF-8 unless transcoded, encoding.ts). */
  readonly encoding?: string;
  /** Set when the source could not be read to its end: the reason every quarantined entry carries. */
  readonly unreadable?: string;
  /** Milliseconds per phase: first pass, checking, Parquet, quarantine (for logs and the benchmark). */
  readonly timings: { readonly scanMs: number; readonly checkMs: number; readonly parquetMs: number; readonly quarantineMs: number };
  readonly outputs: {
    readonly cleanFiles: CleanFile[];
    readonly quarantineFile?: { readonly localPath: string; readonly key: string };
  };
}

/**
 * Rows per Parquet row group. While writing, DuckDB buffers up to one row group per open
 * partition, so peak memory grows with partitions × this, not with the file: 8,192 rows keep a
 * file spanning a year of days (365 open partitions) to ~3 M buffered rows, and make a 1 M-row
 * file over 60 days already fill its buffers, so a 4× larger file needs no more memory
 * (README, Performance: 32,768 rows gave 1.2–1.3× the peak RSS at 4×).
 */
export const PARQUET_ROW_GROUP_ROWS = 8_192;
/**
 * Rows a writing thread collects (over all partitions) before handing them to the partitions'
 * buffers: a constant, so memory stays bounded. 8 row groups' worth measured faster and leaner
 * than handing over every row group (README, Performance).
 */
export const PARTITION_FLUSH_ROWS = 8 * PARQUET_ROW_GROUP_ROWS;

let sequence = 0;

export async function transformFile(input: TransformInput): Promise<TransformResult> {
  const tokenized = tokenizedColumns(input.contract);
  if (tokenized.length > 0 && !input.tokenKey) {
    throw new Error(
      `${input.contract.domain}/${input.contract.dataset} tokenizes ${tokenized.map((c) => c.name).join(', ')} (pii) but no PII token key was given. Fix: pass the environment's key (the function reads it from the secret its environment names).`,
    );
  }
  const engine = input.engine ?? (await sharedEngine());
  const id = sourceId(input.source);
  const tag = `${process.pid}_${++sequence}`;
  const dir = join(input.workDir, `t${tag}`);
  await mkdir(dir, { recursive: true });
  try {
    return await transformIn(input, engine, id, tag, dir);
  } catch (e) {
    // Nothing of a failed run is worth keeping; the caller retries from the source.
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function transformIn(input: TransformInput, engine: Engine, id: string, tag: string, dir: string): Promise<TransformResult> {
  const { contract } = input;
  const intermediatePath = join(dir, 'records.txt');
  const cleanDir = join(dir, 'clean');
  const early = new QuarantineWriter(join(dir, 'early.ndjson'), sourceUri(input.source));
  const bytesIn = (await stat(input.localPath)).size;

  // 1. First pass.
  const timings = { scanMs: 0, checkMs: 0, parquetMs: 0, quarantineMs: 0 };
  const t0 = performance.now();
  const header = headerReader(contract);
  const dialect = csvFormatOf(contract.csv);
  const source = await openSource(input.localPath, contract.encoding);
  const { stream, gzip } = source;
  const scan = await scanToIntermediate({
    format: contract.format,
    csv: dialect,
    input: stream,
    intermediatePath,
    onHeader: header.onHeader,
    onRejects: (rejects) => early.writeAll(rejects),
  });
  timings.scanMs = Math.round(performance.now() - t0);
  const earlyPath = await early.close();
  if (scan.unreadable) {
    return quarantineWhole(input, { scan, earlyPath, earlyCount: early.count, intermediatePath, dialect, dir, id, gzip, bytesIn, timings, columns: header.columns, encoding: source.encoding() });
  }
  const quarantine = new QuarantineMerge(
    new QuarantineWriter(join(dir, 'quarantine.ndjson'), sourceUri(input.source)),
    earlyPath ? { path: earlyPath, count: early.count } : undefined,
  );

  // 2–4. DuckDB passes and the quarantine.
  let rowsOut = 0;
  let cleanFiles: CleanFile[] = [];
  if (scan.written > 0) {
    const out = await engine.withConnection(async (conn) => {
      const names = { bad: `bad_${tag}`, rejects: `rejects_${tag}`, scans: `rejscans_${tag}` };
      try {
        return await duckPass(conn, {
          contract,
          layout: contract.format === 'csv' ? header.columns.layout! : { format: 'ndjson' },
          intermediatePath,
          sequential: scan.multiline > 0,
          arrivalDate: input.arrivalDate,
          dialect,
          cleanDir,
          quarantine,
          names,
          id,
          timings,
          tokenKey: input.tokenKey,
        });
      } finally {
        for (const t of Object.values(names)) await conn.run(`DROP TABLE IF EXISTS ${sqlIdent(t)}`).catch(() => undefined);
      }
    });
    // Every record DuckDB got is written, found bad, or rejected by its reader — exactly once.
    if (out.rowsOut + out.badRows + out.rejectedRows !== scan.written) {
      throw new InvariantError(
        `rows do not add up for ${sourceUri(input.source)}: ${scan.written} records for DuckDB, ${out.rowsOut} written, ${out.badRows} bad, ${out.rejectedRows} rejected by the reader`,
      );
    }
    rowsOut = out.rowsOut;
    cleanFiles = out.cleanFiles;
    if (contract.format === 'ndjson' && out.sampledKeys) {
      Object.assign(header.columns, keysDrift(contract, out.sampledKeys));
    }
  }
  await rm(intermediatePath, { force: true });
  const quarantinePath = await quarantine.close();

  // 5. The invariant.
  const rowsQuarantined = quarantine.written;
  if (scan.records !== rowsOut + rowsQuarantined) {
    throw new InvariantError(
      `rows do not add up for ${sourceUri(input.source)}: ${scan.records} in, ${rowsOut} out, ${rowsQuarantined} quarantined`,
    );
  }
  return {
    rowsIn: scan.records,
    rowsOut,
    rowsQuarantined,
    driftColumns: header.columns.drift,
    missingColumns: header.columns.missing,
    bytesIn,
    bytesDecompressed: scan.bytes,
    gzip,
    sourceId: id,
    encoding: source.encoding(),
    timings,
    outputs: {
      cleanFiles,
      quarantineFile: quarantinePath ? { localPath: quarantinePath, key: quarantineKey(contract, id) } : undefined,
    },
  };
}

/** Entries handed to the quarantine at a time when a whole file is quarantined. */
const WHOLE_FILE_BATCH = 4096;

/**
 * An unreadable source, quarantined whole: the early rejects and the records written to the
 * intermediate file, in line order, and the unread rest — each with the one file reason.
 */
async function quarantineWhole(
  input: TransformInput,
  o: {
    scan: ScanResult;
    earlyPath: string | undefined;
    earlyCount: number;
    intermediatePath: string;
    dialect: CsvFormat;
    dir: string;
    id: string;
    gzip: boolean;
    bytesIn: number;
    timings: { scanMs: number; checkMs: number; parquetMs: number; quarantineMs: number };
    columns: { drift: string[]; missing: string[] };
    encoding: string | undefined;
  },
): Promise<TransformResult> {
  const { contract } = input;
  const t0 = performance.now();
  const reason = unreadableReason(sourceUri(input.source), o.scan.unreadable!.problem);
  const reasons = [reason];
  const merge = new QuarantineMerge(
    new QuarantineWriter(join(o.dir, 'quarantine.ndjson'), sourceUri(input.source)),
    o.earlyPath ? { path: o.earlyPath, count: o.earlyCount } : undefined,
    reasons,
  );
  let batch: QuarantineEntry[] = [];
  await readIntermediate(
    o.intermediatePath,
    contract.format,
    async (line, b, start, end, numbers) => {
      const text = b.toString('utf8', start, end);
      batch.push({ line, text: contract.format === 'csv' ? text : restoreNumbers(text, numbers), reasons });
      if (batch.length >= WHOLE_FILE_BATCH) {
        await merge.writeAll(batch);
        batch = [];
      }
    },
    o.dialect,
  );
  await merge.writeAll([...batch, { ...o.scan.unreadable!.rest, reasons }]);
  await rm(o.intermediatePath, { force: true });
  const quarantinePath = await merge.close();
  const rowsIn = o.scan.records + 1; // the unread rest counts as one quarantined row
  if (merge.written !== rowsIn) {
    throw new InvariantError(`rows do not add up for ${sourceUri(input.source)}: ${rowsIn} in (the unread rest included), ${merge.written} quarantined`);
  }
  o.timings.quarantineMs = Math.round(performance.now() - t0);
  return {
    rowsIn,
    rowsOut: 0,
    rowsQuarantined: rowsIn,
    driftColumns: o.columns.drift,
    missingColumns: o.columns.missing,
    bytesIn: o.bytesIn,
    bytesDecompressed: o.scan.bytes,
    gzip: o.gzip,
    sourceId: o.id,
    encoding: o.encoding,
    unreadable: reason,
    timings: o.timings,
    outputs: { cleanFiles: [], quarantineFile: { localPath: quarantinePath!, key: quarantineKey(contract, o.id) } },
  };
}

interface DuckPassOptions {
  readonly contract: DatasetContract;
  readonly layout: CsvLayout | { format: 'ndjson' };
  readonly intermediatePath: string;
  readonly sequential: boolean;
  readonly arrivalDate: string | undefined;
  readonly dialect: CsvFormat;
  readonly cleanDir: string;
  readonly quarantine: QuarantineMerge;
  readonly names: { readonly bad: string; readonly rejects: string; readonly scans: string };
  readonly id: string;
  readonly timings: { checkMs: number; parquetMs: number; quarantineMs: number };
  readonly tokenKey?: TokenKey;
}

async function duckPass(conn: DuckDBConnection, o: DuckPassOptions) {
  const csv = o.layout.format === 'csv';
  const pass = { contract: o.contract, layout: o.layout, intermediatePath: o.intermediatePath, sequential: o.sequential, arrivalDate: o.arrivalDate };
  const bad = sqlIdent(o.names.bad);
  const rejectsTable = sqlIdent(o.names.rejects);

  // Checking pass: the bad rows only. Filter pushdown would copy the whole reasons expression
  // into the filter and evaluate every check twice.
  let t0 = performance.now();
  await conn.run(`SET disabled_optimizers = 'filter_pushdown'`);
  await conn.run(`CREATE TEMP TABLE ${bad} AS ${checkQuery({ ...pass, rejectsTable: o.names.rejects, rejectsScan: o.names.scans })}`);
  await conn.run(`RESET disabled_optimizers`);
  o.timings.checkMs = Math.round(performance.now() - t0);

  // Writing pass: the other rows, one Parquet file per partition value. DuckDB buffers a row
  // group per open partition: small row groups keep that buffer (and so the peak memory) the
  // same however large the file is.
  t0 = performance.now();
  // The token function, on this connection only (its key material lives in connection variables).
  if (o.tokenKey) for (const statement of defineTokenFunction(o.tokenKey)) await conn.run(statement);
  await conn.run(`SET partitioned_write_flush_threshold = ${PARTITION_FLUSH_ROWS}`);
  await conn.run(`SET write_buffer_row_group_count = 1`);
  const copy = await conn.runAndReadAll(
    `COPY (${writeQuery({ ...pass, badTable: o.names.bad })}) TO ${sqlString(o.cleanDir)} ` +
      `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${PARQUET_ROW_GROUP_ROWS}, PARTITION_BY (${PARTITION_COLUMN}), RETURN_STATS, OVERWRITE)`,
  );
  const written: [dir: string, path: string, rows: number][] = [];
  for (const [filename, count] of copy.getRows()) {
    const path = String(filename);
    const dir = new RegExp(`${PARTITION_COLUMN}=([^/]+)/`).exec(path)?.[1];
    if (!dir) throw new Error(`unexpected Parquet path ${path}`);
    written.push([dir, path, Number(count)]);
  }
  const names = await partitionNames(conn, written.map(([dir]) => dir));
  const files = new Map<string, { paths: string[]; rows: number }>();
  let rowsOut = 0;
  for (const [dir, path, count] of written) {
    const partition = names.get(dir)!;
    const entry = files.get(partition) ?? { paths: [], rows: 0 };
    entry.paths.push(path);
    entry.rows += count;
    rowsOut += count;
    files.set(partition, entry);
  }
  const cleanFiles: CleanFile[] = [];
  for (const [partition, entry] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    let localPath = entry.paths[0];
    if (entry.paths.length > 1) {
      // DuckDB split a partition (too many open partitions at once): merge, so each source
      // version has exactly one object per partition and a redelivery replaces all of it.
      localPath = join(o.cleanDir, `merged-${partition}.parquet`);
      const list = entry.paths.map(sqlString).join(', ');
      await conn.run(`COPY (SELECT * FROM read_parquet([${list}], hive_partitioning = false)) TO ${sqlString(localPath)} (FORMAT parquet, COMPRESSION zstd)`);
    }
    cleanFiles.push({ partition, localPath, key: cleanKey(o.contract, decodeURIComponent(partition), o.id), rows: entry.rows });
  }
  o.timings.parquetMs = Math.round(performance.now() - t0);

  // Bad rows and DuckDB's own rejects, in line order.
  t0 = performance.now();
  const sep = String.fromCharCode(NDJSON_SEPARATOR);
  const d = `[${String.fromCharCode(o.dialect.delimiter)}]`;
  const prefix = csv ? sqlString(`^([0-9]+)${d}([0-9]+)${d}`) : sqlString(`^([0-9]+)${sep}([0-9,]*)${sep}`);
  const fields = o.layout.format === 'csv' ? fieldCountReasonParts(o.layout.fieldCount, o.layout.header ?? true) : { prefix: '', suffix: '' };
  const rejectReason =
    `CASE WHEN first(error_type) IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') ` +
    `THEN ${sqlString(fields.prefix)} || (TRY_CAST(regexp_extract(first(error_message), 'Found: ([0-9]+)', 1) AS INTEGER) - 2) || ${sqlString(fields.suffix)} ` +
    `WHEN first(error_type) IN ('INVALID ENCODING', 'INVALID UNICODE') THEN ${sqlString(NOT_UTF8)} ` +
    `ELSE 'unreadable record: ' || first(error_message) END`;
  const badRows =
    `SELECT ${LINE_COLUMN} AS line, ${csv ? OFFSET_COLUMN : 'NULL::BIGINT'} AS off, ${csv ? 'NULL::VARCHAR' : NUMBERS_COLUMN} AS num, ` +
    `${csv ? 'NULL::VARCHAR' : RAW_COLUMN} AS raw, ${REASONS_COLUMN} AS reasons ` +
    `FROM ${bad} WHERE ${REASONS_COLUMN} IS NOT NULL ` +
    `UNION ALL SELECT TRY_CAST(regexp_extract(first(csv_line), ${prefix}, 1) AS BIGINT), ` +
    (csv
      ? `TRY_CAST(regexp_extract(first(csv_line), ${prefix}, 2) AS BIGINT), NULL::VARCHAR, NULL::VARCHAR, `
      : `NULL::BIGINT, regexp_extract(first(csv_line), ${prefix}, 2), regexp_replace(regexp_replace(first(csv_line), ${prefix}, ''), '\\r?\\n$', ''), `) +
    `${rejectReason} FROM ${rejectsTable} GROUP BY scan_id, file_id, line ` +
    `ORDER BY line`;
  const reader = csv ? RecordReader.open(o.intermediatePath, o.dialect) : undefined;
  try {
    const result = await conn.stream(badRows);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const entries: QuarantineEntry[] = [];
      for (const [line, off, num, raw, reasons] of chunk.getRows()) {
        // A reader reject whose line is not ours to parse (say, one over max_line_size, which the
        // first pass's bounds rule out): stop with DuckDB's words rather than quarantine a guess.
        if (line === null) throw new InvariantError(`DuckDB could not read a record of the intermediate file: ${String(reasons)}`);
        const text = reader ? reader.recordAt(Number(off)) : restoreNumbers(String(raw), num === null ? undefined : String(num));
        entries.push({ line: Number(line), text, reasons: String(reasons).split(REASON_SEPARATOR) });
      }
      await o.quarantine.writeAll(entries);
    }
  } finally {
    reader?.close();
  }
  o.timings.quarantineMs = Math.round(performance.now() - t0);

  // NDJSON drift: the keys of the sampled records (undefined when no record was sampled).
  let sampledKeys: string[] | undefined;
  if (!csv) {
    const keys = await conn.runAndReadAll(
      `SELECT count(*) AS n, list_sort(list_distinct(flatten(list(${KEYS_COLUMN})))) AS k FROM ${bad} WHERE ${KEYS_COLUMN} IS NOT NULL`,
    );
    const [n, k] = keys.getRowsJson()[0];
    if (Number(n) > 0) sampledKeys = (k as string[]) ?? [];
  }

  const counts = await conn.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${bad} WHERE ${REASONS_COLUMN} IS NOT NULL), (SELECT count(DISTINCT (scan_id, file_id, line)) FROM ${rejectsTable})`,
  );
  const [badCount, rejectedRows] = counts.getRows()[0].map(Number);
  return { rowsOut, cleanFiles, sampledKeys, badRows: badCount, rejectedRows };
}

/**
 * The name of each partition, from the directory DuckDB wrote it to. The writing pass partitions
 * on the DATE value and DuckDB names the directory after the date's text (percent-encoded): for
 * years 1–9999 `YYYY-MM-DD`, the name itself. Other dates (`0001-12-31 (BC)`) are named as
 * `strftime(date, '%Y-%m-%d')` names them (`0000-12-31`), as when the partition value was text.
 */
async function partitionNames(conn: DuckDBConnection, dirs: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const others: string[] = [];
  for (const dir of new Set(dirs)) {
    const date = decodeURIComponent(dir);
    if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) names.set(dir, date);
    else others.push(dir);
  }
  if (others.length > 0) {
    const values = others.map((d) => `(${sqlString(d)}, strftime(CAST(${sqlString(decodeURIComponent(d))} AS DATE), '%Y-%m-%d'))`);
    const rows = await conn.runAndReadAll(`SELECT * FROM (VALUES ${values.join(', ')})`);
    for (const [dir, name] of rows.getRows()) names.set(String(dir), String(name));
  }
  return names;
}

/**
 * Reads CSV records back from the intermediate file by offset, through a sliding window. The bad
 * records come in offset order, so a window usually serves many of them. Reads are synchronous
 * (positioned reads of at most a window, from a file just written): an asynchronous read per
 * window cost more in thread-pool round trips than the copying itself.
 */
const RECORD_WINDOW_BYTES = 1 << 20;

class RecordReader {
  private buf = Buffer.allocUnsafe(RECORD_WINDOW_BYTES);
  private window = this.buf.subarray(0, 0);
  private start = 0;
  private fileEnd = Infinity;
  private constructor(
    private readonly fd: number,
    private readonly dialect: CsvFormat,
  ) {}

  static open(path: string, dialect: CsvFormat): RecordReader {
    return new RecordReader(openSync(path, 'r'), dialect);
  }

  recordAt(offset: number): string {
    for (let size = RECORD_WINDOW_BYTES; ; size *= 4) {
      const rel = offset - this.start;
      if (rel >= 0 && rel < this.window.length) {
        const { delimiter, quote, escape } = this.dialect;
        const outcome = scanRecord(this.window, rel, this.window.length, this.start + this.window.length >= this.fileEnd, delimiter, quote, escape);
        if (outcome.kind !== 'more') return this.window.toString('utf8', rel, outcome.end);
        if (this.start + this.window.length >= this.fileEnd) return this.window.toString('utf8', rel);
      }
      // A record longer than the window (up to MAX_RECORD_BYTES) needs a larger buffer.
      if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
      const bytesRead = readSync(this.fd, this.buf, 0, size, offset);
      this.window = this.buf.subarray(0, bytesRead);
      this.start = offset;
      this.fileEnd = bytesRead < size ? offset + bytesRead : Infinity;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
