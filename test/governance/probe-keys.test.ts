import { compileStatement } from '../../lib/governance';
import { FOREIGN_PROBE_KEY, freshKey, KeyUniverse, keyDependent, patternReach, representativeKeys, statementReachesBucket } from '../../lib/governance/probe-keys';

const bucket = { bucketArn: 'arn:aws:s3:::lakehouse-clean', bucketName: 'lakehouse-clean' };
const reachOf = (p: string) => patternReach(p, bucket);

describe('patternReach', () => {
  test.each([
    ['*', 'all'],
    ['arn:aws:s3:::lakehouse-clean/*', 'all'],
    ['arn:aws:s3:::lakehouse-cl*', 'all'],
    ['arn:aws:s3:::*', 'all'],
    ['arn:*:s3:::lakehouse-clean/*', 'all'],
    ['arn:aws:s3:::lakehouse-clean', 'none'],
    ['arn:aws:s3:::lakehouse-raw/*', 'none'],
    ['arn:aws:s3:::other*', 'none'],
    ['arn:aws:glue:eu-west-1:111111111111:table/*', 'none'],
    ['arn:aws:s3:::lakehouse-clean/sales/*', 'prefix'],
    ['arn:aws:s3:::lakehouse-clean/sales/orders/part-0001.parquet', 'prefix'],
    ['arn:aws:s3:::lakehouse-clean/s?les/*', 'prefix'],
    ['arn:aws:s3:::lakehouse-clean/*.csv', 'anywhere'],
    ['arn:aws:s3:::*/*aws-glue-*/*', 'anywhere'],
    ['arn:aws:s3:::lakehouse-*/sales/*', 'anywhere'],
    ['not-an-arn', 'anywhere'],
  ])('%s names %s of the bucket', (pattern, kind) => {
    expect(reachOf(pattern).kind).toBe(kind);
  });

  test('a prefix pattern carries its literal prefix and a key it matches', () => {
    expect(reachOf('arn:aws:s3:::lakehouse-clean/sales/*/x?')).toEqual({ kind: 'prefix', prefix: 'sales/', witness: 'sales/governance-probe/xx' });
  });
});

describe('representativeKeys', () => {
  const universe = new KeyUniverse(['sales', 'sales_2', 'web'], ['sales/governance-probe', 'sales/orders/governance-probe', 'web/governance-probe']);

  test('keeps the keys under the relevant prefixes, the own prefix and a fresh key, and none of the other domains', () => {
    const { keys, exhaustive } = representativeKeys(['arn:aws:s3:::lakehouse-clean/sales/*', 'arn:aws:s3:::lakehouse-clean/*'], reachOf, universe, ['sales']);
    expect(exhaustive).toBe(false);
    expect(keys).toEqual([FOREIGN_PROBE_KEY, 'sales/governance-probe', 'sales/governance-probe/object', 'sales/orders/governance-probe']);
  });

  test('falls back to the whole universe when a pattern may name keys under any prefix', () => {
    const { keys, exhaustive } = representativeKeys(['arn:aws:s3:::lakehouse-clean/*.csv'], reachOf, universe, []);
    expect(exhaustive).toBe(true);
    expect(keys).toEqual(universe.keys);
  });

  test('the universe finds keys by prefix, including those of a longer domain name that shares it', () => {
    expect(universe.startingWith('sales')).toEqual(['sales/governance-probe', 'sales/governance-probe/object', 'sales/orders/governance-probe', 'sales_2/governance-probe/object']);
    expect(universe.startingWith('sales/')).toHaveLength(3);
    expect(universe.startingWith('zzz')).toEqual([]);
  });
});

describe('freshKey', () => {
  test('is the foreign probe key unless a literal prefix covers it', () => {
    expect(freshKey(['sales/'])).toBe(FOREIGN_PROBE_KEY);
    expect(freshKey(['g'])).toBe(`z-${FOREIGN_PROBE_KEY}`);
    expect(freshKey(['governance-probe-foreign/', 'z-'])).toBe(`q-${FOREIGN_PROBE_KEY}`);
  });

  test('fails loudly if every candidate is covered', () => {
    expect(() => freshKey([...'gzqxjvkw0123456789_-~'])).toThrow(/cannot pick a key that no policy names/);
  });
});

describe('statements and buckets', () => {
  const st = (resource: unknown) => compileStatement({ id: 'S#0', statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: resource } }, 'identity');

  test('a statement reaches the bucket if a pattern names it or one of its objects; NotResource always', () => {
    expect(statementReachesBucket(st('arn:aws:s3:::lakehouse-clean/sales/*'), bucket.bucketArn, reachOf)).toBe(true);
    expect(statementReachesBucket(st('arn:aws:s3:::lakehouse-clean'), bucket.bucketArn, reachOf)).toBe(true);
    expect(statementReachesBucket(st(['arn:aws:s3:::lakehouse-raw/*', 'arn:aws:glue:*:*:*']), bucket.bucketArn, reachOf)).toBe(false);
    expect(statementReachesBucket(st('arn:aws:s3:::lakehouse-clean/${aws:username}/*'), bucket.bucketArn, reachOf)).toBe(true);
    const notResource = compileStatement({ id: 'S#1', statement: { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::x/*' } }, 'identity');
    expect(statementReachesBucket(notResource, bucket.bucketArn, reachOf)).toBe(true);
  });

  test('only prefix and anywhere patterns make a statement depend on the key', () => {
    expect(keyDependent(st(['arn:aws:s3:::lakehouse-clean', 'arn:aws:s3:::lakehouse-clean/*']), reachOf)).toBe(false);
    expect(keyDependent(st('arn:aws:s3:::lakehouse-clean/sales/*'), reachOf)).toBe(true);
    expect(keyDependent(st('arn:aws:s3:::lakehouse-clean/*.csv'), reachOf)).toBe(true);
  });
});
