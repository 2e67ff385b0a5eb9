/**
 * Who reads and writes which key prefixes of each zone, from the governance proof's matrix
 * (`access-matrix.json` and `access-matrix/<stack>.json`, read one stack file at a time through
 * matrix-files.ts). A cell allowed on every probed key reaches the whole zone (`*`); one allowed on
 * some keys reaches the prefixes those keys stand for — a domain (the diagrams), or the literal
 * prefix a policy names (`sales/webshop/orders`; the diff) — and, when the fresh probe key (which no
 * policy names) is allowed, every prefix but the denied ones (`* except web`).
 * The hypothetical principals are left out: they stand for roles the app does not define.
 */
import { ACCESS_MATRIX_JSON, AccessMatrixIndex, readAccessMatrixFile, readAccessMatrixIndex, WrittenCell } from '../../governance/matrix-files';
import { isFreshProbeKey, PROBE_LEAF } from '../../governance/probe-keys';
import type { PrincipalSummary } from '../../governance/proof';
import * as fs from 'fs';
import * as path from 'path';
import { ZoneName } from '../../../lambda/shared/zones';

/** The whole zone. */
export const WHOLE_ZONE = '*';

export interface ZoneReach {
  /** Prefixes it may read (GetObject), or `*`. */
  readonly read: readonly string[];
  /** Prefixes it may put objects under (PutObject, new or overwrite), or `*`. */
  readonly write: readonly string[];
}

export interface PrincipalAccess {
  readonly id: string;
  readonly kind: string;
  readonly stage?: string;
  readonly domain?: string;
  readonly source?: string;
  readonly zones: Partial<Record<ZoneName, ZoneReach>>;
}

/** Every app principal's reach, indexed by the prefixes it reaches and the domain it belongs to. */
export interface AccessIndex {
  readonly environment?: AccessMatrixIndex['environment'];
  /** Principals reaching a whole zone. */
  readonly wholeZone: readonly PrincipalAccess[];
  /** Principals by a prefix they reach in some zone. */
  readonly byPrefix: ReadonlyMap<string, readonly PrincipalAccess[]>;
  /** Principals by their `lakehouse:domain`. */
  readonly byDomain: ReadonlyMap<string, readonly PrincipalAccess[]>;
  readonly principals: number;
}

const ALL_BUT = `${WHOLE_ZONE} except `;

/** Every prefix but `except` (the whole zone when `except` is empty). */
export function allBut(except: readonly string[]): string {
  return except.length === 0 ? WHOLE_ZONE : `${ALL_BUT}${[...except].sort().join(', ')}`;
}

/** The prefixes an `allBut` reach leaves out, or undefined when `reach` is not one. */
export function exceptionsOf(reach: string): string[] | undefined {
  return reach.startsWith(ALL_BUT) ? reach.slice(ALL_BUT.length).split(', ') : undefined;
}

/** Whether a reach covers every prefix it does not name: `*` or `* except …`. */
export function isWholeZoneReach(reach: string): boolean {
  return reach === WHOLE_ZONE || reach.startsWith(ALL_BUT);
}

/**
 * The prefix a probe key stands for: the literal part of the pattern it witnesses, up to where a
 * wildcard became the probe leaf (`sales/webshop/orders/governance-probe` → `sales/webshop/orders`),
 * or the key itself; `domain` keeps its first path segment.
 */
export function prefixOfProbeKey(key: string, depth: 'domain' | 'literal'): string | undefined {
  const at = key.indexOf(PROBE_LEAF);
  const literal = (at < 0 ? key : key.slice(0, at)).replace(/\/+$/, '');
  if (literal === '') return undefined;
  return depth === 'domain' ? literal.split('/')[0] : literal;
}

/**
 * The prefixes a written cell allows: `*` when every probed key is allowed; else the prefixes of the
 * allowed keys, and — when the fresh key, standing for every prefix no policy names, is allowed —
 * every prefix but those of the denied keys.
 */
export function allowedPrefixes(cell: Pick<WrittenCell, 'decision' | 'outcomes'>, depth: 'domain' | 'literal' = 'domain'): string[] {
  if (cell.decision === 'deny') return [];
  if (cell.decision === 'allow') return [WHOLE_ZONE];
  const allowed = new Set<string>();
  const denied = new Set<string>();
  let fresh = false;
  for (const o of cell.outcomes) {
    for (const k of o.keys) {
      if (k === null) continue;
      if (isFreshProbeKey(k)) {
        if (o.decision === 'allow') fresh = true;
        continue;
      }
      const p = prefixOfProbeKey(k, depth);
      if (p) (o.decision === 'allow' ? allowed : denied).add(p);
    }
  }
  const out = [...allowed].sort();
  if (fresh) out.push(allBut([...denied].filter((p) => !allowed.has(p))));
  return out;
}

