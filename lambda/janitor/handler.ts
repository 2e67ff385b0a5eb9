/**
 * Sandbox janitor — scheduled (EventBridge, daily) Lambda handler.
 *
 * Deletes sandbox workspaces (`<workspace>/…`) in which nothing has been written for `IDLE_DAYS`
 * days. A thin adapter: it lists the bucket, asks the pure core (`core.ts`) what to delete, then
 * deletes through the S3 adapter (`s3-sandbox-store.ts`).
 *
 * Safety and idempotence:
 * - Before deleting a workspace it lists the workspace again; a write since the first listing
 *   keeps it.
 * - While deleting it never deletes an object written after the idle cutoff; if it meets one, the
 *   workspace is kept (the rest of the old objects are gone, the new one stays).
 * - Each DeleteObjects response's `Errors` is checked. Failed keys are logged, the workspace is
 *   left, the others are still processed, and the run then throws. A later run lists what is left
 *   and finishes the job.
 *
 * Environment: `JANITOR_ENV` (../shared/contracts/janitor-env.ts): the sandbox bucket, the idle
 * days, and `DRY_RUN` (`true` logs what would be deleted and deletes nothing; only `true` /
 * `false`, any case, or unset are accepted, so a mistyped flag fails instead of deleting).
 *
 * Metrics (namespace `GovernedLakehouse`, dimension `service` = `sandbox-janitor`), every run:
 * `JanitorRuns` = 1 (heartbeat), `WorkspacesDeleted`, `ObjectsDeleted`, `WorkspacesKept`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import type { ScheduledEvent } from 'aws-lambda';
import { KeyBatcher, WorkspaceActivity, aggregatePages, idleCutoff, planCleanup } from './core';
import { DeleteFailure, S3SandboxStore, SandboxStore } from './s3-sandbox-store';
import { JANITOR_ENV, type JanitorEnv } from '../shared/contracts/janitor-env';

import {
  JANITOR_SERVICE_NAME,
  METRICS_NAMESPACE,
  METRIC_JANITOR_RUNS,
  METRIC_OBJECTS_DELETED,
  METRIC_WORKSPACES_DELETED,
  METRIC_WORKSPACES_KEPT,
} from '../shared/metrics';

export { JANITOR_SERVICE_NAME, METRICS_NAMESPACE, METRIC_JANITOR_RUNS, METRIC_OBJECTS_DELETED, METRIC_WORKSPACES_DELETED, METRIC_WORKSPACES_KEPT };

export const JANITOR_METRIC_NAMES = [
  METRIC_JANITOR_RUNS,
  METRIC_WORKSPACES_DELETED,
  METRIC_OBJECTS_DELETED,
  METRIC_WORKSPACES_KEPT,
] as const;

/** The function's configuration: its environment (contracts/janitor-env.ts). */
export type JanitorConfig = JanitorEnv;

export interface JanitorDeps {
  readonly config: JanitorConfig;
  /** The S3 client (tests pass one mocked with aws-sdk-client-mock). */
  readonly s3: S3Client;
  /** @default - a Powertools Logger with service `sandbox-janitor` */
  readonly logger?: Logger;
  /** @default - a Powertools Metrics with namespace `GovernedLakehouse` */
  readonly metrics?: Metrics;
  /** @default - () => new Date() */
  readonly now?: () => Date;
  /** Overrides the S3 adapter (tests only). @default - S3SandboxStore over `s3` */
  readonly store?: SandboxStore;
}

export interface JanitorResult {
  readonly dryRun: boolean;
  /** Workspaces fully deleted (empty on a dry run). */
  readonly deleted: readonly string[];
  /** Workspaces a dry run would delete (empty otherwise). */
  readonly wouldDelete: readonly string[];
  /** Workspaces left in place. */
  readonly kept: readonly string[];
  readonly objectsDeleted: number;
  /** Objects at the bucket root, which belong to no workspace and are left alone. */
  readonly rootObjects: number;
}

type Outcome =
  | { kind: 'deleted'; objects: number }
  | { kind: 'would-delete'; objects: number }
  | { kind: 'gone' }
  | { kind: 'active'; lastWrite: Date; objects: number }
  | { kind: 'written-during-delete'; objects: number; newer: number }
  | { kind: 'failed'; objects: number; failed: readonly DeleteFailure[]; error?: string };

/** How many failed keys one log line lists (the count is always complete). */
const MAX_LOGGED_KEYS = 50;

