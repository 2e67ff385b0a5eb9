/**
 * The data-flow diagrams, as Mermaid flowcharts: one per domain (sources → landing → raw → clean →
 * curated, its datasets and models as nodes, the transform and big-file routes, quarantine) and an
 * overview with the domains as nodes.
 *
 * Every write edge is labelled with the kinds of principal the access matrix lets write its target
 * under the domain's prefix; an edge nobody may write is not drawn (the diagram says so instead).
 * Read edges (dotted) go to every principal that is not one of the domain's own pipeline roles and
 * may read the zone there (analysts, stewards, …): whatever kinds the matrix holds are drawn, with
 * no list of kinds here. Datasets and models with PII columns are marked.
 *
 * Limits: Mermaid refuses a diagram longer than `maxTextSize` (50,000 characters: MAX_TEXTLENGTH in
 * packages/mermaid/src/mermaidAPI.ts, `maxTextSize` in src/schemas/config.schema.yaml) or with more
 * than `maxEdges` edges (500: src/diagrams/flowchart/flowDb.ts `addLink`, same schema), and a page
 * cannot raise them. A diagram over either limit is drawn again with less detail (per-dataset
 * transforms folded into their edges, then datasets and models counted instead of drawn).
 */
import { ZoneName } from '../../../lambda/shared/zones';
import { AccessIndex, candidatesFor, kindLabel, PrincipalAccess, reachFor } from './access';
import { DomainFacts } from './facts';

export interface MermaidLimits {
  readonly maxTextSize: number;
  readonly maxEdges: number;
}

/** Mermaid's defaults (see the module comment for where they are defined). */
export const MERMAID_LIMITS: MermaidLimits = { maxTextSize: 50_000, maxEdges: 500 };

export interface Diagram {
  /** The Mermaid source (without the code fence). */
  readonly text: string;
  readonly edges: number;
  /** 0: everything; 1: transforms folded into edges; 2: datasets and models counted. */
  readonly detail: 0 | 1 | 2;
  /** What the diagram could not show (a route with no writer in the matrix, …). */
  readonly notes: readonly string[];
}

/** A write edge as the diagram draws it, for tests: from → to, labelled with the writers' kinds. */
export interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly kind: 'write' | 'read' | 'route';
  /** The principals the label stands for. */
  readonly principals: readonly string[];
}

export interface DomainGraph {
  readonly domain: string;
  readonly nodes: ReadonlyMap<string, string>;
  readonly edges: readonly DrawnEdge[];
  readonly notes: readonly string[];
}

const FLOW_ZONES: readonly ZoneName[] = ['landing', 'raw', 'clean', 'curated', 'quarantine'];
/** Zones holding data in clear (PII not yet tokenised). */
export const CLEAR_ZONES: readonly ZoneName[] = ['landing', 'raw', 'quarantine'];

