/**
 * Publication plan of a staged partition (pure): which staged objects are copied where, and which
 * of the partition's previous objects are deleted afterwards.
 *
 * Published files get deterministic names (`part-00000.parquet`, … in the staged keys' order), so
 * a rerun overwrites the same keys — each overwrite is atomic in S3 — and only the previous run's
 * surplus files are deleted. A rerun therefore replaces a partition and never adds to it.
 */
import { partFileName } from '../../shared/models/layout';
import type { ObjectInfo } from '../../shared/ports';

export interface PublishPlan {
  readonly copies: ReadonlyArray<{ readonly from: string; readonly to: string; readonly size: number }>;
  /** Keys of the partition's previous objects that no new object overwrites. */
  readonly deletes: readonly string[];
}

/** Is this listed object a data file (not a folder marker or a hidden/metadata file)? */
export function isDataFile(o: ObjectInfo): boolean {
  if (o.key.endsWith('/') || o.key.endsWith('$folder$')) return false;
  const base = o.key.split('/').pop() ?? '';
  if (base.startsWith('_') || base.startsWith('.')) return false;
  if (base.endsWith('.metadata') || base.endsWith('.csv') || base.endsWith('.txt')) return false;
  return o.size > 0;
}

export function planPublish(staged: readonly ObjectInfo[], existing: readonly ObjectInfo[], targetPrefix: string): PublishPlan {
  const files = staged.filter(isDataFile).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const copies = files.map((o, i) => ({ from: o.key, to: `${targetPrefix}${partFileName(i)}`, size: o.size }));
  const written = new Set(copies.map((c) => c.to));
  const deletes = existing.map((o) => o.key).filter((k) => k.startsWith(targetPrefix) && !written.has(k));
  return { copies, deletes };
}
