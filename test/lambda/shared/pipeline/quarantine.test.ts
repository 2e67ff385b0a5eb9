import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuarantineMerge, QuarantineWriter, readQuarantine, type QuarantineEntry } from '../../../../lambda/shared/pipeline/quarantine';
import { scratch } from '../../transform/helpers';

let work: { dir: string; cleanup: () => void };
beforeAll(() => {
  work = scratch();
});
afterAll(() => work.cleanup());

const SOURCE = 's3://raw/sales/orders/a.csv';
let files = 0;
const path = (name: string) => join(work.dir, `${++files}-${name}.ndjson`);
const entry = (line: number, text = `record ${line}`): QuarantineEntry => ({ line, text, reasons: [`reason ${line}`] });

async function readAll(file: string): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for await (const e of readQuarantine(file)) out.push(e);
  return out;
}

async function earlyFile(entries: QuarantineEntry[]) {
  const w = new QuarantineWriter(path('early'), SOURCE);
  await w.writeAll(entries);
  return { path: (await w.close())!, count: w.count };
}

describe('QuarantineWriter', () => {
  test('writes nothing, and no file, when given no entries', async () => {
    const w = new QuarantineWriter(path('empty'), SOURCE);
    await w.writeAll([]);
    expect(await w.close()).toBeUndefined();
    expect(existsSync(w.path)).toBe(false);
  });

  test('writes every entry, as one JSON line with its source, across many buffer-sized writes', async () => {
    // ~300 KB records: the writer issues a stream write every 1 MiB of text.
    const big = Array.from({ length: 12 }, (_, i) => entry(i + 1, String.fromCharCode(97 + i).repeat(300_000)));
    const w = new QuarantineWriter(path('big'), SOURCE);
    await w.writeAll(big.slice(0, 5));
    await w.write(big[5]);
    await w.writeAll(big.slice(6));
    const file = await w.close();
    expect(w.count).toBe(12);
    expect(await readAll(file!)).toEqual(big);
    const first = JSON.parse(readFileSync(file!, 'utf8').split('\n')[0]);
    expect(first).toEqual({ line: 1, record: big[0].text, reasons: ['reason 1'], source: SOURCE });
  });
});

describe('QuarantineMerge', () => {
  test('interleaves the early entries and the pushed batches in line order', async () => {
    // Odd lines were rejected early; even lines come from DuckDB, in batches of 2,048 rows.
    const early = await earlyFile(Array.from({ length: 10_000 }, (_, i) => entry(2 * i + 1)));
    const pushed = Array.from({ length: 9_000 }, (_, i) => entry(2 * i + 2));
    const merge = new QuarantineMerge(new QuarantineWriter(path('merged'), SOURCE), early);
    for (let i = 0; i < pushed.length; i += 2048) await merge.writeAll(pushed.slice(i, i + 2048));
    const file = await merge.close();
    expect(merge.written).toBe(19_000);
    const lines = (await readAll(file!)).map((e) => e.line);
    expect(lines).toEqual([...Array.from({ length: 18_000 }, (_, i) => i + 1), ...Array.from({ length: 1_000 }, (_, i) => 18_001 + 2 * i)]);
  });

  test('without pushed entries the early file becomes the quarantine file', async () => {
    const entries = [entry(2), entry(5)];
    const early = await earlyFile(entries);
    const merge = new QuarantineMerge(new QuarantineWriter(path('renamed'), SOURCE), early);
    const file = await merge.close();
    expect(merge.written).toBe(2);
    expect(existsSync(early.path)).toBe(false);
    expect(await readAll(file!)).toEqual(entries);
  });

  test('without an early file only the pushed entries are written', async () => {
    const merge = new QuarantineMerge(new QuarantineWriter(path('pushed'), SOURCE), undefined);
    await merge.writeAll([entry(3), entry(4)]);
    const file = await merge.close();
    expect(merge.written).toBe(2);
    expect(await readAll(file!)).toEqual([entry(3), entry(4)]);
  });
});