/** A Mermaid id: letters, digits and `_`. */
export function mermaidId(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** A label inside double quotes. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${Number.isInteger(x) ? x : x.toFixed(1)} ${units[i]}`;
}

/** Principals grouped by the label they draw as. */
function labelOf(principals: readonly PrincipalAccess[], production: boolean): string {
  const kinds = [...new Set(principals.map(kindLabel))].sort();
  const odd = production && principals.some((p) => p.kind !== 'pipeline');
  return `${odd ? '⚠ ' : ''}${kinds.join(' + ')}`;
}

/**
 * The graph of one domain: nodes (id → label) and edges, before rendering. Write edges carry the
 * principals that may write the target zone under the domain's prefix.
 */
export function domainGraph(facts: DomainFacts, access: AccessIndex | undefined): DomainGraph {
  const d = facts.domain;
  const candidates = access ? candidatesFor(access, d) : [];
  const writers = (zone: ZoneName) => candidates.filter((p) => reachFor(p, zone, 'write', d).length > 0);
  const readers = (zone: ZoneName) => candidates.filter((p) => reachFor(p, zone, 'read', d).length > 0 && !(p.kind === 'pipeline' && p.domain === d));
  const nodes = new Map<string, string>();
  const edges: DrawnEdge[] = [];
  const notes: string[] = [];
  const write = (from: string, to: string, principals: readonly PrincipalAccess[], zone: ZoneName) =>
    edges.push({ from, to, kind: 'write', label: labelOf(principals, zone === 'clean' || zone === 'curated'), principals: principals.map((p) => p.id) });

  // Sources: every principal that may put objects into landing or raw for the domain.
  const sourceWriters = candidates.filter((p) => reachFor(p, 'landing', 'write', d).length > 0 || reachFor(p, 'raw', 'write', d).length > 0);
  const sourceIds = new Set<string>();
  for (const p of sourceWriters) {
    let src = mermaidId('src', p.source ?? p.kind);
    for (let i = 2; sourceIds.has(src); i++) src = mermaidId('src', p.source ?? p.kind, String(i));
    sourceIds.add(src);
    nodes.set(src, p.source ? `source ${p.source}` : kindLabel(p));
    for (const prefix of reachFor(p, 'landing', 'write', d)) {
      const id = mermaidId('landing', prefix);
      nodes.set(id, `landing/${prefix === '*' ? '' : `${prefix}/`}`);
      write(src, id, [p], 'landing');
    }
    for (const prefix of reachFor(p, 'raw', 'write', d)) {
      if (prefix === d || prefix === '*') {
        for (const ds of facts.datasets) write(src, mermaidId('raw', ds.name), [p], 'raw');
      } else {
        const id = mermaidId('raw', 'prefix', prefix);
        nodes.set(id, `raw/${prefix}/`);
        write(src, id, [p], 'raw');
      }
    }
  }
  if (sourceWriters.length === 0) notes.push(`no principal of the access matrix may put files into landing/${d}/ or raw/${d}/`);

  const cleanWriters = writers('clean');
  const quarantineWriters = writers('quarantine');
  const curatedWriters = writers('curated');
  const threshold = facts.bigFileThresholdBytes;
  const small = threshold === undefined ? 'every file' : `≤ ${formatBytes(threshold)}`;
  for (const ds of facts.datasets) {
    const pii = ds.pii.length > 0 ? ` · PII: ${ds.pii.join(', ')}` : '';
    nodes.set(mermaidId('raw', ds.name), `${ds.name} (${ds.format})${pii}`);
    nodes.set(mermaidId('clean', ds.name), `${ds.name}${pii}`);
    const fn = mermaidId('transform', ds.name);
    nodes.set(fn, `transform ${ds.name}`);
    edges.push({ from: mermaidId('raw', ds.name), to: fn, kind: 'route', label: small, principals: [] });
    if (cleanWriters.length > 0) write(fn, mermaidId('clean', ds.name), cleanWriters, 'clean');
    if (quarantineWriters.length > 0) write(fn, 'quarantine', quarantineWriters, 'quarantine');
    if (threshold !== undefined) edges.push({ from: mermaidId('raw', ds.name), to: 'bigfiles', kind: 'route', label: `> ${formatBytes(threshold)}`, principals: [] });
  }
  nodes.set('quarantine', `quarantine/${d}/`);
  if (threshold !== undefined) {
    nodes.set('bigfiles', 'big-file route (Athena)');
    if (cleanWriters.length > 0) write('bigfiles', 'z_clean', cleanWriters, 'clean');
    if (quarantineWriters.length > 0) write('bigfiles', 'quarantine', quarantineWriters, 'quarantine');
  }
  if (cleanWriters.length === 0) notes.push(`no principal of the access matrix may write clean/${d}/: the transform's output is not drawn`);
  if (quarantineWriters.length === 0) notes.push(`no principal of the access matrix may write quarantine/${d}/`);

  for (const m of facts.models) {
    const id = mermaidId('model', m.name);
    nodes.set(id, `${m.name}${m.pii.length > 0 ? ` · PII: ${m.pii.join(', ')}` : ''}`);
    if (curatedWriters.length > 0) for (const input of m.inputs) write(mermaidId('clean', input), id, curatedWriters, 'curated');
  }
  if (facts.models.length > 0 && curatedWriters.length === 0) notes.push(`no principal of the access matrix may write curated/${d}/: the models' outputs are not drawn`);

  // Readers other than the domain's own pipeline, from each zone they may read.
  const readerGroups = new Map<string, { zone: ZoneName; principals: PrincipalAccess[] }[]>();
  for (const zone of FLOW_ZONES) {
    const byLabel = new Map<string, PrincipalAccess[]>();
    for (const p of readers(zone)) {
      const label = p.domain && p.domain !== d ? `${kindLabel(p)} of ${p.domain}` : kindLabel(p);
      byLabel.set(label, [...(byLabel.get(label) ?? []), p]);
    }
    for (const [label, principals] of byLabel) readerGroups.set(label, [...(readerGroups.get(label) ?? []), { zone, principals }]);
  }
  for (const [label, reads] of readerGroups) {
    const count = new Set(reads.flatMap((r) => r.principals.map((p) => p.id))).size;
    const id = mermaidId('reader', label);
    nodes.set(id, count > 1 ? `${label} ×${count}` : label);
    for (const r of reads) {
      edges.push({ from: r.zone === 'quarantine' ? 'quarantine' : `z_${r.zone}`, to: id, kind: 'read', label: CLEAR_ZONES.includes(r.zone) ? 'reads clear data' : 'reads', principals: r.principals.map((p) => p.id) });
    }
  }
  return { domain: d, nodes, edges, notes };
}

