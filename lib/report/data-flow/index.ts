/**
 * `cdk.out/data-flow.md` and the report's data-flow section: the overview and the domains'
 * diagrams, from the templates (facts.ts) and the access matrix (access.ts). The file is written a
 * domain at a time; the report shows the overview and only the domains asked for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AccessIndex, readAccessIndex } from './access';
import { Diagram, domainDiagram, MERMAID_LIMITS, overviewDiagram, OverviewDomain } from './diagram';
import { DomainFacts, environmentOf, readDomainFacts } from './facts';

export const DATA_FLOW_FILE = 'data-flow.md';

/** Domains drawn one by one in the report when no base says which changed. */
export const REPORT_DOMAIN_DIAGRAMS = 5;

export interface DataFlowInputs {
  readonly environment?: string;
  readonly facts: readonly DomainFacts[];
  readonly access?: AccessIndex;
}

/** Reads what the diagrams draw from a cloud assembly directory. */
export function readDataFlowInputs(cdkOut: string): DataFlowInputs {
  return { environment: environmentOf(cdkOut), facts: [...readDomainFacts(cdkOut)], access: readAccessIndex(cdkOut) };
}

const LEGEND =
  'Generated from the synthesized templates (datasets, models, routes) and the governance proof\'s access matrix (who may write and read). ' +
  'A solid edge is labelled with the kinds of role the matrix lets write its target under the domain\'s prefix (⚠: not a pipeline role on clean or curated); ' +
  'a dotted edge is a read by a role outside the domain\'s pipeline ("clear data": landing, raw, quarantine); red nodes hold PII columns.';

export function fenced(d: Diagram): string[] {
  return ['```mermaid', d.text, '```'];
}

/** The overview's nodes: each domain's counts, whether it holds PII, whether the change touches it. */
export function overviewDomains(facts: readonly DomainFacts[], changed?: ReadonlySet<string>): OverviewDomain[] {
  return facts.map((f) => ({ domain: f.domain, datasets: f.datasets.length, models: f.models.length, pii: f.datasets.some((d) => d.pii.length > 0) || f.models.some((m) => m.pii.length > 0), changed: changed?.has(f.domain) }));
}

function domainSection(f: DomainFacts, access: AccessIndex | undefined, heading: string): string[] {
  const d = domainDiagram(f, access);
  const lines = [`${heading} ${f.domain}`, ''];
  lines.push(
    `Stack \`${f.stack}\`: ${f.datasets.length} dataset(s), ${f.models.length} model(s)${f.bigFileThresholdBytes !== undefined ? ', big-file route' : ''}; ${d.edges} edges, ${d.text.length} characters` +
      (d.detail > 0 ? ` (drawn with less detail to stay within Mermaid's ${MERMAID_LIMITS.maxEdges} edges and ${MERMAID_LIMITS.maxTextSize} characters)` : '') +
      '.',
    '',
  );
  for (const n of d.notes) lines.push(`- ⚠ ${n}`);
  if (d.notes.length > 0) lines.push('');
  lines.push(...fenced(d), '');
  return lines;
}

/** Writes `data-flow.md`: the overview, then every domain, one at a time. Returns the number of domains. */
export function writeDataFlow(cdkOut: string, out = path.join(cdkOut, DATA_FLOW_FILE)): number {
  const inputs = readDataFlowInputs(cdkOut);
  const fd = fs.openSync(out, 'w');
  try {
    const write = (lines: string[]) => fs.writeSync(fd, `${lines.join('\n')}\n`);
    write([`# Data flow${inputs.environment ? ` (${inputs.environment})` : ''}`, '', LEGEND, '']);
    if (!inputs.access) write(['**The access matrix is missing**: edges show the routes only, with no writer.', '']);
    write(['## Overview', '', ...fenced(overviewDiagram(overviewDomains(inputs.facts), inputs.access)), '']);
    for (const f of inputs.facts) write(domainSection(f, inputs.access, '## Domain'));
  } finally {
    fs.closeSync(fd);
  }
  return inputs.facts.length;
}

/**
 * The report's section: the overview, then the diagrams of `changed` domains (with a base) or of
 * the first few domains (without one), each folded when there are several.
 */
export function renderDataFlowMarkdown(inputs: DataFlowInputs, options: { readonly changed?: ReadonlySet<string> } = {}): string[] {
  const out = ['## Data flow', ''];
  if (inputs.facts.length === 0) return [...out, 'No domain stack in this cloud assembly.', ''];
  const { changed } = options;
  out.push(LEGEND, '');
  if (!inputs.access) out.push('**The access matrix is missing**: edges show the routes only, with no writer.', '');
  out.push(...fenced(overviewDiagram(overviewDomains(inputs.facts, changed), inputs.access)), '');
  const shown = changed ? inputs.facts.filter((f) => changed.has(f.domain)) : inputs.facts.slice(0, REPORT_DOMAIN_DIAGRAMS);
  if (changed) out.push(shown.length === 0 ? 'No domain changed against the base.' : `Domains this change touches (${shown.length}):`, '');
  else if (inputs.facts.length > shown.length) out.push(`The first ${shown.length} of ${inputs.facts.length} domains; every domain is in \`cdk.out/${DATA_FLOW_FILE}\` and \`npx lakehouse diagram <domain>\` prints one.`, '');
  const fold = shown.length > 1;
  for (const f of shown) {
    if (fold) out.push(`<details><summary>${f.domain}</summary>`, '');
    out.push(...domainSection(f, inputs.access, '###'));
    if (fold) out.push('</details>', '');
  }
  return out;
}
