import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BIG_FILE_TABLE_MARKER } from '../../lambda/shared/contracts/big-file-tables';
import { BIG_FILE_ENV } from '../../lambda/shared/contracts/bigfile-env';
import { acknowledgeFindings, acknowledgeUnscopableActions } from '../acknowledge';
import { LakeDatabase } from '../catalog';
import { LakehouseError } from '../errors';
import { objectCreatedPattern } from '../events';
import { LakehouseFunction } from '../functions';
import { LakehouseLogGroup } from '../logs';
import { DeadLetterQueueMonitoring, MonitoringOptions, StateMachineMonitoring } from '../monitoring';
import { deadLetterQueue } from '../queues';
import { LakeWorkgroup } from '../workgroups';
import { LakeZone } from '../zones';

/**
 * Glue actions on the run's temporary tables (`<dataset>__big_<run>_in|out` in the clean
 * database): the prepare step creates the input table, the CTAS creates the output table and its
 * partitions, the steps drop both.
 */
export const BIG_FILE_TABLE_ACTIONS = ['glue:CreateTable', 'glue:DeleteTable', 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:GetPartitions'];
/** The largest object size a rule can compare (EventBridge numeric matching is exact up to 2^53). */
const MAX_THRESHOLD = Number.MAX_SAFE_INTEGER;

export interface BigFileRouteProps {
  readonly domain: string;
  /** The domain's datasets: objects under `raw/<domain>/<dataset>/` above the threshold come here. */
  readonly datasets: readonly string[];
  /** Objects strictly larger than this many bytes take this route; the transform function takes the rest. */
  readonly thresholdBytes: number;
  readonly raw: LakeZone;
  readonly clean: LakeZone;
  readonly quarantine: LakeZone;
  /**
   * The domain's clean-stage pipeline role (the transform function's): the steps run as it, so
   * Athena reads and writes with it, and clean keeps one writer per domain. This construct grants
   * it Athena through `workgroup`, listing its clean prefix and the temporary tables.
   */
  readonly role: iam.IRole;
  /** The pipelines workgroup: the staging parts go under its results prefix, and the queries run in it. */
  readonly workgroup: LakeWorkgroup;
  /** `<domain>_clean`: holds the dataset tables (the contracts) and, briefly, the run's tables. */
  readonly cleanDatabase: LakeDatabase;
  /** The lake key: every object the steps write is SSE-KMS with it. */
  readonly lakeKey: kms.IKey;
  /** Key of the events dead-letter queue. */
  readonly queueKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Where the alarms go, and the thresholds. */
  readonly monitoring: MonitoringOptions;
  /** @default Duration.minutes(15) (Lambda's maximum: the prepare step streams the whole file) */
  readonly stepTimeout?: Duration;
  /** @default 2048 */
  readonly memorySize?: number;
  /** Reserved concurrency of the steps' function: at most this many steps of the domain's runs at once. @default 5 */
  readonly maxConcurrency?: number;
  /** A run taking longer is stopped (and alarms). @default Duration.hours(2) */
  readonly timeout?: Duration;
  /**
   * The bus the rule lives on: the domain's own bus (`DomainEventBus`).
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * The role EventBridge starts the state machine with: the platform's
   * `EventDeliveryRole.deliveryRole`, allowed `states:StartExecution` on `lakehouse-<env>-*`
   * (the state machine is `lakehouse-<env>-<domain>-big-files`). Taken as is: no grant is added.
   * @default - a role for this rule's target, created in this stack
   */
  readonly eventsRole?: iam.IRole;
  /** The domain's sources, when it declares them (raw keys `<domain>/<source>/<dataset>/…`). @default - none */
  readonly sources?: readonly string[];
  /**
   * Where the datasets' files arrive in raw, each ending in `/` (lambda/shared/sources.ts).
   * @default - `<domain>/<dataset>/` for each dataset
   */
  readonly rawPrefixes?: readonly string[];
  /**
   * The PII token key's secret: the function's environment names it (never its value); the
   * prepare step tokenizes with it.
   * @default - none: a contract with `pii: true` columns fails
   */
  readonly tokenSecret?: secretsmanager.ISecret;
}

/**
 * Raw files too big for the transform function: an EventBridge rule sends "Object Created"
 * events of objects above `thresholdBytes` under the domain's dataset prefixes to a state machine
 * (Standard) that runs one function in three steps — prepare (stream the file through the
 * function's first pass into JSON staging parts and a staging table), convert (Athena applies the
 * contract's rules, writes Parquet and the quarantine rows; the results are published at the
 * function's keys), and, when either fails, cleanup (drop the run's tables) before failing.
 * Retries with backoff on every step; alarms on failed, timed-out and aborted executions, on the
 * function and on the events dead-letter queue.
 */
export class BigFileRoute extends Construct {
  public readonly handler: LakehouseFunction;
  public readonly stateMachine: sfn.StateMachine;
  public readonly rule: events.Rule;
  /** Events EventBridge could not deliver to the state machine. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly stateMachineMonitoring: StateMachineMonitoring;
  public readonly deadLetterQueueMonitoring: DeadLetterQueueMonitoring;
  /** Where the staging parts go: `<results bucket>/<workgroup prefix>bigfile/`. */
  public readonly stagingPrefix: string;

  constructor(scope: Construct, id: string, props: BigFileRouteProps) {
    super(scope, id);
    if (!Number.isInteger(props.thresholdBytes) || props.thresholdBytes < 1 || props.thresholdBytes > MAX_THRESHOLD) {
      throw new LakehouseError({ code: 'LH091', scope: this, value: props.thresholdBytes, problem: 'the big-file threshold must be a whole number of bytes ≥ 1', fix: 'set bigFiles.thresholdBytes in the environment configuration' });
    }
    if (props.datasets.length === 0) {
      throw new LakehouseError({ code: 'LH092', scope: this, value: props.datasets, problem: 'a big-file route needs at least one dataset', fix: 'declare datasets in the domain file' });
    }
    this.stagingPrefix = `${props.workgroup.resultsPrefix}bigfile/`;
    // Alarm names: <env>-<domain>-big-files-<run|function|events-dlq>-…
    const subject = { ...props.monitoring, domain: props.domain, dataset: 'big-files' };

    // Events EventBridge cannot deliver, and (never expected) asynchronous invocations that fail.
    this.deadLetterQueue = deadLetterQueue(this, 'EventsDeadLetterQueue', { encryptionKey: props.queueKey });
    this.handler = new LakehouseFunction(this, 'Handler', {
      entry: path.join(__dirname, '..', '..', 'lambda', 'bigfile', 'handler.ts'),
      description: `${props.domain}: raw files above ${props.thresholdBytes} bytes, checked and converted on Athena (prepare, convert, cleanup)`,
      serviceName: `big-file-${props.domain}`,
      role: props.role,
      memorySize: props.memorySize ?? 2048,
      timeout: props.stepTimeout ?? Duration.minutes(15),
      // The quarantine rows are written to a local file before they are uploaded.
      ephemeralStorageMiB: 4096,
      logRetention: props.logRetention,
      // Runs of one domain at once; more wait in Step Functions' retries.
      reservedConcurrentExecutions: props.maxConcurrency ?? 5,
      deadLetterQueue: this.deadLetterQueue,
      monitoring: { ...subject, label: 'function', errorsHint: 'a big-file step failed: its state machine retries it; read the ERROR records in the log group' },
      environment: BIG_FILE_ENV.environment({
        domain: props.domain,
        datasets: props.datasets,
        cleanDatabase: props.cleanDatabase.databaseName,
        cleanBucket: props.clean.bucket.bucketName,
        quarantineBucket: props.quarantine.bucket.bucketName,
        stagingBucket: props.workgroup.resultsZone.bucket.bucketName,
        stagingPrefix: this.stagingPrefix,
        workgroup: props.workgroup.workgroupName,
        kmsKeyArn: props.lakeKey.keyArn,
        sources: props.sources && props.sources.length > 0 ? props.sources : undefined,
        tokenSecretArn: props.tokenSecret?.secretArn,
      }),
    });
    this.grantSteps(props);

    const step = (id: string, payload: Record<string, unknown>, resultPath: string | undefined) => {
      const task = new tasks.LambdaInvoke(this, id, {
        lambdaFunction: this.handler.function,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath,
        retryOnServiceExceptions: true,
      });
      // Athena and S3 hiccups, throttling, a step's own timeout: again, later.
      task.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 2, jitterStrategy: sfn.JitterType.FULL });
      return task;
    };
    const prepare = step('Prepare', { step: 'prepare', 'event.$': '$.event', 'runId.$': '$.runId' }, '$.job');
    const convert = step('Convert', { step: 'convert', 'job.$': '$.job' }, '$.result');
    const cleanup = step('Cleanup', { step: 'cleanup', 'event.$': '$.event', 'runId.$': '$.runId' }, sfn.JsonPath.DISCARD);
    const failed = new sfn.Fail(this, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    cleanup.next(failed);
    prepare.addCatch(cleanup, { resultPath: '$.error' });
    convert.addCatch(cleanup, { resultPath: '$.error' });
    const start = new sfn.Pass(this, 'Start', { parameters: { 'event.$': '$', 'runId.$': '$$.Execution.Name' } });
    const logGroup = new LakehouseLogGroup(this, 'StateMachineLogs', { retention: props.logRetention, logGroupName: `/aws/vendedlogs/states/lakehouse-${props.monitoring.environmentName}-${props.domain}-big-files` });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `lakehouse-${props.monitoring.environmentName}-${props.domain}-big-files`,
      comment: `${props.domain}: raw files above ${props.thresholdBytes} bytes, checked and converted on Athena`,
      definitionBody: sfn.DefinitionBody.fromChainable(start.next(prepare).next(convert).next(new sfn.Succeed(this, 'Published'))),
      timeout: props.timeout ?? Duration.hours(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // Logging and tracing: the log-delivery and X-Ray actions on "*". Otherwise the role may only invoke its one function.
    acknowledgeUnscopableActions(this.stateMachine.role);
    acknowledgeFindings(this.stateMachine.role, {
      id: 'AwsSolutions-IAM5',
      findings: /^Resource::<.*Handler.*\.Arn>:\*$/,
      reason: 'Step Functions invokes the big-file function by any version or alias (<function arn>:*), the form CDK grants for a LambdaInvoke task; it is that one function.',
    });

    this.rule = new events.Rule(this, 'BigObjectCreated', {
      eventBus: props.eventBus,
      description: `Raw files of ${props.domain} above ${props.thresholdBytes} bytes arrive`,
      eventPattern: objectCreatedPattern({ buckets: [props.raw.bucket], prefixes: props.rawPrefixes ?? props.datasets.map((d) => `${props.domain}/${d}/`), sizeAbove: props.thresholdBytes }),
      targets: [new targets.SfnStateMachine(this.stateMachine, { role: props.eventsRole, deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    this.stateMachineMonitoring = new StateMachineMonitoring(this, 'Monitoring', { ...subject, stateMachine: this.stateMachine, label: 'run' });
    this.deadLetterQueueMonitoring = new DeadLetterQueueMonitoring(this, 'DeadLetterQueueMonitoring', {
      ...subject,
      queue: this.deadLetterQueue,
      label: 'events-dlq',
      hint: 'EventBridge could not start the big-file state machine: check its role and the state machine, then start an execution with the parked event',
    });
  }

  /**
   * What the steps need beyond the role's transform grants (raw read, clean and quarantine write,
   * clean catalog read): Athena through the pipelines workgroup only (its results prefix, where the
   * staging parts go, included), listing its clean prefix, and the run's temporary tables.
   */
  private grantSteps(props: BigFileRouteProps): iam.Grant {
    const prefix = `${props.domain}/`;
    return props.workgroup
      .grantQuery(props.role)
      // Listing its clean prefix: the partition files of an earlier run of the same source, to remove the surplus.
      .combine(props.clean.grantListPrefix(props.role, { prefix }))
      .combine(
        props.cleanDatabase.grantTemporaryTables(props.role, {
          infix: BIG_FILE_TABLE_MARKER,
          actions: BIG_FILE_TABLE_ACTIONS,
        }),
      );
  }
}
