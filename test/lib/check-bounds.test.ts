import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { boundedPlugin, CheckBoundExceeded, CheckBounds } from '../../lib/check-bounds';
import { GovernanceProof } from '../../lib/governance';
import { fixtureContext, populateFixture } from '../governance/fixtures';

const MB = 1024 * 1024;

describe('CheckBounds', () => {
  test('fails if the heap passes its fraction of the limit, naming the check, the figures, the progress and the fix', () => {
    const bounds = new CheckBounds('governance proof', { heapStatistics: () => ({ used_heap_size: 950 * MB, heap_size_limit: 1000 * MB }) });
    expect(() => bounds.check('12 of 500 principals')).toThrow(CheckBoundExceeded);
    expect(() => bounds.check('12 of 500 principals')).toThrow(/\[LH-CHECK-001\] governance proof: the governance proof check stopped: it ran out of its memory bound \(got "950 MB of a 1000 MB heap in use after 12 of 500 principals"\)\. Fix: give synth more heap \(NODE_OPTIONS=--max-old-space-size=8192/);
  });

  test('passes below the fraction', () => {
    const bounds = new CheckBounds('x', { heapStatistics: () => ({ used_heap_size: 899 * MB, heap_size_limit: 1000 * MB }) });
    expect(() => bounds.check('half')).not.toThrow();
  });

  test('fails if the check runs past its time limit', () => {
    let now = 0;
    const bounds = new CheckBounds('slow check', { timeLimitMs: 1000, now: () => now, heapStatistics: () => ({ used_heap_size: 0, heap_size_limit: 1 }) });
    now = 999;
    expect(() => bounds.check('a')).not.toThrow();
    now = 1001;
    expect(() => bounds.check('b')).toThrow(/the slow check check stopped: it ran out of its time bound \(got "1 s elapsed \(limit 1 s\) after b"\)\. Fix: measure with `npm run bench:scale`/);
  });
});

describe('boundedPlugin', () => {
  test("turns V8's size errors inside a plugin into a failure that names the plugin", () => {
    const plugin = boundedPlugin({
      name: 'big-report',
      validate: (_context: unknown): string => {
        throw new RangeError('Invalid string length');
      },
    });
    expect(() => plugin.validate(undefined as never)).toThrow(/\[LH-CHECK-001\] big-report: the big-report check stopped: it ran out of its memory bound \(got "V8 refused: Invalid string length"\)/);
  });

  test('passes other errors and results through', () => {
    expect(boundedPlugin({ name: 'ok', validate: (_context: unknown) => 42 }).validate(undefined as never)).toBe(42);
    const failing = boundedPlugin({
      name: 'broken',
      validate: (_context: unknown): number => {
        throw new TypeError('nope');
      },
    });
    expect(() => failing.validate(undefined as never)).toThrow(TypeError);
    // A RangeError that is not a V8 size limit is the plugin's own bug: it passes through unchanged.
    const invalidDate = boundedPlugin({ name: 'dates', validate: (_context: unknown): string => new Date(NaN).toISOString() });
    expect(() => invalidDate.validate(undefined as never)).toThrow(/^Invalid time value$/);
  });

  test('names a stack overflow as such, with a fix that is not more heap', () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    const deep = boundedPlugin({ name: 'deep', validate: (_context: unknown): number => recurse(0) });
    expect(() => deep.validate(undefined as never)).toThrow(/\[LH-CHECK-001\] deep: the deep check stopped: it ran out of its stack bound .*more heap does not help/);
  });

  test('stops before a plugin starts when synth and the checks before it left the heap past its bound', () => {
    const plugin = boundedPlugin({ name: 'late', validate: (_context: unknown) => 1 }, { heapFraction: 0 });
    expect(() => plugin.validate(undefined as never)).toThrow(/heap in use after synth and the checks before it \(before it started\)/);
  });

  test('fails synth naming the governance proof when it passes its memory bound', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounds-'));
    const app = new App({ outdir, context: fixtureContext(), builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(boundedPlugin(new GovernanceProof({ bounds: { heapFraction: 0 } })));
    populateFixture(app);
    expect(() => app.synth()).toThrow(/\[LH-CHECK-001\] governance proof: the governance proof check stopped: it ran out of its memory bound \(got "\d+ MB of a \d+ MB heap in use after 1 of 9 principals"\)/);
  });
});
