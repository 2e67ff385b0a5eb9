/**
 * The environment of the dataset transform function (`lambda/transform/handler.ts`), set by the
 * `DatasetTransform` construct (`constructs/transforms/dataset-transform.ts`).
 *
 * The function also honours, unset by the construct: `S3_ENDPOINT`, `S3_FORCE_PATH_STYLE` (a local
 * S3: `aws/s3-client-config.ts`), `DUCKDB_MEMORY_LIMIT_MB`, `DUCKDB_THREADS` (DuckDB's limits:
 * `lambda/transform/core/engine.ts`), and Powertools' `POWERTOOLS_*` (`LakehouseFunction`).
 */
import { envContract, optional, text, type EnvConfig } from './env';

export const TRANSFORM_ENV = envContract('DatasetTransform', {
  /** With `dataset`: objects outside `<domain>/<dataset>/` are refused. */
  domain: optional(text('DOMAIN')),
  dataset: optional(text('DATASET')),
  /** The Glue table that carries the dataset's contract. */
  glueDatabase: text('GLUE_DATABASE'),
  glueTable: text('GLUE_TABLE'),
  cleanBucket: text('CLEAN_BUCKET'),
  quarantineBucket: text('QUARANTINE_BUCKET'),
  /** SSE-KMS key for uploads. @default - no encryption headers (the bucket default applies) */
  kmsKeyArn: optional(text('KMS_KEY_ARN')),
  /** The ARN (never the value) of the secret holding the PII token key. @default - none: a contract with pii columns fails */
  tokenSecretArn: optional(text('TOKEN_SECRET_ARN')),
});

export type TransformEnv = EnvConfig<typeof TRANSFORM_ENV.vars>;
