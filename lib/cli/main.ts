/**
 * `npx lakehouse <command>`: the local lakehouse for data engineers (no AWS account).
 */
import { diagramCommand, DIAGRAM_USAGE } from './commands/diagram';
import { newDomainCommand, NEW_DOMAIN_USAGE } from './commands/new-domain';
import { queryCommand, QUERY_USAGE } from './commands/query';
import { runCommand, RUN_USAGE } from './commands/run';
import { runModelCommand, RUN_MODEL_USAGE } from './commands/run-model';
import { smokeCommand, SMOKE_USAGE } from './commands/smoke';
import { CommandOptions, UsageError } from './commands/common';
import { LakehouseError } from '../../constructs/errors';

const COMMANDS: Record<string, { usage: string; run: (args: readonly string[], opts: CommandOptions) => Promise<number> }> = {
  run: { usage: RUN_USAGE, run: runCommand },
  query: { usage: QUERY_USAGE, run: queryCommand },
  'new-domain': { usage: NEW_DOMAIN_USAGE, run: newDomainCommand },
  'run-model': { usage: RUN_MODEL_USAGE, run: runModelCommand },
  smoke: { usage: SMOKE_USAGE, run: smokeCommand },
  diagram: { usage: DIAGRAM_USAGE, run: diagramCommand },
};

export function usage(): string {
  return ['npx lakehouse <command>', ...Object.values(COMMANDS).map((c) => `  ${c.usage.replace(/^usage: /, '')}`)].join('\n');
}

export async function main(argv: readonly string[], opts: CommandOptions): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    opts.stderr.write(`${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(args, opts);
  } catch (e) {
    if (e instanceof UsageError) {
      opts.stderr.write(`lakehouse ${name}: ${e.message}\n${command.usage}\n`);
      return 2;
    }
    if (e instanceof LakehouseError) {
      // A definition synth refuses (lib/domain-checks.ts): the same message, no stack trace.
      opts.stderr.write(`lakehouse ${name}: ${e.message}\n`);
      return 2;
    }
    opts.stderr.write(`lakehouse ${name} failed: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { root: process.cwd(), stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
