/**
 * The local lakehouse: the real transform handler code against an embedded S3 (s3rver) on
 * loopback, with zones kept under `<root>/.lakehouse/`.
 *
 * - s3rver stores its buckets under `.lakehouse/.s3/` (its own file layout);
 * - after each run the zone objects are mirrored as plain files to `.lakehouse/<zone>/<key>`,
 *   which `lakehouse query` and `lakehouse run-model` read with DuckDB;
 * - the local environment's PII token key is generated once into `.lakehouse/pii-token-key.json`
 *   (readable by its owner only), in the form of the deployed secret; clean holds its tokens.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AddressInfo } from 'net';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'crypto';
import { DatasetDefinition, DomainDefinition, contractOf } from '../../lambda/shared/dataset';
import { parseTokenSecret } from '../../lambda/shared/pipeline/tokens';
import type { TokenKeySource } from '../../lambda/shared/ports';
import { rawPrefixes, sourcesOfDataset } from '../../lambda/shared/sources';
import { S3ObjectStore } from '../../lambda/shared/aws/s3-object-store';
import { ProcessS3ObjectResult, processS3Object } from '../../lambda/transform/handler';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

export const LOCAL_DIR = '.lakehouse';
/** Local bucket names: one per zone the transform touches. */
export const LOCAL_BUCKETS = { raw: 'raw', clean: 'clean', quarantine: 'quarantine' } as const;

export interface LocalS3 {
  readonly client: S3Client;
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts s3rver on 127.0.0.1 (a free port) with the local zone buckets. */
export async function startLocalS3(root: string): Promise<LocalS3> {
  const directory = path.join(root, LOCAL_DIR, '.s3');
  fs.mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address: AddressInfo = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // Without this, SDK v3 streams bodies with aws-chunked encoding, which s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  for (const bucket of Object.values(LOCAL_BUCKETS)) {
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (e) {
      if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(String((e as Error).name))) throw e;
    }
  }
  return {
    client,
    endpoint,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

export interface LocalRunResult extends ProcessS3ObjectResult {
  /** Plain-file copies of the outputs, relative to the root. */
  readonly files: { readonly clean: string[]; readonly quarantine?: string };
}

export interface RunLocalOptions {
  /**
   * When the file arrived: the event time the function would get (a dataset partitioned by
   * arrival takes its UTC date). @default now
   */
  readonly arrivedAt?: Date;
  /**
   * The source that delivers the file (a domain with sources puts it under `<domain>/<source>/<dataset>/`).
   * @default - the dataset's first source
   */
  readonly source?: string;
}

/** The local PII token key's file under `.lakehouse/`. */
export const LOCAL_TOKEN_KEY_FILE = 'pii-token-key.json';

/**
 * The local environment's PII token key: `.lakehouse/pii-token-key.json`, generated on first use
 * (32 random bytes, mode 0600) as `{"generation": 1, "key": "…"}`, the deployed secret's form, and
 * kept, so reruns make the same tokens. Delete the file to rotate it (every local token changes).
 */
export function localTokenKeys(root: string): TokenKeySource {
  const file = path.join(root, LOCAL_DIR, LOCAL_TOKEN_KEY_FILE);
  return {
    get: async () => {
      if (!fs.existsSync(file)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        try {
          fs.writeFileSync(file, `${JSON.stringify({ generation: 1, key: randomBytes(32).toString('base64url') })}\n`, { mode: 0o600, flag: 'wx' });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
      return parseTokenSecret(fs.readFileSync(file, 'utf8'), path.relative(root, file));
    },
  };
}

/**
 * Puts `file` into local raw where its source would (`<domain>/<dataset>/<file name>`, or
 * `<domain>/<source>/<dataset>/<file name>` for a domain with sources: `source`, by default the
 * dataset's first) and runs the transform on it, exactly as the function does for an arrival; then
 * mirrors the outputs to `.lakehouse/<zone>/`.
 */
export async function runLocal(root: string, domain: DomainDefinition, dataset: DatasetDefinition, file: string, opts: RunLocalOptions = {}): Promise<LocalRunResult> {
  const { source } = opts;
  const sources = sourcesOfDataset(domain, dataset);
  const s3 = await startLocalS3(root);
  try {
    const prefixes = rawPrefixes(domain.name, dataset.name, source !== undefined ? [source] : sources.slice(0, 1));
    const key = `${prefixes[0]}${path.basename(file)}`;
    const body = fs.readFileSync(file);
    await s3.client.send(new PutObjectCommand({ Bucket: LOCAL_BUCKETS.raw, Key: key, Body: body, ContentLength: body.length }));
    mirror(root, 'raw', key, body);
    const contract = contractOf(domain.name, dataset, sources);
    const workDir = fs.mkdtempSync(path.join(root, LOCAL_DIR, '.work-'));
    try {
      const result = await processS3Object({
        deps: {
          config: {
            cleanBucket: LOCAL_BUCKETS.clean,
            quarantineBucket: LOCAL_BUCKETS.quarantine,
            glueDatabase: `${domain.name}_clean`,
            glueTable: dataset.name,
            domain: domain.name,
            dataset: dataset.name,
            workDir,
          },
          objects: new S3ObjectStore(s3.client),
          contracts: { get: async () => contract },
          tokenKeys: localTokenKeys(root),
        },
        contract,
        bucket: LOCAL_BUCKETS.raw,
        key,
        eventTime: (opts.arrivedAt ?? new Date()).toISOString(),
      });
      // What the run removed (outputs the source no longer has) leaves the mirror too.
      for (const gone of result.removed) fs.rmSync(path.join(root, LOCAL_DIR, gone.bucket, ...gone.key.split('/')), { force: true });
      const clean: string[] = [];
      for (const out of result.clean) clean.push(await download(root, s3.client, 'clean', out.key));
      const quarantine = result.quarantine ? await download(root, s3.client, 'quarantine', result.quarantine.key) : undefined;
      return { ...result, files: { clean, quarantine } };
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  } finally {
    await s3.close();
  }
}

/** Every key of a local bucket (for tests and diagnostics). */
export async function listLocal(client: S3Client, bucket: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function download(root: string, client: S3Client, bucket: string, key: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(await out.Body!.transformToByteArray());
  return mirror(root, bucket, key, bytes);
}

function mirror(root: string, zone: string, key: string, bytes: Buffer): string {
  const target = path.join(root, LOCAL_DIR, zone, ...key.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, bytes);
  return path.relative(root, target);
}
