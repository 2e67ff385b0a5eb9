import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TRANSFORM_ENV } from '../../lambda/shared/contracts/transform-env';
import { LakehouseError } from '../errors';
import { objectCreatedPattern } from '../events';
import { LakehouseFunction, MAX_RECEIVE_COUNT, queueFedFunction } from '../functions';
import { DatasetTransformMonitoring, MonitoringOptions, transformFunctionMonitoring } from '../monitoring';
import { LakeZone } from '../zones';
import { DUCKDB_MODULES } from './duckdb-layer';

export interface DatasetTransformProps {
  readonly domain: string;
  readonly dataset: string;
  /** Where files arrive: objects created under `<domain>/<dataset>/` trigger the transform. */
  readonly raw: LakeZone;
  readonly clean: LakeZone;
  readonly quarantine: LakeZone;
  /** The domain's clean-stage pipeline role; grants are made by the domain, not here. */
  readonly role: iam.IRole;
  /** Glue database and table the function reads the contract from. */
  readonly glueDatabase: string;
  readonly glueTable: string;
  /** Key of the queues (EventBridge must be able to use it). */
  readonly queueKey: kms.IKey;
  /** The lake key: outputs are SSE-KMS with it. */
  readonly lakeKey: kms.IKey;
  readonly duckDbLayer: lambda.ILayerVersion;
  readonly logRetention: logs.RetentionDays;
  /** @default 2048 */
  readonly memorySize?: number;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** Concurrent function instances the queue may drive (SQS maximum concurrency, ≥ 2). @default 5 */
  readonly maxConcurrency?: number;
  /** @default 5 */
  readonly batchSize?: number;
  /** The dataset's freshness SLA in hours (`freshnessSlaHours` of its declaration): the queue-age and freshness alarms derive from it. */
  readonly freshnessSlaHours: number;
  /** Where this dataset's alarms go, and the environment's thresholds. */
  readonly monitoring: MonitoringOptions;
  /**
   * Objects larger than this many bytes are not sent to the function: the domain's big-file
   * route (Athena) takes them (`BigFileRoute` with the same threshold).
   * @default - every object comes to the function
   */
  readonly maxObjectBytes?: number;
  /**
   * The bus the rule lives on: the domain's own bus (`DomainEventBus`), which receives the raw
   * zone's "Object Created" events under `<domain>/`.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Where the dataset's files arrive in raw, each ending in `/`: one prefix per source
   * (`<domain>/<source>/<dataset>/`, lambda/shared/sources.ts).
   * @default - [`<domain>/<dataset>/`]
   */
  readonly rawPrefixes?: readonly string[];
  /**
   * The PII token key's secret: the function's environment names it (never its value); the domain
   * grants the role to read it (`PiiTokenKey.grantTokenize`).
   * @default - none: a contract with `pii: true` columns fails
   */
  readonly tokenSecret?: secretsmanager.ISecret;
}

/**
 * The transform of one dataset: S3 "Object Created" under `raw/<domain>/<dataset>/` (or each source's
 * `raw/<domain>/<source>/<dataset>/`) (an EventBridge
 * rule on the domain's bus) → an SQS queue (KMS, dead-letter queue after MAX_RECEIVE_COUNT deliveries, visibility 6× the
 * function timeout) → the transform function (partial batch failures, bounded concurrency).
 */
export class DatasetTransform extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly handler: LakehouseFunction;
  public readonly rule: events.Rule;
  /** Queue age, dead-letter queue, quarantine ratio and freshness alarms (the function's are `handler.monitoring`). */
  public readonly monitoring: DatasetTransformMonitoring;

  constructor(scope: Construct, id: string, props: DatasetTransformProps) {
    super(scope, id);
    if (props.maxObjectBytes !== undefined && (!Number.isInteger(props.maxObjectBytes) || props.maxObjectBytes < 1)) {
      throw new LakehouseError({ code: 'LH093', scope: this, value: props.maxObjectBytes, problem: 'maxObjectBytes must be a whole number of bytes ≥ 1', fix: 'pass the big-file threshold (bigFiles.thresholdBytes), or leave it unset' });
    }
    const fed = queueFedFunction(this, {
      functionId: 'Handler',
      function: {
        entry: path.join(__dirname, '..', '..', 'lambda', 'transform', 'handler.ts'),
        description: `Validates ${props.domain}/${props.dataset} arrivals, quarantines bad records, writes Parquet to clean`,
        serviceName: `transform-${props.domain}-${props.dataset}`,
        role: props.role,
        memorySize: props.memorySize ?? 2048,
        timeout: props.timeout ?? Duration.minutes(5),
        ephemeralStorageMiB: 4096,
        logRetention: props.logRetention,
        layers: [props.duckDbLayer],
        externalModules: DUCKDB_MODULES,
        monitoring: { ...props.monitoring, domain: props.domain, dataset: props.dataset, ...transformFunctionMonitoring(MAX_RECEIVE_COUNT) },
        environment: TRANSFORM_ENV.environment({
          domain: props.domain,
          dataset: props.dataset,
          glueDatabase: props.glueDatabase,
          glueTable: props.glueTable,
          cleanBucket: props.clean.bucket.bucketName,
          quarantineBucket: props.quarantine.bucket.bucketName,
          kmsKeyArn: props.lakeKey.keyArn,
          tokenSecretArn: props.tokenSecret?.secretArn,
        }),
      },
      encryptionKey: props.queueKey,
      batchSize: props.batchSize ?? 5,
      maxConcurrency: props.maxConcurrency,
      monitoring: ({ queue, deadLetterQueue }) =>
        new DatasetTransformMonitoring(this, 'Monitoring', {
          ...props.monitoring,
          domain: props.domain,
          dataset: props.dataset,
          freshnessSlaHours: props.freshnessSlaHours,
          queue,
          deadLetterQueue,
          maxReceiveCount: MAX_RECEIVE_COUNT,
          // no `handler`: the function monitors itself (LakehouseFunction `monitoring`)
        }),
    });
    this.deadLetterQueue = fed.deadLetterQueue;
    this.handler = fed.handler;
    this.queue = fed.queue;
    this.monitoring = fed.monitoring;
    this.rule = new events.Rule(this, 'ObjectCreated', {
      eventBus: props.eventBus,
      description: `Raw files of ${props.domain}/${props.dataset} arrive`,
      eventPattern: objectCreatedPattern({ buckets: [props.raw.bucket], prefixes: props.rawPrefixes ?? [`${props.domain}/${props.dataset}/`], sizeAtMost: props.maxObjectBytes }),
      // Events EventBridge cannot deliver (after its retries) are parked in the dataset's dead-letter queue.
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }
}
