/**
 * The quota figures of synthesized stacks: one pure function per quota, the figures of a list of
 * stacks, and the findings of those above {@link QUOTA_THRESHOLD_FRACTION} of their limit.
 *
 * Each template is read and parsed once; every figure is a walk over a part of it, so the work is
 * linear in the total template bytes.
 */
import * as fs from 'fs';
import { countDashboardWidgets } from './dashboard-widgets';
import { Quota, QUOTA_BY_ID, QuotaId, QUOTA_THRESHOLD_FRACTION, QUOTAS, quotaThreshold } from './quotas';
import { lengthContext, LengthEstimate, resolvedJsonBytes } from './resolved-length';

/** A stack to measure: its template file, or the template itself. */
export interface StackQuotaInput {
  readonly stackName: string;
  /** The synthesized template file (its bytes are what CloudFormation counts). */
  readonly templatePath?: string;
  /** The template, when there is no file: its size is that of `JSON.stringify(template, undefined, 1)`. */
  readonly template?: unknown;
}

/** A parsed stack, as the measure functions read it. */
export interface MeasuredStack {
  readonly stackName: string;
  readonly templatePath?: string;
  readonly template: Template;
  /** Bytes of the template as uploaded. */
  readonly templateBytes: number;
}

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** The parts of a template the quotas read. */
export interface Template {
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  readonly Outputs?: Readonly<Record<string, unknown>>;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly [section: string]: unknown;
}

/** One measured figure: a stack's, or one resource's for per-resource quotas. */
export interface QuotaFigure {
  readonly value: number;
  /** The resource measured (per-resource quotas). */
  readonly logicalId?: string;
  /** The figure is an upper-bound estimate (a policy with intrinsics, a dashboard that did not parse). */
  readonly estimated?: boolean;
  /** How many intrinsics were bounded only by assumption (policy sizes). */
  readonly assumedIntrinsics?: number;
  /** What the figure is made of, when it is over the threshold (the largest contributors). */
  readonly detail?: string;
}

/** The figures of one stack, by quota (per-resource quotas: every resource of the type). */
export interface StackFigures {
  readonly stackName: string;
  readonly templatePath?: string;
  readonly figures: Readonly<Record<QuotaId, readonly QuotaFigure[]>>;
}

/** A figure above its threshold. */
export interface QuotaFinding {
  readonly quota: Quota;
  readonly stackName: string;
  readonly templatePath?: string;
  readonly figure: QuotaFigure;
  readonly threshold: number;
  /** The finding as one sentence: stack, resource, figure, limit and threshold. */
  readonly message: string;
}

/** How many contributors a finding names. */
const TOP = 5;

/** Number of resources in the template; over the threshold, the most numerous types. */
export function resourceCount(stack: MeasuredStack): QuotaFigure[] {
  const resources = Object.values(stack.template.Resources ?? {});
  if (resources.length <= quotaThreshold(QUOTA_BY_ID.resources)) return [{ value: resources.length }];
  const byType = new Map<string, number>();
  for (const r of resources) byType.set(String(r.Type), (byType.get(String(r.Type)) ?? 0) + 1);
  const top = [...byType].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return [{ value: resources.length, detail: `most numerous: ${top.map(([type, n]) => `${type} (${n})`).join(', ')}` }];
}

/** Bytes of the template as uploaded to S3; over the threshold, the largest resources. */
export function templateBytes(stack: MeasuredStack): QuotaFigure[] {
  if (stack.templateBytes <= quotaThreshold(QUOTA_BY_ID.templateBytes)) return [{ value: stack.templateBytes }];
  const sizes = Object.entries(stack.template.Resources ?? {}).map(([id, r]): [string, number] => [id, Buffer.byteLength(JSON.stringify(r))]);
  const top = sizes.sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return [{ value: stack.templateBytes, detail: `largest resources (minified bytes): ${top.map(([id, n]) => `${id} (${formatNumber(n)})`).join(', ')}` }];
}

/** Number of outputs in the template. */
export function outputCount(stack: MeasuredStack): QuotaFigure[] {
  return [{ value: Object.keys(stack.template.Outputs ?? {}).length }];
}

