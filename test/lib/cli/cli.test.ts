import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { main } from '../../../lib/cli/main';
import { SAMPLE_CSV } from '../../../lib/cli/commands/new-domain';
import { loadDomains } from '../../../lib/domains';
import { runLocal } from '../../../lib/cli/local';
import { defineDomain } from '../../../lib/domain-definition';
import type { DomainDefinition } from '../../../lambda/shared/dataset';
import { ENVIRONMENTS } from '../../../lib/config';
import { buildLakehouse } from '../../../lib/lakehouse-app';
import { testApp } from '../../helpers/app';
import { CRM_DOMAIN } from '../../helpers/crm-domain';

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

/** A domain file with no imports (loadDomains requires it), in a fresh domains folder. */
function domainsWith(definition: object): { root: string; domainsDir: string } {
  const root = tempRoot();
  const domainsDir = path.join(root, 'domains');
  fs.mkdirSync(domainsDir);
  fs.writeFileSync(path.join(domainsDir, `${(definition as { name: string }).name}.ts`), `export default ${JSON.stringify(definition)};\n`);
  return { root, domainsDir };
}

const CRM = CRM_DOMAIN;

describe('files as they come, locally', () => {
  test('a ;-separated Windows-1252 export with mapped headers, partitioned by the time it arrived (--arrived-at)', async () => {
    const { root, domainsDir } = domainsWith(CRM);
    const file = path.join(root, 'customers.csv');
    const text = 'Customer ID;Name;Contact Phone Number\r\n1;Müller;+49 30 1234\r\n2;"Zoë; Café";\r\nabc;x;\r\n';
    fs.writeFileSync(file, Buffer.from([...text].map((c) => (c === 'ü' ? 0xfc : c === 'ë' ? 0xeb : c === 'é' ? 0xe9 : c.charCodeAt(0)))));
    const io = capture();
    expect(await main(['run', 'crm/customers', file, '--arrived-at', '2026-03-01T23:30:00-02:00'], io.opts(root, domainsDir))).toBe(0);
    const result = JSON.parse(io.out());
    expect(result).toMatchObject({ rowsIn: 3, rowsOut: 2, rowsQuarantined: 1, driftColumns: [] });
    // The UTC date of the arrival: 2026-03-02.
    expect(result.clean).toEqual([expect.stringMatching(/^\.lakehouse\/clean\/crm\/customers\/arrival_date=2026-03-02\/[0-9a-f]{32}\.parquet$/)]);
    const q = capture();
    expect(await main(['query', 'SELECT customer_id, name, contact_phone, CAST(arrival_date AS VARCHAR) AS d FROM crm_clean.customers ORDER BY 1'], q.opts(root, domainsDir))).toBe(0);
    expect(q.out().trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { customer_id: '1', name: 'Müller', contact_phone: '+49 30 1234', d: '2026-03-02' },
      { customer_id: '2', name: 'Zoë; Café', contact_phone: null, d: '2026-03-02' },
    ]);
    const raw = capture();
    expect(await main(['query', 'SELECT "Name" FROM crm_raw.customers ORDER BY 1'], raw.opts(root, domainsDir))).toBe(0);
    expect(raw.out()).toContain('"Name":"Müller"');
  });

  test('a header-less tab-separated file: a line that is not UTF-8 is quarantined with its original bytes', async () => {
    const { root, domainsDir } = domainsWith(CRM);
    const file = path.join(root, 'notes.tsv');
    const bad = Buffer.from([0x32, 0x09, 0x43, 0x61, 0x66, 0xe9]); // 2<TAB>Caf<0xE9>
    fs.writeFileSync(file, Buffer.concat([Buffer.from('1\thello\n'), bad, Buffer.from('\n3\n')]));
    const io = capture();
    expect(await main(['run', 'crm/notes', file, '--arrived-at=2026-03-01T10:00:00Z'], io.opts(root, domainsDir))).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ rowsIn: 3, rowsOut: 1, rowsQuarantined: 2 });
    const q = capture();
    expect(await main(['query', 'SELECT line, record, reasons, recordBase64 FROM crm_quarantine.notes ORDER BY line'], q.opts(root, domainsDir))).toBe(0);
    const [second, third] = q.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(Buffer.from(second.recordBase64, 'base64')).toEqual(bad);
    expect(second).toMatchObject({ line: '2', record: '2\tCaf\ufffd', reasons: [expect.stringMatching(/^not valid UTF-8: byte 0xE9 at byte 5 of the record/)] });
    expect(third).toMatchObject({ line: '3', reasons: ['malformed CSV: 1 fields, the dataset declares 2 columns (no header)'], recordBase64: null });
  });

  test('fails with usage if --arrived-at is not a time', async () => {
    const io = capture();
    expect(await main(['run', 'sales/orders', SALES_SAMPLE, '--arrived-at', 'yesterday'], io.opts(tempRoot()))).toBe(2);
    expect(io.err()).toMatch(/--arrived-at takes an ISO-8601 time/);
  });
});

describe('every command checks the domain definitions as synth does, before touching data', () => {
  const bad = { ...CRM, datasets: [{ ...CRM.datasets[0], csv: { delimiter: ';;' } }] };
  // What synth says, after the location (the stack's path there, the domain file here).
  let synthMessage: string;
  beforeAll(() => {
    try {
      buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, domains: [bad as DomainDefinition], checks: false });
      throw new Error('synth accepted the definition');
    } catch (e) {
      synthMessage = (e as Error).message;
    }
    expect(synthMessage).toMatch(/^\[LH111\] Lakehouse-dev-Domain-crm domain crm datasets\[0\]\.csv\.delimiter: a delimiter is one character/);
  });
  const afterLocation = (m: string) => m.slice(m.indexOf(' domain crm '));

  test.each([
    ['run', ['run', 'crm/customers', SALES_SAMPLE]],
    ['query', ['query', 'SELECT 1']],
    ['new-domain', ['new-domain', 'inventory']],
  ])('%s', async (_name, argv) => {
    const { root, domainsDir } = domainsWith(bad);
    const io = capture();
    expect(await main(argv, io.opts(root, domainsDir))).toBe(2);
    const message = io.err().replace(/^lakehouse [a-z-]+: /, '').trim();
    expect(message).toMatch(/^\[LH111\] lib\/domains\/crm\.ts domain crm /);
    expect(afterLocation(message)).toBe(afterLocation(synthMessage));
    expect(fs.existsSync(path.join(root, '.lakehouse', 'raw'))).toBe(false);
  });

  test.each([
    ['run-model', ['run-model', 'crm/anything']],
    ['smoke', ['smoke', '-c', 'env=dev']],
  ])('%s (a JSON line with the error)', async (_name, argv) => {
    const { root, domainsDir } = domainsWith(bad);
    const io = capture();
    expect(await main(argv, io.opts(root, domainsDir))).toBe(2);
    const { error } = JSON.parse(io.out().trim().split('\n')[0]);
    expect(afterLocation(error)).toBe(afterLocation(synthMessage));
  });
});

describe('npx lakehouse', () => {
  test('prints usage for an unknown command', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io.opts(tempRoot()))).toBe(2);
    expect(io.err()).toMatch(/run <domain>\/<dataset> <file>/);
  });
});
