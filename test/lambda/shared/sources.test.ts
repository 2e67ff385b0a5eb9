import type { DomainDefinition } from '../../../lambda/shared/dataset';
import { datasetOfRawKey, datasetsOfSource, rawPrefixes, sourcePrefix, sourcesOfDataset } from '../../../lambda/shared/sources';

const base = { name: 'sales', owner: 'o', costCenter: 'c' };
const dataset = (name: string, sources?: string[]) => ({ name, format: 'csv' as const, columns: [], partition: { column: 'd' }, freshnessSlaHours: 1, sources });

describe('sources', () => {
  const domain: DomainDefinition = {
    ...base,
    sources: [
      { name: 'webshop', kind: 'internal' },
      { name: 'pos', kind: 'internal' },
      { name: 'marketplace', kind: 'external', accountId: '222222222222', externalId: 'x-1' },
    ],
    datasets: [dataset('orders', ['webshop', 'marketplace']), dataset('refunds')],
  };

  test('a dataset is delivered by the sources it names, or by every internal source', () => {
    expect(sourcesOfDataset(domain, domain.datasets[0])).toEqual(['webshop', 'marketplace']);
    expect(sourcesOfDataset(domain, domain.datasets[1])).toEqual(['webshop', 'pos']);
    expect(datasetsOfSource(domain, 'marketplace')).toEqual(['orders']);
    expect(datasetsOfSource(domain, 'pos')).toEqual(['refunds']);
  });

  test('a domain without sources keeps the layout <domain>/<dataset>/', () => {
    const legacy: DomainDefinition = { ...base, datasets: [dataset('orders')] };
    expect(sourcesOfDataset(legacy, legacy.datasets[0])).toEqual([]);
    expect(rawPrefixes('sales', 'orders', [])).toEqual(['sales/orders/']);
    expect(datasetOfRawKey('sales/orders/2024/x.csv', 'sales', ['orders'], [])).toEqual({ dataset: 'orders' });
    expect(datasetOfRawKey('sales/orders/', 'sales', ['orders'], [])).toBeUndefined();
    expect(datasetOfRawKey('web/orders/x.csv', 'sales', ['orders'], [])).toBeUndefined();
  });

  test('a source writes under <domain>/<source>/<dataset>/', () => {
    expect(sourcePrefix('sales', 'marketplace')).toBe('sales/marketplace');
    expect(rawPrefixes('sales', 'orders', ['webshop', 'marketplace'])).toEqual(['sales/webshop/orders/', 'sales/marketplace/orders/']);
    expect(datasetOfRawKey('sales/marketplace/orders/2024/x.csv', 'sales', ['orders'], ['webshop', 'marketplace'])).toEqual({ dataset: 'orders', source: 'marketplace' });
    expect(datasetOfRawKey('sales/orders/x.csv', 'sales', ['orders'], ['webshop'])).toBeUndefined();
    expect(datasetOfRawKey('sales/other/orders/x.csv', 'sales', ['orders'], ['webshop'])).toBeUndefined();
    expect(datasetOfRawKey('sales/webshop/orders/', 'sales', ['orders'], ['webshop'])).toBeUndefined();
  });
});
