import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MODEL_RUNNER_ENV } from '../../lambda/shared/contracts/models-env';
import { DomainDefinition } from '../../lambda/shared/dataset';
import { ModelDefinition, ModelFileError, ModelSpec, STAGING_TABLE_MARKER, resolveModel } from '../../lambda/shared/models';
import { LakeDatabase } from '../catalog';
import { LakehouseError } from '../errors';
import { MODELS_SCHEDULE_DETAIL_TYPE, SCHEDULE_EVENT_SOURCE, objectCreatedPattern } from '../events';
import { LakehouseFunction, MAX_RECEIVE_COUNT, queueFedFunction } from '../functions';
import { DeadLetterQueueMonitoring, MonitoringOptions, QueueMonitoring } from '../monitoring';
import { deadLetterQueue, grantQueueKeyToSender, grantQueueToSender } from '../queues';
import { LakeWorkgroup } from '../workgroups';
import { LakeZone } from '../zones';
import { curatedTableInput, modelParameterProblem } from './curated-table';

/** FIFO event source mappings take at most 10 messages per batch. */
export const FIFO_MAX_BATCH_SIZE = 10;

/**
 * Glue actions on the curated database's staging tables (`<model>__stg_*`): the CTAS creates
 * one, the runner drops it. Published tables are deployed by CloudFormation and never touched.
 */
export const STAGING_TABLE_ACTIONS = ['glue:CreateTable', 'glue:DeleteTable'];

export interface CuratedModelsProps {
  /** The domain whose models these are; inputs are resolved against its datasets. */
  readonly domain: DomainDefinition;
  /** The domain's parsed model files (`loadModelFiles(…)`); at least one. */
  readonly models: readonly ModelDefinition[];
  /**
   * The domain's curated pipeline role (a PipelineRole, assumable by Lambda): the runner runs as
   * it, so Athena reads and writes with it. This construct grants it what the runner needs.
   */
  readonly role: iam.IRole;
  /** The pipelines workgroup; the role may use Athena through it only. */
  readonly workgroup: LakeWorkgroup;
  /** Where inputs land: its "Object Created" events trigger runs. */
  readonly cleanZone: LakeZone;
  /** Where models publish, under `<domain>/`. */
  readonly curatedZone: LakeZone;
  /** `<domain>_curated`: holds one table per model and, briefly, staging tables. */
  readonly curatedDatabase: LakeDatabase;
  /** The lake key: published objects are SSE-KMS with it. */
  readonly lakeKey: kms.IKey;
  /** Key of the trigger queues (EventBridge is granted its use). */
  readonly queueKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * The bus the triggers' rules live on: the domain's own bus (`DomainEventBus`), which receives
   * the domain's clean "Object Created" events and the schedule's event.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * The role EventBridge Scheduler uses to put the schedule's event on `eventBus` (the platform's
   * `EventDeliveryRole.deliveryRole`, allowed `events:PutEvents` on the environment's buses). Taken
   * as is; this construct only lets it park undeliverable events in `deliveryDeadLetterQueue`
   * (the queue's and its key's resource policies).
   */
  readonly scheduleRole: iam.IRole;
  /**
   * The schedule group of the schedule (the environment's: the delivery role trusts only its schedules).
   * @default - the account's default schedule group
   */
  readonly scheduleGroup?: scheduler.IScheduleGroup;
  /**
   * When every model re-checks the last `lookbackDays` days and runs partitions whose inputs
   * changed since their last run (a safety net for missed events, and how a model change reaches
   * recent partitions). An EventBridge Scheduler schedule: scheduled rules exist only on the
   * default bus, which keeps one rule per domain.
   * @default scheduler.ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /** Days (UTC, today included) a scheduled run looks back. @default 3 */
  readonly lookbackDays?: number;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** Concurrent runner instances (SQS maximum concurrency; FIFO: at most one per model). @default 5 */
  readonly maxConcurrency?: number;
  /** Where the runner's and the queues' alarms go, and the thresholds. */
  readonly monitoring: MonitoringOptions;
}

