/**
 * `npx lakehouse run <domain>/<dataset> <file> [--source <source>] [--arrived-at <ISO-8601 time>]` —
 * the real transform on a file, with no AWS account; the file arrives where the source (by default
 * the dataset's first) puts it. Personal data is tokenized with the local key
 * (`.lakehouse/pii-token-key.json`, generated once). `--arrived-at` is the event time the function
 * would get (a dataset partitioned by arrival takes its UTC date; default: now).
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

export const RUN_USAGE = 'usage: npx lakehouse run <domain>/<dataset> <file> [--source <source>] [--arrived-at <ISO-8601 time>]';

export async function runCommand(args: readonly string[], opts: CommandOptions): Promise<number> {
  const positional: string[] = [];
  let arrivedAt: Date | undefined;
  let source: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--arrived-at' || a.startsWith('--arrived-at=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      arrivedAt = new Date(v ?? '');
      if (!v || !/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(arrivedAt.getTime())) throw new UsageError(`--arrived-at takes an ISO-8601 time, e.g. 2026-03-01T09:30:00Z (got ${JSON.stringify(v)})`);
    } else if (a === '--source' || a.startsWith('--source=')) {
      source = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!source) throw new UsageError(RUN_USAGE);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  const [ref, file, ...extra] = positional;
  if (!file || extra.length > 0) throw new UsageError(RUN_USAGE);
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const { domain, dataset } = findDataset(ref, opts.domainsDir);
  const sources = sourcesOfDataset(domain, dataset);
  if (source !== undefined && !sources.includes(source)) {
    throw new UsageError(`${ref} is delivered by ${sources.length > 0 ? sources.join(', ') : "the domain's one ingest role: it declares no sources"}, not by ${source}`);
  }
  const result = await runLocal(opts.root, domain, dataset, file, { arrivedAt, source });
  opts.stdout.write(
    `${JSON.stringify({
      rowsIn: result.rowsIn,
      rowsOut: result.rowsOut,
      rowsQuarantined: result.rowsQuarantined,
      driftColumns: result.driftColumns,
      missingColumns: result.missingColumns,
      clean: result.files.clean,
      quarantine: result.files.quarantine ?? null,
      ...(result.unreadable ? { unreadable: result.unreadable } : {}),
    })}\n`,
  );
  return 0;
}