/** Number of parameters in the template. */
export function parameterCount(stack: MeasuredStack): QuotaFigure[] {
  return [{ value: Object.keys(stack.template.Parameters ?? {}).length }];
}

/** Estimated bytes of each bucket policy's document. */
export function bucketPolicySizes(stack: MeasuredStack): QuotaFigure[] {
  return policySizes(stack, 'bucketPolicyBytes', 'PolicyDocument');
}

/** Estimated bytes of each KMS key's policy. */
export function keyPolicySizes(stack: MeasuredStack): QuotaFigure[] {
  return policySizes(stack, 'keyPolicyBytes', 'KeyPolicy');
}

/** Widgets of each dashboard. */
export function dashboardWidgetCounts(stack: MeasuredStack): QuotaFigure[] {
  return resourcesOf(stack, 'dashboardWidgets').map(([logicalId, r]) => {
    const { widgets, exact } = countDashboardWidgets(r.Properties?.DashboardBody);
    return exact ? { logicalId, value: widgets } : { logicalId, value: widgets, estimated: true };
  });
}

/** The measure function of each quota. */
export const QUOTA_MEASURES: Readonly<Record<QuotaId, (stack: MeasuredStack) => QuotaFigure[]>> = {
  resources: resourceCount,
  templateBytes,
  outputs: outputCount,
  parameters: parameterCount,
  bucketPolicyBytes: bucketPolicySizes,
  keyPolicyBytes: keyPolicySizes,
  dashboardWidgets: dashboardWidgetCounts,
};

function resourcesOf(stack: MeasuredStack, id: QuotaId): Array<[string, TemplateResource]> {
  const types = new Set(QUOTA_BY_ID[id].resourceTypes ?? []);
  return Object.entries(stack.template.Resources ?? {}).filter(([, r]) => r.Type !== undefined && types.has(r.Type));
}

function policySizes(stack: MeasuredStack, id: QuotaId, property: string): QuotaFigure[] {
  const ctx = lengthContext(stack.template, stack.stackName);
  return resourcesOf(stack, id).flatMap(([logicalId, r]): QuotaFigure[] => {
    const document = r.Properties?.[property];
    if (document === undefined) return [];
    const est: LengthEstimate = { intrinsics: 0, assumed: 0 };
    const value = resolvedJsonBytes(typeof document === 'string' ? parsedOrText(document) : document, ctx, est);
    if (est.intrinsics === 0) return [{ logicalId, value }];
    return [est.assumed > 0 ? { logicalId, value, estimated: true, assumedIntrinsics: est.assumed } : { logicalId, value, estimated: true }];
  });
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads and parses a stack's template once. */
export function measuredStack(input: StackQuotaInput): MeasuredStack {
  if (input.templatePath !== undefined) {
    const text = fs.readFileSync(input.templatePath, 'utf8');
    return { stackName: input.stackName, templatePath: input.templatePath, template: JSON.parse(text) as Template, templateBytes: Buffer.byteLength(text) };
  }
  const template = (input.template ?? {}) as Template;
  return { stackName: input.stackName, template, templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)) };
}

/** Every quota figure of one parsed stack. */
export function stackFigures(stack: MeasuredStack): StackFigures {
  const figures = Object.fromEntries(QUOTAS.map((q) => [q.id, QUOTA_MEASURES[q.id](stack)])) as Record<QuotaId, QuotaFigure[]>;
  return { stackName: stack.stackName, templatePath: stack.templatePath, figures };
}

/** The figures above their quota's threshold. */
export function quotaFindings(stacks: readonly StackFigures[]): QuotaFinding[] {
  const findings: QuotaFinding[] = [];
  for (const stack of stacks) {
    for (const q of QUOTAS) {
      const threshold = quotaThreshold(q);
      for (const figure of stack.figures[q.id]) {
        if (figure.value <= threshold) continue;
        findings.push({ quota: q, stackName: stack.stackName, templatePath: stack.templatePath, figure, threshold, message: findingMessage(q, stack.stackName, figure, threshold) });
      }
    }
  }
  return findings;
}

