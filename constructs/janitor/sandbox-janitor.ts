import * as path from 'path';
import { Duration, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { JANITOR_ENV } from '../../lambda/shared/contracts/janitor-env';
import { JANITOR_SERVICE_NAME } from '../../lambda/shared/metrics';
import { LakehouseError } from '../errors';
import { deadLetterQueue, grantQueueKeyToSender } from '../queues';
import { LakehouseFunction } from '../functions';
import { JanitorMonitoring, MonitoringOptions, PLATFORM_DOMAIN } from '../monitoring';
import { LAKEHOUSE_ROLE_TAG } from '../roles';
import { LakeZone } from '../zones';

export interface SandboxJanitorProps {
  /** The sandbox zone it cleans. */
  readonly sandbox: LakeZone;
  /** A workspace with no write for this many days is deleted. */
  readonly idleDays: number;
  readonly logRetention: logs.RetentionDays;
  /** Key for the dead-letter queue of failed scheduled invocations. */
  readonly encryptionKey: kms.IKey;
  /**
   * When it runs.
   * @default daily at 03:00 UTC
   */
  readonly schedule?: events.Schedule;
  /** Where the janitor's alarms go (function, did-not-run, dead-letter queue), and the thresholds. */
  readonly monitoring: MonitoringOptions;
}

/**
 * The sandbox janitor: a scheduled function that deletes sandbox workspaces nobody has written to
 * for `idleDays` days (lifecycle expiration counts age, not disuse; it stays as the hard cap).
 */
export class SandboxJanitor extends Construct {
  public readonly handler: LakehouseFunction;
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;
  /** "Did not run" and dead-letter queue alarms (the function's are `handler.monitoring`). */
  public readonly monitoring: JanitorMonitoring;

  constructor(scope: Construct, id: string, props: SandboxJanitorProps) {
    super(scope, id);
    if (props.sandbox.zone !== 'sandbox') {
      throw new LakehouseError({ code: 'LH070', scope: this, value: props.sandbox.zone, problem: 'the janitor cleans the sandbox zone only', fix: 'pass the sandbox zone' });
    }
    if (!Number.isInteger(props.idleDays) || props.idleDays < 1) {
      throw new LakehouseError({ code: 'LH071', scope: this, value: props.idleDays, problem: 'idleDays must be a whole number ≥ 1', fix: 'set idleDays, e.g. 14' });
    }
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Sandbox janitor: lists the sandbox and deletes idle workspaces',
    });
    Tags.of(role).add(LAKEHOUSE_ROLE_TAG, 'janitor');
    props.sandbox.grantJanitor(role);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', { encryptionKey: props.encryptionKey });
    // EventBridge must encrypt what it parks in the dead-letter queue.
    grantQueueKeyToSender(props.encryptionKey);
    this.handler = new LakehouseFunction(this, 'Handler', {
      entry: path.join(__dirname, '..', '..', 'lambda', 'janitor', 'handler.ts'),
      description: `Deletes sandbox workspaces idle for ${props.idleDays} days`,
      serviceName: JANITOR_SERVICE_NAME,
      role,
      memorySize: 256,
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      logRetention: props.logRetention,
      monitoring: { ...props.monitoring, domain: PLATFORM_DOMAIN, dataset: JANITOR_SERVICE_NAME },
      environment: JANITOR_ENV.environment({ bucket: props.sandbox.bucket.bucketName, idleDays: props.idleDays }),
    });
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the sandbox janitor',
      schedule: props.schedule ?? events.Schedule.cron({ minute: '0', hour: '3' }),
      targets: [new targets.LambdaFunction(this.handler.function, { retryAttempts: 2, maxEventAge: Duration.hours(6), deadLetterQueue: this.deadLetterQueue })],
    });
    this.monitoring = new JanitorMonitoring(this, 'Monitoring', { ...props.monitoring, deadLetterQueue: this.deadLetterQueue });
  }
}
