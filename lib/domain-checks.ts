/**
 * The checks synth runs on a domain's definition and its model files, without building a stack:
 * the definition (constructs/domain/validate.ts), each model file (LH130) and its size (LH136),
 * and the Glue Data Quality rulesets made of both (LH115). Every `npx lakehouse` command runs
 * them before touching data, so a definition synth refuses is refused locally, with the same code,
 * problem, value and fix (only the location differs: the stack's path at synth, the domain file
 * here).
 */
import { domainDefinitionError } from '../constructs/domain/validate';
import { LakehouseError } from '../constructs/errors';
import { loadDomainModels } from '../constructs/models/load-models';
import { modelParameterProblem } from '../constructs/models/curated-table';
import { datasetRules, modelRules, rulesetProblem } from '../constructs/quality';
import { DomainDefinition } from '../lambda/shared/dataset';

/** The first problem synth would report for `def` (with its models under `domainsDir`), or undefined. */
export function domainCheckError(def: DomainDefinition, domainsDir: string, where: string): LakehouseError | undefined {
  const definition = domainDefinitionError(def, where);
  if (definition) return definition;
  let specs;
  try {
    specs = loadDomainModels(domainsDir, def);
  } catch (e) {
    if (e instanceof LakehouseError) return e;
    throw e;
  }
  for (const spec of specs) {
    const tooLarge = modelParameterProblem(spec);
    if (tooLarge) return new LakehouseError({ code: 'LH136', path: `${where} model ${spec.name}`, ...tooLarge });
  }
  const rulesets = [
    ...def.datasets.map((d) => ({ rules: datasetRules(d), source: `lib/domains/${def.name}.ts dataset ${d.name}` })),
    ...specs.map((s) => ({ rules: modelRules(s), source: s.file })),
  ];
  for (const { rules, source } of rulesets) {
    if (rules.rules.length === 0) continue; // no rules, no ruleset (DomainStack)
    const problem = rulesetProblem(rules, source);
    // `source` names the domain file (or the model file) and the dataset: the location.
    if (problem) return new LakehouseError({ code: 'LH115', path: source, ...problem });
  }
  return undefined;
}
