import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../../lib/config';
import { accessLegend, proveDefaultApp, renderAccessTable } from '../../../lib/docs/access-table';

describe('README access table', () => {
  test('is what the governance proof computes for the default app (regenerate with lib/docs/print-access-table.ts)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = /<!-- access-table:start -->\n([\s\S]*?)\n<!-- access-table:end -->/.exec(readme)?.[1];
    const result = proveDefaultApp(ENVIRONMENTS.dev);
    expect(result.violations).toEqual([]);
    expect(block).toBe(`${renderAccessTable(result)}\n\n${accessLegend()}`);
  });
});
