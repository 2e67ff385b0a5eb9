/**
 * The access matrix summarised: one letter per allowed action, per principal and zone, and the
 * principal × zone table by kind of principal (the README's table, the head of access-matrix.md).
 * Computed from the proof's cells; each principal's summary is a few short strings, so the
 * summaries of every principal fit in memory at any number of domains.
 */
import { CLEAR_DATA_ZONES, ZONE_NAMES, ZoneName } from '../../lambda/shared/zones';

/** The cell shape the summary reads (a subset of the proof's MatrixCell). */
export interface SummarisedCell {
  readonly zone: ZoneName;
  readonly action: string;
  readonly variant?: string;
  readonly decision: 'allow' | 'deny' | 'partial';
}

/** The principal fields the grouping reads (a subset of the proof's PrincipalSummary). */
export interface SummarisedPrincipal {
  readonly id: string;
  readonly kind: string;
  readonly hypothetical: boolean;
  readonly domain?: string;
  readonly stage?: FlowStage;
  readonly access: ZoneAccess;
  /** Whether it can read the PII token key. */
  readonly readsPiiTokenKey?: boolean;
  /** Whether it can read the pipelines' query results (absent: the proof did not check them). */
  readonly readsPipelineResults?: boolean;
}

/** One letter per action, in matrix order: [action, PutObject variant, letter, meaning]. */
export const ACTION_LETTERS: ReadonlyArray<readonly [string, string | undefined, string, string]> = [
  ['s3:GetObject', undefined, 'r', 'read'],
  ['s3:PutObject', 'if-none-match', 'w', 'write a new object'],
  ['s3:PutObject', 'overwrite', 'o', 'overwrite an object'],
  ['s3:DeleteObject', undefined, 'd', 'delete'],
  ['s3:DeleteObjectVersion', undefined, 'v', 'delete a version'],
  ['s3:PutObjectRetention', undefined, 't', 'change retention'],
  ['s3:BypassGovernanceRetention', undefined, 'b', 'bypass governance retention'],
  ['s3:PutBucketPolicy', undefined, 'P', 'put bucket policy'],
  ['s3:DeleteBucketPolicy', undefined, 'X', 'delete bucket policy'],
  ['s3:PutLifecycleConfiguration', undefined, 'L', 'put lifecycle'],
];

/** Per zone, the letters of the allowed actions (`¹`: on some probed keys only, i.e. the role's own prefix). */
export type ZoneAccess = Partial<Record<ZoneName, string>>;

/** The flow zone a pipeline role writes. */
export type FlowStage = 'clean' | 'curated';

const ORDER = new Map(ACTION_LETTERS.map(([, , letter], i) => [letter, i]));

function sortLetters(letters: Iterable<string>): string {
  return [...letters].sort((a, b) => (ORDER.get(a.replace('¹', '')) ?? 0) - (ORDER.get(b.replace('¹', '')) ?? 0)).join(' ');
}

/** The letters of one principal's cells, per zone. */
export function accessLetters(cells: readonly SummarisedCell[]): ZoneAccess {
  const byZone = new Map<ZoneName, string[]>();
  for (const cell of cells) {
    if (cell.decision === 'deny') continue;
    const entry = ACTION_LETTERS.find(([a, v]) => a === cell.action && v === cell.variant);
    if (!entry) continue;
    const list = byZone.get(cell.zone) ?? [];
    list.push(cell.decision === 'partial' ? `${entry[2]}¹` : entry[2]);
    byZone.set(cell.zone, list);
  }
  const access: ZoneAccess = {};
  for (const [zone, letters] of byZone) access[zone] = sortLetters(letters);
  return access;
}

/** The flow zone (clean or curated) a role can put objects into, if any. */
export function stageOf(cells: readonly SummarisedCell[]): FlowStage | undefined {
  let stage: FlowStage | undefined;
  for (const c of cells) {
    if (c.action === 's3:PutObject' && c.decision !== 'deny' && (c.zone === 'clean' || c.zone === 'curated')) stage = c.zone;
  }
  return stage;
}

