/**
 * DuckDB set-up for the transform: one in-memory instance per process (a Lambda container),
 * a fresh connection per file.
 *
 * Settings (FACTS.md): `TimeZone='UTC'` so TIMESTAMPTZ values and their dates are UTC;
 * threads = vCPUs; a memory limit of about half the function's memory so DuckDB spills to
 * `/tmp` instead of the function running out of memory; insertion order not preserved (nothing
 * here depends on row order, and keeping it costs memory); no extension auto-install or
 * auto-load (json, parquet and icu are built into the binary; there is no network).
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface EngineOptions {
  /** @default the number of vCPUs */
  readonly threads?: number;
  /** DuckDB's memory limit in MiB. @default half of `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, else 1024 */
  readonly memoryLimitMb?: number;
  /** Where DuckDB spills. @default `<os.tmpdir()>/duckdb` (`/tmp/duckdb` on Lambda) */
  readonly tempDirectory?: string;
}

/** The options for this process: Lambda's memory size decides the memory limit. */
export function engineOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  const fnMemory = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const limit = Number(env.DUCKDB_MEMORY_LIMIT_MB);
  return {
    memoryLimitMb: limit > 0 ? limit : fnMemory > 0 ? Math.floor(fnMemory * 0.5) : undefined,
    threads: Number(env.DUCKDB_THREADS) > 0 ? Number(env.DUCKDB_THREADS) : undefined,
  };
}

/** A DuckDB instance shared by the files one process transforms. */
export class Engine {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async create(opts: EngineOptions = {}): Promise<Engine> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(opts.threads ?? availableParallelism()),
      memory_limit: `${opts.memoryLimitMb ?? 1024}MB`,
      temp_directory: opts.tempDirectory ?? join(tmpdir(), 'duckdb'),
      // Lambda's home directory is read-only; nothing is installed there, but DuckDB may look.
      home_directory: tmpdir(),
      preserve_insertion_order: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    return new Engine(instance);
  }

  /** Runs `work` on a fresh connection, closed afterwards (its temp tables go with it). */
  async withConnection<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.instance.connect();
    try {
      await conn.run("SET TimeZone = 'UTC'");
      return await work(conn);
    } finally {
      conn.closeSync();
    }
  }

  close(): void {
    this.instance.closeSync();
  }
}

let shared: Promise<Engine> | undefined;

/** The process-wide engine, created on first use (reused by warm Lambda invocations). */
export function sharedEngine(opts: EngineOptions = engineOptionsFromEnv()): Promise<Engine> {
  shared ??= Engine.create(opts).catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}
