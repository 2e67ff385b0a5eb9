/**
 * Run by prepare.test.ts in its own process: the big-file prepare step with a store that fails.
 * Prints how the step ended; an unhandled rejection is reported on stderr and fails the process.
 */
import { Readable } from 'node:stream';
import { prepareStaging } from '../../../lambda/bigfile/core/prepare';
import { ORDERS_NDJSON } from '../transform/helpers';

process.on('unhandledRejection', (e) => {
  console.error(`unhandled rejection: ${(e as Error).message}`);
  process.exitCode = 1;
});

// Records, then rejects (repeated keys) that arrive while the first part is being stored.
const good = (id: number) => `{"order_id":${id},"amount":12.50,"ordered_at":"2024-03-15T10:00:00Z","note":"some text"}`;
const bad = (id: number) => `{"pad":"${'y'.repeat(40_000)}","order_id":${id},"order_id":${id}}`;
const lines = [...Array.from({ length: 20_000 }, (_, i) => good(i + 1)), ...Array.from({ length: 5 }, (_, i) => bad(20_001 + i))];
prepareStaging({
  contract: ORDERS_NDJSON,
  sourceUri: 's3://raw/sales/orders/x.ndjson',
  input: Readable.from([Buffer.from(lines.join('\n') + '\n')]),
  partBytes: 64 * 1024,
  putPart: async () => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    throw new Error('put failed');
  },
}).then(
  () => console.log('resolved'),
  (e: Error) => console.log(`rejected: ${e.message}`),
);
// Give a late rejection time to surface before the process exits.
setTimeout(() => undefined, 500);
