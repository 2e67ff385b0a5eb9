/**
 * Function logs never contain record values, nor the PII token key: the transform handler runs
 * with a real Powertools logger at DEBUG over files with planted values — in good rows, in bad
 * rows (quarantined with their original text), in a drifting file, in a file whose header lacks a
 * required column, in a header-less file and in a message that fails — and every byte it writes to stdout and stderr
 * is scanned for them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Engine } from '../../../lambda/transform/core/engine';
import { ContractCache, METRICS_NAMESPACE, createHandler } from '../../../lambda/transform/handler';
import { TokenKey } from '../../../lambda/shared/pipeline/tokens';
import { CUSTOMERS, CUSTOMERS_HEADER, MemoryObjectStore, s3NotificationBody, sqsEvent, useEngineAndScratch } from './helpers';

let engine: Engine;
let dir: string;
useEngineAndScratch((e, d) => ((engine = e), (dir = d)));

const KEY_TEXT = 'planted-token-key-text-that-must-never-be-logged-42';
const PLANTED = ['alice@planted.example', 'bob@planted.example', 'carol@planted.example', '+49 30 9876543', '778899', 'mallory@planted.example', 'dave@planted.example', '+49 30 1111111'];
const RAW = 'raw-bucket';
const CONTEXT = { functionName: 'transform', awsRequestId: 'req-1', invokedFunctionArn: 'arn', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

const files: Record<string, string> = {
  'sales/customers/good-and-bad.csv': [
    CUSTOMERS_HEADER,
    '1,alice@planted.example,778899,DE,+49 30 9876543,2024-03-01',
    '2,bob@planted.example,not-a-number,FR,,2024-03-01',
    '3,"carol@planted.example, ""quoted""",1,XX,,2024-03-02',
    '4,broken "quote,1,DE,,2024-03-02',
  ].join('\n') + '\n',
  'sales/customers/drift.csv': `${CUSTOMERS_HEADER},favourite_colour\n5,mallory@planted.example,1,DE,,2024-03-03,red\n`,
  'sales/customers/no-email-column.csv': 'customer_id,signed_up\n6,2024-03-03\n',
  // No header at all: its first line of data stands where the header should (drift of values, never logged).
  'sales/customers/headerless.csv': '7,dave@planted.example,1,DE,+49 30 1111111,2024-03-04\n',
};

const event = (...keys: string[]) => sqsEvent(...keys.map((key) => s3NotificationBody(RAW, key)));

test('the transform logs no record value and no key, whatever the file', async () => {
  const store = new MemoryObjectStore(dir);
  for (const [key, body] of Object.entries(files)) store.put(RAW, key, body);
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const handler = createHandler({
      config: { cleanBucket: 'clean-bucket', quarantineBucket: 'quarantine-bucket', glueDatabase: 'sales_clean', glueTable: 'customers', domain: 'sales', dataset: 'customers', workDir: dir },
      objects: store,
      contracts: new ContractCache({ get: async () => CUSTOMERS }),
      engine,
      logger: new Logger({ serviceName: 'transform-sales-customers', logLevel: 'DEBUG' }),
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'transform-sales-customers' }),
      tokenKeys: { get: async () => ({ generation: 3, key: TokenKey.fromText(KEY_TEXT) }) },
    });
    // The last message names an object that does not exist: its failure is reported, not logged with values.
    const result = await handler(event(...Object.keys(files), 'sales/customers/missing.csv'), CONTEXT);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm4' }]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const logs = written.join('');
  // Not vacuous: the run was logged, with counts, lines and the key's generation, and the values did reach the zones.
  expect(logs).toContain('"message":"file transformed"');
  expect(logs).toContain('"message":"schema drift"');
  expect(logs).toContain('"rowsQuarantined":3');
  expect(logs).toContain('"tokenKeyGeneration":3');
  expect(logs).toContain('"extraColumnCount":6');
  const quarantine = store.keys('quarantine-bucket').map((k) => store.get('quarantine-bucket', k)!.toString()).join('\n');
  expect(quarantine).toContain('bob@planted.example');
  for (const value of [...PLANTED, KEY_TEXT]) expect({ value, found: logs.includes(value) }).toEqual({ value, found: false });
  expect(logs).not.toContain(TokenKey.fromText(KEY_TEXT).pads().inner.toString('hex'));
});
