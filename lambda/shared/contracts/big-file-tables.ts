/**
 * The names of the big-file route's temporary Glue tables, which its construct grants
 * (`constructs/transforms/big-file-route.ts`: create and drop only tables with this infix in the
 * domain's clean database) and its function creates and drops.
 */

/** Marks the route's temporary Glue tables (`<dataset>__big_<run>_in|out`); dataset names never contain `__`. */
export const BIG_FILE_TABLE_MARKER = '__big_';

/** A run id as table names and keys carry it: lower case letters, digits and `_`. */
export function runKey(runId: string): string {
  return runId.toLowerCase().replace(/[^a-z0-9]/g, '_');
}

/** Names of the run's temporary tables in the clean database. */
export function bigFileTables(dataset: string, runId: string): { input: string; output: string } {
  const run = runKey(runId);
  return { input: `${dataset}${BIG_FILE_TABLE_MARKER}${run}_in`, output: `${dataset}${BIG_FILE_TABLE_MARKER}${run}_out` };
}