const CLASS_DEFS = [
  'classDef pii fill:#fdecea,stroke:#c0392b,stroke-width:2px',
  'classDef route fill:#eef3fb,stroke:#4a6fa5',
  'classDef reader fill:#f4f4f4,stroke:#777,stroke-dasharray:3 3',
  'classDef changed stroke:#d35400,stroke-width:3px',
];

function edgeLine(e: { from: string; to: string; label: string; kind: DrawnEdge['kind'] }): string {
  return e.kind === 'read' ? `  ${e.from} -. ${mermaidLabel(e.label)} .-> ${e.to}` : `  ${e.from} -- ${mermaidLabel(e.label)} --> ${e.to}`;
}

/** Renders a domain's graph at a level of detail. */
function renderDomain(g: DomainGraph, facts: DomainFacts, detail: 0 | 1 | 2): { text: string; edges: number } {
  const lines: string[] = ['flowchart LR', `  %% ${facts.domain}: generated from cdk.out (templates and access matrix)`];
  const node = (id: string, shape: 'db' | 'box' | 'stadium' | 'hex', label: string, cls?: string) => {
    const open = { db: '[(', box: '[', stadium: '([', hex: '{{' }[shape];
    const close = { db: ')]', box: ']', stadium: '])', hex: '}}' }[shape];
    lines.push(`    ${id}${open}${mermaidLabel(label)}${close}${cls ? `:::${cls}` : ''}`);
  };
  const piiOf = new Map(facts.datasets.map((ds) => [ds.name, ds.pii.length > 0]));
  const modelPii = new Map(facts.models.map((m) => [m.name, m.pii.length > 0]));
  const label = (id: string) => g.nodes.get(id) ?? id;
  const sources = [...g.nodes.keys()].filter((id) => id.startsWith('src_'));
  const readers = [...g.nodes.keys()].filter((id) => id.startsWith('reader_'));
  const landing = [...g.nodes.keys()].filter((id) => id.startsWith('landing_'));
  const rawPrefixes = [...g.nodes.keys()].filter((id) => id.startsWith('raw_prefix_'));
  const piiDatasets = facts.datasets.filter((ds) => ds.pii.length > 0).length;
  const piiModels = facts.models.filter((m) => m.pii.length > 0).length;

  for (const id of sources) node(id, 'stadium', label(id));
  lines.push('  subgraph z_landing["landing"]');
  for (const id of landing) node(id, 'db', label(id));
  if (landing.length === 0) node(mermaidId('landing', facts.domain), 'db', `landing/${facts.domain}/`);
  lines.push('  end', '  subgraph z_raw["raw (Object Lock)"]');
  for (const id of rawPrefixes) node(id, 'db', label(id));
  if (detail < 2) for (const ds of facts.datasets) node(mermaidId('raw', ds.name), 'db', label(mermaidId('raw', ds.name)), piiOf.get(ds.name) ? 'pii' : undefined);
  else node('raw_all', 'db', `${facts.datasets.length} datasets${piiDatasets ? ` · ${piiDatasets} with PII` : ''}`, piiDatasets ? 'pii' : undefined);
  lines.push('  end', '  subgraph z_clean["clean"]');
  if (detail < 2) for (const ds of facts.datasets) node(mermaidId('clean', ds.name), 'db', label(mermaidId('clean', ds.name)), piiOf.get(ds.name) ? 'pii' : undefined);
  else node('clean_all', 'db', `${facts.datasets.length} datasets${piiDatasets ? ` · ${piiDatasets} with PII` : ''}`, piiDatasets ? 'pii' : undefined);
  lines.push('  end', '  subgraph z_curated["curated"]');
  if (detail < 2) for (const m of facts.models) node(mermaidId('model', m.name), 'box', label(mermaidId('model', m.name)), modelPii.get(m.name) ? 'pii' : undefined);
  else if (facts.models.length > 0) node('model_all', 'box', `${facts.models.length} models${piiModels ? ` · ${piiModels} with PII` : ''}`, piiModels ? 'pii' : undefined);
  lines.push('  end');
  node('quarantine', 'db', label('quarantine'), 'pii');
  if (g.nodes.has('bigfiles')) node('bigfiles', 'hex', label('bigfiles'), 'route');
  if (detail === 0) for (const ds of facts.datasets) node(mermaidId('transform', ds.name), 'hex', label(mermaidId('transform', ds.name)), 'route');
  for (const id of readers) node(id, 'stadium', label(id), 'reader');

  // Edges at this level of detail (folded edges keep their labels; duplicates are drawn once).
  const drawn = new Set<string>();
  let count = 0;
  const emit = (e: { from: string; to: string; label: string; kind: DrawnEdge['kind'] }) => {
    const key = `${e.from}|${e.to}|${e.label}|${e.kind}`;
    if (drawn.has(key)) return;
    drawn.add(key);
    lines.push(edgeLine(e));
    count++;
  };
  const datasetNode = (id: string, zone: 'raw' | 'clean') => (detail === 2 && id.startsWith(`${zone}_`) && !id.startsWith('raw_prefix_') ? `${zone}_all` : id);
  for (const e of g.edges) {
    if (detail === 0 || e.kind === 'read') {
      emit(e);
      continue;
    }
    const transform = (id: string) => id.startsWith('transform_');
    if (e.kind === 'route' && transform(e.to)) continue; // raw → transform: folded into the write
    if (transform(e.from)) {
      // transform → clean / quarantine becomes raw → clean / quarantine, the route in the label.
      const ds = e.from.slice('transform_'.length);
      const from = detail === 2 ? 'raw_all' : mermaidId('raw', ds);
      const to = e.to === 'quarantine' ? 'quarantine' : detail === 2 ? 'clean_all' : e.to;
      emit({ ...e, from, to });
      continue;
    }
    if (e.kind === 'route' && e.to === 'bigfiles') {
      emit({ ...e, from: detail === 2 ? 'raw_all' : 'z_raw', to: 'bigfiles' });
      continue;
    }
    const from = e.from.startsWith('clean_') ? datasetNode(e.from, 'clean') : e.from;
    const to = e.to.startsWith('model_') ? (detail === 2 ? 'model_all' : e.to) : datasetNode(e.to, 'raw');
    emit({ ...e, from, to });
  }
  lines.push(...CLASS_DEFS.map((c) => `  ${c}`));
  return { text: lines.join('\n'), edges: count };
}

