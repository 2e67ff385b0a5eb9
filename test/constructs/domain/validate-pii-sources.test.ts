/** Domain checks for personal data (`pii`) and sources: each bad declaration names its path, the value and the fix. */
import { DatasetDefinition, DomainDefinition, SourceDefinition } from '../../../lambda/shared/dataset';
import { validateDomainDefinition } from '../../../constructs/domain/validate';

const dataset: DatasetDefinition = {
  name: 'orders',
  format: 'csv',
  columns: [
    { name: 'order_id', type: 'bigint', required: true },
    { name: 'customer_email', type: 'string', pii: true },
    { name: 'customer_no', type: 'bigint', pii: true },
    { name: 'birth_date', type: 'date', pii: 'drop' },
    { name: 'ordered_at', type: 'timestamp', required: true },
  ],
  partition: { column: 'ordered_at' },
  freshnessSlaHours: 24,
};
const partner: SourceDefinition = { name: 'marketplace', kind: 'external', accountId: '222222222222', externalId: 'lakehouse-sales-marketplace' };
const domain: DomainDefinition = { name: 'sales', owner: 'team', costCenter: 'cc-1', datasets: [dataset], sources: [{ name: 'webshop', kind: 'internal' }, partner] };

const withColumn = (col: DatasetDefinition['columns'][number]): DomainDefinition => ({ ...domain, datasets: [{ ...dataset, columns: [...dataset.columns, col] }] });
const withSources = (sources: unknown, datasetSources?: string[]): DomainDefinition => ({ ...domain, sources: sources as SourceDefinition[], datasets: [{ ...dataset, sources: datasetSources }] });

function problemsOf(d: DomainDefinition): string {
  return validateDomainDefinition(d).map((p) => `${p.code} ${p.at}: ${p.problem} (got ${JSON.stringify(p.value)}). Fix: ${p.fix}`).join('\n');
}

describe('pii and sources checks', () => {
  test('a domain with tokenized and dropped columns and internal and external sources has no problems', () => {
    expect(validateDomainDefinition({ ...domain, datasets: [{ ...dataset, sources: ['webshop', 'marketplace'] }] })).toEqual([]);
  });

  test('a domain without sources and without dataset sources has no problems', () => {
    expect(validateDomainDefinition({ ...domain, sources: undefined })).toEqual([]);
  });

  test.each<[string, DomainDefinition, RegExp]>([
    ['pii on a timestamp', withColumn({ name: 'seen_at', type: 'timestamp', pii: true }), /LH140 datasets\[0\]\.columns\[5\]\.pii: a timestamp column cannot be tokenized.*\(got "timestamp"\)\. Fix: declare the column as string .*or use pii: "drop"/],
    ['pii on a decimal', withColumn({ name: 'salary', type: 'decimal(10,2)', pii: true }), /LH140 .*a decimal\(10,2\) column cannot be tokenized/],
    ['pii with an unknown value', withColumn({ name: 'x', type: 'string', pii: 'mask' as never }), /LH140 datasets\[0\]\.columns\[5\]\.pii: pii is true .*\(got "mask"\)/],
    ['the partition column dropped', { ...domain, datasets: [{ ...dataset, columns: dataset.columns.map((c) => (c.name === 'ordered_at' ? { ...c, pii: 'drop' as const } : c)) }] }, /LH140 datasets\[0\]\.columns\[4\]\.pii: the partition column lays out clean/],
    ['a source name that is not a valid prefix', withSources([{ name: 'Web Shop/1', kind: 'internal' }]), /LH141 sources\[0\]\.name: a source name is its key prefix .*\(got "Web Shop\/1"\)\. Fix: rename it/],
    ['a source named like a dataset', withSources([{ name: 'orders', kind: 'internal' }]), /LH141 sources\[0\]\.name: a source named like a dataset/],
    ['two sources with one name', withSources([{ name: 'webshop', kind: 'internal' }, { name: 'webshop', kind: 'internal' }]), /LH141 sources\[1\]\.name: duplicate source name/],
    ['an empty source list', withSources([]), /LH141 sources: /],
    ['an external source without an account', withSources([{ ...partner, accountId: '2222' }], ['marketplace']), /LH142 sources\[0\]\.accountId: an external source needs the partner's 12-digit AWS account id/],
    ['an external source without an external id', withSources([{ ...partner, externalId: undefined }], ['marketplace']), /LH142 sources\[0\]\.externalId: an external source needs an external id/],
    ['an internal source with an account', withSources([{ name: 'webshop', kind: 'internal', accountId: '222222222222' }]), /LH142 sources\[0\]: an internal source is assumed from this account/],
    ['an unknown kind', withSources([{ name: 'webshop', kind: 'partner' }], ['webshop']), /LH142 sources\[0\]\.kind/],
    ['a dataset naming an unknown source', withSources([{ name: 'webshop', kind: 'internal' }], ['webshop', 'erp']), /LH143 datasets\[0\]\.sources\[1\]: not a source of the domain \(got "erp"\)\. Fix: use one of: webshop/],
    ['a dataset no source delivers (only external sources, none named)', withSources([partner]), /LH143 datasets\[0\]\.sources: no source delivers this dataset/],
    ['dataset sources in a domain without sources', { ...domain, sources: undefined, datasets: [{ ...dataset, sources: ['webshop'] }] }, /LH143 datasets\[0\]\.sources: the domain declares no sources/],
    ['a column named like the raw source partition', withColumn({ name: 'lakehouse_source', type: 'string' }), /LH143 datasets\[0\]\.columns: with sources, the raw table is partitioned by lakehouse_source/],
    ['a source that delivers nothing', withSources([{ name: 'webshop', kind: 'internal' }, partner], ['webshop']), /LH144 sources\[1\]: this source delivers no dataset/],
  ])('reports %s', (_name, def, expected) => {
    expect(problemsOf(def)).toMatch(expected);
  });
});
