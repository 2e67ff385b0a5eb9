/**
 * Which object keys the proof asks about, per principal and zone.
 *
 * S3 object permissions in this app are patterns over keys, and the request context of a probe
 * does not depend on the key. So the decision for a key depends only on which of the relevant
 * resource patterns — the principal's identity statements and the zone's bucket policy — match it.
 * A pattern with a literal key prefix `K` (e.g. `<bucket>/sales/*`) can only match keys that start
 * with `K`; a pattern that is the whole bucket (`<bucket>/*`, `*`, `arn:…:::bucket*`) matches every
 * key. Every key that starts with none of the relevant literal prefixes therefore matches exactly
 * the whole-bucket patterns, like a fresh key under a prefix no policy names, and gets the same
 * decision and the same deciding statements.
 *
 * The representative keys of a principal on a zone are:
 * - a fresh key (`governance-probe-foreign/object`, renamed if a relevant prefix would cover it);
 * - a key under the principal's own prefix (its domain or source);
 * - for every relevant pattern, a witness key (each wildcard filled in);
 * - every key of the whole app's key universe (every domain and source prefix, every witness of
 *   every pattern on the zone) that starts with a relevant literal prefix — usually the handful
 *   under the principal's own prefix, found by binary search in the sorted universe.
 *
 * So the representative set decides every cell exactly as the exhaustive set (the universe, for
 * every principal) does, at a cost that does not grow with the number of other domains; a test
 * compares both on a generated app. A relevant pattern whose key part starts with a wildcard and is
 * not the whole bucket (e.g. `<bucket>/*.csv`) could match keys under any prefix: then that
 * principal and zone are probed with the whole universe (correct, and noted in the result).
 */
import { CompiledStatement, globMatch, GovernanceEvaluationError, splitArn } from './policy-eval';

export const PROBE_LEAF = 'governance-probe';
/** A key under no role's prefix. */
export const FOREIGN_PROBE_KEY = 'governance-probe-foreign/object';

/** How a resource pattern relates to the objects of one bucket. */
export type PatternReach =
  /** It names no object of the bucket. */
  | { readonly kind: 'none' }
  /** It names every object of the bucket. */
  | { readonly kind: 'all' }
  /** It names only objects whose key starts with `prefix` (non-empty); `witness` is one such key. */
  | { readonly kind: 'prefix'; readonly prefix: string; readonly witness: string }
  /** Its key part starts with a wildcard but is not the whole bucket: it may name keys under any prefix. */
  | { readonly kind: 'anywhere'; readonly witness?: string };

const NONE: PatternReach = { kind: 'none' };
const ALL: PatternReach = { kind: 'all' };
const ANYWHERE: PatternReach = { kind: 'anywhere' };

function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  const question = pattern.indexOf('?');
  const cut = [star, question].filter((i) => i >= 0);
  return cut.length === 0 ? pattern : pattern.slice(0, Math.min(...cut));
}

/** Fills each wildcard so the result matches the pattern. */
function fill(pattern: string): string {
  return pattern.replace(/\*/g, PROBE_LEAF).replace(/\?/g, 'x');
}

/**
 * Classifies one `Resource`/`NotResource` pattern against the objects of a bucket. A pattern that
 * is not an ARN is `anywhere` (the evaluator refuses it when it matters).
 */
export function patternReach(pattern: string, bucket: { readonly bucketArn: string; readonly bucketName: string }): PatternReach {
  if (pattern === '*') return ALL;
  const p = splitArn(pattern);
  const b = splitArn(bucket.bucketArn);
  if (!p || !b) return ANYWHERE;
  for (let i = 0; i < 5; i++) {
    if (!globMatch(p[i], b[i])) return NONE;
  }
  const part = p[5];
  const slash = part.indexOf('/');
  const bucketPart = slash < 0 ? part : part.slice(0, slash);
  if (literalPrefix(bucketPart) === bucketPart && slash >= 0) {
    // A literal bucket name, then the key pattern.
    if (bucketPart !== bucket.bucketName) return NONE;
    const keyPart = part.slice(slash + 1);
    if (keyPart === '*') return ALL;
    const prefix = literalPrefix(keyPart);
    if (prefix === '') return { kind: 'anywhere', witness: fill(keyPart) };
    return { kind: 'prefix', prefix, witness: fill(keyPart) };
  }
  const literal = literalPrefix(part);
  if (literal === part) return NONE; // no wildcard and no key: the bucket itself, or another bucket
  const bucketSlash = `${bucket.bucketName}/`;
  if (!bucketSlash.startsWith(literal)) return NONE;
  if (part === `${literal}*`) return ALL;
  // A wildcard inside the bucket name followed by more pattern: it may name keys under any prefix.
  return ANYWHERE;
}

/**
 * The witness key of a pattern on a bucket as the exhaustive key set takes it: the part after the
 * bucket name with each wildcard filled in, when the bucket part matches the bucket's name.
 */
