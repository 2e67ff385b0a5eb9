import 'aws-sdk-client-mock-jest';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  DeleteObjectsCommand,
  DeleteObjectsCommandInput,
  ListObjectsV2Command,
  ListObjectsV2CommandInput,
  S3Client,
  S3ServiceException,
  _Object,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { DAY_MS } from '../../../lambda/janitor/core';
import {
  JANITOR_METRIC_NAMES,
  METRICS_NAMESPACE,
  METRIC_JANITOR_RUNS,
  METRIC_OBJECTS_DELETED,
  METRIC_WORKSPACES_DELETED,
  METRIC_WORKSPACES_KEPT,
  createHandler,
} from '../../../lambda/janitor/handler';

const BUCKET = 'sandbox-bucket';
const NOW = new Date('2025-06-30T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS);

/**
 * An in-memory bucket behind the mocked S3 client: ListObjectsV2 pages in key order with a
 * start-after continuation token (deletes during pagination behave as in S3), DeleteObjects
 * removes keys unless told to fail them.
 */
class FakeBucket {
  public readonly objects = new Map<string, Date>();
  public pageSize = 1000;
  /** key → error code DeleteObjects reports for it. */
  public readonly failKeys = new Map<string, string>();
  /** Inputs as sent (the paginator reuses and mutates its input object, so history is copied here). */
  public readonly listCalls: ListObjectsV2CommandInput[] = [];
  public readonly deleteBatches: string[][] = [];
  public afterList?: (input: ListObjectsV2CommandInput, call: number) => void;
  public beforeDelete?: (keys: string[], call: number) => void;

  put(prefix: string, count: number, lastModified: Date): this {
    for (let i = 0; i < count; i++) this.objects.set(`${prefix}obj-${String(i).padStart(6, '0')}.csv`, lastModified);
    return this;
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  list(input: ListObjectsV2CommandInput) {
    this.listCalls.push({ ...input });
    expect(input.Bucket).toBe(BUCKET);
    const all = this.keys(input.Prefix ?? '');
    const after = input.ContinuationToken;
    const rest = after ? all.filter((k) => k > after) : all;
    const page = rest.slice(0, Math.min(this.pageSize, input.MaxKeys ?? 1000));
    const truncated = rest.length > page.length;
    const out = {
      Contents: page.map((Key): _Object => ({ Key, LastModified: this.objects.get(Key) })),
      KeyCount: page.length,
      IsTruncated: truncated,
      NextContinuationToken: truncated ? page[page.length - 1] : undefined,
    };
    this.afterList?.(input, this.listCalls.length);
    return out;
  }

  delete(input: DeleteObjectsCommandInput) {
    expect(input.Bucket).toBe(BUCKET);
    const keys = (input.Delete?.Objects ?? []).map((o) => o.Key!);
    this.deleteBatches.push(keys);
    this.beforeDelete?.(keys, this.deleteBatches.length);
    const Errors = [];
    for (const Key of keys) {
      const code = this.failKeys.get(Key);
      if (code) Errors.push({ Key, Code: code, Message: `${code} for ${Key}` });
      else this.objects.delete(Key);
    }
    return Errors.length > 0 ? { Errors } : {};
  }
}

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const s3Mock = mockClient(s3);
let bucket: FakeBucket;

function setup(config: { idleDays?: number; dryRun?: boolean } = {}) {
  const logger = new Logger({ serviceName: 'sandbox-janitor', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'sandbox-janitor' });
  const info = jest.spyOn(logger, 'info');
  const warn = jest.spyOn(logger, 'warn');
  const error = jest.spyOn(logger, 'error');
  const added = jest.spyOn(metrics, 'addMetric');
  // Capture the EMF document a publish would print, then let the real publish clear the buffer quietly.
  const published: ReturnType<Metrics['serializeMetrics']>[] = [];
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    published.push(metrics.serializeMetrics());
    metrics.clearMetrics();
    return metrics;
  });
  const handler = createHandler({
    config: { bucket: BUCKET, idleDays: config.idleDays ?? 30, dryRun: config.dryRun ?? false },
    s3,
    logger,
    metrics,
    now: () => NOW,
  });
  /** The value of each metric in the last published EMF document. */
  const lastMetrics = () => {
    const doc = published[published.length - 1] as unknown as Record<string, unknown>;
    return Object.fromEntries(JANITOR_METRIC_NAMES.map((n) => [n, doc[n]]));
  };
  return { handler, info, warn, error, added, published, lastMetrics };
}

beforeEach(() => {
  s3Mock.reset();
  bucket = new FakeBucket();
  s3Mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => bucket.list(input));
  s3Mock.on(DeleteObjectsCommand).callsFake((input: DeleteObjectsCommandInput) => bucket.delete(input));
});

