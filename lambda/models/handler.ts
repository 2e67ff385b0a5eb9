/**
 * Curated-model runner — SQS (FIFO, one message group per model) Lambda handler.
 *
 * A thin adapter: it reads its configuration, loads each model's spec from its curated Glue table
 * (`lakehouse.model` parameter), and hands the batch to the core (`core/batch.ts`), which runs
 * models on Athena through the ports of `../shared/ports.ts` and their adapters in `../shared/aws/`
 * (`athena-queries.ts`, `s3-objects.ts`, `glue-catalog.ts`).
 *
 * Errors: a failed run (Athena failure after retries, timeout, assertions blocking publication)
 * fails the invocation — a function error the alarms see — after the rest of the batch ran; the
 * batch comes back after the visibility timeout and covered partitions are skipped, so only the
 * failed work is redone, and after MAX_RECEIVE_COUNT deliveries the message is in the dead-letter
 * queue. Records left unprocessed because time ran short are returned as batch item failures.
 *
 * Environment: `MODEL_RUNNER_ENV` (../shared/contracts/models-env.ts), read on the first invocation.
 *
 * Metrics (namespace `GovernedLakehouse`, service `curated-models-<domain>`): ModelRunsPublished,
 * ModelRunsBlocked, ModelRunsFailed, ModelRunsSkipped, ModelRowsPublished.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { MODEL_RUNNER_ENV, type ModelRunnerEnv } from '../shared/contracts/models-env';
import { METRICS_NAMESPACE } from '../shared/metrics';
import { MODEL_SPEC_PARAMETER, ModelSpec, parseModelSpec, serialiseModelSpec } from '../shared/models/spec';
import { AthenaQueries, Clock, SYSTEM_CLOCK } from '../shared/aws/athena-queries';
import { BatchOutcome, ModelRunFailures, processBatch } from './core/batch';
import { runPartition } from './core/run-partition';
import { GlueCatalog } from '../shared/aws/glue-catalog';
import { S3Objects } from '../shared/aws/s3-objects';
import type { Catalog, ObjectMover } from '../shared/ports';

export const METRIC_RUNS_PUBLISHED = 'ModelRunsPublished';
export const METRIC_RUNS_BLOCKED = 'ModelRunsBlocked';
export const METRIC_RUNS_FAILED = 'ModelRunsFailed';
export const METRIC_RUNS_SKIPPED = 'ModelRunsSkipped';
export const METRIC_ROWS_PUBLISHED = 'ModelRowsPublished';

/** Kept back from the function's remaining time for cleanup and the response. */
export const SAFETY_MARGIN_MS = 15_000;
/** How long a spec read from Glue is reused by a warm container. */
export const SPEC_TTL_MS = 60_000;

/** The function's configuration: its environment (contracts/models-env.ts). */
export type RunnerConfig = ModelRunnerEnv;

export function modelHash(spec: ModelSpec): string {
  return createHash('sha256').update(serialiseModelSpec(spec)).digest('hex').slice(0, 16);
}

/** A run id that is a valid Glue name part: `r<yyyymmddhhmmss>_<6 random>`. */
export function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r${stamp}_${randomBytes(4).toString('hex').slice(0, 6)}`;
}

export interface RunnerDeps {
  readonly config: RunnerConfig;
  readonly athena: AthenaClient;
  readonly s3: S3Client;
  readonly glue: GlueClient;
  /** @default real time */
  readonly clock?: Partial<Clock>;
  /** @default newRunId */
  readonly runId?: (now: number) => string;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** Overrides the adapters (tests). */
  readonly objects?: ObjectMover;
  readonly catalog?: Catalog;
}

/** Builds the handler; the exported `handler` is this with dependencies from the environment. */
export function createHandler(deps: RunnerDeps): (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  const { config } = deps;
  const serviceName = `curated-models-${config.domain}`;
  const logger = deps.logger ?? new Logger({ serviceName });
  const metrics = deps.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const clock: Clock = { ...SYSTEM_CLOCK, ...deps.clock };
  const objects = deps.objects ?? new S3Objects(deps.s3, config.kmsKeyArn);
  const catalog = deps.catalog ?? new GlueCatalog(deps.glue);
  const athena = new AthenaQueries(deps.athena, config.workgroup, {
    clock,
    onRetry: (info) => logger.warn('Athena call retried', info),
  });
  const specs = new Map<string, { spec: ModelSpec; at: number }>();
  const log = {
    info: (message: string, extra: Record<string, unknown> = {}) => logger.info(message, extra),
    warn: (message: string, extra: Record<string, unknown> = {}) => logger.warn(message, extra),
    error: (message: string, extra: Record<string, unknown> = {}) => logger.error(message, extra),
  };

  async function specOf(model: string): Promise<ModelSpec> {
    const cached = specs.get(model);
    if (cached && clock.now() - cached.at < SPEC_TTL_MS) return cached.spec;
    const table = await catalog.getTable(config.database, model);
    const text = table?.parameters[MODEL_SPEC_PARAMETER];
    if (!text) throw new Error(`${config.database}.${model} has no ${MODEL_SPEC_PARAMETER} parameter; deploy the domain stack`);
    const spec = parseModelSpec(text);
    specs.set(model, { spec, at: clock.now() });
    return spec;
  }

  return async (event, context) => {
    const deadline = () => clock.now() + context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS;
    const outcome: BatchOutcome = await processBatch(
      event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
      {
        config,
        specOf,
        modelHash,
        objects,
        now: () => clock.now(),
        remainingMs: () => context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS,
        log,
        run: (spec, date) =>
          runPartition(spec, date, { athena, objects, catalog, now: () => clock.now(), log }, {
            database: config.database,
            curatedBucket: config.curatedBucket,
            runId: (deps.runId ?? newRunId)(clock.now()),
            deadline: deadline(),
            modelHash: modelHash(spec),
          }),
      },
    );
    const published = outcome.results.filter((r) => r.status === 'published');
    metrics.addMetric(METRIC_RUNS_PUBLISHED, MetricUnit.Count, published.length);
    metrics.addMetric(METRIC_RUNS_BLOCKED, MetricUnit.Count, outcome.results.length - published.length);
    metrics.addMetric(METRIC_RUNS_FAILED, MetricUnit.Count, outcome.failures.length);
    metrics.addMetric(METRIC_RUNS_SKIPPED, MetricUnit.Count, outcome.skipped.length);
    metrics.addMetric(METRIC_ROWS_PUBLISHED, MetricUnit.Count, published.reduce((n, r) => n + r.rows, 0));
    metrics.publishStoredMetrics();
    for (const r of outcome.results) logger.info('model run', { ...r, assertions: r.assertions.filter((a) => !a.ok) });
    if (outcome.skipped.length > 0) logger.info('skipped', { skipped: outcome.skipped });
    if (outcome.failures.length > 0) {
      logger.error('curated model runs failed', { failures: outcome.failures });
      throw new ModelRunFailures(outcome.failures);
    }
    return { batchItemFailures: outcome.deferred.map((id) => ({ itemIdentifier: id })) };
  };
}

let fromEnv: ReturnType<typeof createHandler> | undefined;

/** The Lambda entry point; reads its configuration on the first invocation. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  fromEnv ??= createHandler({ config: MODEL_RUNNER_ENV.parse(process.env), athena: new AthenaClient({}), s3: new S3Client({}), glue: new GlueClient({}) });
  return fromEnv(event, context);
};
