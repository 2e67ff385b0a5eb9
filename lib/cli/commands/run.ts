/**
 * `npx lakehouse run <domain>/<dataset> <file> [--source <source>]` — the real transform on a file,
 * with no AWS account; the file arrives where the source (by default the dataset's first) puts it.
 * Personal data is tokenized with the local key (`.lakehouse/pii-token-key.json`, generated once).
 *
 * Prints one JSON line: `{"rowsIn":…,"rowsOut":…,"rowsQuarantined":…,"driftColumns":[…],"clean":[…],"quarantine":…}`
 * where `clean` and `quarantine` are the output files under `.lakehouse/`.
 * Exit code 0 when the file was processed (bad records are quarantined, not failures), 1 when
 * the transform failed, 2 on a usage error.
 */
import * as fs from 'fs';
import { sourcesOfDataset } from '../../../lambda/shared/sources';
import { runLocal } from '../local';
import { CommandOptions, UsageError, findDataset } from './common';

export const RUN_USAGE = 'usage: npx lakehouse run <domain>/<dataset> <file> [--source <source>]';

export async function runCommand(args: readonly string[], opts: CommandOptions): Promise<number> {
  const [ref, file, ...extra] = args;
  if (!file || !(extra.length === 0 || (extra.length === 2 && extra[0] === '--source'))) throw new UsageError(RUN_USAGE);
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const { domain, dataset } = findDataset(ref, opts.domainsDir);
  const source = extra[1];
  const sources = sourcesOfDataset(domain, dataset);
  if (source !== undefined && !sources.includes(source)) {
    throw new UsageError(`${ref} is delivered by ${sources.length > 0 ? sources.join(', ') : "the domain's one ingest role: it declares no sources"}, not by ${source}`);
  }
  const result = await runLocal(opts.root, domain, dataset, file, source);
  opts.stdout.write(
    `${JSON.stringify({
      rowsIn: result.rowsIn,
      rowsOut: result.rowsOut,
      rowsQuarantined: result.rowsQuarantined,
      driftColumns: result.driftColumns,
      missingColumns: result.missingColumns,
      clean: result.files.clean,
      quarantine: result.files.quarantine ?? null,
    })}\n`,
  );
  return 0;
}
