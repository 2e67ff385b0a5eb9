/**
 * Run records of one model partition, kept next to the model (outside its table location) under
 * `<domain>/_runs/<model>/<partition>=<date>/`, one object per run:
 *
 *   <started, yyyymmddThhmmssSSSZ>_<published|blocked>_<model hash>_<run id>.json
 *
 * The key alone says when the run started, what it did and which model it ran, so the runner
 * decides by listing keys (ListBucket) and never reads curated objects — a role that writes
 * curated must not read it (governance proof, one-way flow). The body holds the details (rows,
 * files, assertion results with samples) for people and tools with read access.
 *
 * Records let a later message for the same partition be skipped when a run that started after the
 * message's data landed has already covered it (published or blocked), so duplicate and retried
 * deliveries cost one LIST instead of an Athena run.
 */
import { ModelSpec } from '../../shared/models/spec';
import { runRecordPrefix } from '../../shared/models/layout';
import { AssertionResult } from '../../shared/models/checks';

export type RunStatus = 'published' | 'blocked';

/** What a record's key says. */
export interface RunMarker {
  readonly startedAt: number;
  readonly status: RunStatus;
  readonly modelHash: string;
  readonly runId: string;
  readonly key: string;
}

/** A record's body. */
export interface RunRecord {
  readonly version: 1;
  readonly model: string;
  readonly partition: string;
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly modelHash: string;
  readonly rows: number;
  readonly files: number;
  readonly assertions: readonly AssertionResult[];
  readonly queryExecutionIds: readonly string[];
}

/** Margin for second-granular S3/EventBridge times and clock skew. */
export const COVERAGE_SKEW_MS = 5_000;
/** Run records kept per partition (older ones are deleted by the next run). */
export const RUN_RECORDS_KEPT = 10;

const MARKER_RE = /^(\d{8}T\d{9}Z)_(published|blocked)_([0-9a-z]+)_([a-z0-9_]+)\.json$/;

function compact(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

function parseCompact(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(text);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : NaN;
}

export function runRecordKey(spec: Pick<ModelSpec, 'domain' | 'name' | 'partition'>, record: Pick<RunRecord, 'partition' | 'startedAt' | 'status' | 'modelHash' | 'runId'>): string {
  return `${runRecordPrefix(spec, record.partition)}${compact(record.startedAt)}_${record.status}_${record.modelHash}_${record.runId}.json`;
}

/** Reads a record key; undefined for anything else under the prefix. */
export function parseRunRecordKey(key: string): RunMarker | undefined {
  const m = MARKER_RE.exec(key.split('/').pop() ?? '');
  if (!m) return undefined;
  const startedAt = parseCompact(m[1]);
  return Number.isFinite(startedAt) ? { startedAt, status: m[2] as RunStatus, modelHash: m[3], runId: m[4], key } : undefined;
}

/** The records among listed keys, newest first. */
export function runMarkers(keys: readonly string[]): RunMarker[] {
  return keys
    .map(parseRunRecordKey)
    .filter((m): m is RunMarker => m !== undefined)
    .sort((a, b) => b.startedAt - a.startedAt || (a.key < b.key ? 1 : -1));
}

/**
 * Has a run already covered data that changed at `changedAt`? True when the latest run (published
 * or blocked) of the same model started at least COVERAGE_SKEW_MS after it.
 */
export function isCovered(latest: RunMarker | undefined, modelHash: string, changedAt: number): boolean {
  if (!latest || latest.modelHash !== modelHash) return false;
  return latest.startedAt >= changedAt + COVERAGE_SKEW_MS;
}
