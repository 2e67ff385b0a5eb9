import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { UsageError } from '../../../lib/cli/commands/common';
import { parseSmokeArgs, smokeCommand, smokeSql } from '../../../lib/cli/commands/smoke';
import { FakeClock, fakeAthena } from '../../lambda/models/aws-fakes';
import { tempDomainsDir } from '../../lambda/models/fixtures';

function capture() {
  const lines: string[] = [];
  return { stdout: { write: (s: string) => lines.push(s) }, json: () => lines.map((l) => JSON.parse(l)) };
}

describe('npx lakehouse smoke', () => {
  const domainsDir = tempDomainsDir();

  test('queries every curated model table once through the analysts workgroup and reports rows and the latest partition', async () => {
    const clock = new FakeClock();
    const athena = fakeAthena((sql) => ({ states: ['RUNNING', 'SUCCEEDED'], rows: [{ row_count: sql.includes('daily_revenue') ? '42' : '7', latest_partition: '2024-05-01' }] }));
    const out = capture();
    const code = await smokeCommand(['-c', 'env=dev'], { athena: new AthenaClient({}), stdout: out.stdout, domainsDir, clock });
    expect(code).toBe(0);
    expect(athena.started.map((q) => q.workgroup)).toEqual(['lakehouse-dev-analysts', 'lakehouse-dev-analysts']);
    expect(athena.started[0].sql).toBe(
      `SELECT COUNT(*) AS row_count, CAST(MAX("order_date") AS varchar) AS latest_partition\nFROM "sales_curated"."daily_revenue"\nWHERE "order_date" >= current_date - INTERVAL '7' DAY`,
    );
    expect(athena.started[1].sql).toContain('FROM "web_events_curated"."daily_page_views"');
    const lines = out.json();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ table: 'sales_curated.daily_revenue', ok: true, rows: 42, latestPartition: '2024-05-01', queryExecutionId: 'q1', dataScannedBytes: 1024, days: 7 });
    expect(lines[1]).toMatchObject({ table: 'web_events_curated.daily_page_views', ok: true, rows: 7 });
    expect(lines[2]).toEqual({ smoke: 'ok', env: 'dev', workgroup: 'lakehouse-dev-analysts', tables: 2, failed: 0 });
  });

  test('a failed query fails the smoke test (exit 1) and the other tables are still checked', async () => {
    const athena = fakeAthena((sql) => (sql.includes('daily_revenue') ? { error: { message: "TABLE_NOT_FOUND: Table 'sales_curated.daily_revenue' does not exist" } } : { rows: [{ row_count: '3', latest_partition: '2024-05-01' }] }));
    const out = capture();
    const code = await smokeCommand(['--context', 'env=prod', '--workgroup', 'pipelines', '--days', '2'], { athena: new AthenaClient({}), stdout: out.stdout, domainsDir, clock: new FakeClock() });
    expect(code).toBe(1);
    const lines = out.json();
    expect(lines[0]).toMatchObject({ table: 'sales_curated.daily_revenue', ok: false, error: expect.stringMatching(/TABLE_NOT_FOUND/) });
    expect(lines[1]).toMatchObject({ table: 'web_events_curated.daily_page_views', ok: true, rows: 3 });
    expect(lines[2]).toMatchObject({ smoke: 'failed', workgroup: 'lakehouse-prod-pipelines', failed: 1 });
    expect(athena.started.every((q) => q.sql.includes("INTERVAL '2' DAY"))).toBe(true);
  });

  test('empty tables pass with a warning, and fail with --require-rows', async () => {
    fakeAthena(() => ({ rows: [{ row_count: '0', latest_partition: null }] }));
    const out = capture();
    expect(await smokeCommand(['-c', 'env=dev'], { athena: new AthenaClient({}), stdout: out.stdout, domainsDir, clock: new FakeClock() })).toBe(0);
    expect(out.json()[0]).toMatchObject({ ok: true, rows: 0, latestPartition: null, warning: 'no rows in the last 7 day(s)' });
    const strict = capture();
    expect(await smokeCommand(['-c', 'env=dev', '--require-rows'], { athena: new AthenaClient({}), stdout: strict.stdout, domainsDir, clock: new FakeClock() })).toBe(1);
    expect(strict.json()[2]).toMatchObject({ smoke: 'failed', failed: 2 });
  });

  test('fails (exit 2) on an unknown environment, and with a usage error on bad arguments, before querying anything', async () => {
    const athena = mockClient(AthenaClient);
    const unknown = capture();
    expect(await smokeCommand(['-c', 'env=staging'], { athena: new AthenaClient({}), stdout: unknown.stdout, domainsDir })).toBe(2);
    expect(unknown.json()).toEqual([{ smoke: 'error', env: 'staging', error: expect.stringMatching(/LH001.*unknown environment/) }]);
    const cases: Array<[string[], RegExp]> = [
      [[], /pass -c env=<name>/],
      [['-c', 'env=dev', '--workgroup', 'admins'], /--workgroup is analysts or pipelines/],
      [['-c', 'env=dev', '--days', '0'], /--days takes a whole number/],
      [['-c', 'region=eu'], /takes env=<name>/],
      [['-c', 'env=dev', '--fast'], /unknown argument --fast/],
    ];
    for (const [args, message] of cases) {
      const error = await smokeCommand(args, { athena: new AthenaClient({}), stdout: capture().stdout, domainsDir }).then(() => undefined, (e) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(message);
    }
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(0);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  test('argument forms', () => {
    expect(parseSmokeArgs(['--context=env=dev', '--workgroup=pipelines', '--days=3'])).toEqual({ env: 'dev', workgroup: 'pipelines', days: 3, requireRows: false });
    expect(smokeSql({ domain: 'sales', name: 'm', partition: 'd' }, 1)).toContain(`WHERE "d" >= current_date - INTERVAL '1' DAY`);
  });
});
