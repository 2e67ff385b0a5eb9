/**
 * A model resolved against its domain (`ModelSpec`): what the curated Glue table carries in its
 * `lakehouse.model` parameter and the runners execute; its resolution from a parsed model file
 * (syntax.ts), and its serialisation.
 */
import { DomainDefinition, isColumnType, partitionNameOf } from '../dataset';
import { isRecord, parseJson } from '../json-value';
import { IDENTIFIER_RE, ModelDefinition, ModelFileError, ModelProblem, isModelName, stripUndefined } from './syntax';

/** Glue table parameter of a curated table that carries its model (the runner reads it back). */
export const MODEL_SPEC_PARAMETER = 'lakehouse.model';

/** An input resolved against the domain: where its partitions land in the clean zone. */
export interface ModelInput {
  readonly database: string;
  readonly dataset: string;
  /** The clean table's partition column (`<column>` or `<column>_date`). */
  readonly partitionName: string;
  /** Key prefix in the clean zone, `<domain>/<dataset>/`. */
  readonly prefix: string;
}

/**
 * A model resolved against its domain: what the Glue table carries and the runner executes. The
 * parsed model without its SELECT's line, its inputs resolved.
 */
export interface ModelSpec extends Omit<ModelDefinition, 'sqlLine' | 'inputs' | 'estimate'> {
  readonly version: 1;
  readonly inputs: readonly ModelInput[];
}

/** Resolves a model's inputs against its domain's datasets; throws a ModelFileError if one is unknown. */
export function resolveModel(model: ModelDefinition, domain: DomainDefinition): ModelSpec {
  if (model.domain !== domain.name) {
    throw new ModelFileError(model.file, [{ line: 1, problem: `the model belongs to domain ${model.domain}, not ${domain.name}`, fix: `put it under lib/domains/${domain.name}/` }]);
  }
  const problems: ModelProblem[] = [];
  const inputs: ModelInput[] = [];
  for (const ref of model.inputs) {
    const dataset = domain.datasets.find((d) => d.name === ref.table);
    if (!dataset) {
      problems.push({
        line: ref.line,
        problem: `${ref.database}.${ref.table} is not a dataset of domain ${domain.name}`,
        fix: `read one of ${domain.datasets.map((d) => `${ref.database}.${d.name}`).join(', ') || '(the domain has no datasets)'}, or declare the dataset in lib/domains/${domain.name}.ts`,
      });
      continue;
    }
    inputs.push({ database: ref.database, dataset: dataset.name, partitionName: partitionNameOf(dataset), prefix: `${domain.name}/${dataset.name}/` });
  }
  if (problems.length > 0) throw new ModelFileError(model.file, problems);
  return stripUndefined({
    version: 1 as const,
    domain: model.domain,
    name: model.name,
    file: model.file,
    description: model.description,
    partition: model.partition,
    columns: model.columns,
    minRows: model.minRows,
    minRowsLine: model.minRowsLine,
    assertions: model.assertions,
    sql: model.sql,
    inputs,
  });
}

export function serialiseModelSpec(spec: ModelSpec): string {
  return JSON.stringify(spec);
}

/** Reads a spec back from the Glue table parameter; throws on anything malformed. */
export function parseModelSpec(text: string): ModelSpec {
  const value = parseJson(text, (reason) => new Error(`${MODEL_SPEC_PARAMETER} is not JSON: ${reason}`));
  const s = value as ModelSpec;
  const bad = (what: string) => new Error(`${MODEL_SPEC_PARAMETER}: ${what}`);
  if (!isRecord(value) || s.version !== 1) throw bad('unknown version');
  if (typeof s.domain !== 'string' || !isModelName(String(s.name))) throw bad('lacks domain or a valid name');
  if (typeof s.sql !== 'string' || !s.sql.trim()) throw bad('has no SQL');
  if (!Array.isArray(s.columns) || !s.columns.every((c) => IDENTIFIER_RE.test(String(c?.name)) && isColumnType(String(c?.type)))) throw bad('has a malformed column');
  if (!s.columns.some((c) => c.name === s.partition && c.type === 'date')) throw bad(`partition ${String(s.partition)} is not a date column`);
  if (!Number.isInteger(s.minRows) || s.minRows < 0 || !Number.isInteger(s.minRowsLine)) throw bad('minRows is not a whole number');
  if (!Array.isArray(s.assertions) || !s.assertions.every((a) => ['not_null', 'unique', 'accepted_values', 'sql'].includes(a?.kind))) throw bad('has a malformed assertion');
  if (!Array.isArray(s.inputs) || s.inputs.length === 0 || !s.inputs.every((i) => typeof i?.prefix === 'string' && IDENTIFIER_RE.test(String(i?.partitionName)))) {
    throw bad('has no or malformed inputs');
  }
  return s;
}
