/**
 * What one batch of queue messages asks for, and doing it.
 *
 * Messages (one FIFO message group per model, so runs of one model never overlap):
 * - `{"kind":"object-created","model":"m","bucket":"…","key":"<domain>/<dataset>/<p>=<date>/…","time":"…"}`
 *   — an input partition landed in clean (EventBridge rule on the model's input prefixes).
 * - `{"kind":"schedule","model":"m","time":"…"}` — the safety net: every partition of the last
 *   `lookbackDays` days (UTC) whose inputs changed after the last run is run again.
 * - `{"kind":"run","model":"m","partitions":["2024-05-01"]}` — an operator's backfill: always runs.
 *
 * A partition is skipped when a run that started after its data changed already covered it (see
 * state.ts); several messages for one partition in a batch cause one run. Records are processed in
 * order; once the function's remaining time is below the budget of a run, the rest are deferred
 * (returned as batch item failures: back to the queue, not an error). A failed run (Athena error,
 * timeout, or assertions blocking publication) is collected; the handler then fails the invocation
 * so the failure is a function error, and the batch comes back — covered partitions are skipped.
 */
import { ModelSpec } from '../../shared/models/spec';
import { isPartitionDate, lookbackDates, partitionOfCleanKey, runRecordPrefix } from '../../shared/models/layout';
import { isRecord, parseJson } from '../../shared/json-value';
import type { ObjectMover } from '../../shared/ports';
import { RunLog, RunResult } from './run-partition';
import { RunMarker, isCovered, parseRunRecordKey, runMarkers } from './state';

export type ModelMessage =
  | { readonly kind: 'object-created'; readonly model: string; readonly bucket?: string; readonly key: string; readonly time: string }
  | { readonly kind: 'schedule'; readonly model: string; readonly time?: string }
  | { readonly kind: 'run'; readonly model: string; readonly partitions: readonly string[] };

/** Reads a message body; throws naming what is wrong. */
export function parseMessage(body: string): ModelMessage {
  const m = parseJson(body, () => new Error(`message body is not JSON: ${body.slice(0, 200)}`));
  if (!isRecord(m) || typeof m.model !== 'string' || !m.model) throw new Error(`message has no model: ${body.slice(0, 200)}`);
  switch (m.kind) {
    case 'object-created':
      if (typeof m.key !== 'string' || typeof m.time !== 'string' || !Number.isFinite(Date.parse(m.time))) {
        throw new Error(`object-created message needs key and time: ${body.slice(0, 200)}`);
      }
      return { kind: 'object-created', model: m.model, key: m.key, time: m.time, bucket: typeof m.bucket === 'string' ? m.bucket : undefined };
    case 'schedule':
      return { kind: 'schedule', model: m.model, time: typeof m.time === 'string' ? m.time : undefined };
    case 'run': {
      const partitions = m.partitions;
      if (!Array.isArray(partitions) || partitions.length === 0 || !partitions.every((p) => typeof p === 'string' && isPartitionDate(p))) {
        throw new Error(`run message needs partitions as yyyy-mm-dd dates: ${body.slice(0, 200)}`);
      }
      return { kind: 'run', model: m.model, partitions: partitions as string[] };
    }
    default:
      throw new Error(`unknown message kind ${JSON.stringify(m.kind)} (expected object-created, schedule or run)`);
  }
}

export interface BatchRecord {
  readonly messageId: string;
  readonly body: string;
}

export interface BatchConfig {
  readonly domain: string;
  /** The models this function runs. */
  readonly models: readonly string[];
  readonly cleanBucket: string;
  readonly curatedBucket: string;
  readonly lookbackDays: number;
}