/**
 * A domain's curated data products: one Glue table per SQL model (Parquet ZSTD, partition
 * projection) and the runner that keeps them current.
 *
 * Triggers, on `eventBus` (the domain's bus): per model, a rule on S3 "Object Created" in the clean
 * bucket under the model's input prefixes, and a rule on the domain's schedule event, which one
 * EventBridge Scheduler schedule per domain puts on the bus (`{source: lakehouse.scheduler,
 * detail: {domain}}`). Both send to one FIFO queue (KMS, dead-letter queue after
 * MAX_RECEIVE_COUNT deliveries, visibility 6× the runner's timeout) with the model as message
 * group, so runs of one model never overlap. Every delivery path retries and parks what it cannot
 * deliver in `deliveryDeadLetterQueue` (the rules' targets and the schedule), which alarms. The runner (arm64, explicit memory and
 * timeout, bounded by the event source's maximum concurrency, partial batch responses) runs each
 * model on Athena in the pipelines workgroup as the curated pipeline role.
 */
export class CuratedModels extends Construct {
  /** The resolved models, by name. */
  public readonly specs: Readonly<Record<string, ModelSpec>>;
  /** The curated Glue table of each model. */
  public readonly tables: Readonly<Record<string, glue.CfnTable>>;
  public readonly runner: LakehouseFunction;
  /** The FIFO trigger queue (one message group per model). */
  public readonly queue: sqs.Queue;
  /** Where the trigger queue parks messages after MAX_RECEIVE_COUNT failed deliveries (FIFO). */
  public readonly deadLetterQueue: sqs.Queue;
  /**
   * Where EventBridge parks events it could not deliver to the queue, Scheduler the schedule
   * events it could not put on the bus, and Lambda failed asynchronous invocations (all three
   * need a standard queue).
   */
  public readonly deliveryDeadLetterQueue: sqs.Queue;
  /** Per model: the rule on its inputs' "Object Created" events (on `eventBus`). */
  public readonly triggerRules: Readonly<Record<string, events.Rule>>;
  /** Per model: the rule on the domain's schedule event. */
  public readonly scheduleRules: Readonly<Record<string, events.Rule>>;
  /** The domain's schedule (EventBridge Scheduler): one event per period on `eventBus`. */
  public readonly schedule: scheduler.Schedule;
  public readonly queueMonitoring: QueueMonitoring;
  public readonly deadLetterQueueMonitoring: DeadLetterQueueMonitoring;
  public readonly deliveryDeadLetterQueueMonitoring: DeadLetterQueueMonitoring;

