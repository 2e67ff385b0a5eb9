import { isDataFile, planPublish } from '../../../lambda/models/core/publish';

const T = 'sales/m/d=2024-05-01/';

describe('publication plan', () => {
  test('staged data files are copied in key order to part-NNNNN names; only surplus previous files are deleted', () => {
    const plan = planPublish(
      [
        { key: 'wg/tables/q/b', size: 10 },
        { key: 'wg/tables/q/a', size: 20 },
        { key: 'wg/tables/q/', size: 0 },
        { key: 'wg/tables/q/_SUCCESS', size: 0 },
        { key: 'wg/tables/q/empty', size: 0 },
      ],
      [{ key: `${T}part-00000.parquet`, size: 1 }, { key: `${T}part-00001.parquet`, size: 1 }, { key: `${T}part-00002.parquet`, size: 1 }, { key: `${T}stray.parquet`, size: 1 }],
      T,
    );
    expect(plan.copies).toEqual([
      { from: 'wg/tables/q/a', to: `${T}part-00000.parquet`, size: 20 },
      { from: 'wg/tables/q/b', to: `${T}part-00001.parquet`, size: 10 },
    ]);
    expect(plan.deletes).toEqual([`${T}part-00002.parquet`, `${T}stray.parquet`]);
  });

  test('an empty staged result (min_rows 0) empties the partition', () => {
    expect(planPublish([], [{ key: `${T}part-00000.parquet`, size: 1 }], T)).toEqual({ copies: [], deletes: [`${T}part-00000.parquet`] });
  });

  test('data files exclude folder markers, hidden files and metadata', () => {
    expect(['x/y$folder$', 'x/.hidden', 'x/q-manifest.csv', 'x/q.metadata', 'x/data'].map((key) => isDataFile({ key, size: 5 }))).toEqual([false, false, false, false, true]);
  });
});
