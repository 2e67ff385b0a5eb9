/**
 * The facade: the monitoring of whole platform building blocks in one call, with the environment's
 * options given once. Alarms are created under the scope passed in — pass the construct that owns
 * the resources, so they land in the same stack.
 *
 * Structural types (`MonitorableFunction`, `MonitorableTransform`, `MonitorableJanitor`) keep this
 * module free of imports from the constructs it watches, so those constructs can import it.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JANITOR_SERVICE_NAME } from '../../lambda/shared/metrics';
import {
  DatasetMonitoring,
  DeadLetterQueueMonitoring,
  FunctionMonitoring,
  IMonitor,
  JanitorMonitoring,
  MonitoringOptions,
  QueueMonitoring,
  WorkgroupMonitoring,
} from './alarms';
import { PLATFORM_DOMAIN } from './naming';

/** A function and its timeout, e.g. a `LakehouseFunction`. */
export interface MonitorableFunction {
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
}

/** The resources of one dataset transform, e.g. a `DatasetTransform`. */
export interface MonitorableTransform {
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly handler: MonitorableFunction;
}

/** The sandbox janitor's resources, e.g. a `SandboxJanitor`. */
export interface MonitorableJanitor {
  readonly handler: MonitorableFunction;
  readonly deadLetterQueue: sqs.IQueue;
}

export interface DatasetTransformMonitoringProps extends MonitoringOptions {
  readonly domain: string;
  readonly dataset: string;
  /** The dataset's freshness SLA, 1-744 h. */
  readonly freshnessSlaHours: number;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** Deliveries before a message is parked (`MAX_RECEIVE_COUNT`), quoted in the hints. */
  readonly maxReceiveCount: number;
  /**
   * The transform function. Leave unset when the function already monitors itself (a
   * `LakehouseFunction` given a `monitoring` prop), or its alarms would be created twice.
   * @default - no function alarms here
   */
  readonly handler?: MonitorableFunction;
}

/**
 * One dataset's pipeline: the queue's age, the dead-letter queue, the dataset's quarantine ratio
 * and freshness, and — if `handler` is given — the transform function.
 */
export class DatasetTransformMonitoring extends Construct implements IMonitor {
  public readonly function?: FunctionMonitoring;
  public readonly queue: QueueMonitoring;
  public readonly deadLetterQueue: DeadLetterQueueMonitoring;
  public readonly dataset: DatasetMonitoring;
  public readonly alarms: cloudwatch.Alarm[];
  public readonly alarmNames: string[];

  constructor(scope: Construct, id: string, props: DatasetTransformMonitoringProps) {
    super(scope, id);
    const base = { environmentName: props.environmentName, alarmAction: props.alarmAction, thresholds: props.thresholds, domain: props.domain, dataset: props.dataset };
    if (props.handler) {
      this.function = new FunctionMonitoring(this, 'Function', { ...base, ...transformFunctionMonitoring(props.maxReceiveCount), function: props.handler.function, timeout: props.handler.timeout });
    }
    this.queue = new QueueMonitoring(this, 'Queue', {
      ...base,
      queue: props.queue,
      freshnessSlaHours: props.freshnessSlaHours,
      hint: `files are waiting for the transform: check its errors and throttles alarms; each file is retried ${props.maxReceiveCount}× before it is parked in the dead-letter queue`,
    });
    this.deadLetterQueue = new DeadLetterQueueMonitoring(this, 'DeadLetterQueue', {
      ...base,
      queue: props.deadLetterQueue,
      hint: `files failed ${props.maxReceiveCount} deliveries: find the S3 key in a parked message and the error in the transform's log group, fix the cause, then redrive the dead-letter queue to the queue`,
    });
    this.dataset = new DatasetMonitoring(this, 'Dataset', { ...base, freshnessSlaHours: props.freshnessSlaHours });
    const parts: IMonitor[] = [...(this.function ? [this.function] : []), this.queue, this.deadLetterQueue, this.dataset];
    this.alarms = parts.flatMap((p) => [...p.alarms]);
    this.alarmNames = parts.flatMap((p) => [...p.alarmNames]);
  }

