/**
 * Checks SQL against Trino's grammar (dt-sql-parser's TrinoSQL, built from Trino's ANTLR grammar;
 * Athena engine 3 is Trino). Reads a JSON array of statements on stdin, prints a JSON array of
 * their syntax errors. A separate process because the parser ships as ES modules, which jest's
 * CommonJS runtime cannot load; `trinoSyntaxErrors` runs it through tsx.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function trinoSyntaxErrors(statements: readonly string[]): string[][] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'trino-grammar.ts')], { input: JSON.stringify(statements), encoding: 'utf8' });
  return JSON.parse(out) as string[][];
}

async function main(): Promise<void> {
  const { TrinoSQL } = await import('dt-sql-parser');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const statements = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[];
  const parser = new TrinoSQL();
  process.stdout.write(JSON.stringify(statements.map((s) => parser.validate(s).map((e) => e.message))));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
