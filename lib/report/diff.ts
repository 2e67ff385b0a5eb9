/**
 * What a change does, against the base branch's synth output: the access-matrix cells granted or
 * revoked (principal, zone, action, prefix), the nag findings and the acknowledgements that appear
 * or disappear, and the domains it touches.
 *
 * The matrices are compared a stack at a time: for each stack, its cell files of the base and of
 * the head (matrix-files.ts) are read, compared and let go, so neither matrix is ever held whole.
 * A cell is summarised as the literal key prefixes its action is allowed on (`sales/webshop/orders`;
 * `*`: the whole zone; `* except web`: every prefix but those; see data-flow/access.ts); a prefix in
 * the head and not the base is granted, the reverse revoked.
 * New writes or deletes on clean or curated, and new readers of clear data (landing, raw,
 * quarantine, and the pipelines' query results), are called out first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ACCESS_MATRIX_JSON, AccessMatrixIndex, readAccessMatrixFile, readAccessMatrixIndex, WrittenCell } from '../governance/matrix-files';
import { ZoneName } from '../../lambda/shared/zones';
import { allowedPrefixes, isWholeZoneReach } from './data-flow/access';
import { CLEAR_ZONES } from './data-flow/diagram';
import { templateFiles } from './data-flow/facts';
import { checkAcknowledgements, checkValidationReport, readJson } from './read';
import { Acknowledgements, REPORT_FILES, ValidationReport } from './types';

/** Changes kept in full (the counts cover all of them). */
export const MAX_CHANGES_KEPT = 500;

const DATA_CHANGING = new Set(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']);
const PRODUCTION: readonly ZoneName[] = ['clean', 'curated'];

export interface CellChange {
  readonly change: 'granted' | 'revoked';
  readonly principal: string;
  readonly kind: string;
  readonly domain?: string;
  readonly zone: ZoneName;
  /** `s3:PutObject (overwrite)`, `s3:GetObject`, … */
  readonly action: string;
  /** A key prefix, or `*` for the whole zone. */
  readonly prefix: string;
  /** Why it is called out first, if it is. */
  readonly callout?: 'write on production data' | 'reader of clear data';
}

export interface AccessDiff {
  readonly granted: number;
  readonly revoked: number;
  /** Called-out changes (at most MAX_CHANGES_KEPT), then the count of all of them. */
  readonly callouts: readonly CellChange[];
  readonly calloutCount: number;
  /** Every change (at most MAX_CHANGES_KEPT), callouts first. */
  readonly changes: readonly CellChange[];
  readonly principalsAdded: readonly string[];
  readonly principalsRemoved: readonly string[];
  /** Domains whose principals' access or prefixes changed. */
  readonly domains: ReadonlySet<string>;
}

type Summary = AccessMatrixIndex['principals'][number];

function actionOf(cell: Pick<WrittenCell, 'action' | 'variant'>): string {
  return cell.variant ? `${cell.action} (${cell.variant})` : cell.action;
}

/** cell key → allowed prefixes, for one principal. */
function cellPrefixes(cells: readonly WrittenCell[]): Map<string, { zone: ZoneName; action: string; prefixes: Set<string> }> {
  const out = new Map<string, { zone: ZoneName; action: string; prefixes: Set<string> }>();
  for (const cell of cells) {
    const prefixes = allowedPrefixes(cell, 'literal');
    if (prefixes.length === 0) continue;
    const action = actionOf(cell);
    out.set(`${cell.zone}|${action}`, { zone: cell.zone, action, prefixes: new Set(prefixes) });
  }
  return out;
}

/**
 * Why a change is called out first. `newResultsReader`: the principal reads the pipelines' query
 * results (clear data in query-results) in the head and not in the base.
 */
function calloutOf(change: 'granted' | 'revoked', zone: ZoneName, action: string, newResultsReader: boolean): CellChange['callout'] {
  if (change !== 'granted') return undefined;
  const base = action.replace(/ \(.*\)$/, '');
  if (PRODUCTION.includes(zone) && DATA_CHANGING.has(base)) return 'write on production data';
  if (base === 's3:GetObject' && (CLEAR_ZONES.includes(zone) || (zone === 'query-results' && newResultsReader))) return 'reader of clear data';
  return undefined;
}

/** Files of each stack (a stack seen twice while writing has a second part file). */
function filesByStack(index: AccessMatrixIndex): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of index.principals) {
    const stack = p.stack ?? '(hypothetical)';
    const files = out.get(stack) ?? [];
    if (!files.includes(p.file)) files.push(p.file);
    out.set(stack, files);
  }
  return out;
}

