/**
 * Bounds on the synth-time checks. A check that runs out of memory would otherwise end synth with a
 * V8 heap dump that names nothing; one that runs for an hour would look hung. Instead:
 * - a check that reports progress (the governance proof, per principal) calls `CheckBounds.check`,
 *   which stops it with a {@link CheckBoundExceeded} naming the check, how far it got and what to do
 *   once the heap passes a fraction of its limit or the check passes its time limit;
 * - every registered validation plugin is wrapped by {@link boundedPlugin}: the heap is checked
 *   before it runs, and V8's size limits inside it ("Invalid string length", "Invalid array
 *   length", "Array buffer allocation failed"; "Maximum call stack size exceeded" as its own
 *   bound) are reported the same way; any other error passes through unchanged.
 */
import * as v8 from 'v8';
import { LakehouseError } from '../constructs/errors';

export interface CheckBoundsOptions {
  /**
   * Stop once the used heap passes this fraction of V8's heap limit.
   * @default 0.9
   */
  readonly heapFraction?: number;
  /**
   * Stop once the check has run this long.
   * @default 1,800,000 ms (30 minutes)
   */
  readonly timeLimitMs?: number;
  /** @default v8.getHeapStatistics */
  readonly heapStatistics?: () => Pick<v8.HeapInfo, 'used_heap_size' | 'heap_size_limit'>;
  /** @default performance.now */
  readonly now?: () => number;
}

const MB = 1024 * 1024;

/** A check stopped by a bound, with what to do. */
export class CheckBoundExceeded extends LakehouseError {
  constructor(check: string, bound: 'memory' | 'time' | 'stack', detail: string, fix: string) {
    super({ code: 'LH-CHECK-001', path: check, value: detail, problem: `the ${check} check stopped: it ran out of its ${bound} bound`, fix });
    this.name = 'CheckBoundExceeded';
  }
}

const MEMORY_FIX =
  'give synth more heap (NODE_OPTIONS=--max-old-space-size=8192 npm run synth), and report the figures (`npm run bench:scale`) — a check that needs this much memory has stopped scaling linearly with the number of domains';
const TIME_FIX = 'measure with `npm run bench:scale` which check grows faster than the number of domains; raise the time limit only if the growth is linear';

export class CheckBounds {
  private readonly started: number;
  private readonly heapFraction: number;
  private readonly timeLimitMs: number;
  private readonly heap: () => Pick<v8.HeapInfo, 'used_heap_size' | 'heap_size_limit'>;
  private readonly now: () => number;

  constructor(
    public readonly name: string,
    options: CheckBoundsOptions = {},
  ) {
    this.heapFraction = options.heapFraction ?? 0.9;
    this.timeLimitMs = options.timeLimitMs ?? 30 * 60 * 1000;
    this.heap = options.heapStatistics ?? v8.getHeapStatistics;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** Throws {@link CheckBoundExceeded} when a bound is passed; `progress` says how far the check got. */
  public check(progress: string): void {
    const { used_heap_size: used, heap_size_limit: limit } = this.heap();
    if (used > this.heapFraction * limit) {
      throw new CheckBoundExceeded(this.name, 'memory', `${Math.round(used / MB)} MB of a ${Math.round(limit / MB)} MB heap in use after ${progress}`, MEMORY_FIX);
    }
    const elapsed = this.now() - this.started;
    if (elapsed > this.timeLimitMs) {
      throw new CheckBoundExceeded(this.name, 'time', `${Math.round(elapsed / 1000)} s elapsed (limit ${Math.round(this.timeLimitMs / 1000)} s) after ${progress}`, TIME_FIX);
    }
  }
}

/** V8's messages when a string, array or buffer would pass its size limit: out of memory, in effect. */
const V8_SIZE_LIMIT = /^(Invalid (string|array|typed array) length|Array buffer allocation failed)/;
const STACK_FIX = 'a check recursed too deep: report it with the input that caused it (more heap does not help)';

/**
 * Wraps a validation plugin so that a heap already near its limit, or a V8 size limit inside it,
 * fails synth with a message naming the plugin, not a stack trace from inside it. Its own errors,
 * `RangeError`s that are not V8 limits included, pass through unchanged.
 */
export function boundedPlugin<C, R, T extends { readonly name: string; validate(context: C): R }>(plugin: T, options: CheckBoundsOptions = {}): T {
  const validate = plugin.validate.bind(plugin);
  plugin.validate = (context: C): R => {
    new CheckBounds(plugin.name, options).check('synth and the checks before it (before it started)');
    try {
      return validate(context);
    } catch (e) {
      if (e instanceof RangeError && V8_SIZE_LIMIT.test(e.message)) {
        throw new CheckBoundExceeded(plugin.name, 'memory', `V8 refused: ${e.message}`, MEMORY_FIX);
      }
      if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
        throw new CheckBoundExceeded(plugin.name, 'stack', `V8 refused: ${e.message}`, STACK_FIX);
      }
      throw e;
    }
  };
  return plugin;
}
