/** Prints the README access table: `npx tsx lib/docs/print-access-table.ts`. */
import { ENVIRONMENTS } from '../config';
import { accessLegend, proveDefaultApp, renderAccessTable } from './access-table';

process.stdout.write(`${renderAccessTable(proveDefaultApp(ENVIRONMENTS.dev).principals)}\n\n${accessLegend()}\n`);