/** Every principal's cells of one stack. */
function stackCells(dir: string, files: readonly string[] | undefined): Map<string, readonly WrittenCell[]> {
  const out = new Map<string, readonly WrittenCell[]>();
  for (const file of files ?? []) for (const p of readAccessMatrixFile(dir, file).principals) out.set(p.id, p.cells);
  return out;
}

/** Compares two written matrices, a stack at a time. */
export function diffAccessMatrices(baseDir: string, headDir: string): AccessDiff {
  const base = readAccessMatrixIndex(baseDir);
  const head = readAccessMatrixIndex(headDir);
  const summaries = new Map<string, Summary>([...base.principals.map((p) => [p.id, p] as const), ...head.principals.map((p) => [p.id, p] as const)]);
  const baseIds = new Set(base.principals.map((p) => p.id));
  const readsResults = (index: AccessMatrixIndex) => new Set(index.principals.filter((p) => p.readsPipelineResults === true).map((p) => p.id));
  const baseResultsReaders = readsResults(base);
  const headResultsReaders = readsResults(head);
  const headIds = new Set(head.principals.map((p) => p.id));
  const baseFiles = filesByStack(base);
  const headFiles = filesByStack(head);
  const stacks = [...new Set([...baseFiles.keys(), ...headFiles.keys()])].sort();
  let granted = 0;
  let revoked = 0;
  let calloutCount = 0;
  const callouts: CellChange[] = [];
  const others: CellChange[] = [];
  const domains = new Set<string>();
  const record = (c: CellChange) => {
    if (c.change === 'granted') granted++;
    else revoked++;
    if (c.domain) domains.add(c.domain);
    if (!isWholeZoneReach(c.prefix) && summaries.get(c.principal)?.hypothetical !== true) domains.add(c.prefix.split('/')[0]);
    if (c.callout) {
      calloutCount++;
      if (callouts.length < MAX_CHANGES_KEPT) callouts.push(c);
    } else if (others.length < MAX_CHANGES_KEPT) others.push(c);
  };
  for (const stack of stacks) {
    const before = stackCells(baseDir, baseFiles.get(stack));
    const after = stackCells(headDir, headFiles.get(stack));
    for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const s = summaries.get(id)!;
      const b = cellPrefixes(before.get(id) ?? []);
      const a = cellPrefixes(after.get(id) ?? []);
      for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
        const was = b.get(key);
        const now = a.get(key);
        const { zone, action } = (now ?? was)!;
        for (const [change, from, to] of [['granted', was, now], ['revoked', now, was]] as const) {
          for (const prefix of [...(to?.prefixes ?? [])].sort()) {
            if (from?.prefixes.has(prefix)) continue;
            const newResultsReader = headResultsReaders.has(id) && !baseResultsReaders.has(id);
            record({ change, principal: id, kind: s.kind, domain: s.domain, zone, action, prefix, callout: calloutOf(change, zone, action, newResultsReader) });
          }
        }
      }
    }
  }
  return {
    granted,
    revoked,
    callouts,
    calloutCount,
    changes: [...callouts, ...others].slice(0, MAX_CHANGES_KEPT),
    principalsAdded: [...headIds].filter((id) => !baseIds.has(id)).sort(),
    principalsRemoved: [...baseIds].filter((id) => !headIds.has(id)).sort(),
    domains,
  };
}

export interface FindingChange {
  readonly change: 'appeared' | 'disappeared';
  readonly pack: string;
  readonly rule: string;
  readonly path: string;
}

/** Findings (pack, rule, construct path) of a validation report. */
function findingKeys(report: ValidationReport | undefined): Map<string, Omit<FindingChange, 'change'>> {
  const out = new Map<string, Omit<FindingChange, 'change'>>();
  for (const plugin of report?.pluginReports ?? []) {
    for (const v of plugin.violations) {
      const paths = v.violatingConstructs.length > 0 ? v.violatingConstructs.map((c) => c.constructPath) : [''];
      for (const p of paths) out.set(`${plugin.pluginName}|${v.ruleName}|${p}`, { pack: plugin.pluginName, rule: v.ruleName, path: p });
    }
  }
  return out;
}

export interface AcknowledgementChange {
  readonly change: 'appeared' | 'disappeared' | 'covers more' | 'covers fewer';
  readonly pack: string;
  readonly rule: string;
  readonly reason: string;
  readonly findings: number;
  readonly before?: number;
}

interface AckEntry {
  readonly pack: string;
  readonly rule: string;
  readonly reason: string;
  readonly instances?: readonly string[];
}