export function universeWitness(pattern: string, bucketName: string): string | undefined {
  const parts = splitArn(pattern);
  if (!parts || !globMatch(parts[2], 's3')) return undefined;
  const slash = parts[5].indexOf('/');
  if (slash < 0 || !globMatch(parts[5].slice(0, slash), bucketName)) return undefined;
  const key = fill(parts[5].slice(slash + 1));
  return key !== '' && !key.includes('${') ? key : undefined;
}

/** The string patterns of a statement's `Resource`/`NotResource`. */
export function resourcePatterns(st: CompiledStatement): string[] {
  const out: string[] = [];
  for (const p of st.resources ?? st.notResources ?? []) if (typeof p === 'string') out.push(p);
  return out;
}

/**
 * Whether a statement can apply to the bucket or one of its objects. `NotResource` statements and
 * unresolved or variable patterns are kept: the evaluator decides, and refuses what it cannot resolve.
 */
export function statementReachesBucket(st: CompiledStatement, bucketArn: string, reachOf: (pattern: string) => PatternReach): boolean {
  if (!st.resources) return true;
  for (const p of st.resources) {
    if (typeof p !== 'string' || p.includes('${')) return true;
    if (reachOf(p).kind !== 'none' || matchesArn(p, bucketArn)) return true;
  }
  return false;
}

function matchesArn(pattern: string, arn: string): boolean {
  const p = splitArn(pattern);
  const b = splitArn(arn);
  if (!p || !b) return false;
  for (let i = 0; i < 6; i++) if (!globMatch(p[i], b[i])) return false;
  return true;
}

/** Whether a statement's applicability can depend on the key (it has a prefix or anywhere pattern). */
export function keyDependent(st: CompiledStatement, reachOf: (pattern: string) => PatternReach): boolean {
  for (const p of st.resources ?? st.notResources ?? []) {
    if (typeof p !== 'string' || p.includes('${')) return true;
    const kind = reachOf(p).kind;
    if (kind === 'prefix' || kind === 'anywhere') return true;
  }
  return false;
}

/** Every key worth probing on one zone, for every principal: the exhaustive set. Sorted. */
export class KeyUniverse {
  public readonly keys: readonly string[];

  constructor(prefixes: Iterable<string>, witnesses: Iterable<string>) {
    const set = new Set<string>([FOREIGN_PROBE_KEY]);
    for (const prefix of prefixes) set.add(ownKey(prefix));
    for (const w of witnesses) if (w !== '' && !w.includes('${')) set.add(w);
    this.keys = [...set].sort(compareKeys);
  }

  /** The keys that start with `prefix`, by binary search. */
  public startingWith(prefix: string): string[] {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid], prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.keys.length && this.keys[i].startsWith(prefix); i++) out.push(this.keys[i]);
    return out;
  }
}

/** Code-unit order, so keys sharing a prefix are contiguous. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The probe key under a principal's own prefix. */
export function ownKey(prefix: string): string {
  return `${prefix}/${PROBE_LEAF}/object`;
}

export interface KeySelection {
  readonly keys: readonly string[];
  /** True when a pattern that may match under any prefix forced the whole universe. */
  readonly exhaustive: boolean;
}

/**
 * The representative keys for one principal on one zone (see the module comment).
 * `patterns` are the string patterns of the relevant statements (the principal's identity
 * statements that reach the bucket, and the bucket policy).
 */
export function representativeKeys(patterns: Iterable<string>, reachOf: (pattern: string) => PatternReach, universe: KeyUniverse, ownPrefixes: readonly string[]): KeySelection {
  const keys = new Set<string>();
  const literals: string[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('${')) continue;
    const reach = reachOf(pattern);
    if (reach.kind === 'anywhere') return { keys: universe.keys, exhaustive: true };
    if (reach.kind !== 'prefix') continue;
    literals.push(reach.prefix);
    keys.add(reach.witness);
    for (const k of universe.startingWith(reach.prefix)) keys.add(k);
  }
  for (const prefix of ownPrefixes) keys.add(ownKey(prefix));
  keys.add(freshKey(literals));
  return { keys: [...keys].sort(compareKeys), exhaustive: false };
}

/** First characters tried for a fresh key; literal prefixes are finite, so one of them is free in any real app. */
const FRESH_FIRST = 'gzqxjvkw0123456789_-~';

/** Whether `key` is a fresh key (see {@link freshKey}): it stands for every prefix no policy names. */
export function isFreshProbeKey(key: string): boolean {
  return key === FOREIGN_PROBE_KEY || (key.endsWith(`-${FOREIGN_PROBE_KEY}`) && key.length === FOREIGN_PROBE_KEY.length + 2);
}

/** A key that starts with none of `literals` (the foreign probe key unless a literal covers it). */
export function freshKey(literals: readonly string[]): string {
  for (const c of FRESH_FIRST) {
    const key = c === 'g' ? FOREIGN_PROBE_KEY : `${c}-${FOREIGN_PROBE_KEY}`;
    if (!literals.some((l) => key.startsWith(l))) return key;
  }
  throw new GovernanceEvaluationError({
    where: '(probe keys)',
    element: 'Resource',
    value: literals,
    problem: 'the resource patterns cover every candidate fresh key, so the proof cannot pick a key that no policy names',
  });
}
