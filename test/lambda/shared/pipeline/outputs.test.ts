import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markerPrefix, replaceOutputs, type OutputTarget } from '../../../../lambda/shared/pipeline/outputs';
import { MemoryObjectStore, ORDERS } from '../../transform/helpers';

const ID = 'a'.repeat(32);
const OTHER = 'a'.repeat(31) + 'b';
const target: OutputTarget = { contract: ORDERS, sourceId: ID, cleanBucket: 'clean', quarantineBucket: 'quarantine' };
const file = (day: string, id = ID, suffix = '') => `sales/orders/ordered_at_date=${day}/${id}${suffix}.parquet`;
const marker = (day: string) => `${markerPrefix(ORDERS, ID)}ordered_at_date=${day}`;
const outputs = (...days: string[]) => days.map((day) => ({ partition: day, key: file(day) }));

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outputs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run writing one clean file per day (and the quarantine file when asked), as the routes do. */
function run(store: MemoryObjectStore, days: string[], quarantine: boolean) {
  return replaceOutputs(store, target, days.map((day) => ({ partition: day, key: file(day) })), quarantine, async () => {
    for (const day of days) store.put('clean', file(day), 'PAR1');
    if (quarantine) store.put('quarantine', `sales/orders/${ID}.ndjson`, '{}\n');
  });
}

describe('replaceOutputs', () => {
  test('the first run marks its partitions before writing, and removes nothing', async () => {
    const store = new MemoryObjectStore(dir);
    const order: string[] = [];
    const replaced = await replaceOutputs(store, target, outputs('2024-03-01', '2024-03-02'), true, async () => {
      order.push(`write after ${store.markerKeys('clean').length} markers`);
    });
    expect(order).toEqual(['write after 2 markers']);
    expect(store.markerKeys('clean')).toEqual([marker('2024-03-01'), marker('2024-03-02')]);
    expect(replaced).toEqual({ removedCleanKeys: [], clearedQuarantineKey: undefined });
    expect(store.deletes).toEqual([]);
  });

  test('the same outputs again: no marker put, nothing deleted', async () => {
    const store = new MemoryObjectStore(dir);
    await run(store, ['2024-03-01'], true);
    const puts = store.markerPuts.length;
    await run(store, ['2024-03-01'], true);
    expect(store.markerPuts).toHaveLength(puts);
    expect(store.deletes).toEqual([]);
  });

  test("a partition the source no longer has loses this source's files (the big-file route's parts too) and its marker; other sources stay", async () => {
    const store = new MemoryObjectStore(dir);
    await run(store, ['2024-03-01', '2024-03-02'], true);
    store.put('clean', file('2024-03-02', ID, '-00001'), 'PAR1');
    store.put('clean', file('2024-03-02', OTHER), 'PAR1');
    store.put('clean', file('2024-03-02', ID, '.copy'), 'PAR1'); // not a name the routes write
    const replaced = await run(store, ['2024-03-01'], true);
    expect(replaced.removedCleanKeys).toEqual([file('2024-03-02', ID, '-00001'), file('2024-03-02')]);
    expect(store.keys('clean')).toEqual([file('2024-03-01'), file('2024-03-02', ID, '.copy'), file('2024-03-02', OTHER)]);
    expect(store.markerKeys('clean')).toEqual([marker('2024-03-01')]);
  });

  test("in the partitions it writes, every other file of the source goes: the big-file route's parts, or its single file", async () => {
    const store = new MemoryObjectStore(dir);
    await run(store, ['2024-03-01', '2024-03-02'], false);
    // A big-file run of the same source (a changed size threshold) wrote parts on 2024-03-01.
    for (const part of ['-00000', '-00001']) store.put('clean', file('2024-03-01', ID, part), 'PAR1');
    store.put('clean', file('2024-03-01', OTHER, '-00000'), 'PAR1');
    const replaced = await run(store, ['2024-03-01', '2024-03-02'], false);
    expect(replaced.removedCleanKeys).toEqual([file('2024-03-01', ID, '-00000'), file('2024-03-01', ID, '-00001')]);
    expect(store.keys('clean')).toEqual([file('2024-03-01'), file('2024-03-01', OTHER, '-00000'), file('2024-03-02')]);

    // The other way round: parts written, the single file of the earlier run removed.
    const parts = [file('2024-03-01', ID, '-00000'), file('2024-03-01', ID, '-00001')];
    const again = await replaceOutputs(store, target, parts.map((key) => ({ partition: '2024-03-01', key })), false, async () => {
      for (const key of parts) store.put('clean', key, 'PAR1');
    });
    expect(again.removedCleanKeys).toEqual([file('2024-03-01'), file('2024-03-02')]);
    expect(store.keys('clean')).toEqual([...parts, file('2024-03-01', OTHER, '-00000')]);
    expect(store.markerKeys('clean')).toEqual([marker('2024-03-01')]);
  });

  test('a run without bad rows deletes the quarantine key, whether or not it exists', async () => {
    const store = new MemoryObjectStore(dir);
    await run(store, ['2024-03-01'], true);
    expect(store.keys('quarantine')).toEqual([`sales/orders/${ID}.ndjson`]);
    const replaced = await run(store, ['2024-03-01'], false);
    expect(replaced.clearedQuarantineKey).toBe(`sales/orders/${ID}.ndjson`);
    expect(store.keys('quarantine')).toEqual([]);
    await expect(run(store, ['2024-03-01'], false)).resolves.toMatchObject({ clearedQuarantineKey: `sales/orders/${ID}.ndjson` });
  });

  test('a run stopped after its markers leaves nothing the next run does not clean up', async () => {
    const store = new MemoryObjectStore(dir);
    await expect(
      replaceOutputs(store, target, outputs('2024-03-01', '2024-03-02'), false, async () => {
        store.put('clean', file('2024-03-02'), 'PAR1');
        throw new Error('upload failed');
      }),
    ).rejects.toThrow('upload failed');
    // Retried under a contract that no longer puts any row on 2024-03-02.
    await run(store, ['2024-03-01'], false);
    expect(store.keys('clean')).toEqual([file('2024-03-01')]);
    expect(store.markerKeys('clean')).toEqual([marker('2024-03-01')]);
  });

  test('a renamed partition column: the old folders are removed', async () => {
    const store = new MemoryObjectStore(dir);
    await run(store, ['2024-03-01'], false);
    const renamed = { ...target, contract: { ...ORDERS, partitionName: 'day' } };
    const replaced = await replaceOutputs(store, renamed, [{ partition: '2024-03-01', key: `sales/orders/day=2024-03-01/${ID}.parquet` }], false, async () => store.put('clean', `sales/orders/day=2024-03-01/${ID}.parquet`, 'PAR1'));
    expect(replaced.removedCleanKeys).toEqual([file('2024-03-01')]);
    expect(store.keys('clean')).toEqual([`sales/orders/day=2024-03-01/${ID}.parquet`]);
    expect(store.markerKeys('clean')).toEqual([`${markerPrefix(ORDERS, ID)}day=2024-03-01`]);
  });

  test('fails if an object under the markers folder is not a partition marker, before writing anything', async () => {
    const store = new MemoryObjectStore(dir);
    store.put('clean', `${markerPrefix(ORDERS, ID)}notes/readme.txt`, 'x');
    const write = jest.fn(async () => undefined);
    await expect(replaceOutputs(store, target, outputs('2024-03-01'), false, write)).rejects.toThrow(
      `s3://clean/${markerPrefix(ORDERS, ID)}notes/readme.txt is not a partition marker`,
    );
    expect(write).not.toHaveBeenCalled();
    expect(store.markerPuts).toEqual([]);
  });
});
