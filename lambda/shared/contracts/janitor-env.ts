/**
 * The environment of the sandbox janitor (`lambda/janitor/handler.ts`), set by the
 * `SandboxJanitor` construct (`constructs/janitor/sandbox-janitor.ts`).
 *
 * The function also honours Powertools' `POWERTOOLS_*` (`LakehouseFunction`).
 */
import { envContract, flag, text, wholeNumber, withDefault, type EnvConfig } from './env';

export const JANITOR_ENV = envContract('SandboxJanitor', {
  /** The sandbox bucket. */
  bucket: text('SANDBOX_BUCKET'),
  /** Days without a write after which a workspace is deleted. */
  idleDays: wholeNumber('IDLE_DAYS', { unit: 'days', min: 1, example: 30 }),
  /** `true`: log what would be deleted and delete nothing. */
  dryRun: withDefault(flag('DRY_RUN'), false),
});

export type JanitorEnv = EnvConfig<typeof JANITOR_ENV.vars>;
