import { EnvError, envContract, flag, keyPrefix, list, optional, text, wholeNumber, withDefault } from '../../../../lambda/shared/contracts/env';

const CONTRACT = envContract('ExampleConstruct', {
  bucket: text('BUCKET'),
  prefix: keyPrefix('PREFIX'),
  names: list('NAMES'),
  days: withDefault(wholeNumber('DAYS', { unit: 'days', min: 1, max: 31, example: 3 }), 3),
  dryRun: withDefault(flag('DRY_RUN'), false),
  keyArn: optional(text('KEY_ARN')),
});

describe('envContract', () => {
  test("the construct's side: variables in declaration order, values written as text, unset ones left out", () => {
    expect(CONTRACT.environment({ names: ['a', 'b'], bucket: 'b', prefix: 'p/', days: 7 })).toEqual({ BUCKET: 'b', PREFIX: 'p/', NAMES: 'a,b', DAYS: '7' });
    expect(Object.keys(CONTRACT.environment({ names: [], bucket: 'b', prefix: 'p/', keyArn: 'k', dryRun: true }))).toEqual(['BUCKET', 'PREFIX', 'NAMES', 'DRY_RUN', 'KEY_ARN']);
  });

  test("the handler's side: trimmed values, types, defaults, an unset optional variable absent", () => {
    expect(CONTRACT.parse({ BUCKET: ' b ', PREFIX: 'p', NAMES: 'a, b,,', DRY_RUN: 'TRUE' })).toEqual({ bucket: 'b', prefix: 'p/', names: ['a', 'b'], days: 3, dryRun: true });
    expect(CONTRACT.parse({ BUCKET: 'b', PREFIX: 'p/', NAMES: 'a', DAYS: '31', DRY_RUN: ' ', KEY_ARN: 'k' })).toEqual({ bucket: 'b', prefix: 'p/', names: ['a'], days: 31, dryRun: false, keyArn: 'k' });
  });

  test('what the construct writes, the handler reads back', () => {
    const values = { bucket: 'b', prefix: 'p/', names: ['a', 'b'], days: 9, dryRun: true, keyArn: 'k' };
    expect(CONTRACT.parse(CONTRACT.environment(values))).toEqual(values);
  });

  test('fails naming every bad variable, what it must be and the fix', () => {
    let error: unknown;
    try {
      CONTRACT.parse({ PREFIX: 'p/', NAMES: 'a', DAYS: '0', DRY_RUN: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([
      "BUCKET is not set. Fix: set it in the function's environment (the ExampleConstruct construct does).",
      'DAYS must be a whole number of days, 1-31 (got "0"). Fix: set e.g. DAYS=3.',
      'DRY_RUN must be "true" or "false" (got "yes"). Fix: set DRY_RUN=true or DRY_RUN=false.',
    ]);
  });

  test.each(['', ' ', '-3', '1.5', 'thirty', '32', '1e1'])('fails if a whole number is %p (or takes the default when unset)', (v) => {
    if (v.trim() === '') expect(CONTRACT.parse({ BUCKET: 'b', PREFIX: 'p/', NAMES: 'a', DAYS: v }).days).toBe(3);
    else expect(() => CONTRACT.parse({ BUCKET: 'b', PREFIX: 'p/', NAMES: 'a', DAYS: v })).toThrow(/DAYS must be a whole number of days, 1-31/);
  });

  test('a missing, misspelt or mistyped key does not compile (checked by tsc)', () => {
    // @ts-expect-error a required variable is missing
    CONTRACT.environment({ bucket: 'b', prefix: 'p/' });
    // @ts-expect-error a renamed or misspelt key
    CONTRACT.environment({ bucket: 'b', prefix: 'p/', names: [], bukcet: 'x' });
    // @ts-expect-error a value of the wrong type
    CONTRACT.environment({ bucket: 'b', prefix: 'p/', names: [], days: '7' });
    const config = CONTRACT.parse({ BUCKET: 'b', PREFIX: 'p/', NAMES: 'a' });
    const days: number = config.days;
    // @ts-expect-error an optional variable may be undefined
    const keyArn: string = config.keyArn;
    expect([days, keyArn]).toEqual([3, undefined]);
  });
});
