/**
 * What the data-flow diagram draws, read from the synthesized templates in `cdk.out/` (never from a
 * hand-kept list): per domain stack, its datasets (the clean tables' `lakehouse.contract`), its
 * models (the curated tables' `lakehouse.model`, with their inputs), the size threshold its
 * transform rules route on and whether it has the big-file route. One template is read at a time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONTRACT_PARAMETER } from '../../../lambda/shared/dataset';
import { MODEL_SPEC_PARAMETER } from '../../../lambda/shared/models/spec';

export interface DatasetFacts {
  readonly name: string;
  readonly format: string;
  /** Columns declared `pii`. */
  readonly pii: readonly string[];
}

export interface ModelFacts {
  readonly name: string;
  /** Datasets of the domain it reads. */
  readonly inputs: readonly string[];
  readonly pii: readonly string[];
}

export interface DomainFacts {
  readonly domain: string;
  readonly stack: string;
  readonly datasets: readonly DatasetFacts[];
  readonly models: readonly ModelFacts[];
  /** Raw objects above this size (bytes) take the big-file route; undefined without the route. */
  readonly bigFileThresholdBytes?: number;
}

interface Resource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * The template files of the stacks in a cloud assembly directory, sorted: those its `manifest.json`
 * lists (cdk synth leaves other environments' templates in the directory), or every
 * `*.template.json` when there is no manifest.
 */
export function templateFiles(cdkOut: string): string[] {
  if (!fs.existsSync(cdkOut)) return [];
  const manifest = path.join(cdkOut, 'manifest.json');
  if (fs.existsSync(manifest)) {
    const artifacts = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }> }).artifacts ?? {};
    return Object.values(artifacts)
      .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
      .map((a) => path.join(cdkOut, a.properties!.templateFile!))
      .sort();
  }
  return fs
    .readdirSync(cdkOut)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((f) => path.join(cdkOut, f));
}

/** The environment name of an app synthesized by buildLakehouse (`Lakehouse-<env>-Platform`). */
export function environmentOf(cdkOut: string): string | undefined {
  for (const file of templateFiles(cdkOut)) {
    const m = /^Lakehouse-(.+)-Platform\.template\.json$/.exec(path.basename(file));
    if (m) return m[1];
  }
  return undefined;
}

function parameters(r: Resource): Record<string, unknown> {
  const input = r.Properties?.TableInput as { Parameters?: Record<string, unknown> } | undefined;
  return input?.Parameters ?? {};
}

/** Numbers in `{ numeric: ['>', n] }` size patterns of an event rule. */
function sizeThreshold(pattern: unknown, op: '>' | '<='): number | undefined {
  const size = (pattern as { detail?: { object?: { size?: unknown } } } | undefined)?.detail?.object?.size;
  if (!Array.isArray(size)) return undefined;
  for (const s of size) {
    const numeric = (s as { numeric?: unknown[] }).numeric;
    if (Array.isArray(numeric) && numeric[0] === op && typeof numeric[1] === 'number') return numeric[1];
  }
  return undefined;
}

/** The facts of one template, or undefined when it is not a domain stack. */
export function domainFacts(stack: string, template: { readonly Resources?: Record<string, Resource> }): DomainFacts | undefined {
  let domain: string | undefined;
  const datasets: DatasetFacts[] = [];
  const models: ModelFacts[] = [];
  let hasBigFiles = false;
  let threshold: number | undefined;
  for (const r of Object.values(template.Resources ?? {})) {
    if (r.Type === 'AWS::Glue::Table') {
      const params = parameters(r);
      const contract = params[CONTRACT_PARAMETER];
      const model = params[MODEL_SPEC_PARAMETER];
      if (typeof contract === 'string') {
        const c = JSON.parse(contract) as { domain: string; dataset: string; format: string; columns: Array<{ name: string; pii?: boolean }> };
        domain ??= c.domain;
        datasets.push({ name: c.dataset, format: c.format, pii: c.columns.filter((col) => col.pii).map((col) => col.name) });
      } else if (typeof model === 'string') {
        const m = JSON.parse(model) as { domain: string; name: string; inputs: Array<{ dataset: string }>; columns: Array<{ name: string; pii?: boolean }> };
        domain ??= m.domain;
        models.push({ name: m.name, inputs: m.inputs.map((i) => i.dataset), pii: m.columns.filter((col) => col.pii).map((col) => col.name) });
      }
    } else if (r.Type === 'AWS::StepFunctions::StateMachine') {
      hasBigFiles ||= /-big-files$/.test(String(r.Properties?.StateMachineName ?? ''));
    } else if (r.Type === 'AWS::Events::Rule') {
      threshold ??= sizeThreshold(r.Properties?.EventPattern, '>');
    }
  }
  if (domain === undefined) return undefined;
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return { domain, stack, datasets: datasets.sort(byName), models: models.sort(byName), bigFileThresholdBytes: hasBigFiles ? threshold : undefined };
}

/** Every domain's facts, reading one template at a time. */
export function* readDomainFacts(cdkOut: string): Generator<DomainFacts> {
  for (const file of templateFiles(cdkOut)) {
    const stack = path.basename(file).replace(/\.template\.json$/, '');
    const facts = domainFacts(stack, JSON.parse(fs.readFileSync(file, 'utf8')));
    if (facts) yield facts;
  }
}
