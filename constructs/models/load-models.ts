/**
 * Reads a domain's model files, `<domainsDir>/<domain>/<model>.sql`, through the shared parser.
 * Used by the domain stack (infrastructure) and the CLI commands (`run-model`, `smoke`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DomainDefinition } from '../../lambda/shared/dataset';
import { ModelDefinition, ModelFileError, ModelSpec, parseModelFile, resolveModel } from '../../lambda/shared/models';
import { LakehouseError } from '../errors';

/** How a model file is named in messages: relative to the working directory when below it. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

function asLakehouseError(e: unknown): unknown {
  if (!(e instanceof ModelFileError)) return e;
  const [first, ...more] = e.problems;
  const extra = more.length > 0 ? ` (${more.length} more problem(s): ${more.map((p) => `line ${p.line}: ${p.problem}`).join('; ')})` : '';
  return new LakehouseError({
    code: 'LH130',
    path: `${e.file}:${first.line}`,
    value: e.file,
    problem: `bad model file: ${first.problem}${extra}`,
    fix: first.fix,
  });
}

/**
 * Parses every `*.sql` file of `<domainsDir>/<domain>/`, sorted by name; none if the folder does
 * not exist. Throws a LakehouseError (LH130) naming the file, line and fix of a bad file.
 */
export function loadModelFiles(domainsDir: string, domain: string): ModelDefinition[] {
  const dir = path.join(domainsDir, domain);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      try {
        return parseModelFile(fs.readFileSync(file, 'utf8'), { domain, file: displayPath(file) });
      } catch (e) {
        throw asLakehouseError(e);
      }
    });
}

/** Parses and resolves a domain's models against its datasets (LH130 on a bad file or unknown input). */
export function loadDomainModels(domainsDir: string, domain: DomainDefinition): ModelSpec[] {
  return loadModelFiles(domainsDir, domain.name).map((m) => {
    try {
      return resolveModel(m, domain);
    } catch (e) {
      throw asLakehouseError(e);
    }
  });
}
