import { Stack } from 'aws-cdk-lib';
import { CfnCrawler, CfnCrawlerProps, CfnDatabase, CfnDataCatalogEncryptionSettings, CfnTable } from 'aws-cdk-lib/aws-glue';
import { runsPerHour } from '../../../lib/nag/rules/glue/GlueCrawlerSchedule';
import { findings, newStack } from '../helpers';

const KMS_SETTINGS: CfnDataCatalogEncryptionSettings.DataCatalogEncryptionSettingsProperty = {
  encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: 'arn:key' },
  connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: 'arn:key' },
};

function database(stack: Stack): CfnDatabase {
  return new CfnDatabase(stack, 'rDatabase', { catalogId: '123456789012', databaseInput: { name: 'sales' } });
}

function settings(stack: Stack, config = KMS_SETTINGS): CfnDataCatalogEncryptionSettings {
  return new CfnDataCatalogEncryptionSettings(stack, 'rSettings', { catalogId: '123456789012', dataCatalogEncryptionSettings: config });
}

function crawler(stack: Stack, props: Partial<CfnCrawlerProps> = {}): CfnCrawler {
  return new CfnCrawler(stack, 'rCrawler', {
    role: 'arn:aws:iam::123456789012:role/crawler',
    targets: { s3Targets: [{ path: 's3://raw/' }] },
    ...props,
  });
}

describe('DataOps-GlueCatalogEncryptionDeclared', () => {
  const RULE = 'DataOps-GlueCatalogEncryptionDeclared';
  test('Noncompliance 1: no encryption settings in the app', () => {
    const stack = newStack();
    database(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rDatabase']);
  });
  test('Noncompliance 2: encryption settings only for another region', () => {
    const stack = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    database(stack);
    settings(new Stack(stack.node.root, 'Other', { env: { account: '123456789012', region: 'us-east-1' } }));
    expect(findings(stack, RULE)).toEqual(['Test/rDatabase']);
  });
  test('Compliance 1: encryption settings in the same stack', () => {
    const stack = newStack();
    database(stack);
    settings(stack);
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: encryption settings in another stack of the same environment', () => {
    const stack = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    database(stack);
    settings(new Stack(stack.node.root, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } }));
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-GlueCatalogEncryptionKms', () => {
  const RULE = 'DataOps-GlueCatalogEncryptionKms';
  test('Noncompliance 1: encryption at rest disabled', () => {
    const stack = newStack();
    settings(stack, { ...KMS_SETTINGS, encryptionAtRest: { catalogEncryptionMode: 'DISABLED' } });
    expect(findings(stack, RULE)).toEqual(['Test/rSettings']);
  });
  test('Noncompliance 2: SSE-KMS without a key', () => {
    const stack = newStack();
    settings(stack, { ...KMS_SETTINGS, encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS' } });
    expect(findings(stack, RULE)).toEqual(['Test/rSettings']);
  });
  test('Noncompliance 3: connection passwords not encrypted', () => {
    const stack = newStack();
    settings(stack, { ...KMS_SETTINGS, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false } });
    expect(findings(stack, RULE)).toEqual(['Test/rSettings']);
  });
  test('Compliance', () => {
    const stack = newStack();
    settings(stack);
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-GlueTableParameters', () => {
  const RULE = 'DataOps-GlueTableParameters';
  function table(stack: Stack, parameters?: Record<string, string>): CfnTable {
    return new CfnTable(stack, 'rTable', {
      catalogId: '123456789012',
      databaseName: 'sales',
      tableInput: { name: 'orders', parameters },
    });
  }
  test('Noncompliance 1: no parameters (one finding per missing parameter)', () => {
    const stack = newStack();
    table(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rTable [classification]', 'Test/rTable [owner]']);
  });
  test('Noncompliance 2: classification missing', () => {
    const stack = newStack();
    table(stack, { owner: 'sales-data' });
    expect(findings(stack, RULE)).toEqual(['Test/rTable [classification]']);
  });
  test('Compliance', () => {
    const stack = newStack();
    table(stack, { owner: 'sales-data', classification: 'parquet' });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-GlueCrawlerSchedule', () => {
  const RULE = 'DataOps-GlueCrawlerSchedule';
  test('Noncompliance 1: no schedule', () => {
    const stack = newStack();
    crawler(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rCrawler']);
  });
  test.each([
    ['every 15 minutes', 'cron(0/15 * * * ? *)'],
    ['every minute', 'cron(* * * * ? *)'],
    ['twice an hour', 'cron(0,30 * * * ? *)'],
    ['a range of minutes', 'cron(0-4 2 * * ? *)'],
    ['not a Glue cron expression', 'rate(1 hour)'],
    ['five fields', 'cron(0 * * * ?)'],
  ])('Noncompliance: %s (%s)', (_name, expression) => {
    const stack = newStack();
    crawler(stack, { schedule: { scheduleExpression: expression } });
    expect(findings(stack, RULE)).toEqual(['Test/rCrawler']);
  });
  test.each([
    ['hourly', 'cron(15 * * * ? *)'],
    ['daily', 'cron(0 2 * * ? *)'],
    ['every six hours', 'cron(0 0/6 * * ? *)'],
  ])('Compliance: %s (%s)', (_name, expression) => {
    const stack = newStack();
    crawler(stack, { schedule: { scheduleExpression: expression } });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('runsPerHour counts the minutes the Minutes field selects', () => {
    expect(runsPerHour('cron(5 * * * ? *)')).toBe(1);
    expect(runsPerHour('cron(0/60 * * * ? *)')).toBe(1);
    expect(runsPerHour('cron(*/10 * * * ? *)')).toBe(6);
    expect(runsPerHour('cron(10-20/5 * * * ? *)')).toBe(3);
    expect(runsPerHour('cron(0,15,45 * * * ? *)')).toBe(3);
    expect(runsPerHour('cron(61 * * * ? *)')).toBeUndefined();
    expect(runsPerHour('cron(L * * * ? *)')).toBeUndefined();
  });
});

describe('DataOps-GlueCrawlerRecrawlPolicy', () => {
  const RULE = 'DataOps-GlueCrawlerRecrawlPolicy';
  test('Noncompliance 1: no recrawl policy (crawls everything)', () => {
    const stack = newStack();
    crawler(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rCrawler']);
  });
  test('Noncompliance 2: CRAWL_EVERYTHING', () => {
    const stack = newStack();
    crawler(stack, { recrawlPolicy: { recrawlBehavior: 'CRAWL_EVERYTHING' } });
    expect(findings(stack, RULE)).toEqual(['Test/rCrawler']);
  });
  test.each(['CRAWL_NEW_FOLDERS_ONLY', 'CRAWL_EVENT_MODE'])('Compliance: %s', (behavior) => {
    const stack = newStack();
    crawler(stack, { recrawlPolicy: { recrawlBehavior: behavior } });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
