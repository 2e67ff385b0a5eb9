import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../../../lib/cli/main';
import { SAMPLE_CSV } from '../../../lib/cli/commands/new-domain';
import { loadDomains } from '../../../lib/domains';
import { runLocal } from '../../../lib/cli/local';
import { defineDomain } from '../../../lib/domain-definition';

const REPO = path.join(__dirname, '..', '..', '..');
const SALES_SAMPLE = path.join(REPO, 'lib', 'domains', 'sales', 'samples', 'orders.csv');

function capture() {
  let out = '';
  let err = '';
  return {
    opts: (root: string, domainsDir?: string) => ({
      root,
      domainsDir,
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    }),
    out: () => out,
    err: () => err,
  };
}

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-cli-'));
}

beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describe('npx lakehouse run', () => {
  test('runs the transform on a file with bad rows and prints the counts and outputs', async () => {
    const root = tempRoot();
    const io = capture();
    expect(await main(['run', 'sales/orders', SALES_SAMPLE], io.opts(root))).toBe(0);
    const result = JSON.parse(io.out().trim());
    expect(result).toMatchObject({ rowsIn: 10, rowsOut: 5, rowsQuarantined: 5, driftColumns: ['channel'] });
    expect(result.clean).toHaveLength(3);
    for (const f of [...result.clean, result.quarantine]) expect(fs.existsSync(path.join(root, f))).toBe(true);

    // The clean Parquet, read back with DuckDB: typed, UTC, decimal scale kept.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run("SET TimeZone = 'UTC'");
    const rows = (await c.runAndReadAll(
      `SELECT order_id, quantity, CAST(unit_price AS VARCHAR) AS price, CAST(ordered_at AS VARCHAR) AS at, ordered_at_date
         FROM read_parquet('${path.join(root, '.lakehouse', 'clean', 'sales', 'orders', '*', '*.parquet')}', hive_partitioning = true)
        WHERE order_id = 1002`,
    )).getRowObjectsJson();
    expect(rows).toEqual([{ order_id: '1002', quantity: 3, price: '9.99', at: '2026-03-02 04:30:00+00', ordered_at_date: '2026-03-02' }]);
    c.closeSync();
    db.closeSync();
  });

  test('running the same file again rewrites the same objects and adds no rows', async () => {
    const root = tempRoot();
    const io = capture();
    await main(['run', 'sales/orders', SALES_SAMPLE], io.opts(root));
    await main(['run', 'sales/orders', SALES_SAMPLE], io.opts(root));
    const [first, second] = io.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(second.clean).toEqual(first.clean);
    const q = capture();
    await main(['query', 'SELECT count(*) AS n FROM sales_clean.orders'], q.opts(root));
    expect(JSON.parse(q.out())).toEqual({ n: '5' });
  });

  test('a re-run after a contract change removes the partition and the quarantine file the source no longer has', async () => {
    const root = tempRoot();
    const file = path.join(root, 'deliveries.csv');
    fs.writeFileSync(file, 'id,kind,day\n1,a,2026-01-01\n2,b,2026-01-02\n3,x,2026-01-01\n');
    const domain = (kinds: string[]) =>
      defineDomain({
        name: 'shop',
        owner: 'shop-team',
        costCenter: 'cc-1',
        datasets: [
          {
            name: 'deliveries',
            format: 'csv',
            columns: [
              { name: 'id', type: 'int', required: true },
              { name: 'kind', type: 'string', allowedValues: kinds },
              { name: 'day', type: 'date', required: true },
            ],
            partition: { column: 'day' },
            freshnessSlaHours: 24,
          },
        ],
      });
    const run = async (kinds: string[]) => {
      const d = domain(kinds);
      const r = await runLocal(root, d, d.datasets[0], file);
      const mirrored = (zone: string) => fs.readdirSync(path.join(root, '.lakehouse', zone), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(parquet|ndjson)$/.test(f)).sort();
      return { counts: [r.rowsIn, r.rowsOut, r.rowsQuarantined], partitions: r.clean.map((c) => c.partition), removed: r.removed.length, clean: mirrored('clean'), quarantine: mirrored('quarantine'), id: r.sourceId };
    };
    const first = await run(['a', 'b']);
    const clean = (day: string) => path.join('shop', 'deliveries', `day=${day}`, `${first.id}.parquet`);
    const quarantine = [path.join('shop', 'deliveries', `${first.id}.ndjson`)];
    expect(first).toMatchObject({ counts: [3, 2, 1], partitions: ['2026-01-01', '2026-01-02'], removed: 0, clean: [clean('2026-01-01'), clean('2026-01-02')], quarantine });
    // 'b' no longer allowed: the only row of 2026-01-02 is quarantined, and that partition's file goes.
    expect(await run(['a', 'x'])).toMatchObject({ counts: [3, 2, 1], partitions: ['2026-01-01'], removed: 1, clean: [clean('2026-01-01')], quarantine });
    // Everything allowed: no bad rows, so no quarantine file.
    expect(await run(['a', 'b', 'x'])).toMatchObject({ counts: [3, 3, 0], partitions: ['2026-01-01', '2026-01-02'], removed: 1, clean: [clean('2026-01-01'), clean('2026-01-02')], quarantine: [] });
  });

  test('fails with usage if the dataset is unknown', async () => {
    const io = capture();
    expect(await main(['run', 'sales/nope', SALES_SAMPLE], io.opts(tempRoot()))).toBe(2);
    expect(io.err()).toMatch(/unknown dataset "sales\/nope"; known: sales\/orders, web_events\/page_views/);
  });

  test('fails with usage if the file does not exist', async () => {
    const io = capture();
    expect(await main(['run', 'sales/orders', '/no/such/file.csv'], io.opts(tempRoot()))).toBe(2);
    expect(io.err()).toMatch(/no such file/);
  });
});