/** A domain's diagram within Mermaid's limits (less detail when the full one would pass them). */
export function domainDiagram(facts: DomainFacts, access: AccessIndex | undefined, limits: MermaidLimits = MERMAID_LIMITS): Diagram {
  const g = domainGraph(facts, access);
  let last: { text: string; edges: number } | undefined;
  for (const detail of [0, 1, 2] as const) {
    last = renderDomain(g, facts, detail);
    if (last.text.length <= limits.maxTextSize && last.edges <= limits.maxEdges) return { ...last, detail, notes: g.notes };
  }
  return { ...last!, detail: 2, notes: [...g.notes, `the diagram passes Mermaid's limits even with datasets counted (${last!.edges} edges, ${last!.text.length} characters)`] };
}

export interface OverviewDomain {
  readonly domain: string;
  readonly datasets: number;
  readonly models: number;
  readonly pii: boolean;
  readonly changed?: boolean;
}

/**
 * The overview: the domains as nodes in one subgraph; the sources that feed them and the readers
 * of every domain's data as one edge each. Past Mermaid's limits, the unchanged domains are
 * counted instead of drawn.
 */
export function overviewDiagram(domains: readonly OverviewDomain[], access: AccessIndex | undefined, limits: MermaidLimits = MERMAID_LIMITS): Diagram {
  const readers = new Map<string, Set<string>>();
  for (const p of access?.wholeZone ?? []) {
    for (const zone of FLOW_ZONES) {
      if (p.zones[zone]?.read.includes('*')) {
        const set = readers.get(kindLabel(p)) ?? new Set<string>();
        set.add(zone);
        readers.set(kindLabel(p), set);
      }
    }
  }
  const ingest = access ? [...access.byDomain.values()].flat().filter((p) => p.zones.landing?.write.length || p.zones.raw?.write.length).length : 0;
  const render = (shown: readonly OverviewDomain[], hidden: number, withCounts: boolean) => {
    const lines = ['flowchart LR', '  %% overview: generated from cdk.out (templates and access matrix)', `  subgraph domains["${domains.length} domains"]`];
    for (const d of shown) {
      const text = withCounts ? `${d.domain} · ${d.datasets} ds · ${d.models} m${d.pii ? ' · PII' : ''}` : d.domain;
      const cls = d.changed ? 'changed' : d.pii ? 'pii' : undefined;
      lines.push(`    ${mermaidId('d', d.domain)}[${mermaidLabel(text)}]${cls ? `:::${cls}` : ''}`);
    }
    if (hidden > 0) lines.push(`    more[${mermaidLabel(`… ${hidden} more unchanged domains`)}]`);
    lines.push('  end');
    let edges = 0;
    if (ingest > 0) {
      lines.push(`  sources([${mermaidLabel(`sources: ${ingest} ingest role(s)`)}]) -- "ingest" --> domains`);
      edges++;
    }
    for (const [label, zones] of [...readers.entries()].sort()) {
      const id = mermaidId('reader', label);
      const clear = [...zones].some((z) => CLEAR_ZONES.includes(z as ZoneName));
      lines.push(`  domains -. ${mermaidLabel(`${clear ? 'clear data ' : ''}${[...zones].join(', ')} read by`)} .-> ${id}([${mermaidLabel(label)}]):::reader`);
      edges++;
    }
    lines.push(...CLASS_DEFS.map((c) => `  ${c}`));
    return { text: lines.join('\n'), edges };
  };
  const attempts: Array<() => { text: string; edges: number; detail: 0 | 1 | 2 }> = [
    () => ({ ...render(domains, 0, true), detail: 0 }),
    () => ({ ...render(domains, 0, false), detail: 1 }),
    () => {
      // Changed domains first, then as many others as fit.
      const ordered = [...domains].sort((a, b) => Number(!!b.changed) - Number(!!a.changed));
      let lo = 0;
      let hi = ordered.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        const r = render(ordered.slice(0, mid), ordered.length - mid, false);
        if (r.text.length <= limits.maxTextSize) lo = mid;
        else hi = mid - 1;
      }
      return { ...render(ordered.slice(0, lo), ordered.length - lo, false), detail: 2 };
    },
  ];
  for (const attempt of attempts) {
    const r = attempt();
    if (r.text.length <= limits.maxTextSize && r.edges <= limits.maxEdges) return { ...r, notes: [] };
  }
  const r = attempts[2]();
  return { ...r, notes: ['the overview passes Mermaid\'s limits'] };
}