  constructor(scope: Construct, id: string, props: CuratedModelsProps) {
    super(scope, id);
    const domain = props.domain.name;
    if (props.cleanZone.zone !== 'clean' || props.curatedZone.zone !== 'curated') {
      throw new LakehouseError({ code: 'LH131', scope: this, value: [props.cleanZone.zone, props.curatedZone.zone], problem: 'models read the clean zone and publish to the curated zone', fix: 'pass zones.clean as cleanZone and zones.curated as curatedZone' });
    }
    if (props.models.length === 0) {
      throw new LakehouseError({ code: 'LH132', scope: this, value: [], problem: `domain ${domain} has no model`, fix: `add lib/domains/${domain}/<model>.sql, or create CuratedModels only for domains with models` });
    }
    const lookbackDays = props.lookbackDays ?? 3;
    if (!Number.isInteger(lookbackDays) || lookbackDays < 1 || lookbackDays > 31) {
      throw new LakehouseError({ code: 'LH133', scope: this, value: lookbackDays, problem: 'lookbackDays must be a whole number of days, 1-31', fix: 'set lookbackDays, e.g. 3' });
    }

    // Resolve every model against the domain; a bad one names its file and line.
    const specs: Record<string, ModelSpec> = {};
    for (const model of props.models) {
      if (specs[model.name]) {
        throw new LakehouseError({ code: 'LH135', scope: this, value: model.name, problem: `two models are named ${model.name}`, fix: 'give each model file its own name' });
      }
      let spec: ModelSpec;
      try {
        spec = resolveModel(model, props.domain);
      } catch (e) {
        if (!(e instanceof ModelFileError)) throw e;
        const [first] = e.problems;
        throw new LakehouseError({ code: 'LH130', scope: this, value: e.file, problem: `bad model file ${e.file}:${first.line}: ${first.problem}`, fix: first.fix });
      }
      const tooLarge = modelParameterProblem(spec);
      if (tooLarge) throw new LakehouseError({ code: 'LH136', scope: this, ...tooLarge });
      specs[model.name] = spec;
    }
    this.specs = specs;
    const names = Object.keys(specs).sort();

    // The tables.
    const tables: Record<string, glue.CfnTable> = {};
    for (const name of names) {
      const table = new glue.CfnTable(this, `Table-${name}`, {
        catalogId: Stack.of(this).account,
        databaseName: props.curatedDatabase.databaseName,
        tableInput: curatedTableInput(specs[name], props.domain.owner, props.curatedZone.bucket.bucketName),
      });
      table.addResourceDependency(props.curatedDatabase.database);
      tables[name] = table;
    }
    this.tables = tables;

    // What the runner's role may do.
    this.grantRunner(props);

    // Queue → runner.
    this.deliveryDeadLetterQueue = deadLetterQueue(this, 'DeliveryDeadLetterQueue', { encryptionKey: props.queueKey });
    const monitored = { ...props.monitoring, domain, dataset: 'curated-models' };
    const fed = queueFedFunction(this, {
      functionId: 'Runner',
      function: {
        entry: path.join(__dirname, '..', '..', 'lambda', 'models', 'handler.ts'),
        description: `Runs the curated SQL models of ${domain} on Athena: stage, check, publish`,
        serviceName: `curated-models-${domain}`,
        role: props.role,
        memorySize: props.memorySize ?? 256,
        timeout: props.timeout ?? Duration.minutes(5),
        logRetention: props.logRetention,
        monitoring: { ...monitored, label: 'runner' },
        environment: MODEL_RUNNER_ENV.environment({
          domain,
          database: props.curatedDatabase.databaseName,
          curatedBucket: props.curatedZone.bucket.bucketName,
          cleanBucket: props.cleanZone.bucket.bucketName,
          workgroup: props.workgroup.workgroupName,
          kmsKeyArn: props.lakeKey.keyArn,
          models: names,
          lookbackDays,
        }),
      },
      encryptionKey: props.queueKey,
      fifo: true,
      // A stray asynchronous invocation ends in the delivery dead-letter queue (Lambda takes no FIFO queue).
      functionDeadLetterQueue: this.deliveryDeadLetterQueue,
      batchSize: FIFO_MAX_BATCH_SIZE,
      maxConcurrency: props.maxConcurrency,
      monitoring: ({ queue, deadLetterQueue: parked }) => ({
        // Models run at least hourly (schedule); treat 24 h as their SLA: the queue alarms after 6 h.
        queue: new QueueMonitoring(this, 'QueueMonitoring', { ...monitored, queue, freshnessSlaHours: 24, hint: 'model runs are waiting: check the runner\'s errors and throttles alarms and the Athena workgroup' }),
        deadLetterQueue: new DeadLetterQueueMonitoring(this, 'DeadLetterQueueMonitoring', { ...monitored, queue: parked, hint: `a model run failed ${MAX_RECEIVE_COUNT} times: read the parked message (model, partition), the runner's log group, fix, then redrive` }),
      }),
    });
    this.deadLetterQueue = fed.deadLetterQueue;
    this.runner = fed.handler;
    this.queue = fed.queue;
    this.queueMonitoring = fed.monitoring.queue;
    this.deadLetterQueueMonitoring = fed.monitoring.deadLetterQueue;
    this.deliveryDeadLetterQueueMonitoring = new DeadLetterQueueMonitoring(this, 'DeliveryDeadLetterQueueMonitoring', {
      ...monitored,
      dataset: 'curated-models-delivery',
      queue: this.deliveryDeadLetterQueue,
      hint: 'EventBridge could not deliver a trigger, Scheduler could not put the schedule event on the domain bus, or the runner failed an asynchronous invocation: read the parked event, then send it again',
    });
    // EventBridge encrypts what it sends to the queues.
    grantQueueKeyToSender(props.queueKey);
    const target = (message: events.RuleTargetInput, model: string) =>
      new targets.SqsQueue(this.queue, {
        messageGroupId: model,
        message,
        // Events EventBridge cannot deliver (after its retries) are parked in the delivery dead-letter queue.
        deadLetterQueue: this.deliveryDeadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      });

    // The schedule: one event per period on the bus, for every model of the domain.
    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.grantScheduleDeadLetters(props.scheduleRole, props.queueKey);
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `${domain}: re-check the last ${lookbackDays} day(s) of every curated model`,
      schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
      scheduleGroup: props.scheduleGroup,
      target: new schedulerTargets.EventBridgePutEvents(
        { eventBus, source: SCHEDULE_EVENT_SOURCE, detailType: MODELS_SCHEDULE_DETAIL_TYPE, detail: scheduler.ScheduleTargetInput.fromObject({ domain }) },
        // Events Scheduler cannot put on the bus (after its retries) are parked in the delivery dead-letter queue.
        { role: props.scheduleRole, deadLetterQueue: this.deliveryDeadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) },
      ),
    });

    // Triggers, per model: its inputs landing in clean, and the domain's schedule event.
    const triggerRules: Record<string, events.Rule> = {};
    const scheduleRules: Record<string, events.Rule> = {};
    for (const name of names) {
      const spec = specs[name];
      triggerRules[name] = new events.Rule(this, `Inputs-${name}`, {
        eventBus,
        description: `Clean partitions of ${spec.inputs.map((i) => `${domain}/${i.dataset}`).join(', ')} land: run ${domain}/${name}`,
        eventPattern: objectCreatedPattern({ buckets: [props.cleanZone.bucket], prefixes: spec.inputs.map((i) => i.prefix) }),
        targets: [
          target(
            events.RuleTargetInput.fromObject({
              kind: 'object-created',
              model: name,
              bucket: events.EventField.fromPath('$.detail.bucket.name'),
              key: events.EventField.fromPath('$.detail.object.key'),
              time: events.EventField.time,
            }),
            name,
          ),
        ],
      });
      scheduleRules[name] = new events.Rule(this, `Schedule-${name}`, {
        eventBus,
        description: `Re-checks the last ${lookbackDays} day(s) of ${domain}/${name}`,
        eventPattern: { source: [SCHEDULE_EVENT_SOURCE], detailType: [MODELS_SCHEDULE_DETAIL_TYPE], detail: { domain: [domain] } },
        targets: [target(events.RuleTargetInput.fromObject({ kind: 'schedule', model: name, time: events.EventField.time }), name)],
      });
    }
    this.triggerRules = triggerRules;
    this.scheduleRules = scheduleRules;
  }

  /**
   * Scheduler parks what it cannot deliver as the schedule's role, which is the platform's and
   * takes no policy from here: the delivery dead-letter queue's policy and its key's policy let
   * that role send and encrypt.
   */
  private grantScheduleDeadLetters(role: iam.IRole, key: kms.IKey): iam.Grant {
    return grantQueueToSender(this.deliveryDeadLetterQueue, { sender: role, sid: 'SchedulerParksUndeliverableEvents' }).combine(
      grantQueueKeyToSender(key, { sender: role, sid: 'SchedulerEncryptsParkedEvents' }),
    );
  }

  /**
   * The runner's permissions: read clean/<domain>/; list, write and delete curated/<domain>/ (it
   * never reads curated objects: a role that writes curated must not read it, so the data flows
   * one way); query through the pipelines workgroup only (its results prefix included); read the
   * curated catalog; create and drop staging tables only.
   */
  private grantRunner(props: CuratedModelsProps): iam.Grant {
    const prefix = `${props.domain.name}/`;
    return props.cleanZone
      .grantReadPrefix(props.role, { prefix })
      // Listing, not reading: the partition's current files (to delete the surplus) and the run records.
      .combine(props.curatedZone.grantListPrefix(props.role, { prefix }))
      .combine(props.curatedZone.grantPipelineWrite(props.role, { prefix }))
      .combine(props.workgroup.grantQuery(props.role))
      .combine(props.curatedDatabase.grantReadMetadata(props.role))
      .combine(
        props.curatedDatabase.grantTemporaryTables(props.role, {
          infix: STAGING_TABLE_MARKER,
          actions: STAGING_TABLE_ACTIONS,
        }),
      );
  }
}
