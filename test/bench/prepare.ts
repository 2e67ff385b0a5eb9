/**
 * The big-file route's prepare step on one file, in this process: how fast it streams and how
 * much staging it writes for Athena to scan. Prints one JSON line.
 *
 *   tsx test/bench/prepare.ts <file> <csv|ndjson>
 *
 * The parts are counted, not stored: what is measured is the step's own work (first pass, JSON
 * records, gzip), not S3.
 */
import { statSync } from 'node:fs';
import { prepareStaging } from '../../lambda/bigfile/core/prepare';
import { openSource } from '../../lambda/shared/pipeline/scan';
import { ORDERS_CONTRACT } from './orders';

async function main(): Promise<void> {
  const [file, format] = process.argv.slice(2);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let stagingBytes = 0;
  const { stream } = await openSource(file);
  const r = await prepareStaging({
    contract: { ...ORDERS_CONTRACT, format: format as 'csv' | 'ndjson' },
    sourceUri: `file://${file}`,
    input: stream,
    putPart: async (_name, body) => {
      stagingBytes += body.length;
    },
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      mode: 'prepare',
      file,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      bytesIn: statSync(file).size,
      bytesDecompressed: r.bytesDecompressed,
      rowsIn: r.rowsIn,
      rejected: r.rejected,
      parts: r.parts.length,
      stagingBytes,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