/** Builds the handler; the exported `handler` is this with dependencies from the environment. */
export function createHandler(deps: JanitorDeps): (event?: ScheduledEvent) => Promise<JanitorResult> {
  const { config } = deps;
  const logger = deps.logger ?? new Logger({ serviceName: JANITOR_SERVICE_NAME });
  const metrics = deps.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: JANITOR_SERVICE_NAME });
  const now = deps.now ?? (() => new Date());
  const store = deps.store ?? new S3SandboxStore(deps.s3, config.bucket);

  async function deleteWorkspace(ws: WorkspaceActivity, cutoff: Date): Promise<Outcome> {
    // Re-check: a write may have arrived since the bucket was listed.
    const fresh = (await aggregatePages(store.list(ws.prefix))).workspaces().find((w) => w.prefix === ws.prefix);
    if (!fresh) return { kind: 'gone' };
    if (fresh.lastWrite.getTime() > cutoff.getTime()) {
      return { kind: 'active', lastWrite: fresh.lastWrite, objects: fresh.objectCount };
    }
    if (config.dryRun) return { kind: 'would-delete', objects: fresh.objectCount };

    // Delete while re-listing: the batcher holds at most one batch of keys.
    const batcher = new KeyBatcher();
    let deleted = 0;
    let newer = 0;
    const flush = async (keys: string[]): Promise<Outcome | undefined> => {
      if (keys.length === 0) return undefined;
      let result;
      try {
        result = await store.deleteKeys(keys);
      } catch (e) {
        const err = e as Error;
        return {
          kind: 'failed',
          objects: deleted,
          failed: keys.map((key) => ({ key, code: err.name, message: err.message })),
          error: `${err.name}: ${err.message}`,
        };
      }
      deleted += result.deleted.length;
      return result.failed.length > 0 ? { kind: 'failed', objects: deleted, failed: result.failed } : undefined;
    };
    for await (const page of store.list(ws.prefix)) {
      for (const o of page) {
        if (!o.Key) continue;
        if (!o.LastModified || o.LastModified.getTime() > cutoff.getTime()) {
          newer++;
          continue;
        }
        const failure = await flush(batcher.push(o.Key) ?? []);
        if (failure) return failure;
      }
    }
    const failure = await flush(batcher.drain());
    if (failure) return failure;
    return newer > 0 ? { kind: 'written-during-delete', objects: deleted, newer } : { kind: 'deleted', objects: deleted };
  }

  return async () => {
    metrics.addMetric(METRIC_JANITOR_RUNS, MetricUnit.Count, 1);
    const startedAt = now();
    const deleted: string[] = [];
    const wouldDelete: string[] = [];
    const kept: string[] = [];
    const failures: string[] = [];
    let objectsDeleted = 0;
    let rootObjects: number;
    try {
      const cutoff = idleCutoff(startedAt, config.idleDays);
      const listing = await aggregatePages(store.list());
      const plan = planCleanup({ workspaces: listing.workspaces(), now: startedAt, idleDays: config.idleDays });
      logger.info('sandbox listed', {
        bucket: config.bucket,
        idleDays: config.idleDays,
        dryRun: config.dryRun,
        cutoff: cutoff.toISOString(),
        objects: listing.objectsSeen,
        workspaces: plan.delete.length + plan.keep.length,
        idle: plan.delete.length,
        rootObjects: listing.rootObjects,
      });
      rootObjects = listing.rootObjects;
      if (rootObjects > 0) {
        logger.warn('objects at the bucket root belong to no workspace; the janitor leaves them to lifecycle expiration', {
          rootObjects,
        });
      }
      kept.push(...plan.keep.map((w) => w.prefix));

      for (const ws of plan.delete) {
        const base = { workspace: ws.prefix, lastWrite: ws.lastWrite.toISOString(), idleDays: config.idleDays };
        const outcome = await deleteWorkspace(ws, cutoff);
        switch (outcome.kind) {
          case 'deleted':
            deleted.push(ws.prefix);
            objectsDeleted += outcome.objects;
            logger.info('workspace deleted', { ...base, objectsDeleted: outcome.objects });
            break;
          case 'would-delete':
            wouldDelete.push(ws.prefix);
            logger.info('workspace would be deleted (dry run)', { ...base, objectCount: outcome.objects });
            break;
          case 'gone':
            logger.info('workspace already empty', base);
            break;
          case 'active':
            kept.push(ws.prefix);
            logger.info('workspace kept: written since listing', { ...base, lastWrite: outcome.lastWrite.toISOString(), objectCount: outcome.objects });
            break;
          case 'written-during-delete':
            kept.push(ws.prefix);
            objectsDeleted += outcome.objects;
            logger.warn('workspace kept: written while deleting; newer objects left in place', {
              ...base,
              objectsDeleted: outcome.objects,
              objectsLeft: outcome.newer,
            });
            break;
          case 'failed':
            kept.push(ws.prefix);
            objectsDeleted += outcome.objects;
            failures.push(`${ws.prefix} (${outcome.failed.length} keys not deleted: ${summariseCodes(outcome.failed)})`);
            logger.error('workspace not fully deleted', {
              ...base,
              objectsDeleted: outcome.objects,
              keysNotDeleted: outcome.failed.length,
              failedKeys: outcome.failed.slice(0, MAX_LOGGED_KEYS),
              ...(outcome.error ? { requestError: outcome.error } : {}),
            });
            break;
        }
      }
    } finally {
      metrics.addMetric(METRIC_WORKSPACES_DELETED, MetricUnit.Count, deleted.length);
      metrics.addMetric(METRIC_OBJECTS_DELETED, MetricUnit.Count, objectsDeleted);
      metrics.addMetric(METRIC_WORKSPACES_KEPT, MetricUnit.Count, kept.length);
      metrics.publishStoredMetrics();
    }
    if (failures.length > 0) {
      throw new Error(
        `Sandbox janitor: ${failures.length} workspace(s) not fully deleted: ${failures.join('; ')}. ` +
          'The next run retries what is left; see the "workspace not fully deleted" log lines.',
      );
    }
    return { dryRun: config.dryRun, deleted, wouldDelete, kept, objectsDeleted, rootObjects };
  };
}

function summariseCodes(failed: readonly DeleteFailure[]): string {
  const counts = new Map<string, number>();
  for (const f of failed) counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return [...counts.entries()].map(([code, n]) => `${code} ×${n}`).join(', ');
}

let fromEnv: ((event?: ScheduledEvent) => Promise<JanitorResult>) | undefined;

/** The Lambda entry point; reads its configuration on the first invocation. */
export const handler = async (event: ScheduledEvent): Promise<JanitorResult> => {
  fromEnv ??= createHandler({ config: JANITOR_ENV.parse(process.env), s3: new S3Client({}) });
  return fromEnv(event);
};
