/**
 * The big-file route's second step: Athena checks and converts the staged records, then the
 * results are published exactly where the function would have put them.
 *
 * 1. Convert: a CTAS writes the good rows as Parquet (zstd) into a temporary table, one file per
 *    partition value (sql.ts); the enforced pipelines workgroup puts the files in its results
 *    location.
 * 2. Count: the rows written per partition, read from the written table.
 * 3. Quarantine: the bad rows, in line order, from the query's result file, into the function's
 *    quarantine format (one NDJSON line per record: line, original text, reasons, source).
 * 4. The invariant `rowsIn = rowsOut + rowsQuarantined`; a mismatch throws before anything is
 *    published.
 * An unreadable source (`job.unreadable`, prepare.ts) skips the CTAS: every staged row is
 * quarantined with the one file reason and nothing is published to clean, as in the function.
 * 5. Publish: each partition's file is copied to `clean/<domain>/<dataset>/<p>=<v>/<sourceId>.parquet`
 *    — the function's key, so a redelivery, or the same file handled by either engine, replaces it
 *    instead of adding rows; should Athena write more than one file for a partition they become
 *    `<sourceId>-NNNNN.parquet`. The quarantine file goes to
 *    `quarantine/<domain>/<dataset>/<sourceId>.ndjson`. As in the function, every other file of
 *    the source (in the partitions it writes, and in those it no longer has rows for), and its
 *    quarantine file when it has no bad rows, are removed (outputs.ts).
 * The run's temporary tables are dropped whatever happened (`dropTables`).
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { DatasetContract } from '../../shared/dataset';
import { parseS3Url } from '../../shared/aws/s3-objects';
import type { Catalog, ObjectMover, QueryOptions, QueryRunner } from '../../shared/ports';
import { NDJSON_CONTENT_TYPE, cleanKey, quarantineKey, sourceMetadataValue, sourceUri, type SourceRef } from '../../shared/pipeline/keys';
import { replaceOutputs, type OutputObjects } from '../../shared/pipeline/outputs';
import { PARTITION_COLUMN } from '../../shared/pipeline/plan';
import { QuarantineWriter } from '../../shared/pipeline/quarantine';
import { REASON_SEPARATOR, sqlIdent } from '../../shared/pipeline/rules';
import { InvariantError } from '../../shared/pipeline/invariant';
import { parseCsvFields, scanRecord } from '../../shared/pipeline/csv';
import { bigFileTables } from '../../shared/contracts/big-file-tables';
import { convertSql, countSql, quarantineSelect, wholeFileQuarantineSelect } from './sql';

/** What the prepare step hands over (the state machine passes it on). */
export interface PreparedJob {
  readonly contract: DatasetContract;
  readonly source: SourceRef;
  readonly sourceId: string;
  readonly runId: string;
  /** The clean Glue database; the run's temporary tables live there. */
  readonly database: string;
  readonly rowsIn: number;
  readonly bytesIn: number;
  readonly driftColumns: number;
  /** The partition of a contract partitioned by arrival: the UTC date of the object's event time. */
  readonly arrivalDate?: string;
  /** Set when the source could not be read to its end: every staged row is quarantined with this reason. */
  readonly unreadable?: string;
}

export interface ConvertPorts {
  readonly athena: Pick<QueryRunner, 'execute' | 'query'>;
  readonly catalog: Pick<Catalog, 'getTable' | 'deleteTable'>;
  readonly objects: Pick<ObjectMover, 'list' | 'copy'>;
  /** The source's partition markers and the removal of what it no longer produces (outputs.ts). */
  readonly outputs: OutputObjects;
  /** Streams an object into a local file. */
  download(bucket: string, key: string, toPath: string): Promise<void>;
  /** Streams a local file into an object (SSE-KMS). */
  upload(bucket: string, key: string, fromPath: string, contentType: string): Promise<void>;
}

export interface ConvertSettings {
  readonly cleanBucket: string;
  readonly quarantineBucket: string;
  /** A local directory for the quarantine file. */
  readonly workDir: string;
  /** Epoch ms: queries still running then are stopped. */
  readonly deadline: number;
}

export interface ConvertResult {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly rowsQuarantined: number;
  readonly cleanKeys: string[];
  readonly removedKeys: string[];
  readonly quarantineKey?: string;
}