describe('sandbox janitor handler', () => {
  test('follows ListObjectsV2 pagination across the whole bucket and deletes only idle workspaces', async () => {
    bucket.pageSize = 1000;
    bucket.put('team-active/', 1200, daysAgo(40)).put('user-idle/', 900, daysAgo(31));
    bucket.objects.set('team-active/fresh.csv', daysAgo(1)); // sorts after the 1,000th key: on page 2
    const { handler, lastMetrics } = setup();

    const result = await handler();

    // Whole-bucket listing: 2,101 keys → 3 pages, each continuing from the previous token.
    const whole = bucket.listCalls.filter((c) => c.Prefix === undefined);
    expect(whole.map((c) => c.ContinuationToken)).toEqual([undefined, expect.any(String), expect.any(String)]);
    expect(result.deleted).toEqual(['user-idle/']);
    expect(result.kept).toEqual(['team-active/']);
    expect(bucket.keys('user-idle/')).toHaveLength(0);
    expect(bucket.keys('team-active/')).toHaveLength(1201);
    expect(lastMetrics()).toEqual({
      [METRIC_JANITOR_RUNS]: 1,
      [METRIC_WORKSPACES_DELETED]: 1,
      [METRIC_OBJECTS_DELETED]: 900,
      [METRIC_WORKSPACES_KEPT]: 1,
    });
  });

  test('splits more than 1,000 objects into DeleteObjects batches of at most 1,000', async () => {
    bucket.pageSize = 700; // listing pages and delete batches do not line up
    bucket.put('team-big/', 2300, daysAgo(60));
    const { handler, info } = setup();

    const result = await handler();

    expect(s3Mock).toHaveReceivedCommandTimes(DeleteObjectsCommand, 3);
    expect(bucket.deleteBatches.map((b) => b.length)).toEqual([1000, 1000, 300]);
    expect(new Set(bucket.deleteBatches.flat()).size).toBe(2300);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectsCommand, { Bucket: BUCKET, Delete: expect.objectContaining({ Quiet: true }) });
    expect(result.objectsDeleted).toBe(2300);
    expect(bucket.objects.size).toBe(0);
    // One structured line per deleted workspace, with object count and last write.
    expect(info).toHaveBeenCalledWith('workspace deleted', {
      workspace: 'team-big/',
      lastWrite: daysAgo(60).toISOString(),
      idleDays: 30,
      objectsDeleted: 2300,
    });
  });

  test('DeleteObjects partial Errors: logs what was and was not deleted, finishes other workspaces, then throws; the next run finishes the job', async () => {
    bucket.put('team-a/', 1500, daysAgo(90)).put('team-b/', 10, daysAgo(90));
    const bad = ['team-a/obj-000003.csv', 'team-a/obj-000004.csv'];
    for (const k of bad) bucket.failKeys.set(k, 'AccessDenied');
    const first = setup();

    await expect(first.handler()).rejects.toThrow(/1 workspace\(s\) not fully deleted: team-a\/ \(2 keys not deleted: AccessDenied ×2\)/);

    expect(first.error).toHaveBeenCalledWith(
      'workspace not fully deleted',
      expect.objectContaining({
        workspace: 'team-a/',
        objectsDeleted: 998,
        keysNotDeleted: 2,
        failedKeys: bad.map((key) => ({ key, code: 'AccessDenied', message: `AccessDenied for ${key}` })),
      }),
    );
    // It stopped team-a after the failing batch, but still deleted team-b.
    expect(bucket.keys('team-a/')).toHaveLength(502);
    expect(bucket.keys('team-b/')).toHaveLength(0);
    expect(first.lastMetrics()).toEqual({
      [METRIC_JANITOR_RUNS]: 1,
      [METRIC_WORKSPACES_DELETED]: 1,
      [METRIC_OBJECTS_DELETED]: 1008,
      [METRIC_WORKSPACES_KEPT]: 1,
    });

    bucket.failKeys.clear();
    const second = setup();
    const result = await second.handler();
    expect(result.deleted).toEqual(['team-a/']);
    expect(result.objectsDeleted).toBe(502);
    expect(bucket.objects.size).toBe(0);
    expect(second.error).not.toHaveBeenCalled();
  });

  test('a DeleteObjects request that fails outright is reported per key and throws', async () => {
    bucket.put('team-a/', 3, daysAgo(90));
    s3Mock.on(DeleteObjectsCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'no' }));
    const { handler, error } = setup();

    await expect(handler()).rejects.toThrow(/team-a\/ \(3 keys not deleted: AccessDenied ×3\)/);
    expect(error).toHaveBeenCalledWith(
      'workspace not fully deleted',
      expect.objectContaining({ objectsDeleted: 0, keysNotDeleted: 3, requestError: 'AccessDenied: no' }),
    );
    expect(bucket.objects.size).toBe(3);
  });

  test('dry run logs what it would delete and deletes nothing', async () => {
    bucket.put('team-idle/', 5, daysAgo(100)).put('team-active/', 2, daysAgo(0));
    const { handler, info, lastMetrics } = setup({ dryRun: true });

    const result = await handler();

    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(bucket.objects.size).toBe(7);
    expect(result).toMatchObject({ dryRun: true, deleted: [], wouldDelete: ['team-idle/'], kept: ['team-active/'], objectsDeleted: 0 });
    expect(info).toHaveBeenCalledWith(
      'workspace would be deleted (dry run)',
      expect.objectContaining({ workspace: 'team-idle/', objectCount: 5, lastWrite: daysAgo(100).toISOString() }),
    );
    expect(lastMetrics()).toEqual({
      [METRIC_JANITOR_RUNS]: 1,
      [METRIC_WORKSPACES_DELETED]: 0,
      [METRIC_OBJECTS_DELETED]: 0,
      [METRIC_WORKSPACES_KEPT]: 1,
    });
  });

  test('keeps a workspace written to after the bucket was listed', async () => {
    bucket.put('team-a/', 4, daysAgo(45));
    bucket.afterList = (input) => {
      // The write lands right after the whole-bucket listing, before the janitor re-checks.
      if (input.Prefix === undefined) bucket.objects.set('team-a/new.csv', daysAgo(0));
    };
    const { handler, info } = setup();

    const result = await handler();

    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(result.kept).toEqual(['team-a/']);
    expect(bucket.keys('team-a/')).toHaveLength(5);
    expect(info).toHaveBeenCalledWith(
      'workspace kept: written since listing',
      expect.objectContaining({ workspace: 'team-a/', objectCount: 5, lastWrite: daysAgo(0).toISOString() }),
    );
  });

  test('never deletes an object written while the workspace is being deleted', async () => {
    bucket.pageSize = 2;
    bucket.put('team-a/', 5, daysAgo(45));
    let prefixPasses = 0;
    bucket.afterList = (input) => {
      // Pass 1 over the prefix is the re-check, pass 2 the deletion: the write lands during pass 2's first page.
      if (input.Prefix === 'team-a/' && input.ContinuationToken === undefined) prefixPasses++;
      if (input.Prefix === 'team-a/' && prefixPasses === 2 && input.ContinuationToken === undefined) {
        bucket.objects.set('team-a/zz-late.csv', daysAgo(0));
      }
    };
    const { handler, warn } = setup();

    const result = await handler();

    expect(bucket.keys('team-a/')).toEqual(['team-a/zz-late.csv']);
    expect(result.kept).toEqual(['team-a/']);
    expect(result.objectsDeleted).toBe(5);
    expect(warn).toHaveBeenCalledWith(
      'workspace kept: written while deleting; newer objects left in place',
      expect.objectContaining({ workspace: 'team-a/', objectsDeleted: 5, objectsLeft: 1 }),
    );
  });

  test('leaves objects at the bucket root alone and says so', async () => {
    bucket.objects.set('stray.txt', daysAgo(400));
    bucket.put('team-a/', 1, daysAgo(400));
    const { handler, warn } = setup();

    const result = await handler();

    expect([...bucket.objects.keys()]).toEqual(['stray.txt']);
    expect(result.rootObjects).toBe(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/bucket root/), { rootObjects: 1 });
  });

  test('empty bucket: heartbeat only, nothing deleted', async () => {
    const { handler, lastMetrics, published } = setup();
    const result = await handler();
    expect(result).toMatchObject({ deleted: [], kept: [], objectsDeleted: 0 });
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(published).toHaveLength(1);
    expect(lastMetrics()[METRIC_JANITOR_RUNS]).toBe(1);
  });

  test('emits the heartbeat in the GovernedLakehouse namespace even when listing fails', async () => {
    s3Mock.on(ListObjectsV2Command).rejects(new Error('throttled'));
    const { handler, published } = setup();

    await expect(handler()).rejects.toThrow('throttled');

    expect(published).toHaveLength(1);
    const emf = published[0] as unknown as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('GovernedLakehouse');
    expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name).sort()).toEqual([...JANITOR_METRIC_NAMES].sort());
    expect(emf[METRIC_JANITOR_RUNS]).toBe(1);
    expect(emf.service).toBe('sandbox-janitor');
  });
});

