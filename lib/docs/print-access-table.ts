/** Prints the README's access table and clear-PII table, with their markers: `npx tsx lib/docs/print-access-table.ts`. */
import { ENVIRONMENTS } from '../config';
import { CLEAR_DATA_LEGEND, accessLegend, proveDefaultApp, renderAccessTable, renderClearDataTable } from './access-table';

const { principals } = proveDefaultApp(ENVIRONMENTS.dev);
const block = (name: string, body: string) => `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->\n`;
process.stdout.write(`${block('access-table', `${renderAccessTable(principals)}\n\n${accessLegend()}`)}\n${block('clear-data-table', `${renderClearDataTable(principals)}\n\n${CLEAR_DATA_LEGEND}`)}`);
