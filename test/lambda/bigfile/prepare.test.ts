import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { prepareStaging } from '../../../lambda/bigfile/core/prepare';
import { ORDERS_NDJSON } from '../transform/helpers';

describe('prepareStaging', () => {
  test('writes every record exactly once when rejects arrive while a part is being stored', async () => {
    // The first pass hands its rejects over (repeated keys here) while the records it wrote are
    // still being staged; small parts and a slow store make the two meet at a flush.
    const good = (id: number) => `{"order_id":${id},"amount":12.50,"ordered_at":"2024-03-15T10:00:00Z","note":"some text"}`;
    const bad = (id: number) => `{"pad":"${'y'.repeat(40_000)}","order_id":${id},"order_id":${id}}`;
    const lines = [...Array.from({ length: 20_000 }, (_, i) => good(i + 1)), ...Array.from({ length: 5 }, (_, i) => bad(20_001 + i))];
    const parts: Buffer[] = [];
    const r = await prepareStaging({
      contract: ORDERS_NDJSON,
      sourceUri: 's3://raw/sales/orders/x.ndjson',
      input: Readable.from([Buffer.from(lines.join('\n') + '\n')]),
      partBytes: 64 * 1024,
      putPart: async (_name, body) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        parts.push(body);
      },
    });
    expect(r).toMatchObject({ rowsIn: 20_005, rejected: 5 });
    const staged = parts.flatMap((p) => gunzipSync(p).toString('utf8').split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { l: number; o: string; r?: string });
    expect(staged.map((s) => s.l).sort((a, b) => a - b)).toEqual(lines.map((_, i) => i + 1));
    expect(staged.filter((s) => s.r !== undefined).map((s) => s.r)).toEqual(Array(5).fill('repeated key "order_id"'));
    // the original text, numbers unquoted
    expect(staged.find((s) => s.l === 7)?.o).toBe(good(7));
  });

  test('fails with the error of the store when storing a part fails, and leaves no unhandled rejection behind', () => {
    // In its own process: an unhandled rejection there is what would end a function run (jest's
    // own process does not report them to the test).
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'put-fails.ts')], { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toContain('unhandled');
    expect(r.stdout.trim()).toBe('rejected: put failed');
    expect(r.status).toBe(0);
  });
});
