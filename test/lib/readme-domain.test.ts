/**
 * The README's "Options for files, one example each" domain is a definition synth accepts, and its
 * table names every option the definition types have (docs that drift fail here).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { validateDomainDefinition } from '../../constructs/domain/validate';
import { datasetRules } from '../../constructs/quality';
import type { DomainDefinition } from '../../lambda/shared/dataset';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function example(): DomainDefinition {
  const m = /<!-- domain-example:start -->\n```ts\n([\s\S]*?)```\n<!-- domain-example:end -->/.exec(README);
  if (!m) throw new Error('the README has no domain example between its markers');
  const js = ts.transpileModule(m[1].replace('export default ', 'module.exports = '), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: undefined as unknown };
  new Function('module', 'defineDomain', js)(module, (d: DomainDefinition) => d);
  return module.exports as DomainDefinition;
}

describe("README: adding a data domain", () => {
  test('the example with every option passes synth\'s checks and has Glue Data Quality rules', () => {
    const def = example();
    expect(validateDomainDefinition(def)).toEqual([]);
    expect(datasetRules(def.datasets[0]).rules).toContain('IsUnique "customer_id"');
  });

  test('the option table names every option the example uses', () => {
    const def = example();
    const ds = def.datasets[0];
    const used = [
      ...Object.keys(ds).filter((k) => !['name', 'description', 'columns', 'csv'].includes(k)),
      ...Object.keys(ds.csv ?? {}).map((k) => `csv.${k}`),
      ...new Set(ds.columns.flatMap((c) => Object.keys(c).filter((k) => !['name', 'type'].includes(k)).map((k) => `columns[].${k}`))),
    ];
    const table = README.slice(README.indexOf('| option | example | what it does |'));
    for (const option of used) expect(table).toContain(`| \`${option}\` |`);
  });
});
