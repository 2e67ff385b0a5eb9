import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDomains } from '../../lib/domains';

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return dir;
}
const defineDomainPath = JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'domain-definition'));

describe('domain discovery', () => {
  test('finds every domain file in lib/domains (the examples)', () => {
    expect(loadDomains().map((d) => d.name)).toEqual(['sales', 'web_events']);
  });

  test('a new file is picked up with no other edit', () => {
    const dir = dirWith({
      'inventory.ts': `const { defineDomain } = require(${defineDomainPath}); module.exports = { default: defineDomain({ name: 'inventory', owner: 'o', costCenter: 'c', datasets: [] }) };`,
      'README.md': 'ignored',
      'index.ts': 'ignored',
    });
    expect(loadDomains(dir).map((d) => d.name)).toEqual(['inventory']);
  });

  test('fails if a file exports no definition', () => {
    const dir = dirWith({ 'stock.ts': 'module.exports = {};' });
    expect(() => loadDomains(dir)).toThrow(/LH120.*lib\/domains\/stock\.ts.*default-export/);
  });

  test('fails if the domain name differs from the file name', () => {
    const dir = dirWith({ 'stock.ts': `module.exports = { default: { name: 'inventory', owner: 'o', costCenter: 'c', datasets: [] } };` });
    expect(() => loadDomains(dir)).toThrow(/LH121.*"inventory".*rename the file/);
  });
});