/** Decisions (pack, rule, reason) that appear, disappear or cover a different number of findings. */
function acknowledgementChanges(base: Acknowledgements | undefined, head: Acknowledgements | undefined): AcknowledgementChange[] {
  const key = (e: AckEntry) => `${e.pack}|${e.rule}|${e.reason}`;
  const count = (e: AckEntry) => e.instances?.length ?? 1;
  const before = new Map((base?.entries ?? []).map((e) => [key(e), e as AckEntry]));
  const after = new Map((head?.entries ?? []).map((e) => [key(e), e as AckEntry]));
  const out: AcknowledgementChange[] = [];
  for (const [k, e] of after) {
    const was = before.get(k);
    if (!was) out.push({ change: 'appeared', pack: e.pack, rule: e.rule, reason: e.reason, findings: count(e) });
    else if (count(was) !== count(e)) out.push({ change: count(e) > count(was) ? 'covers more' : 'covers fewer', pack: e.pack, rule: e.rule, reason: e.reason, findings: count(e), before: count(was) });
  }
  for (const [k, e] of before) if (!after.has(k)) out.push({ change: 'disappeared', pack: e.pack, rule: e.rule, reason: e.reason, findings: count(e) });
  return out;
}

/** Domains whose stack template differs (compared a file at a time), or exists on one side only. */
export function changedStacks(baseDir: string, headDir: string): string[] {
  const names = (dir: string) => new Map(templateFiles(dir).map((f) => [path.basename(f), f]));
  const b = names(baseDir);
  const h = names(headDir);
  const out: string[] = [];
  for (const name of [...new Set([...b.keys(), ...h.keys()])].sort()) {
    const x = b.get(name);
    const y = h.get(name);
    if (!x || !y || !fs.readFileSync(x).equals(fs.readFileSync(y))) out.push(name.replace(/\.template\.json$/, ''));
  }
  return out;
}

export interface ReportDiff {
  readonly baseDir: string;
  /** Undefined when either side has no access matrix. */
  readonly access?: AccessDiff;
  /** Why the access matrices were not compared: which side, and what is wrong with it. */
  readonly accessMissing?: string;
  /** Undefined when either side has no validation report. */
  readonly findings?: readonly FindingChange[];
  readonly acknowledgements?: readonly AcknowledgementChange[];
  /** Stacks whose template changed. */
  readonly stacks: readonly string[];
}

/** Whether a synth output holds an access matrix this version can compare: `ok`, or why not. */
function matrixState(dir: string): 'ok' | string {
  if (!fs.existsSync(path.join(dir, ACCESS_MATRIX_JSON))) return 'no access matrix';
  let version: unknown;
  try {
    version = readAccessMatrixIndex(dir).version;
  } catch {
    return `${ACCESS_MATRIX_JSON} is not JSON`;
  }
  return version === 2 ? 'ok' : `an access matrix of format ${JSON.stringify(version ?? 1)}, from before the per-stack matrix files; synthesize the base again with this version to compare`;
}

/** Everything that differs between the base's and this synth's outputs. */
export function diffSynthOutputs(baseDir: string, headDir: string): ReportDiff {
  const base = matrixState(baseDir);
  const head = matrixState(headDir);
  let access: AccessDiff | undefined;
  let accessMissing: ReportDiff['accessMissing'];
  if (base !== 'ok') accessMissing = `base (${base})`;
  else if (head !== 'ok') accessMissing = `head (${head})`;
  else {
    try {
      access = diffAccessMatrices(baseDir, headDir);
    } catch (e) {
      // A stack file that cannot be read leaves the access comparison out, not the rest of the diff.
      accessMissing = `base or head (a matrix file could not be read: ${(e as Error).message})`;
    }
  }
  // An unreadable file on either side leaves that comparison out (the report of the head says what it could not read).
  const vr = (dir: string) => readJson<ValidationReport>(path.join(dir, REPORT_FILES.validationReport), REPORT_FILES.validationReport, [], checkValidationReport);
  const acks = (dir: string) => readJson<Acknowledgements>(path.join(dir, REPORT_FILES.acknowledgements), REPORT_FILES.acknowledgements, [], checkAcknowledgements);
  const baseVr = vr(baseDir);
  const headVr = vr(headDir);
  let findings: FindingChange[] | undefined;
  if (baseVr && headVr) {
    const b = findingKeys(baseVr);
    const h = findingKeys(headVr);
    findings = [
      ...[...h].filter(([k]) => !b.has(k)).map(([, f]) => ({ change: 'appeared' as const, ...f })),
      ...[...b].filter(([k]) => !h.has(k)).map(([, f]) => ({ change: 'disappeared' as const, ...f })),
    ];
  }
  const baseAcks = acks(baseDir);
  const headAcks = acks(headDir);
  return {
    baseDir,
    access,
    accessMissing,
    findings,
    acknowledgements: baseAcks && headAcks ? acknowledgementChanges(baseAcks, headAcks) : undefined,
    stacks: changedStacks(baseDir, headDir),
  };
}
