/**
 * Test doubles over aws-sdk-client-mock: an in-memory S3 (objects by bucket/key, with
 * LastModified), a scripted Athena (each query answered by a function of its SQL), a Glue catalog
 * holding the model tables and the staging tables CTAS creates, and a fake clock whose sleep
 * advances time and records the delays.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DeleteTableCommand, GetTableCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { MODEL_SPEC_PARAMETER, ModelSpec, parseModelFile, resolveModel, serialiseModelSpec } from '../../../lambda/shared/models';
import { SALES, exampleModelText } from './fixtures';

export const WORKGROUP = 'lakehouse-dev-pipelines';
export const RESULTS_BUCKET = 'results';
export const CURATED_BUCKET = 'curated';
export const CLEAN_BUCKET = 'clean';
export const DATABASE = 'sales_curated';
export const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/lake';

export function salesSpec(): ModelSpec {
  return resolveModel(parseModelFile(exampleModelText('sales', 'daily_revenue'), { domain: 'sales', file: 'lib/domains/sales/daily_revenue.sql' }), SALES);
}

export class FakeClock {
  public t: number;
  public readonly sleeps: number[] = [];
  constructor(start = Date.parse('2024-05-02T06:00:00Z')) {
    this.t = start;
  }
  readonly now = () => this.t;
  readonly sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.t += ms;
  };
  readonly random = () => 1;
}

export interface StoredObject {
  body: string;
  lastModified: Date;
  metadata?: Record<string, string>;
  sse?: string;
  kmsKey?: string;
}

/** An in-memory S3 behind a mocked S3Client. */
export function fakeS3(clock: FakeClock) {
  const objects = new Map<string, StoredObject>();
  const id = (bucket: string, key: string) => `${bucket}/${key}`;
  const mock = mockClient(S3Client);
  mock.on(ListObjectsV2Command).callsFake((input) => {
    const prefix = `${input.Bucket}/${input.Prefix ?? ''}`;
    const contents = [...objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, o]) => ({ Key: k.slice(input.Bucket.length + 1), Size: o.body.length, LastModified: o.lastModified }));
    return { Contents: contents, IsTruncated: false };
  });
  mock.on(CopyObjectCommand).callsFake((input) => {
    const [bucket, ...rest] = String(input.CopySource).split('/');
    const source = objects.get(id(bucket, rest.map(decodeURIComponent).join('/')));
    if (!source) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    objects.set(id(input.Bucket, input.Key), { body: source.body, lastModified: new Date(clock.now()), metadata: input.Metadata, sse: input.ServerSideEncryption, kmsKey: input.SSEKMSKeyId });
    return {};
  });
  mock.on(DeleteObjectsCommand).callsFake((input) => {
    for (const o of input.Delete.Objects) objects.delete(id(input.Bucket, o.Key));
    return {};
  });
  mock.on(GetObjectCommand).callsFake((input) => {
    const o = objects.get(id(input.Bucket, input.Key));
    if (!o) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return { Body: { transformToString: async () => o.body } };
  });
  mock.on(PutObjectCommand).callsFake((input) => {
    objects.set(id(input.Bucket, input.Key), { body: String(input.Body), lastModified: new Date(clock.now()), sse: input.ServerSideEncryption, kmsKey: input.SSEKMSKeyId });
    return {};
  });
  return {
    mock,
    objects,
    put: (bucket: string, key: string, body: string, lastModified = new Date(clock.now())) => objects.set(id(bucket, key), { body, lastModified }),
    get: (bucket: string, key: string) => objects.get(id(bucket, key)),
    keys: (bucket: string, prefix = '') => [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1)).sort(),
    json: (bucket: string, key: string) => JSON.parse(objects.get(id(bucket, key))!.body),
  };
}

/** How the fake Athena answers one query. */
export interface QueryAnswer {
  /** States returned by successive GetQueryExecution calls; the last one repeats. @default ['SUCCEEDED'] */
  readonly states?: readonly string[];
  readonly rows?: ReadonlyArray<Record<string, string | null>>;
  readonly error?: { message: string; retryable?: boolean; category?: number };
}

export interface StartedQuery {
  readonly id: string;
  readonly sql: string;
  readonly workgroup?: string;
  readonly token?: string;
}

/**
 * A scripted Athena: `answer(sql, started)` decides each query's fate. A succeeded CTAS creates
 * its staging table in the fake catalog and writes `stagedFiles` under its location.
 */
