/**
 * `npx lakehouse new-domain <name>` — scaffolds a domain that passes as generated:
 * - `lib/domains/<name>.ts`: the domain file (one CSV dataset to edit),
 * - `lib/domains/<name>/samples/events.csv`: sample data with one bad row,
 * - `test/domains/<name>.test.ts`: builds the domain stack and runs the transform on the sample.
 * Refuses to overwrite anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateDomainDefinition } from '../../../constructs/domain/validate';
import { CommandOptions, UsageError, loadCheckedDomains } from './common';

export const NEW_DOMAIN_USAGE = 'usage: npx lakehouse new-domain <name>   (lower snake case, e.g. inventory)';

export function domainFileText(name: string): string {
  return `import { defineDomain } from '../domain-definition';

/** TODO: one line on what the ${name} domain holds and who sends it. */
export default defineDomain({
  name: '${name}',
  owner: '${name.replace(/_/g, '-')}-team',
  costCenter: 'cc-0000',
  description: '${name} data',
  datasets: [
    {
      name: 'events',
      description: 'One row per event',
      format: 'csv',
      columns: [
        { name: 'event_id', type: 'bigint', required: true },
        { name: 'event_type', type: 'string', required: true, allowedValues: ['created', 'updated', 'deleted'] },
        { name: 'amount', type: 'decimal(12,2)', range: { min: 0 } },
        { name: 'occurred_at', type: 'timestamp', required: true },
      ],
      partition: { column: 'occurred_at' },
      freshnessSlaHours: 24,
    },
  ],
});
`;
}

export const SAMPLE_CSV = `event_id,event_type,amount,occurred_at
1,created,10.50,2026-01-01T09:00:00Z
2,updated,0.00,2026-01-01T10:30:00+02:00
3,deleted,,2026-01-02T23:59:59Z
4,exploded,12.5,2026-01-02T08:00:00Z
`;

export function testFileText(name: string): string {
  return `import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLocal } from '../../lib/cli/local';
import { ENVIRONMENTS } from '../../lib/config';
import domain from '../../lib/domains/${name}';
import { buildLakehouse } from '../../lib/lakehouse-app';
import { testApp } from '../helpers/app';

describe('${name} domain', () => {
  test('builds its own stack', () => {
    const lakehouse = buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, domains: [domain], checks: false });
    expect(Object.keys(lakehouse.domains)).toEqual(['${name}']);
  });

  test('the sample file: every row is either clean or quarantined with a reason', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), '${name}-'));
    const sample = path.join(__dirname, '..', '..', 'lib', 'domains', '${name}', 'samples', 'events.csv');
    const result = await runLocal(root, domain, domain.datasets[0], sample);
    expect(result.rowsIn).toBe(4);
    expect(result.rowsOut + result.rowsQuarantined).toBe(result.rowsIn);
    expect(result.rowsQuarantined).toBe(1);
  });
});
`;
}

export async function newDomainCommand(args: readonly string[], opts: CommandOptions): Promise<number> {
  const [name, ...extra] = args;
  if (!name || extra.length > 0) throw new UsageError(NEW_DOMAIN_USAGE);
  const problems = validateDomainDefinition({ name, owner: 'x', costCenter: 'x', datasets: [] }).filter((p) => p.at === 'name');
  if (problems.length > 0) throw new UsageError(`${problems[0].problem} (got ${JSON.stringify(name)}). Fix: ${problems[0].fix}`);
  const domainsDir = opts.domainsDir ?? path.join(opts.root, 'lib', 'domains');
  const files: [string, string][] = [
    [path.join(domainsDir, `${name}.ts`), domainFileText(name)],
    [path.join(domainsDir, name, 'samples', 'events.csv'), SAMPLE_CSV],
    [path.join(opts.root, 'test', 'domains', `${name}.test.ts`), testFileText(name)],
  ];
  const existing = files.filter(([f]) => fs.existsSync(f)).map(([f]) => path.relative(opts.root, f));
  if (existing.length > 0) throw new UsageError(`refusing to overwrite ${existing.join(', ')}`);
  // The domains already there must pass synth's checks: the new one is added beside them.
  if (fs.existsSync(domainsDir)) loadCheckedDomains(domainsDir);
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    opts.stdout.write(`created ${path.relative(opts.root, file)}\n`);
  }
  opts.stdout.write(`next: edit lib/domains/${name}.ts, then npm run synth and npx lakehouse run ${name}/events lib/domains/${name}/samples/events.csv\n`);
  return 0;
}
