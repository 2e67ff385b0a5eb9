/**
 * `npm run report [-- [cdk.out path] [--out <file>]]`
 *
 * Prints the PR report (markdown) built from the synth outputs in `cdk.out/` (or the given
 * directory) and, with `--out`, also writes it to a file. With `--base <dir>` (the base branch's
 * synth output) the report starts with what the change does: access cells granted and revoked,
 * nag findings and acknowledgements that appear or disappear, and the diagrams of the domains it
 * touches.
 *
 * Exit codes: 0 — report rendered from a readable validation report (whatever its findings: the
 * synth step is what fails the build); 1 — the validation report is missing or unreadable (the
 * markdown is still printed/written and says so); 2 — bad arguments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readReportInputs } from './read';
import { renderReport } from './render';

export interface CliArgs {
  readonly cdkOut: string;
  readonly out?: string;
  /** The base branch's cloud assembly, to compare with. */
  readonly base?: string;
}

export const USAGE = 'usage: npm run report -- [cdk.out directory] [--out <file>] [--base <base cdk.out directory>]';

/** Parses the command line (without `node` and the script). Throws with a usage message. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let cdkOut: string | undefined;
  let out: string | undefined;
  let base: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--base') {
      const v = argv[++i];
      if (!v || v.startsWith('-')) throw new Error(`--base needs a directory. ${USAGE}`);
      base = v;
    } else if (a.startsWith('--base=')) {
      base = a.slice('--base='.length);
      if (!base) throw new Error(`--base needs a directory. ${USAGE}`);
    } else if (a === '--out' || a === '-o') {
      const v = argv[++i];
      if (!v || v.startsWith('-')) throw new Error(`--out needs a file name. ${USAGE}`);
      out = v;
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
      if (!out) throw new Error(`--out needs a file name. ${USAGE}`);
    } else if (a === '--help' || a === '-h') {
      throw new Error(USAGE);
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a}. ${USAGE}`);
    } else if (cdkOut === undefined) {
      cdkOut = a;
    } else {
      throw new Error(`only one cdk.out directory may be given (got ${cdkOut} and ${a}). ${USAGE}`);
    }
  }
  return { cdkOut: cdkOut ?? 'cdk.out', out, ...(base !== undefined ? { base } : {}) };
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): number {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 2;
  }
  const inputs = readReportInputs(args.cdkOut, { base: args.base });
  const markdown = renderReport(inputs);
  io.stdout(markdown);
  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.writeFileSync(args.out, markdown);
    io.stderr(`report written to ${args.out}\n`);
  }
  if (!inputs.validationReport) {
    io.stderr(`no usable validation-report.json in ${args.cdkOut}: the report says so; exiting 1\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
