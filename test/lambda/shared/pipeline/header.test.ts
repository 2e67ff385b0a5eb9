import type { DatasetContract } from '../../../../lambda/shared/dataset';
import { headerReader, matchHeader } from '../../../../lambda/shared/pipeline/header';

/** Partitioned by arrival and with no required column: nothing but the header check stands between a wrong file and clean. */
const VISITS: DatasetContract = {
  version: 1,
  domain: 'web',
  dataset: 'visits',
  format: 'csv',
  partitionBy: 'arrival',
  partitionColumn: 'arrival_date',
  partitionName: 'arrival_date',
  columns: [
    { name: 'visitor_id', type: 'string', pii: true },
    { name: 'page', type: 'string' },
    { name: 'referrer', type: 'string', header: 'Referrer URL' },
  ],
};

describe('matchHeader', () => {
  test('maps fields by source name, case- and space-insensitively; extra fields are drift', () => {
    const m = matchHeader(VISITS, [' Page', 'visitor_id', 'referrer url', 'colour']);
    expect([...m.layout.fieldOf]).toEqual([
      ['visitor_id', 1],
      ['page', 0],
      ['referrer', 2],
    ]);
    expect(m).toMatchObject({ drift: ['colour'], missing: [], fileReason: undefined });
  });

  test('a header with some of the columns is drift, not a file problem, when none of them is required', () => {
    expect(matchHeader(VISITS, ['page'])).toMatchObject({ missing: ['visitor_id', 'referrer'], fileReason: undefined });
  });

  test('fails the file if its header has none of the dataset\'s columns (a line of data, or another delimiter)', () => {
    expect(matchHeader(VISITS, ['v-123', 'alice@planted.example', '/checkout']).fileReason).toBe("header has none of the dataset's columns (visitor_id, page, referrer)");
    expect(matchHeader(VISITS, ['visitor_id;page;Referrer URL']).fileReason).toMatch(/^header has none of the dataset's columns/);
  });

  test('fails the file if its header repeats a column', () => {
    expect(matchHeader(VISITS, ['page', 'Page']).fileReason).toBe('header repeats column Page');
  });
});

describe('headerReader', () => {
  test("adds what the header suggests to the file's reason: another delimiter", () => {
    const { onHeader } = headerReader(VISITS);
    expect(onHeader(['visitor_id;page;Referrer URL'], 'visitor_id;page;Referrer URL')).toMatch(/^header has none of the dataset's columns .*; the header looks ';'-separated/);
  });
});
