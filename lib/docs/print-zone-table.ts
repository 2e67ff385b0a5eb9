/** Prints the README zone table: `npx tsx lib/docs/print-zone-table.ts`. */
import { ENVIRONMENTS } from '../config';
import { renderZoneTable } from './zone-table';

process.stdout.write(`${renderZoneTable(ENVIRONMENTS.dev, ENVIRONMENTS.prod)}\n`);