export function fakeAthena(
  answer: (sql: string, index: number) => QueryAnswer,
  hooks: { onCtasSucceeded?: (table: string, location: string) => void; startFailures?: Error[] } = {},
) {
  const startFailures = [...(hooks.startFailures ?? [])];
  const mock = mockClient(AthenaClient);
  const started: StartedQuery[] = [];
  const byId = new Map<string, { sql: string; answer: QueryAnswer; polls: number }>();
  const byToken = new Map<string, string>();
  mock.on(StartQueryExecutionCommand).callsFake((input) => {
    const failure = startFailures.shift();
    if (failure) throw failure;
    if (input.ClientRequestToken && byToken.has(input.ClientRequestToken)) return { QueryExecutionId: byToken.get(input.ClientRequestToken) };
    const id = `q${started.length + 1}`;
    started.push({ id, sql: input.QueryString, workgroup: input.WorkGroup, token: input.ClientRequestToken });
    byId.set(id, { sql: input.QueryString, answer: answer(input.QueryString, started.length - 1), polls: 0 });
    if (input.ClientRequestToken) byToken.set(input.ClientRequestToken, id);
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).callsFake((input) => {
    const q = byId.get(input.QueryExecutionId)!;
    const states = q.answer.error ? ['FAILED'] : q.answer.states ?? ['SUCCEEDED'];
    const state = states[Math.min(q.polls, states.length - 1)];
    q.polls++;
    const execution: QueryExecution = { QueryExecutionId: input.QueryExecutionId, Status: { State: state as any }, Statistics: { DataScannedInBytes: 1024, EngineExecutionTimeInMillis: 900 } };
    if (state === 'FAILED' && q.answer.error) {
      execution.Status!.StateChangeReason = q.answer.error.message;
      execution.Status!.AthenaError = { ErrorCategory: q.answer.error.category ?? 2, ErrorType: 1, Retryable: q.answer.error.retryable ?? false, ErrorMessage: q.answer.error.message };
    }
    if (state === 'SUCCEEDED' && q.polls === states.length && /^CREATE TABLE (\S+)\.(\S+)/.test(q.sql)) {
      const table = /^CREATE TABLE (\S+)\.(\S+)/.exec(q.sql)![2];
      hooks.onCtasSucceeded?.(table, `s3://${RESULTS_BUCKET}/${WORKGROUP}/tables/${input.QueryExecutionId}/`);
    }
    return { QueryExecution: execution };
  });
  mock.on(GetQueryResultsCommand).callsFake((input) => {
    const q = byId.get(input.QueryExecutionId)!;
    const rows = q.answer.rows ?? [];
    const names = rows.length > 0 ? Object.keys(rows[0]) : ['x'];
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: names.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: [{ Data: names.map((n) => ({ VarCharValue: n })) }, ...rows.map((r) => ({ Data: names.map((n) => (r[n] === null ? {} : { VarCharValue: r[n]! })) }))],
      },
    };
  });
  mock.on(StopQueryExecutionCommand).resolves({});
  return { mock, started };
}

/** Answers the checks of a clean run: a row count, and no failing row for any assertion. */
export function passingChecks(rows = 2): (sql: string) => QueryAnswer {
  return (sql) => (sql.startsWith('SELECT COUNT(*) AS row_count') ? { rows: [{ row_count: String(rows) }] } : { rows: [] });
}

/** A Glue catalog with the model tables; staging tables come and go. */
export function fakeGlue(specs: readonly ModelSpec[], clock: FakeClock) {
  const mock = mockClient(GlueClient);
  const tables = new Map<string, { location?: string; parameters: Record<string, string>; createTime: Date }>();
  for (const s of specs) tables.set(s.name, { location: `s3://${CURATED_BUCKET}/sales/${s.name}/`, parameters: { [MODEL_SPEC_PARAMETER]: serialiseModelSpec(s) }, createTime: new Date(0) });
  mock.on(GetTableCommand).callsFake((input) => {
    const t = tables.get(input.Name);
    if (!t) throw Object.assign(new Error(`Table ${input.Name} not found`), { name: 'EntityNotFoundException' });
    return { Table: { Name: input.Name, DatabaseName: input.DatabaseName, StorageDescriptor: { Location: t.location }, Parameters: t.parameters, CreateTime: t.createTime } };
  });
  mock.on(DeleteTableCommand).callsFake((input) => {
    if (!tables.delete(input.Name)) throw Object.assign(new Error('not found'), { name: 'EntityNotFoundException' });
    return {};
  });
  mock.on(GetTablesCommand).callsFake((input) => {
    const re = new RegExp(`^${input.Expression}$`);
    return { TableList: [...tables.entries()].filter(([n]) => re.test(n)).map(([Name, t]) => ({ Name, CreateTime: t.createTime, Parameters: t.parameters })) };
  });
  return {
    mock,
    tables,
    /** Registers a staging table as a succeeded CTAS would. */
    createStaging: (name: string, location: string) => tables.set(name, { location, parameters: {}, createTime: new Date(clock.now()) }),
  };
}