  public widgets(): cloudwatch.IWidget[] {
    return [...this.dataset.widgets(), ...(this.function?.widgets() ?? []), ...this.queue.widgets(), ...this.deadLetterQueue.widgets()];
  }
}

/**
 * The label and errors hint of a transform function's alarms — for a `LakehouseFunction` that
 * monitors itself: `monitoring: { ...options, domain, dataset, ...transformFunctionMonitoring(MAX_RECEIVE_COUNT) }`.
 */
export function transformFunctionMonitoring(maxReceiveCount: number): { readonly label: string; readonly errorsHint: string } {
  return {
    label: 'transform',
    errorsHint: `search the transform's log group for level ERROR to find the failing file; messages are retried ${maxReceiveCount}× then parked in the dead-letter queue`,
  };
}

/**
 * The facade: holds the environment's options and creates the monitoring of each building block.
 * Every monitor it creates is kept, by domain, for the dashboards (`monitorsOf`).
 */
export class MonitoringFacade {
  private readonly byDomain = new Map<string, { title: string; monitor: IMonitor }[]>();

  constructor(public readonly options: MonitoringOptions) {}

  /** Errors, throttles and p99 duration of a function. */
  public monitorFunction(scope: Construct, id: string, fn: MonitorableFunction, subject: { domain: string; dataset: string; label?: string; errorsHint?: string }): FunctionMonitoring {
    return this.keep(subject.domain, `${subject.dataset} ${subject.label ?? 'function'}`, new FunctionMonitoring(scope, id, { ...this.options, ...subject, function: fn.function, timeout: fn.timeout }));
  }

  /** Queue age (from the SLA), dead-letter queue, quarantine ratio, freshness and — unless `includeFunction` is false — the function. */
  public monitorDatasetTransform(
    scope: Construct,
    id: string,
    transform: MonitorableTransform,
    dataset: { domain: string; dataset: string; freshnessSlaHours: number; maxReceiveCount: number; includeFunction?: boolean },
  ): DatasetTransformMonitoring {
    const monitor = new DatasetTransformMonitoring(scope, id, {
      ...this.options,
      domain: dataset.domain,
      dataset: dataset.dataset,
      freshnessSlaHours: dataset.freshnessSlaHours,
      maxReceiveCount: dataset.maxReceiveCount,
      queue: transform.queue,
      deadLetterQueue: transform.deadLetterQueue,
      handler: dataset.includeFunction ?? true ? transform.handler : undefined,
    });
    return this.keep(dataset.domain, dataset.dataset, monitor);
  }

  /** Bytes scanned per day against the budget. */
  public monitorWorkgroup(scope: Construct, id: string, workgroup: { workgroupName: string }, dailyScanBudgetBytes: number): WorkgroupMonitoring {
    return this.keep(PLATFORM_DOMAIN, `Athena ${workgroup.workgroupName}`, new WorkgroupMonitoring(scope, id, { ...this.options, workgroupName: workgroup.workgroupName, dailyScanBudgetBytes }));
  }

  /** "Did not run", the dead-letter queue and — unless `includeFunction` is false — the janitor function. */
  public monitorSandboxJanitor(scope: Construct, id: string, janitor: MonitorableJanitor, options: { includeFunction?: boolean } = {}): JanitorMonitoring {
    const monitor = new JanitorMonitoring(scope, id, { ...this.options, deadLetterQueue: janitor.deadLetterQueue });
    if (options.includeFunction ?? true) {
      this.monitorFunction(monitor, 'Function', janitor.handler, { domain: PLATFORM_DOMAIN, dataset: JANITOR_SERVICE_NAME, label: 'function' });
    }
    return this.keep(PLATFORM_DOMAIN, 'Sandbox janitor', monitor);
  }

  /** The monitors created for a domain (`platform` for shared resources), with section titles, in creation order. */
  public monitorsOf(domain: string): readonly { readonly title: string; readonly monitor: IMonitor }[] {
    return [...(this.byDomain.get(domain) ?? [])];
  }

  private keep<T extends IMonitor>(domain: string, title: string, monitor: T): T {
    const list = this.byDomain.get(domain) ?? [];
    list.push({ title, monitor });
    this.byDomain.set(domain, list);
    return monitor;
  }
}
