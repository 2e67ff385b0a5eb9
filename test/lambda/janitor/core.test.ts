import {
  DAY_MS,
  KeyBatcher,
  UNDATED,
  WorkspaceAggregator,
  aggregatePages,
  isIdle,
  planCleanup,
  workspaceOf,
} from '../../../lambda/janitor/core';

const NOW = new Date('2025-06-30T12:00:00.000Z');
const daysAgo = (d: number, extraMs = 0) => new Date(NOW.getTime() - d * DAY_MS - extraMs);
const ws = (prefix: string, lastWrite: Date, objectCount = 1) => ({ prefix, lastWrite, objectCount });

describe('planCleanup', () => {
  test('keeps an active workspace and deletes an idle one', () => {
    const plan = planCleanup({
      workspaces: [ws('team-active/', daysAgo(2), 5), ws('user-idle/', daysAgo(45), 3)],
      now: NOW,
      idleDays: 30,
    });
    expect(plan.delete.map((w) => w.prefix)).toEqual(['user-idle/']);
    expect(plan.keep.map((w) => w.prefix)).toEqual(['team-active/']);
    expect(plan.delete[0]).toEqual(ws('user-idle/', daysAgo(45), 3));
  });

  test('boundary: last write exactly N days ago is idle (deleted); one millisecond later is kept', () => {
    const plan = planCleanup({
      workspaces: [ws('exactly/', daysAgo(30)), ws('just-inside/', daysAgo(30, -1)), ws('just-past/', daysAgo(30, 1))],
      now: NOW,
      idleDays: 30,
    });
    expect(plan.delete.map((w) => w.prefix).sort()).toEqual(['exactly/', 'just-past/']);
    expect(plan.keep.map((w) => w.prefix)).toEqual(['just-inside/']);
  });

  test('empty bucket: nothing to delete or keep', () => {
    expect(planCleanup({ workspaces: [], now: NOW, idleDays: 7 })).toEqual({ delete: [], keep: [] });
  });

  test('a last write in the future (clock skew) is kept', () => {
    const plan = planCleanup({ workspaces: [ws('skewed/', new Date(NOW.getTime() + DAY_MS))], now: NOW, idleDays: 1 });
    expect(plan.keep).toHaveLength(1);
    expect(plan.delete).toHaveLength(0);
  });

  test('orders deletions oldest first and keeps in prefix order', () => {
    const plan = planCleanup({
      workspaces: [ws('b/', daysAgo(40)), ws('a/', daysAgo(90)), ws('z/', daysAgo(1)), ws('c/', daysAgo(3))],
      now: NOW,
      idleDays: 30,
    });
    expect(plan.delete.map((w) => w.prefix)).toEqual(['a/', 'b/']);
    expect(plan.keep.map((w) => w.prefix)).toEqual(['c/', 'z/']);
  });

  test.each([0, -1, 1.5, Number.NaN])('fails if idleDays is %p', (idleDays) => {
    expect(() => planCleanup({ workspaces: [], now: NOW, idleDays })).toThrow(/IDLE_DAYS must be a positive whole number/);
  });

  test('isIdle agrees with planCleanup at the boundary', () => {
    expect(isIdle(daysAgo(7), NOW, 7)).toBe(true);
    expect(isIdle(daysAgo(7, -1), NOW, 7)).toBe(false);
  });
});

describe('workspaceOf', () => {
  test('is the first key segment with its slash', () => {
    expect(workspaceOf('team-marketing/campaigns/2025/q2.csv')).toBe('team-marketing/');
    expect(workspaceOf('user-alice/')).toBe('user-alice/');
  });
  test('objects at the bucket root have no workspace', () => {
    expect(workspaceOf('README.txt')).toBeUndefined();
    // A key starting with "/" has an empty first segment: treated as root, never a workspace named "".
    expect(workspaceOf('/odd-key')).toBeUndefined();
  });
});

describe('WorkspaceAggregator', () => {
  test('folds pages into latest LastModified and object count per workspace', () => {
    const agg = new WorkspaceAggregator()
      .add([
        { Key: 'team-a/1.csv', LastModified: daysAgo(10) },
        { Key: 'team-a/2.csv', LastModified: daysAgo(3) },
        { Key: 'team-b/x/y.parquet', LastModified: daysAgo(50) },
      ])
      .add([
        { Key: 'team-a/3.csv', LastModified: daysAgo(20) },
        { Key: 'team-b/z', LastModified: daysAgo(40) },
      ]);
    expect(agg.workspaces()).toEqual([ws('team-a/', daysAgo(3), 3), ws('team-b/', daysAgo(40), 2)]);
    expect(agg.objectsSeen).toBe(5);
  });

  test('objects at the bucket root are counted but belong to no workspace', () => {
    const agg = new WorkspaceAggregator().add([
      { Key: 'stray.txt', LastModified: daysAgo(400) },
      { Key: 'team-a/ok', LastModified: daysAgo(400) },
    ]);
    expect(agg.rootObjects).toBe(1);
    expect(agg.workspaces().map((w) => w.prefix)).toEqual(['team-a/']);
  });

  test('an undated object makes its workspace active', () => {
    const agg = new WorkspaceAggregator().add([{ Key: 'team-a/old', LastModified: daysAgo(400) }, { Key: 'team-a/undated' }]);
    expect(agg.workspaces()[0].lastWrite).toEqual(UNDATED);
    expect(planCleanup({ workspaces: agg.workspaces(), now: NOW, idleDays: 30 }).keep).toHaveLength(1);
  });

  test('empty and missing pages produce no workspaces', () => {
    const agg = new WorkspaceAggregator().add([]).add(undefined);
    expect(agg.workspaces()).toEqual([]);
    expect(agg.objectsSeen).toBe(0);
  });

  test('aggregatePages folds an async stream', async () => {
    async function* pages() {
      yield [{ Key: 'u/1', LastModified: daysAgo(5) }];
      yield [{ Key: 'u/2', LastModified: daysAgo(1) }];
    }
    expect((await aggregatePages(pages())).workspaces()).toEqual([ws('u/', daysAgo(1), 2)]);
  });

  test('folds 50,000 objects into 3 workspaces', () => {
    const agg = new WorkspaceAggregator();
    for (let p = 0; p < 50; p++) {
      agg.add(Array.from({ length: 1000 }, (_, i) => ({ Key: `ws-${p % 3}/k${p}-${i}`, LastModified: daysAgo(i % 90) })));
    }
    const result = agg.workspaces();
    expect(result).toHaveLength(3);
    expect(result.reduce((n, w) => n + w.objectCount, 0)).toBe(50_000);
    expect(result.every((w) => w.lastWrite.getTime() === daysAgo(0).getTime())).toBe(true);
  });
});

describe('KeyBatcher', () => {
  test('hands out batches of at most 1000 keys', () => {
    const b = new KeyBatcher();
    const batches: string[][] = [];
    for (let i = 0; i < 2500; i++) {
      const full = b.push(`k${i}`);
      if (full) batches.push(full);
    }
    batches.push(b.drain());
    expect(batches.map((x) => x.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toHaveLength(2500);
    expect(b.drain()).toEqual([]);
  });

  test.each([0, 1001])('fails if the batch size is %p', (size) => {
    expect(() => new KeyBatcher(size)).toThrow(/batch size must be 1\.\.1000/);
  });
});
