/**
 * The access matrix on disk, written while the proof runs: one file per stack with its principals'
 * cells (`access-matrix/<stack>.json`), and an index (`access-matrix.json`) with the environment,
 * the columns, the zones, every principal's summary and file, the violations and the figures.
 * No file holds the whole matrix, and the proof never holds more than one stack's cells.
 *
 * A cell is written with its probes grouped by outcome (keys with the same decision and deciding
 * statements share an entry). A cell not written is denied on every probed key with no statement
 * deciding it (an implicit deny), the common case at scale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DecisionKind } from './policy-eval';
import { GovernanceViolation, KmsCell, MATRIX_COLUMNS, MatrixCell, MatrixColumn, PrincipalCells, PrincipalSummary, ProofStats, ProofSummary, SecretCell, ZoneSummary } from './proof';
import { ModelEnvironment } from './template-model';

export const ACCESS_MATRIX_JSON = 'access-matrix.json';
export const ACCESS_MATRIX_MARKDOWN = 'access-matrix.md';
/** The folder of per-stack cell files, beside the index. */
export const ACCESS_MATRIX_DIR = 'access-matrix';
/** The file of principals that belong to no stack (the hypothetical ones). */
const HYPOTHETICAL_FILE = 'hypothetical';

/** A cell's probes grouped by outcome. */
export interface CellOutcome {
  readonly decision: DecisionKind;
  readonly keys: ReadonlyArray<string | null>;
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
}

export type WrittenCell = Omit<MatrixCell, 'probes' | 'principal'> & { readonly outcomes: readonly CellOutcome[] };

/** `access-matrix/<stack>.json`. */
export interface AccessMatrixStackFile {
  readonly version: 2;
  readonly stack: string;
  readonly principals: ReadonlyArray<{
    readonly id: string;
    readonly cells: readonly WrittenCell[];
    readonly kms: ReadonlyArray<Omit<KmsCell, 'principal'>>;
    /** Who can read each secret of the app (GetSecretValue and KMS Decrypt through Secrets Manager). */
    readonly secrets: ReadonlyArray<Omit<SecretCell, 'principal'>>;
  }>;
}

/** `access-matrix.json`. */
export interface AccessMatrixIndex {
  readonly version: 2;
  readonly environment: ModelEnvironment;
  readonly columns: readonly MatrixColumn[];
  readonly zones: readonly ZoneSummary[];
  /** The app's secrets and their `lakehouse:secret` tag. */
  readonly secrets: ProofSummary['secrets'];
  /** Every principal's summary and the file (relative to the index) holding its cells. */
  readonly principals: ReadonlyArray<PrincipalSummary & { readonly file: string }>;
  readonly violations: readonly GovernanceViolation[];
  readonly notes: readonly string[];
  readonly stats: ProofStats;
  /** A cell absent from its principal's file is an implicit deny on every probed key. */
  readonly omitted: 'implicit-deny';
}

/** Groups a cell's probes by outcome. */
export function cellOutcomes(cell: MatrixCell): CellOutcome[] {
  const outcomes = new Map<string, { decision: DecisionKind; keys: Array<string | null>; allowedBy: readonly string[]; deniedBy: readonly string[] }>();
  for (const probe of cell.probes) {
    const id = `${probe.decision}|${probe.allowedBy.join(',')}|${probe.deniedBy.join(',')}`;
    const outcome = outcomes.get(id) ?? { decision: probe.decision, keys: [], allowedBy: probe.allowedBy, deniedBy: probe.deniedBy };
    outcome.keys.push(probe.key);
    outcomes.set(id, outcome);
  }
  return [...outcomes.values()];
}

/** Whether a cell says nothing beyond the default (implicitly denied everywhere, no statement involved). */
function isImplicitDeny(cell: MatrixCell): boolean {
  return cell.probes.every((p) => p.decision === 'implicit-deny' && p.allowedBy.length === 0 && p.deniedBy.length === 0);
}

function writtenCell(cell: MatrixCell): WrittenCell {
  const { probes: _probes, principal: _principal, ...rest } = cell;
  return { ...rest, outcomes: cellOutcomes(cell) };
}

function fileName(stack: string | undefined): string {
  return `${ACCESS_MATRIX_DIR}/${(stack ?? HYPOTHETICAL_FILE).replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * Writes the matrix as the proof hands over each principal (`add`), one stack file at a time,
 * then the index (`finish`). Principals arrive grouped by stack; a stack seen again is appended to
 * a second part file rather than held back.
 */
export class AccessMatrixWriter {
  private readonly files = new Map<string, string>();
  private pending: { file: string; stack: string; principals: Array<AccessMatrixStackFile['principals'][number]> } | undefined;
  private readonly written = new Set<string>();

  constructor(private readonly outdir: string) {
    // A run that fails before `finish` must not leave an earlier run's index and markdown behind.
    for (const previous of [ACCESS_MATRIX_DIR, ACCESS_MATRIX_JSON, ACCESS_MATRIX_MARKDOWN]) fs.rmSync(path.join(outdir, previous), { recursive: true, force: true });
    fs.mkdirSync(path.join(outdir, ACCESS_MATRIX_DIR), { recursive: true });
  }

  public readonly add = (entry: PrincipalCells): void => {
    const stack = entry.principal.stack ?? HYPOTHETICAL_FILE;
    if (this.pending && this.pending.stack !== stack) this.flush();
    if (!this.pending) {
      let file = fileName(entry.principal.stack);
      for (let part = 2; this.written.has(file); part++) file = fileName(`${stack}.part${part}`);
      this.pending = { file, stack, principals: [] };
    }
    this.files.set(entry.principal.id, this.pending.file);
    this.pending.principals.push({
      id: entry.principal.id,
      cells: entry.cells.filter((c) => !isImplicitDeny(c)).map(writtenCell),
      kms: entry.kms.map(({ principal: _principal, ...k }) => k),
      secrets: entry.secrets.map(({ principal: _principal, ...c }) => c),
    });
  };

  /** Writes the last stack file, the index and the markdown. */
  public finish(summary: ProofSummary, markdown: string): AccessMatrixIndex {
    this.flush();
    const index: AccessMatrixIndex = {
      version: 2,
      environment: summary.environment,
      columns: MATRIX_COLUMNS,
      zones: summary.zones,
      secrets: summary.secrets,
      principals: summary.principals.map((p) => ({ ...p, file: this.files.get(p.id) ?? fileName(p.stack) })),
      violations: summary.violations,
      notes: summary.notes,
      stats: summary.stats,
      omitted: 'implicit-deny',
    };
    fs.writeFileSync(path.join(this.outdir, ACCESS_MATRIX_JSON), `${JSON.stringify(index)}\n`);
    fs.writeFileSync(path.join(this.outdir, ACCESS_MATRIX_MARKDOWN), markdown);
    return index;
  }

  private flush(): void {
    if (!this.pending) return;
    const doc: AccessMatrixStackFile = { version: 2, stack: this.pending.stack, principals: this.pending.principals };
    fs.writeFileSync(path.join(this.outdir, this.pending.file), `${JSON.stringify(doc)}\n`);
    this.written.add(this.pending.file);
    this.pending = undefined;
  }
}

/** Reads the index of a written matrix. */
export function readAccessMatrixIndex(dir: string): AccessMatrixIndex {
  return JSON.parse(fs.readFileSync(path.join(dir, ACCESS_MATRIX_JSON), 'utf8')) as AccessMatrixIndex;
}

/** Reads one stack file of a written matrix (`file` as the index names it). */
export function readAccessMatrixFile(dir: string, file: string): AccessMatrixStackFile {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as AccessMatrixStackFile;
}
