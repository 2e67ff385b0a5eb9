/**
 * The environment of the curated-model runner (`lambda/models/handler.ts`), set by the
 * `CuratedModels` construct (`constructs/models/curated-models.ts`).
 *
 * The function also honours Powertools' `POWERTOOLS_*` (`LakehouseFunction`).
 */
import { envContract, list, text, wholeNumber, withDefault, type EnvConfig } from './env';

export const MODEL_RUNNER_ENV = envContract('CuratedModels', {
  domain: text('DOMAIN'),
  /** The domain's curated Glue database (`<domain>_curated`). */
  database: text('CURATED_DATABASE'),
  curatedBucket: text('CURATED_BUCKET'),
  cleanBucket: text('CLEAN_BUCKET'),
  workgroup: text('WORKGROUP'),
  /** The lake key: every object written is SSE-KMS with it. */
  kmsKeyArn: text('KMS_KEY_ARN'),
  /** The models this function runs. */
  models: list('MODELS'),
  /** How many days back the hourly schedule looks for changed inputs. */
  lookbackDays: withDefault(wholeNumber('LOOKBACK_DAYS', { unit: 'days', min: 1, max: 31, example: 3 }), 3),
});

export type ModelRunnerEnv = EnvConfig<typeof MODEL_RUNNER_ENV.vars>;
