import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TOP_LEVEL = ['bin/', 'lib/', 'constructs/', 'lambda/', 'test/'];

/**
 * The paths a markdown layout table names, relative to the repository. Per row, the first cell's
 * first path is the root of the others; a path starting with a top-level folder is taken as is; a
 * bare file name after `dir/file.ts` in the same cell is in `dir/` (`contracts/a.ts`, `b.ts`).
 * Code spans that are not paths (names, commands) are skipped.
 */
function layoutPaths(table: string, root = ''): string[] {
  const paths: string[] = [];
  const isPath = (s: string) => /^[\w.-]+(\/[\w.-]+)*\/?$/.test(s) && (s.endsWith('/') || /\.(ts|js|md|json)$/.test(s));
  const topLevel = (p: string) => TOP_LEVEL.some((t) => p.startsWith(t));
  const resolve = (cell: string[], base: string) => {
    let dir = base;
    for (const p of cell) {
      const full = topLevel(p) ? p : p.includes('/') ? base + p : dir + p;
      // A file in a folder sets the folder of the bare names after it; a folder resets it.
      if (p.includes('/')) dir = p.endsWith('/') ? base : posix.dirname(full) + '/';
      paths.push(full);
    }
  };
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const [first, ...rest] = line.split('|').slice(1, -1).map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter(isPath));
    const rowRoot = first[0] !== undefined && topLevel(first[0]) ? '' : root;
    resolve(first, rowRoot);
    const base = rowRoot + (first[0]?.endsWith('/') ? first[0] : '');
    for (const cell of rest) resolve(cell, base);
  }
  return paths;
}

function section(file: string, heading: string): string {
  const text = '\n' + readFileSync(join(ROOT, file), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no "${heading}"`);
  const next = text.indexOf('\n## ', start + heading.length + 2);
  return text.slice(start, next < 0 ? undefined : next);
}

const entries = (dir: string) => readdirSync(join(ROOT, dir)).filter((e) => !e.startsWith('.')).map((e) => (statSync(join(ROOT, dir, e)).isDirectory() ? `${dir}${e}/` : `${dir}${e}`));
const tsFiles = (dir: string): string[] => entries(dir).flatMap((e) => (e.endsWith('/') ? tsFiles(e) : e.endsWith('.ts') ? [e] : []));

describe('layout tables', () => {
  const readme = layoutPaths(section('README.md', '## Layout'));
  const shared = layoutPaths(section('lambda/shared/README.md', '# Function-code layer (`lambda/shared/`)'), 'lambda/shared/');

  test('every path the README layout table names exists', () => {
    expect(readme.length).toBeGreaterThan(30);
    expect(readme.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  test('the README names every folder and module of lib/ and constructs/, and every folder of lambda/', () => {
    const expected = [...entries('lib/'), ...entries('constructs/'), ...entries('lambda/').filter((e) => e.endsWith('/'))];
    // A folder is named by itself or by a path inside it (`lambda/layers/duckdb/`).
    expect(expected.filter((e) => !readme.some((p) => p === e || (e.endsWith('/') && p.startsWith(e))))).toEqual([]);
  });

  test('lambda/shared/README.md names every module of lambda/shared/, and nothing that is not there', () => {
    expect(shared.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
    const named = new Set(shared);
    expect(tsFiles('lambda/shared/').filter((f) => !named.has(f))).toEqual([]);
  });

  test('layoutPaths: roots, top-level paths, folders and bare names after a file', () => {
    const table = [
      '| path | what |',
      '|---|---|',
      '| `lib/` | stacks (`a.ts`), `docs/` and `b.ts`, `lambda/x/` |',
      '| `c.ts` | `contracts/d.ts`, `e.ts`, `f/`, `g.ts`, a name `Thing` and a command `npx tsx` |',
      '| `aws/h.ts`, `i.ts` | what |',
    ].join('\n');
    expect(layoutPaths(table, 'lambda/shared/')).toEqual(['lib/', 'lib/a.ts', 'lib/docs/', 'lib/b.ts', 'lambda/x/', 'lambda/shared/c.ts', 'lambda/shared/contracts/d.ts', 'lambda/shared/contracts/e.ts', 'lambda/shared/f/', 'lambda/shared/g.ts', 'lambda/shared/aws/h.ts', 'lambda/shared/aws/i.ts']);
  });
});