function findingMessage(q: Quota, stackName: string, figure: QuotaFigure, threshold: number): string {
  const what = figure.logicalId ? `${q.title} of ${figure.logicalId} in stack ${stackName}` : `${q.title} of stack ${stackName}`;
  const estimate = figure.estimated ? ' (an upper-bound estimate)' : '';
  const detail = figure.detail ? ` ${capitalize(figure.detail)}.` : '';
  return `${what}: ${formatNumber(figure.value)} ${q.unit}${estimate}, over ${QUOTA_THRESHOLD_FRACTION * 100}% (${formatNumber(threshold)}) of the limit of ${formatNumber(q.limit)} ${q.unit} (${q.source}).${detail}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** The largest figure of one quota across stacks. */
export interface LargestFigure {
  readonly stackName: string;
  readonly logicalId?: string;
  readonly value: number;
  readonly limit: number;
  readonly threshold: number;
  /** value / limit, in percent, one decimal. */
  readonly percentOfLimit: number;
  readonly estimated?: boolean;
}

/** The report `stack-quotas.json` holds, and what `npm run bench:scale` prints. */
export interface StackQuotaReport {
  readonly thresholdFraction: number;
  readonly quotas: ReadonlyArray<Pick<Quota, 'id' | 'title' | 'limit' | 'unit' | 'source'> & { readonly threshold: number }>;
  /** For each quota, the largest figure of any stack (absent when no stack has the resource type). */
  readonly largest: Partial<Readonly<Record<QuotaId, LargestFigure>>>;
  /** Per stack: stack-level figures, and the largest resource per per-resource quota. */
  readonly stacks: ReadonlyArray<{
    readonly stackName: string;
    readonly templatePath?: string;
    readonly figures: Partial<Readonly<Record<QuotaId, QuotaFigure>>>;
  }>;
  readonly findings: ReadonlyArray<{ readonly quota: QuotaId; readonly stackName: string; readonly logicalId?: string; readonly value: number; readonly message: string }>;
}

/**
 * The quota figures of a list of stacks (template files or templates), for the synth check and the
 * scale benchmark: per stack each figure against its limit, the largest figure per quota, and the
 * findings.
 */
export function computeStackQuotas(inputs: readonly StackQuotaInput[]): StackQuotaReport {
  return stackQuotaReport(inputs.map((input) => stackFigures(measuredStack(input))));
}

/** The report of figures already computed. */
export function stackQuotaReport(stacks: readonly StackFigures[]): StackQuotaReport {
  const largest: Partial<Record<QuotaId, LargestFigure>> = {};
  const perStack = stacks.map((s) => {
    const figures: Partial<Record<QuotaId, QuotaFigure>> = {};
    for (const q of QUOTAS) {
      const top = maxFigure(s.figures[q.id]);
      if (!top) continue;
      figures[q.id] = top;
      if (largest[q.id] === undefined || top.value > largest[q.id]!.value) {
        largest[q.id] = {
          stackName: s.stackName,
          ...(top.logicalId ? { logicalId: top.logicalId } : {}),
          value: top.value,
          limit: q.limit,
          threshold: quotaThreshold(q),
          percentOfLimit: Math.round((1000 * top.value) / q.limit) / 10,
          ...(top.estimated ? { estimated: true } : {}),
        };
      }
    }
    return { stackName: s.stackName, ...(s.templatePath ? { templatePath: s.templatePath } : {}), figures };
  });
  const ordered = Object.fromEntries(QUOTAS.filter((q) => largest[q.id]).map((q) => [q.id, largest[q.id]]));
  return {
    thresholdFraction: QUOTA_THRESHOLD_FRACTION,
    quotas: QUOTAS.map((q) => ({ id: q.id, title: q.title, limit: q.limit, threshold: quotaThreshold(q), unit: q.unit, source: q.source })),
    largest: ordered,
    stacks: perStack,
    findings: quotaFindings(stacks).map((f) => ({
      quota: f.quota.id,
      stackName: f.stackName,
      ...(f.figure.logicalId ? { logicalId: f.figure.logicalId } : {}),
      value: f.figure.value,
      message: f.message,
    })),
  };
}

function maxFigure(figures: readonly QuotaFigure[]): QuotaFigure | undefined {
  return figures.reduce<QuotaFigure | undefined>((top, f) => (top === undefined || f.value > top.value ? f : top), undefined);
}
