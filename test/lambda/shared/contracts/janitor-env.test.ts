import { JANITOR_ENV } from '../../../../lambda/shared/contracts/janitor-env';

describe('JANITOR_ENV', () => {
  test('reads bucket, idle days and dry run', () => {
    expect(JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: '30' })).toEqual({ bucket: 'b', idleDays: 30, dryRun: false });
    expect(JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: '7', DRY_RUN: 'TRUE' })).toEqual({ bucket: 'b', idleDays: 7, dryRun: true });
    expect(JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: '7', DRY_RUN: 'false' }).dryRun).toBe(false);
  });
  test('fails if SANDBOX_BUCKET or IDLE_DAYS is missing', () => {
    expect(() => JANITOR_ENV.parse({ IDLE_DAYS: '30' })).toThrow(/SANDBOX_BUCKET is not set/);
    expect(() => JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: ' ' })).toThrow(/IDLE_DAYS is not set/);
  });
  test.each(['0', '-3', '1.5', 'thirty'])('fails if IDLE_DAYS is %p', (v) => {
    expect(() => JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: v })).toThrow(/IDLE_DAYS must be a positive whole number/);
  });
  test.each(['yes', '1', 'dry'])('fails if DRY_RUN is %p (a mistyped flag must not delete)', (v) => {
    expect(() => JANITOR_ENV.parse({ SANDBOX_BUCKET: 'b', IDLE_DAYS: '30', DRY_RUN: v })).toThrow(/DRY_RUN must be "true" or "false"/);
  });
});