describe('npx lakehouse query', () => {
  test('exposes quarantine with line numbers and reasons under the catalog names', async () => {
    const root = tempRoot();
    await main(['run', 'sales/orders', SALES_SAMPLE], capture().opts(root));
    const io = capture();
    expect(await main(['query', 'SELECT line, reasons FROM sales_quarantine.orders ORDER BY line'], io.opts(root))).toBe(0);
    const rows = io.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => Number(r.line))).toEqual([5, 6, 7, 9, 10]);
    expect(rows[0].reasons).toEqual(['column quantity: not an integer']);
  });

  test('fails with usage when no SQL is given', async () => {
    const io = capture();
    expect(await main(['query'], io.opts(tempRoot()))).toBe(2);
  });
});

describe('npx lakehouse new-domain', () => {
  test('scaffolds a domain file, sample data and a test, and the sample runs as generated', async () => {
    const root = tempRoot();
    const domainsDir = path.join(root, 'lib', 'domains');
    fs.mkdirSync(domainsDir, { recursive: true });
    // The scaffolded file imports ../domain-definition: provide it as the repository does.
    fs.copyFileSync(path.join(REPO, 'lib', 'domain-definition.ts'), path.join(root, 'lib', 'domain-definition.ts'));
    const io = capture();
    expect(await main(['new-domain', 'inventory'], io.opts(root, domainsDir))).toBe(0);
    expect(io.out()).toMatch(/created lib\/domains\/inventory\.ts/);
    expect(fs.readFileSync(path.join(root, 'test', 'domains', 'inventory.test.ts'), 'utf8')).toMatch(/runLocal/);
    // Point the copied definition at this repository's shared module.
    const def = path.join(root, 'lib', 'domain-definition.ts');
    fs.writeFileSync(def, fs.readFileSync(def, 'utf8').replace("'../lambda/shared/dataset'", JSON.stringify(path.join(REPO, 'lambda', 'shared', 'dataset'))));
    const [domain] = loadDomains(domainsDir);
    expect(domain.name).toBe('inventory');
    const result = await runLocal(root, domain, domain.datasets[0], path.join(domainsDir, 'inventory', 'samples', 'events.csv'));
    expect(result).toMatchObject({ rowsIn: 4, rowsOut: 3, rowsQuarantined: 1 });
    expect(fs.readFileSync(path.join(domainsDir, 'inventory', 'samples', 'events.csv'), 'utf8')).toBe(SAMPLE_CSV);
  });

  test('refuses to overwrite an existing domain', async () => {
    const root = tempRoot();
    const domainsDir = path.join(root, 'lib', 'domains');
    fs.mkdirSync(domainsDir, { recursive: true });
    fs.writeFileSync(path.join(domainsDir, 'inventory.ts'), '// mine');
    const io = capture();
    expect(await main(['new-domain', 'inventory'], io.opts(root, domainsDir))).toBe(2);
    expect(io.err()).toMatch(/refusing to overwrite lib\/domains\/inventory\.ts/);
  });

  test.each([['Inventory'], ['select'], ['inv-entory']])('fails if the name is %j', async (name) => {
    const io = capture();
    expect(await main(['new-domain', name], io.opts(tempRoot()))).toBe(2);
  });
});

describe('npx lakehouse', () => {
  test('prints usage for an unknown command', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io.opts(tempRoot()))).toBe(2);
    expect(io.err()).toMatch(/run <domain>\/<dataset> <file>/);
  });
});
