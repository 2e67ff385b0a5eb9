/**
 * The sizes the cost estimate assumes for clean Parquet and quarantine files (lib/cost/assumptions.ts:
 * `cleanBytesPerInputByte`, `quarantineBytesPerInputByte`), measured: generates seeded orders files
 * (CSV and NDJSON, 1 % bad rows over 60 days), runs the transform core on each and prints the
 * bytes written per input byte. Not a test.
 *
 *   npx tsx test/bench/clean-bytes.ts            # 200,000 rows (ROWS=… for another count)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../lambda/transform/core/engine';
import { transformFile } from '../../lambda/transform/core/transform';
import { generateOrders, ORDERS_CONTRACT } from './orders';

async function main(): Promise<void> {
  const rows = Number(process.env.ROWS ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'clean-bytes-'));
  try {
    for (const format of ['csv', 'ndjson'] as const) {
      const file = join(dir, `orders.${format}`);
      const generated = await generateOrders({ rows, path: file, format, seed: 7 });
      const workDir = join(dir, `work-${format}`);
      mkdirSync(workDir, { recursive: true });
      const engine = await Engine.create({ memoryLimitMb: 1024, tempDirectory: join(workDir, 'tmp') });
      const r = await transformFile({ contract: { ...ORDERS_CONTRACT, format }, localPath: file, source: { bucket: 'bench', key: `sales/orders/orders.${format}`, versionId: '1' }, workDir, engine });
      const input = statSync(file).size;
      const parquet = r.outputs.cleanFiles.reduce((n, f) => n + statSync(f.localPath).size, 0);
      const quarantine = r.outputs.quarantineFile ? statSync(r.outputs.quarantineFile.localPath).size : 0;
      const badInput = (input / rows) * r.rowsQuarantined;
      console.log(
        `${format}: ${rows} rows, ${input} input bytes (${generated.badRows} bad rows); clean Parquet ${parquet} bytes = ${(parquet / (input - badInput)).toFixed(4)}× the good rows' input, ` +
          `${(parquet / r.rowsOut).toFixed(1)} bytes a row in ${r.outputs.cleanFiles.length} partitions; quarantine ${quarantine} bytes = ${(quarantine / badInput).toFixed(2)}× the rejected rows' input`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
