/**
 * The import boundaries of the whole tree, checked with the TypeScript compiler's parser (not
 * regular expressions: an import path in a comment or a string is not an import, and every form
 * of import counts — `import`, `import type`, `export … from`, `import x = require()`, `require()`,
 * `import()` and `typeof import()`).
 *
 * ```
 * bin → lib → constructs → lambda/shared        each layer imports itself and the layers below it
 *                                              (bin and lib also the root's cdk.json, package.json)
 * lambda/<handler> → lambda/shared              a handler folder imports itself and lambda/shared only
 * test → anything                               nothing else imports from test/
 * ```
 * and nothing under `lambda/` imports the CDK (aws-cdk-lib, constructs, cdk-nag, aws-cdk).
 *
 * One exception, by name: the local CLI (`lib/cli/`) runs a function's handler entry
 * (`lambda/<handler>/handler.ts`) against an embedded S3, as the function would run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { posix, join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Where a file sits: `bin`, `lib`, `constructs`, `lambda/shared`, `lambda/<handler>`, `test`, the
 * app's configuration at the root (`cdk.json`, `package.json`), or nothing known.
 */
export type Layer = 'bin' | 'lib' | 'constructs' | 'lambda/shared' | `lambda/${string}` | 'test' | 'config' | 'unknown';

/** The layers each layer may import, besides itself. */
const BELOW: Record<'bin' | 'lib' | 'constructs' | 'lambda/shared', readonly Layer[]> = {
  bin: ['lib', 'constructs', 'lambda/shared', 'config'],
  lib: ['constructs', 'lambda/shared', 'config'],
  constructs: ['lambda/shared'],
  'lambda/shared': [],
};

/** Packages function code must not import. */
const CDK_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk'];

/** Directories never walked. */
const SKIPPED = new Set(['node_modules', 'cdk.out', '.git', '.lakehouse', '.bench', 'coverage']);

export interface SourceText {
  /** Relative to the tree's root, with `/`. */
  readonly path: string;
  readonly text: string;
}

export interface ImportSite {
  readonly specifier: string;
  /** 1-based. */
  readonly line: number;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly problem: string;
}

export function layerOf(path: string): Layer {
  const [top, second] = path.split('/');
  if (top === 'bin' || top === 'lib' || top === 'constructs' || top === 'test') return top;
  if (top === 'lambda' && second !== undefined && !second.includes('.')) return second === 'shared' ? 'lambda/shared' : `lambda/${second}`;
  if (second === undefined && top.endsWith('.json')) return 'config';
  return 'unknown';
}

/** Every module specifier the file names, with its line. */
export function importsOf(file: SourceText): ImportSite[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, literal: ts.Expression | ts.ModuleReference | undefined) => {
    if (literal && ts.isStringLiteralLike(literal)) sites.push({ specifier: literal.text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) add(node, node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The problem with `from` importing `specifier`, if any. */
export function checkImport(from: string, specifier: string): string | undefined {
  const fromLayer = layerOf(from);
  if (!specifier.startsWith('.')) {
    const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    if (fromLayer.startsWith('lambda/') && CDK_PACKAGES.includes(pkg)) return `function code imports the CDK (${pkg}); keep infrastructure out of lambda/`;
    return undefined;
  }
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (target.startsWith('..')) return 'imports from outside the tree';
  const toLayer = layerOf(target);
  if (fromLayer === 'test') return undefined;
  if (toLayer === 'test') return 'imports from test/; only tests may';
  if (fromLayer === 'unknown') return `${from} is in no layer; put it under bin/, lib/, constructs/, lambda/ or test/`;
  if (toLayer === fromLayer) return undefined;
  if (fromLayer.startsWith('lambda/') && fromLayer !== 'lambda/shared') {
    return toLayer === 'lambda/shared' ? undefined : `${fromLayer} imports ${toLayer}; a handler folder imports only lambda/shared and itself`;
  }
  if (from.startsWith('lib/cli/') && /^lambda\/[^/]+\/handler(\.ts)?$/.test(target)) return undefined;
  const allowed = BELOW[fromLayer as keyof typeof BELOW];
  if (allowed.includes(toLayer)) return undefined;
  return `${fromLayer} imports ${toLayer}; ${fromLayer} may import only ${[fromLayer, ...allowed].join(', ')}`;
}

/** Every boundary violation among `files`. */
export function checkBoundaries(files: readonly SourceText[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    for (const site of importsOf(file)) {
      const problem = checkImport(file.path, site.specifier);
      if (problem) violations.push({ file: file.path, line: site.line, specifier: site.specifier, problem });
    }
  }
  return violations;
}

/** Every TypeScript file under `root` (declaration files and the skipped directories aside). */
export function sourceFiles(root: string): SourceText[] {
  const out: SourceText[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push({ path: relative(root, path).split(sep).join('/'), text: readFileSync(path, 'utf8') });
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** One line per violation: `file:line: 'specifier': problem`. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line}: '${v.specifier}': ${v.problem}`).join('\n');
}
