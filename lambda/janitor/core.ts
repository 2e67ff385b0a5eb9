/**
 * Sandbox janitor — the pure core.
 *
 * The sandbox zone holds ad-hoc workspaces, one per team or user: a workspace is the first key
 * segment of the sandbox bucket (`team-marketing/…`, `user-alice/…`). S3 lifecycle expiration
 * counts an object's *age*; the janitor enforces *disuse*: a workspace in which nothing has been
 * written for `idleDays` days is deleted as a whole. Lifecycle expiration stays as the hard cap.
 *
 * Decisions (tested in test/lambda/janitor/core.test.ts):
 * - Boundary: a workspace whose last write is exactly `idleDays` days old is idle (deleted).
 *   "Nothing written for N days" holds at the N-day mark.
 * - Objects at the bucket root (a key without `/`) belong to no workspace. The janitor never
 *   deletes them; they are counted (`rootObjects`) so the handler can log them, and lifecycle
 *   expiration removes them.
 * - An object without `LastModified` (S3 always sends it; a defensive case) makes its workspace
 *   count as active: the janitor never deletes what it cannot date.
 * - A last write in the future (clock skew) is active.
 *
 * Imports nothing from CDK or the AWS SDK.
 */

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Stands for "cannot be dated": later than any real write, so the workspace stays. */
export const UNDATED = new Date(8.64e15);

/** What the janitor knows about one workspace after listing it. */
export interface WorkspaceActivity {
  /** The workspace prefix including its trailing slash, e.g. `team-marketing/`. */
  readonly prefix: string;
  /** The latest `LastModified` of its objects. */
  readonly lastWrite: Date;
  /** How many objects it holds. */
  readonly objectCount: number;
}

export interface PlanInput {
  readonly workspaces: readonly WorkspaceActivity[];
  readonly now: Date;
  /** Days without a write after which a workspace is deleted. A positive integer. */
  readonly idleDays: number;
}

export interface CleanupPlan {
  /** Idle workspaces, oldest last write first. */
  readonly delete: readonly WorkspaceActivity[];
  /** Active workspaces, in prefix order. */
  readonly keep: readonly WorkspaceActivity[];
}

/** Checks `idleDays`; throws a message naming the value and the fix. */
export function assertIdleDays(idleDays: number): void {
  if (!Number.isInteger(idleDays) || idleDays < 1) {
    throw new Error(`IDLE_DAYS must be a positive whole number of days (got ${JSON.stringify(idleDays)}). Fix: set IDLE_DAYS to e.g. 30.`);
  }
}

/** The instant at or before which a write counts as idle. */
export function idleCutoff(now: Date, idleDays: number): Date {
  assertIdleDays(idleDays);
  return new Date(now.getTime() - idleDays * DAY_MS);
}

/** True when `lastWrite` is at least `idleDays` days before `now`. */
export function isIdle(lastWrite: Date, now: Date, idleDays: number): boolean {
  return lastWrite.getTime() <= idleCutoff(now, idleDays).getTime();
}

/** Splits workspaces into those to delete (idle for at least `idleDays` days) and those to keep. */
export function planCleanup(input: PlanInput): CleanupPlan {
  const cutoff = idleCutoff(input.now, input.idleDays).getTime();
  const del: WorkspaceActivity[] = [];
  const keep: WorkspaceActivity[] = [];
  for (const ws of input.workspaces) {
    (ws.lastWrite.getTime() <= cutoff ? del : keep).push(ws);
  }
  del.sort((a, b) => a.lastWrite.getTime() - b.lastWrite.getTime() || cmp(a.prefix, b.prefix));
  keep.sort((a, b) => cmp(a.prefix, b.prefix));
  return { delete: del, keep };
}

/** The workspace prefix of a key (`team-a/x/y.csv` → `team-a/`), or undefined for a root key. */
export function workspaceOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  return slash <= 0 ? undefined : key.slice(0, slash + 1);
}

/** The part of a listed object the janitor reads (structurally matches the SDK's `_Object`). */
export interface ListedObject {
  readonly Key?: string;
  readonly LastModified?: Date;
}

/**
 * Folds listing pages into per-workspace last write and object count.
 *
 * Memory grows with the number of workspaces, not objects: no key is kept.
 */
export class WorkspaceAggregator {
  private readonly byPrefix = new Map<string, { lastWrite: number; objectCount: number }>();
  private root = 0;
  private total = 0;

  /** Adds one page of listed objects. */
  public add(objects: readonly ListedObject[] | undefined): this {
    for (const o of objects ?? []) {
      if (!o.Key) continue;
      this.total++;
      const prefix = workspaceOf(o.Key);
      if (prefix === undefined) {
        this.root++;
        continue;
      }
      const written = o.LastModified ? o.LastModified.getTime() : UNDATED.getTime();
      const entry = this.byPrefix.get(prefix);
      if (entry) {
        entry.objectCount++;
        if (written > entry.lastWrite) entry.lastWrite = written;
      } else {
        this.byPrefix.set(prefix, { lastWrite: written, objectCount: 1 });
      }
    }
    return this;
  }

  /** Workspaces seen so far, in prefix order. */
  public workspaces(): WorkspaceActivity[] {
    return [...this.byPrefix.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([prefix, e]) => ({ prefix, lastWrite: new Date(e.lastWrite), objectCount: e.objectCount }));
  }

  /** Objects at the bucket root (no workspace): never deleted by the janitor. */
  public get rootObjects(): number {
    return this.root;
  }

  /** All objects seen, root objects included. */
  public get objectsSeen(): number {
    return this.total;
  }
}

/** Folds an async stream of listing pages. */
export async function aggregatePages(pages: AsyncIterable<readonly ListedObject[] | undefined>): Promise<WorkspaceAggregator> {
  const agg = new WorkspaceAggregator();
  for await (const page of pages) agg.add(page);
  return agg;
}

/** Largest number of keys one DeleteObjects request accepts. */
export const MAX_DELETE_BATCH = 1000;

/**
 * Collects keys and hands them out in batches of at most `size` (default 1000, the DeleteObjects
 * limit). Holds at most one batch.
 */
export class KeyBatcher {
  private buffer: string[] = [];

  constructor(private readonly size: number = MAX_DELETE_BATCH) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_DELETE_BATCH) {
      throw new Error(`batch size must be 1..${MAX_DELETE_BATCH} (got ${size})`);
    }
  }

  /** Adds a key; returns a full batch when one is ready. */
  public push(key: string): string[] | undefined {
    this.buffer.push(key);
    if (this.buffer.length < this.size) return undefined;
    return this.drain();
  }

  /** Returns what is left (possibly empty). */
  public drain(): string[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