export async function convertStaged(job: PreparedJob, ports: ConvertPorts, settings: ConvertSettings): Promise<ConvertResult> {
  const { contract } = job;
  const tables = bigFileTables(contract.dataset, job.runId);
  const opts = (label: string): QueryOptions => ({ label: `${contract.domain}/${contract.dataset} ${job.sourceId} ${label}`, deadline: settings.deadline });
  const input = `${sqlIdent(job.database)}.${sqlIdent(tables.input)}`;

  // 1. Convert (a retried step finds the table of its earlier attempt: a CTAS needs it gone).
  // An unreadable source publishes nothing: no CTAS.
  const counts = new Map<string, number>();
  const files = new Map<string, string[]>();
  let written = { bucket: '', prefix: '' };
  if (!job.unreadable) {
    await ports.catalog.deleteTable(job.database, tables.output);
    await ports.athena.execute(convertSql(contract, job.database, tables.output, input, job.arrivalDate), opts('convert'));

    // 2. Count what was written, and find the files.
    for (const row of await ports.athena.query(countSql(job.database, tables.output), opts('count'))) counts.set(String(row.p), Number(row.n));
    const table = await ports.catalog.getTable(job.database, tables.output);
    if (!table?.location) throw new Error(`${job.database}.${tables.output} has no location after its CTAS succeeded`);
    written = parseS3Url(table.location);
    for (const o of await ports.objects.list(written.bucket, written.prefix)) {
      const m = new RegExp(`(?:^|/)${PARTITION_COLUMN}=([^/]+)/[^/]+$`).exec(o.key);
      if (!m) continue;
      const value = decodeURIComponent(m[1]);
      files.set(value, [...(files.get(value) ?? []), o.key].sort());
    }
    for (const [value, n] of counts) {
      if (n > 0 && !files.has(value)) throw new InvariantError(`partition ${value} has ${n} rows but no file under ${table.location}`);
    }
    for (const value of files.keys()) {
      if (!counts.has(value)) throw new InvariantError(`partition ${value} has a file under ${table.location} but no rows`);
    }
  }
  const rowsOut = [...counts.values()].reduce((a, b) => a + b, 0);

  // 3. Quarantine.
  const select = job.unreadable ? wholeFileQuarantineSelect(input, job.unreadable) : quarantineSelect(contract, input);
  const quarantined = await ports.athena.execute(select, opts('quarantine'));
  if (!quarantined.outputLocation) throw new Error(`the quarantine query ${quarantined.queryExecutionId} reports no output location`);
  const resultsFile = join(settings.workDir, `${job.sourceId}-quarantine.csv`);
  const at = /^s3:\/\/([^/]+)\/(.+)$/.exec(quarantined.outputLocation);
  if (!at) throw new Error(`the quarantine query's output location is not an S3 object URL: ${quarantined.outputLocation}`);
  await ports.download(at[1], at[2], resultsFile);
  const writer = new QuarantineWriter(join(settings.workDir, `${job.sourceId}.ndjson`), sourceUri(job.source));
  for await (const fields of csvRecords(resultsFile, true)) {
    const [line, record, reasons, bytes] = fields;
    const entry = { line: Number(line), text: record, reasons: reasons.split(REASON_SEPARATOR) };
    await writer.write(bytes ? { ...entry, bytes } : entry);
  }
  const quarantinePath = await writer.close();

  // 4. The invariant.
  if (job.rowsIn !== rowsOut + writer.count) {
    throw new InvariantError(`rows do not add up for ${sourceUri(job.source)}: ${job.rowsIn} in, ${rowsOut} out, ${writer.count} quarantined`);
  }

  // 5. Publish, replacing whatever this source produced before (outputs.ts): the other files of
  // this source in a partition (a single file, or more parts, of an earlier run) are removed too.
  const published = [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([value, keys]) => {
      const single = cleanKey(contract, value, job.sourceId);
      const dir = single.slice(0, single.lastIndexOf('/') + 1);
      return keys.map((fromKey, i) => ({ partition: value, fromKey, key: keys.length === 1 ? single : `${dir}${job.sourceId}-${String(i).padStart(5, '0')}.parquet` }));
    });
  const target = { contract, sourceId: job.sourceId, cleanBucket: settings.cleanBucket, quarantineBucket: settings.quarantineBucket };
  let qKey: string | undefined;
  const replaced = await replaceOutputs(ports.outputs, target, published, quarantinePath !== undefined, async () => {
    for (const f of published) {
      await ports.objects.copy({ fromBucket: written.bucket, fromKey: f.fromKey, toBucket: settings.cleanBucket, toKey: f.key, metadata: { 'lakehouse-source': sourceMetadataValue(job.source) } });
    }
    if (quarantinePath) {
      qKey = quarantineKey(contract, job.sourceId);
      await ports.upload(settings.quarantineBucket, qKey, quarantinePath, NDJSON_CONTENT_TYPE);
    }
  });
  return { rowsIn: job.rowsIn, rowsOut, rowsQuarantined: writer.count, cleanKeys: published.map((f) => f.key), removedKeys: replaced.removedCleanKeys, quarantineKey: qKey };
}

/** Drops a run's temporary tables (a table already gone is fine); returns their names. */
export async function dropTables(run: { readonly database: string; readonly dataset: string; readonly runId: string }, catalog: Pick<Catalog, 'deleteTable'>): Promise<string[]> {
  const tables = bigFileTables(run.dataset, run.runId);
  await catalog.deleteTable(run.database, tables.input);
  await catalog.deleteTable(run.database, tables.output);
  return [tables.input, tables.output];
}

/** The records of a CSV file (RFC 4180, as Athena writes query results), streamed. */
export async function* csvRecords(path: string, skipHeader: boolean): AsyncGenerator<string[]> {
  let carry: Buffer | undefined;
  let header = skipHeader;
  const decoder = new TextDecoder('utf-8');
  const records = function* (b: Buffer, eof: boolean): Generator<string[], number> {
    let pos = 0;
    while (pos < b.length) {
      const outcome = scanRecord(b, pos, b.length, eof);
      if (outcome.kind === 'more') break;
      if (outcome.kind === 'malformed') throw new Error(`${path}: malformed CSV record at byte ${pos}: ${outcome.reason}`);
      const text = decoder.decode(b.subarray(pos, outcome.end));
      pos = outcome.next;
      if (text === '') continue;
      if (header) {
        header = false;
        continue;
      }
      yield parseCsvFields(text);
    }
    return pos;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const it = records(b, false);
    let r = it.next();
    while (!r.done) {
      yield r.value;
      r = it.next();
    }
    carry = r.value < b.length ? b.subarray(r.value) : undefined;
  }
  if (carry) {
    const it = records(carry, true);
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
  }
}