export interface BatchLog extends RunLog {
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface BatchDeps {
  readonly config: BatchConfig;
  readonly specOf: (model: string) => Promise<ModelSpec>;
  readonly modelHash: (spec: ModelSpec) => string;
  readonly run: (spec: ModelSpec, date: string) => Promise<RunResult>;
  readonly objects: ObjectMover;
  readonly now: () => number;
  /** Milliseconds left in this invocation. */
  readonly remainingMs: () => number;
  /** Time a run needs; with less left, records are deferred. @default 60000 */
  readonly minRunBudgetMs?: number;
  readonly log?: BatchLog;
}

export interface Skip {
  readonly model: string;
  readonly partition?: string;
  readonly reason: string;
}

export interface Failure {
  readonly messageId: string;
  readonly model?: string;
  readonly partition?: string;
  readonly error: string;
}

export interface BatchOutcome {
  readonly results: readonly RunResult[];
  readonly skipped: readonly Skip[];
  /** Message ids returned to the queue unprocessed (time ran short). */
  readonly deferred: readonly string[];
  readonly failures: readonly Failure[];
}

/** The failed runs of a batch, as one error (the invocation's error). */
export class ModelRunFailures extends Error {
  constructor(public readonly failures: readonly Failure[]) {
    super(`${failures.length} curated model run(s) failed: ${failures.map((f) => `${f.model ?? '?'}${f.partition ? ` ${f.partition}` : ''}: ${f.error}`).join(' | ')}`);
    this.name = 'ModelRunFailures';
  }
}

interface Candidate {
  readonly date: string;
  /** When its data last changed (epoch ms); undefined = always run. */
  readonly changedAt?: number;
}

export async function processBatch(records: readonly BatchRecord[], deps: BatchDeps): Promise<BatchOutcome> {
  const { config, objects, log } = deps;
  const budget = deps.minRunBudgetMs ?? 60_000;
  const results: RunResult[] = [];
  const skipped: Skip[] = [];
  const deferred: string[] = [];
  const failures: Failure[] = [];
  const failedModels = new Set<string>();
  /** The latest run per partition record prefix, learned by listing (and updated by our own runs). */
  const latest = new Map<string, RunMarker | undefined>();

  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (deps.remainingMs() < budget) {
      deferred.push(...records.slice(i).map((r) => r.messageId));
      log?.warn('too little time left for another run; deferring the rest of the batch', { deferred: records.length - i });
      break;
    }
    let message: ModelMessage;
    try {
      message = parseMessage(record.body);
    } catch (e) {
      failures.push({ messageId: record.messageId, error: (e as Error).message });
      log?.error('malformed message', { messageId: record.messageId, error: (e as Error).message });
      continue;
    }
    const model = message.model;
    if (failedModels.has(model)) {
      // Keep a model's messages in order: after a failure, the rest of its group waits for the retry.
      deferred.push(record.messageId);
      continue;
    }
    if (!config.models.includes(model)) {
      failures.push({ messageId: record.messageId, model, error: `unknown model (this function runs ${config.models.join(', ')})` });
      failedModels.add(model);
      continue;
    }
    try {
      const spec = await deps.specOf(model);
      const hash = deps.modelHash(spec);
      for (const candidate of await candidates(message, spec)) {
        if (deps.remainingMs() < budget) throw new DeferError();
        const prefix = runRecordPrefix(spec, candidate.date);
        if (!latest.has(prefix)) latest.set(prefix, runMarkers((await objects.list(config.curatedBucket, prefix)).map((o) => o.key))[0]);
        if (candidate.changedAt !== undefined && isCovered(latest.get(prefix), hash, candidate.changedAt)) {
          skipped.push({ model, partition: candidate.date, reason: 'already covered by a later run' });
          continue;
        }
        const result = await deps.run(spec, candidate.date);
        results.push(result);
        latest.set(prefix, parseRunRecordKey(result.record));
        if (result.status === 'blocked') {
          failures.push({ messageId: record.messageId, model, partition: candidate.date, error: `publication blocked: ${result.failure}` });
        }
      }
    } catch (e) {
      if (e instanceof DeferError) {
        deferred.push(...records.slice(i).map((r) => r.messageId));
        log?.warn('too little time left for another run; deferring the rest of the batch', { deferred: records.length - i });
        break;
      }
      failures.push({ messageId: record.messageId, model, error: `${(e as Error).name}: ${(e as Error).message}` });
      failedModels.add(model);
      log?.error('model run failed', { messageId: record.messageId, model, error: (e as Error).message });
    }
  }
  return { results, skipped, deferred, failures };

  async function candidates(message: ModelMessage, spec: ModelSpec): Promise<Candidate[]> {
    switch (message.kind) {
      case 'run':
        return [...new Set(message.partitions)].map((date) => ({ date }));
      case 'object-created': {
        if (message.bucket && message.bucket !== config.cleanBucket) {
          skipped.push({ model: spec.name, reason: `object in ${message.bucket}, not the clean bucket` });
          return [];
        }
        const date = partitionOfCleanKey(spec, message.key);
        if (!date) {
          skipped.push({ model: spec.name, reason: `key ${message.key} is no partition file of an input` });
          return [];
        }
        return [{ date, changedAt: Date.parse(message.time) }];
      }
      case 'schedule': {
        const out: Candidate[] = [];
        for (const date of lookbackDates(new Date(deps.now()), config.lookbackDays)) {
          let latest: number | undefined;
          for (const input of spec.inputs) {
            for (const o of await objects.list(config.cleanBucket, `${input.prefix}${input.partitionName}=${date}/`)) {
              const t = o.lastModified?.getTime();
              if (t !== undefined && (latest === undefined || t > latest)) latest = t;
            }
          }
          if (latest === undefined) skipped.push({ model: spec.name, partition: date, reason: 'no input data' });
          else out.push({ date, changedAt: latest });
        }
        return out;
      }
    }
  }
}

class DeferError extends Error {}
