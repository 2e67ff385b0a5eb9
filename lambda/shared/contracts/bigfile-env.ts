/**
 * The environment of the big-file route's function (`lambda/bigfile/handler.ts`), set by the
 * `BigFileRoute` construct (`constructs/transforms/big-file-route.ts`).
 *
 * The function also honours, unset by the construct: `S3_ENDPOINT`, `S3_FORCE_PATH_STYLE` (a local
 * S3: `aws/s3-client-config.ts`), and Powertools' `POWERTOOLS_*` (`LakehouseFunction`).
 */
import { envContract, keyPrefix, list, optional, text, type EnvConfig } from './env';

export const BIG_FILE_ENV = envContract('BigFileRoute', {
  domain: text('DOMAIN'),
  /** The domain's datasets: a run for another is refused. */
  datasets: list('DATASETS'),
  /** The domain's sources, when it declares them: raw keys are then `<domain>/<source>/<dataset>/…`. @default - none: `<domain>/<dataset>/…` */
  sources: optional(list('SOURCES')),
  /** The domain's clean Glue database: the contracts, and the runs' temporary tables. */
  cleanDatabase: text('CLEAN_DATABASE'),
  cleanBucket: text('CLEAN_BUCKET'),
  quarantineBucket: text('QUARANTINE_BUCKET'),
  /** Where the prepare step writes the staging records (the pipelines workgroup's results bucket). */
  stagingBucket: text('STAGING_BUCKET'),
  /** Ends with `/`. */
  stagingPrefix: keyPrefix('STAGING_PREFIX'),
  workgroup: text('WORKGROUP'),
  /** The lake key: every object written is SSE-KMS with it. */
  kmsKeyArn: text('KMS_KEY_ARN'),
  /** The ARN (never the value) of the secret holding the PII token key. @default - none: a contract with pii columns fails */
  tokenSecretArn: optional(text('TOKEN_SECRET_ARN')),
});

export type BigFileEnv = EnvConfig<typeof BIG_FILE_ENV.vars>;
