/**
 * `npx lakehouse diagram [<domain>] [--cdk-out <dir>]`: prints the Mermaid source of the data-flow
 * overview, or of one domain, from the last synth's cloud assembly (templates and access matrix).
 */
import * as path from 'path';
import { overviewDomains, readDataFlowInputs } from '../../report/data-flow';
import { domainDiagram, overviewDiagram } from '../../report/data-flow/diagram';
import { CommandOptions, UsageError } from './common';

export const DIAGRAM_USAGE = 'usage: npx lakehouse diagram [<domain>] [--cdk-out <dir>]   (Mermaid; run npm run synth first)';

export async function diagramCommand(args: readonly string[], opts: CommandOptions): Promise<number> {
  let domain: string | undefined;
  let cdkOut = path.join(opts.root, 'cdk.out');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--cdk-out') {
      const dir = args[++i];
      if (!dir) throw new UsageError('--cdk-out needs a directory');
      cdkOut = path.resolve(opts.root, dir);
    } else if (args[i].startsWith('-')) throw new UsageError(`unknown option ${args[i]}`);
    else if (domain === undefined) domain = args[i];
    else throw new UsageError('give at most one domain');
  }
  const inputs = readDataFlowInputs(cdkOut);
  if (inputs.facts.length === 0) {
    opts.stderr.write(`lakehouse diagram: no domain stack in ${cdkOut}: run npm run synth first\n`);
    return 1;
  }
  if (!inputs.access) opts.stderr.write(`lakehouse diagram: no access matrix in ${cdkOut}: edges show routes only, with no writer\n`);
  if (domain === undefined) {
    const overview = overviewDiagram(overviewDomains(inputs.facts), inputs.access);
    opts.stdout.write(`${overview.text}\n`);
    return 0;
  }
  const facts = inputs.facts.find((f) => f.domain === domain);
  if (!facts) throw new UsageError(`no domain ${domain} in ${cdkOut} (domains: ${inputs.facts.map((f) => f.domain).join(', ')})`);
  const d = domainDiagram(facts, inputs.access);
  for (const note of d.notes) opts.stderr.write(`lakehouse diagram: ${note}\n`);
  opts.stdout.write(`${d.text}\n`);
  return 0;
}