/** One principal's reach per zone, from its cells. */
export function principalAccess(summary: Pick<PrincipalSummary, 'id' | 'kind' | 'stage' | 'domain' | 'source'>, cells: readonly WrittenCell[]): PrincipalAccess {
  const zones: Partial<Record<ZoneName, { read: Set<string>; write: Set<string> }>> = {};
  for (const cell of cells) {
    const isRead = cell.action === 's3:GetObject';
    const isWrite = cell.action === 's3:PutObject';
    if (!isRead && !isWrite) continue;
    const prefixes = allowedPrefixes(cell);
    if (prefixes.length === 0) continue;
    const z = (zones[cell.zone] ??= { read: new Set(), write: new Set() });
    for (const p of prefixes) (isRead ? z.read : z.write).add(p);
  }
  const out: Partial<Record<ZoneName, ZoneReach>> = {};
  for (const [zone, z] of Object.entries(zones) as Array<[ZoneName, { read: Set<string>; write: Set<string> }]>) {
    out[zone] = { read: [...z.read].sort(), write: [...z.write].sort() };
  }
  return { id: summary.id, kind: summary.kind, stage: summary.stage, domain: summary.domain, source: summary.source, zones: out };
}

/** Reads the matrix one stack file at a time into an {@link AccessIndex}; undefined when there is no matrix. */
export function readAccessIndex(cdkOut: string): AccessIndex | undefined {
  if (!fs.existsSync(path.join(cdkOut, ACCESS_MATRIX_JSON))) return undefined;
  const index = readAccessMatrixIndex(cdkOut);
  if (index.version !== 2 || !Array.isArray(index.principals)) return undefined; // not a matrix the proof wrote
  const summaries = new Map(index.principals.filter((p) => !p.hypothetical).map((p) => [p.id, p]));
  const files = [...new Set([...summaries.values()].map((p) => p.file))].sort();
  const wholeZone: PrincipalAccess[] = [];
  const byPrefix = new Map<string, PrincipalAccess[]>();
  const byDomain = new Map<string, PrincipalAccess[]>();
  const push = (map: Map<string, PrincipalAccess[]>, key: string, p: PrincipalAccess) => {
    const list = map.get(key) ?? [];
    if (!list.includes(p)) list.push(p);
    map.set(key, list);
  };
  let principals = 0;
  for (const file of files) {
    for (const entry of readAccessMatrixFile(cdkOut, file).principals) {
      const summary = summaries.get(entry.id);
      if (!summary) continue;
      const access = principalAccess(summary, entry.cells);
      principals++;
      if (access.domain) push(byDomain, access.domain, access);
      let whole = false;
      for (const reach of Object.values(access.zones)) {
        for (const p of [...(reach?.read ?? []), ...(reach?.write ?? [])]) {
          if (isWholeZoneReach(p)) whole = true;
          else push(byPrefix, p, access);
        }
      }
      if (whole) wholeZone.push(access);
    }
  }
  return { environment: index.environment, wholeZone, byPrefix, byDomain, principals };
}

/** The principals that may touch a domain's data: by its prefix, by their domain tag, or the whole zone. */
export function candidatesFor(index: AccessIndex, domain: string): PrincipalAccess[] {
  return [...new Set([...(index.byPrefix.get(domain) ?? []), ...(index.byDomain.get(domain) ?? []), ...index.wholeZone])];
}

/**
 * The prefixes of a zone a principal reaches for a domain: `domain` itself, its own source prefix
 * when it belongs to the domain, `*` (also for every prefix but some that do not include `domain`)
 * — or nothing.
 */
export function reachFor(p: PrincipalAccess, zone: ZoneName, mode: 'read' | 'write', domain: string): string[] {
  const reach = p.zones[zone]?.[mode] ?? [];
  const out = new Set<string>();
  for (const prefix of reach) {
    if (prefix === WHOLE_ZONE || exceptionsOf(prefix)?.includes(domain) === false) out.add(WHOLE_ZONE);
    else if (prefix === domain || (p.domain === domain && prefix === p.source)) out.add(prefix);
  }
  return [...out];
}

/** A principal's kind as a label: `pipeline (clean stage)`, `ingest`, `analyst`, `steward`… */
export function kindLabel(p: Pick<PrincipalAccess, 'kind' | 'stage'>): string {
  return p.kind === 'pipeline' && p.stage ? `pipeline (${p.stage} stage)` : p.kind;
}
