import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../../lib/config';
import { renderZoneTable } from '../../../lib/docs/zone-table';

describe('README zone table', () => {
  test('matches the zone model and the configuration (regenerate with lib/docs/print-zone-table.ts)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const table = /<!-- zone-table:start -->\n([\s\S]*?)\n<!-- zone-table:end -->/.exec(readme)?.[1];
    expect(table).toBe(renderZoneTable(ENVIRONMENTS.dev, ENVIRONMENTS.prod));
  });
});
