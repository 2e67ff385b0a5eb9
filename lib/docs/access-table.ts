/**
 * The README's principal × zone × action table, computed by the governance proof from the
 * synthesized templates of the default app (so the documentation is the proof's own answer).
 * Print with `npx tsx lib/docs/print-access-table.ts`; a test keeps the README equal to it.
 */
import { App } from 'aws-cdk-lib';
import { ZONE_NAMES } from '../../lambda/shared/zones';
import { EnvironmentConfig } from '../config';
import { analyseGovernance, MatrixCell, PrincipalSummary, ProofResult } from '../governance';
import { buildLakehouse } from '../lakehouse-app';

/** One letter per action, in matrix order. */
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

/** A readable group for a principal: app roles by kind (and stage), hypotheticals by name. */
function groupOf(p: PrincipalSummary, stageOf: (p: PrincipalSummary) => string | undefined): string {
  if (p.hypothetical) return p.id.replace('hypothetical:', 'hypothetical ');
  const stage = stageOf(p);
  if (p.kind === 'pipeline') return `pipeline, ${stage ?? '?'} stage (per domain)`;
  if (p.kind === 'ingest') return 'ingest (per domain)';
  if (p.kind === 'analyst') return 'analyst (per team)';
  return p.kind;
}

export function proveDefaultApp(config: EnvironmentConfig): ProofResult {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true, '@aws-cdk/core:validateAgainstDefaultRules': false, ...require('../../cdk.json').context } });
  buildLakehouse(app, { config, checks: false });
  const assembly = app.synth();
  return analyseGovernance(assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template })), { bootstrapQualifier: config.bootstrapQualifier });
}

export function renderAccessTable(result: ProofResult): string {
  const stages = new Map<string, string>();
  const byId = new Map(result.principals.map((p) => [p.id, p]));
  // Stage of a pipeline role: the flow zone it writes (clean or curated).
  for (const cell of result.matrix) {
    const p = byId.get(cell.principal)!;
    if (p.kind === 'pipeline' && cell.action === 's3:PutObject' && cell.decision !== 'deny' && (cell.zone === 'clean' || cell.zone === 'curated')) stages.set(p.id, cell.zone);
  }
  const groups = new Map<string, Map<string, Set<string>>>();
  const cellsOf = (group: string, zone: string) => {
    let g = groups.get(group);
    if (!g) groups.set(group, (g = new Map()));
    let z = g.get(zone);
    if (!z) g.set(zone, (z = new Set()));
    return z;
  };
  for (const cell of result.matrix as MatrixCell[]) {
    const p = byId.get(cell.principal)!;
    const group = groupOf(p, (x) => stages.get(x.id));
    const letters = cellsOf(group, cell.zone);
    if (cell.decision === 'deny') continue;
    const entry = ACTION_LETTERS.find(([a, v]) => a === cell.action && v === cell.variant);
    if (!entry) continue;
    // "partial": allowed under the role's own prefix only.
    letters.add(cell.decision === 'partial' ? `${entry[2]}¹` : entry[2]);
  }
  const order = (l: string) => ACTION_LETTERS.findIndex(([, , x]) => x === l.replace('¹', ''));
  const rows = [`| principal | ${ZONE_NAMES.join(' | ')} |`, `|---|${ZONE_NAMES.map(() => '---').join('|')}|`];
  for (const [group, zones] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const cells = ZONE_NAMES.map((z) => [...(zones.get(z) ?? [])].sort((a, b) => order(a) - order(b)).join(' ') || '–');
    rows.push(`| ${group} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

export function accessLegend(): string {
  return `${ACTION_LETTERS.map(([, , l, d]) => `\`${l}\` ${d}`).join(', ')}; \`¹\` only under the role's own prefix (domain, source or workspace); \`–\` nothing.`;
}
