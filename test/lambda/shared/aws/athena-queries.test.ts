import { AthenaClient, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaQueries, DEFAULT_RETRY, backoffDelay, isTransient } from '../../../../lambda/shared/aws/athena-queries';
import { FakeClock, fakeAthena } from '../../models/aws-fakes';

describe('Athena retry rules', () => {
  test('throttling, 5xx and retryable SDK errors are transient; validation errors are not', () => {
    expect(isTransient({ name: 'TooManyRequestsException' })).toBe(true);
    expect(isTransient({ name: 'ThrottlingException' })).toBe(true);
    expect(isTransient({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isTransient({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });

  test('backoff grows exponentially up to its cap, scaled by the jitter', () => {
    expect([1, 2, 3, 7, 10].map((a) => backoffDelay(a, DEFAULT_RETRY, () => 1))).toEqual([500, 1000, 2000, 20000, 20000]);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(1000);
  });

  test('reads every page of results and skips the header row only once', async () => {
    const clock = new FakeClock();
    const athena = mockClient(AthenaClient);
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({ NextToken: 't', ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] }, Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '1' }] }] } })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'varchar' }] }, Rows: [{ Data: [{ VarCharValue: '2' }] }, { Data: [{}] }] } });
    const rows = await new AthenaQueries(new AthenaClient({}), 'wg', { clock }).rows('q', { label: 'l', deadline: clock.now() + 1000 });
    expect(rows).toEqual([{ n: '1' }, { n: '2' }, { n: null }]);
  });

  test('a SELECT that fails retryably is run again; a user error is not', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const fake = fakeAthena(() => (++calls === 1 ? { error: { message: 'transient', retryable: true } } : { rows: [{ x: '1' }] }));
    const q = new AthenaQueries(new AthenaClient({}), 'wg', { clock });
    await expect(q.query('SELECT 1', { label: 'l', deadline: clock.now() + 60_000 })).resolves.toEqual([{ x: '1' }]);
    expect(fake.started).toHaveLength(2);
    fake.mock.reset();
    const failing = fakeAthena(() => ({ error: { message: 'SYNTAX_ERROR', retryable: false } }));
    await expect(q.query('SELEC 1', { label: 'l', deadline: clock.now() + 60_000 })).rejects.toThrow(/SYNTAX_ERROR/);
    expect(failing.started).toHaveLength(1);
  });
});
