/**
 * Replacing what one source version produced, for both routes (the function and the big-file
 * route). Output keys derive from the source (keys.ts), so a run overwrites its earlier run's
 * files. But a run under a changed contract (a redelivery after a deploy, or a re-run to fix
 * data) may have no rows left for a partition the earlier run wrote, or no bad rows: without
 * more, that partition's file and the quarantine file would stay behind, with rows the contract
 * now rejects still in clean, or rows both in clean and in quarantine.
 *
 * So each source keeps a marker per partition it has written: an empty object in the clean zone
 * at `<domain>/_sources/<dataset>/<sourceId>/<partitionName>=<value>`. Markers are found by
 * listing and never read (the transform role reads no clean object: data flows one way), and
 * they sit outside the dataset's prefix, where neither the clean table (partition projection)
 * nor the curated models' triggers look. A run:
 * 1. lists its source's markers;
 * 2. puts the markers of partitions new to the source, before their files: a marker without its
 *    file is harmless, a file without its marker would never be removed;
 * 3. writes its outputs (the caller);
 * 4. deletes every file of the source it did not write, in every partition the source has or
 *    had (`<sourceId>.parquet` and the big-file route's `<sourceId>-NNNNN.parquet`: a run on the
 *    other route, after the size threshold changed, named them otherwise), and the source's
 *    quarantine file when it has no bad rows;
 * 5. deletes the markers of the partitions it no longer has.
 * A run stopped at any point leaves nothing that the next run of the source does not clean up.
 */
import type { DatasetContract } from '../dataset';
import { cleanKey, quarantineKey } from './keys';

/** What replacing outputs needs of S3: listing, empty objects, deleting (a missing key is no error). */
export interface OutputObjects {
  listKeys(bucket: string, prefix: string): Promise<string[]>;
  putMarker(bucket: string, key: string): Promise<void>;
  deleteKeys(bucket: string, keys: readonly string[]): Promise<void>;
}

export interface OutputTarget {
  readonly contract: DatasetContract;
  readonly sourceId: string;
  readonly cleanBucket: string;
  readonly quarantineBucket: string;
}

export interface ReplacedOutputs {
  /**
   * Clean keys of this source the run did not write and removed: its files in partitions it no
   * longer has rows for, and the other files of the partitions it writes.
   */
  readonly removedCleanKeys: string[];
  /** The quarantine key, deleted because the run has no bad rows (it may not have existed). */
  readonly clearedQuarantineKey?: string;
}

/** A clean file a run writes: the partition value, and the key (`cleanKey`, or a big-file part's). */
export interface CleanOutput {
  readonly partition: string;
  readonly key: string;
}

/** The folder of a source's partition markers in the clean zone (outside the dataset's prefix). */
export function markerPrefix(contract: Pick<DatasetContract, 'domain' | 'dataset'>, sourceId: string): string {
  return `${contract.domain}/_sources/${contract.dataset}/${sourceId}/`;
}

/** A partition's folder name, `<partitionName>=<value>`: a marker's name, and its files' folder. */
const PARTITION_FOLDER_RE = /^[^/=]+=[^/]+$/;

/** What follows the source id in the name of one of its clean files: `.parquet` or `-NNNNN.parquet`. */
const SOURCE_FILE_SUFFIX_RE = /^(\.|-[0-9]+\.)parquet$/;

/**
 * Writes a run's outputs (`write`) so that they replace everything the source produced before.
 * `clean` are the clean files the run writes; `hasQuarantine`, whether it writes the quarantine file.
 */
export async function replaceOutputs(
  objects: OutputObjects,
  target: OutputTarget,
  clean: readonly CleanOutput[],
  hasQuarantine: boolean,
  write: () => Promise<void>,
): Promise<ReplacedOutputs> {
  const { contract, sourceId, cleanBucket } = target;
  const prefix = markerPrefix(contract, sourceId);
  const before = new Set<string>();
  for (const key of await objects.listKeys(cleanBucket, prefix)) {
    const folder = key.slice(prefix.length);
    if (!PARTITION_FOLDER_RE.test(folder)) {
      throw new Error(`s3://${cleanBucket}/${key} is not a partition marker (<name>=<value> under ${prefix}). Fix: delete the object; only the transform writes under ${contract.domain}/_sources/.`);
    }
    before.add(folder);
  }
  const datasetPrefix = `${contract.domain}/${contract.dataset}/`;
  const now = new Set(
    clean.map(({ partition }) => {
      const key = cleanKey(contract, partition, sourceId);
      return key.slice(datasetPrefix.length, key.lastIndexOf('/'));
    }),
  );
  const written = new Set(clean.map((f) => f.key));

  // In parallel: a first run puts one per partition (the SDK's connection pool bounds the requests in flight).
  await Promise.all([...now].filter((folder) => !before.has(folder)).map((folder) => objects.putMarker(cleanBucket, `${prefix}${folder}`)));
  await write();

  const stale = [...before].filter((folder) => !now.has(folder)).sort();
  const folders = [...new Set([...before, ...now])].sort();
  const listed = await Promise.all(folders.map((folder) => objects.listKeys(cleanBucket, `${datasetPrefix}${folder}/${sourceId}`)));
  // `<sourceId>.parquet` or `<sourceId>-NNNNN.parquet`, not another source whose id merely starts alike (ids have a fixed length).
  const removedCleanKeys = listed.flat().filter((k) => !written.has(k) && SOURCE_FILE_SUFFIX_RE.test(k.slice(k.lastIndexOf('/') + 1 + sourceId.length)));
  if (removedCleanKeys.length > 0) await objects.deleteKeys(cleanBucket, removedCleanKeys);
  let clearedQuarantineKey: string | undefined;
  if (!hasQuarantine) {
    clearedQuarantineKey = quarantineKey(contract, sourceId);
    await objects.deleteKeys(target.quarantineBucket, [clearedQuarantineKey]);
  }
  if (stale.length > 0) await objects.deleteKeys(cleanBucket, stale.map((folder) => `${prefix}${folder}`));
  return { removedCleanKeys, clearedQuarantineKey };
}
