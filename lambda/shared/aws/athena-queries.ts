/**
 * Runs queries on Athena in one workgroup: start, poll, read results — with exponential backoff
 * (full jitter) on throttling and transient errors, idempotent starts (a client request token per
 * logical query), and a deadline after which the query is stopped.
 *
 * The `QueryRunner` port (ports.ts) of the curated-model runner and the big-file route, also used
 * by `npx lakehouse smoke`. The clock (now, sleep, random) is injectable so tests run without
 * waiting.
 */
import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { QueryOptions, QueryOutcome, QueryRunner, ResultRow } from '../ports';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** In [0, 1]: the jitter factor. */
  random(): number;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface RetryPolicy {
  /** Calls of one API operation before giving up (first call included). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 20_000 };

export interface PollPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_POLL: PollPolicy = { initialMs: 500, maxMs: 5_000, factor: 1.5 };

/** Error names of throttling and transient service failures worth retrying. */
export const TRANSIENT_ERROR_NAMES: readonly string[] = [
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
];

/** Is this SDK error throttling or a transient failure? */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (!e || typeof e !== 'object') return false;
  if (TRANSIENT_ERROR_NAMES.includes(e.name ?? '') || TRANSIENT_ERROR_NAMES.includes(e.code ?? '')) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && (status === 429 || status >= 500);
}

/** Delay before retry `attempt` (1 = the first retry): full jitter over an exponential cap. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap * random());
}

/** A query ended FAILED or CANCELLED. */
export class AthenaQueryError extends Error {
  public readonly queryExecutionId: string;
  public readonly state: string;
  /** Athena says running the query again may succeed (`AthenaError.Retryable`). */
  public readonly retryable: boolean;
  /** 1 = system, 2 = user, 3 = other (`AthenaError.ErrorCategory`). */
  public readonly category?: number;

  constructor(label: string, execution: QueryExecution) {
    const status = execution.Status ?? {};
    const reason = status.AthenaError?.ErrorMessage ?? status.StateChangeReason ?? 'no reason given';
    super(`Athena query "${label}" (${execution.QueryExecutionId}) ${status.State}: ${reason}`);
    this.name = 'AthenaQueryError';
    this.queryExecutionId = execution.QueryExecutionId ?? '';
    this.state = String(status.State);
    this.retryable = status.AthenaError?.Retryable === true;
    this.category = status.AthenaError?.ErrorCategory;
  }
}

/** The deadline came before the query (or a retry) could finish. */
export class QueryTimeoutError extends Error {
  constructor(label: string, queryExecutionId?: string) {
    super(`Athena query "${label}"${queryExecutionId ? ` (${queryExecutionId})` : ''} did not finish before the run's deadline${queryExecutionId ? '; it was stopped' : ''}`);
    this.name = 'QueryTimeoutError';
  }
}

export interface AthenaQueriesOptions {
  readonly clock?: Partial<Clock>;
  readonly retry?: Partial<RetryPolicy>;
  readonly poll?: Partial<PollPolicy>;
  /** Runs of a SELECT that Athena marks retryable (query() only). @default 3 */
  readonly queryAttempts?: number;
  /** Called on each retry and poll (logging). */
  readonly onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: string }) => void;
}

export class AthenaQueries implements QueryRunner {
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly poll: PollPolicy;
  private readonly queryAttempts: number;

  constructor(
    private readonly client: AthenaClient,
    public readonly workgroup: string,
    private readonly options: AthenaQueriesOptions = {},
  ) {
    this.clock = { ...SYSTEM_CLOCK, ...options.clock };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.poll = { ...DEFAULT_POLL, ...options.poll };
    this.queryAttempts = options.queryAttempts ?? 3;
  }

  /** Sleeps before a retry, unless that would pass the deadline. */
  async backoff(attempt: number, opts: QueryOptions, operation: string, error: unknown): Promise<void> {
    const delayMs = backoffDelay(attempt, this.retry, () => this.clock.random());
    if (this.clock.now() + delayMs > opts.deadline) throw new QueryTimeoutError(opts.label);
    this.options.onRetry?.({ operation, attempt, delayMs, error: describe(error) });
    await this.clock.sleep(delayMs);
  }

  /** Calls `op`, retrying throttling and transient errors with backoff. */
  async withRetries<T>(operation: string, opts: QueryOptions, op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (e) {
        if (!isTransient(e) || attempt >= this.retry.maxAttempts) throw e;
        await this.backoff(attempt, opts, operation, e);
      }
    }
  }

  /** Starts a query and waits until it succeeds; throws AthenaQueryError or QueryTimeoutError. */
  async execute(sql: string, opts: QueryOptions): Promise<QueryOutcome> {
    const token = randomUUID();
    const started = await this.withRetries('StartQueryExecution', opts, () =>
      this.client.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: this.workgroup, ClientRequestToken: token })),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new Error(`Athena query "${opts.label}": StartQueryExecution returned no QueryExecutionId`);
    let delay = this.poll.initialMs;
    for (;;) {
      const got = await this.withRetries('GetQueryExecution', opts, () => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
      const execution = got.QueryExecution ?? { QueryExecutionId: id };
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED') {
        return {
          queryExecutionId: id,
          dataScannedBytes: execution.Statistics?.DataScannedInBytes,
          engineMs: execution.Statistics?.EngineExecutionTimeInMillis,
          outputLocation: execution.ResultConfiguration?.OutputLocation,
        };
      }
      if (state === 'FAILED' || state === 'CANCELLED') throw new AthenaQueryError(opts.label, execution);
      if (this.clock.now() + delay > opts.deadline) {
        await this.stop(id);
        throw new QueryTimeoutError(opts.label, id);
      }
      await this.clock.sleep(delay);
      delay = Math.min(this.poll.maxMs, Math.round(delay * this.poll.factor));
    }
  }

  /** Reads a succeeded query's rows (all pages, header row skipped), values as text. */
  async rows(queryExecutionId: string, opts: QueryOptions): Promise<ResultRow[]> {
    const out: ResultRow[] = [];
    let names: string[] | undefined;
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.withRetries('GetQueryResults', opts, () =>
        this.client.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, NextToken: token, MaxResults: 1000 })),
      );
      names ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const rows = page.ResultSet?.Rows ?? [];
      for (let i = first ? 1 : 0; i < rows.length; i++) {
        const data = rows[i].Data ?? [];
        out.push(Object.fromEntries(names.map((n, j) => [n, data[j]?.VarCharValue ?? null])));
      }
      first = false;
      token = page.NextToken;
    } while (token);
    return out;
  }

  /** Runs a SELECT and returns its rows; runs it again (with backoff) when Athena says the failure is retryable. */
  async query(sql: string, opts: QueryOptions): Promise<ResultRow[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.execute(sql, opts);
        return await this.rows(outcome.queryExecutionId, opts);
      } catch (e) {
        if (!(e instanceof AthenaQueryError) || !e.retryable || attempt >= this.queryAttempts) throw e;
        await this.backoff(attempt, opts, `query ${opts.label}`, e);
      }
    }
  }

  private async stop(id: string): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch {
      // Best effort: the workgroup's scan cutoff still bounds a query we could not stop.
    }
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