/** A readable group for a principal: app roles by kind (and stage), hypotheticals by name. */
export function groupOf(p: SummarisedPrincipal): string {
  if (p.hypothetical) return p.id.replace('hypothetical:', 'hypothetical ');
  if (p.kind === 'pipeline') return `pipeline, ${p.stage ?? '?'} stage (per domain)`;
  if (p.kind === 'ingest') return 'ingest (per domain or source)';
  if (p.kind === 'steward') return 'steward (per domain)';
  if (p.kind === 'analyst') return 'analyst (per team)';
  return p.kind;
}

function row(label: string, access: ReadonlyMap<ZoneName, Set<string>> | ZoneAccess): string {
  const cells = ZONE_NAMES.map((z) => {
    const value = access instanceof Map ? sortLetters(access.get(z) ?? []) : ((access as ZoneAccess)[z] ?? '');
    return value || '–';
  });
  return `| ${label} | ${cells.join(' | ')} |`;
}

function header(first: string): string[] {
  return [`| ${first} | ${ZONE_NAMES.join(' | ')} |`, `|---|${ZONE_NAMES.map(() => '---').join('|')}|`];
}

/** The principal × zone table by kind of principal: the union of every member's letters. */
export function renderAccessTable(principals: Iterable<SummarisedPrincipal>): string {
  const groups = new Map<string, Map<ZoneName, Set<string>>>();
  for (const p of principals) {
    const group = groupOf(p);
    let zones = groups.get(group);
    if (!zones) groups.set(group, (zones = new Map()));
    for (const [zone, letters] of Object.entries(p.access) as Array<[ZoneName, string]>) {
      let set = zones.get(zone);
      if (!set) zones.set(zone, (set = new Set()));
      for (const l of letters.split(' ')) if (l) set.add(l);
    }
  }
  const rows = header('principal');
  for (const [group, zones] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) rows.push(row(group, zones));
  return rows.join('\n');
}

/** One row per principal (for the per-domain detail). */
export function renderPrincipalTable<P extends SummarisedPrincipal>(principals: Iterable<P>, label: (p: P) => string = (p) => p.id): string {
  const rows = header('principal');
  for (const p of principals) rows.push(row(label(p).replace(/\|/g, '\\|'), p.access));
  return rows.join('\n');
}

/**
 * Who can read clear PII, by kind of principal: the read letter on each clear-data zone (`r¹`: only
 * under its own domain's prefix) and whether it can read the PII token key — the proof's answers.
 */
export function renderClearDataTable(principals: Iterable<SummarisedPrincipal>): string {
  const groups = new Map<string, { zones: Map<ZoneName, Set<string>>; key: boolean; results: boolean }>();
  let resultsChecked = false;
  for (const p of principals) {
    const group = groupOf(p);
    let entry = groups.get(group);
    if (!entry) groups.set(group, (entry = { zones: new Map(), key: false, results: false }));
    entry.key ||= p.readsPiiTokenKey === true;
    entry.results ||= p.readsPipelineResults === true;
    resultsChecked ||= p.readsPipelineResults !== undefined;
    for (const zone of CLEAR_DATA_ZONES) {
      const read = (p.access[zone] ?? '').split(' ').find((l) => l.replace('¹', '') === 'r');
      if (!read) continue;
      let set = entry.zones.get(zone);
      if (!set) entry.zones.set(zone, (set = new Set()));
      set.add(read);
    }
  }
  const extra = resultsChecked ? ["pipelines' query results"] : [];
  const columns = [...CLEAR_DATA_ZONES, ...extra, 'PII token key'];
  const rows = [`| principal | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
  for (const [group, entry] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const cells: string[] = CLEAR_DATA_ZONES.map((z) => {
      const letters = entry.zones.get(z);
      return letters ? (letters.has('r') ? 'r' : 'r¹') : '–';
    });
    if (resultsChecked) cells.push(entry.results ? 'read' : '–');
    rows.push(`| ${group} | ${cells.join(' | ')} | ${entry.key ? 'read' : '–'} |`);
  }
  return rows.join('\n');
}

export function accessLegend(): string {
  return `${ACTION_LETTERS.map(([, , l, d]) => `\`${l}\` ${d}`).join(', ')}; \`¹\` only under the role's own prefix (domain, source or workspace); \`–\` nothing.`;
}
