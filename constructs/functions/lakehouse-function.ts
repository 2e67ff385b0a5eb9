import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambda/shared/metrics';
import { acknowledge, acknowledgeUnscopableActions, inCompliancePacks } from '../acknowledge';
import { LakehouseError } from '../errors';
import { LakehouseLogGroup } from '../logs';
import { FunctionMonitoring, FunctionMonitoringOptions } from '../monitoring';

export interface LakehouseFunctionProps {
  /** Path of the handler's TypeScript file. */
  readonly entry: string;
  /** One line for the console. */
  readonly description: string;
  /** Powertools service name (logger `service`, metrics `service` dimension). */
  readonly serviceName: string;
  /** Log retention; the log group is declared (and KMS-encrypted), so CDK never leaves an unbounded one. */
  readonly logRetention: logs.RetentionDays;
  /** @default - a new role assumed by Lambda */
  readonly role?: iam.IRole;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency. Leave unset only when the event source bounds concurrency (SQS
   * `maxConcurrency`; DataOps-LambdaConcurrencyBounded fails synthesis otherwise).
   * @default - none
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default - none */
  readonly environment?: Record<string, string>;
  /** @default - none */
  readonly layers?: lambda.ILayerVersion[];
  /** Modules provided by a layer rather than bundled. @default - none */
  readonly externalModules?: string[];
  /** Ephemeral /tmp size. @default Size.mebibytes(512) */
  readonly ephemeralStorageMiB?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Where failed asynchronous invocations go. @default - none */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Alarms on errors, throttles and p99 duration (next to the function, same stack), and where they go. */
  readonly monitoring: FunctionMonitoringOptions;
}

/** Memory and timeout bounds the platform accepts. */
const MAX_MEMORY_MB = 10240;
const MAX_TIMEOUT_S = 900;

/**
 * The platform's Lambda function: Node.js 24 on arm64, bundled locally with esbuild (no Docker),
 * explicit memory and timeout, an explicit KMS-encrypted log group with retention, X-Ray tracing,
 * and the Powertools environment set once. It runs outside a VPC (acknowledged here, once).
 */
export class LakehouseFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: LakehouseLogGroup;
  public readonly timeout: Duration;
  /** Memory in MB (the cost estimate prices GB-seconds with it). */
  public readonly memorySize: number;
  public readonly monitoring: FunctionMonitoring;

  constructor(scope: Construct, id: string, props: LakehouseFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? 512;
    this.memorySize = memorySize;
    this.timeout = props.timeout ?? Duration.seconds(60);
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > MAX_MEMORY_MB) {
      throw new LakehouseError({ code: 'LH060', scope: this, value: memorySize, problem: `Lambda memory must be 128-${MAX_MEMORY_MB} MB`, fix: 'set memorySize within range' });
    }
    if (this.timeout.toSeconds() < 1 || this.timeout.toSeconds() > MAX_TIMEOUT_S) {
      throw new LakehouseError({ code: 'LH061', scope: this, value: this.timeout.toSeconds(), problem: `Lambda timeout must be 1-${MAX_TIMEOUT_S} s`, fix: 'set timeout within range' });
    }
    this.logGroup = new LakehouseLogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: this.timeout,
      role: props.role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      layers: props.layers,
      deadLetterQueue: props.deadLetterQueue,
      ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB ?? 512),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: nodejs.OutputFormat.CJS,
        // Bundle the AWS SDK too: the function runs the versions the tests ran.
        externalModules: props.externalModules ?? [],
        forceDockerBundling: false,
      },
    });
    // Active tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role: X-Ray has no
    // resource-level permissions.
    if (this.function.role && Construct.isConstruct(this.function.role)) acknowledgeUnscopableActions(this.function.role);
    acknowledge(this.function, {
      id: 'CT.LAMBDA.PR.3',
      sameControl: inCompliancePacks('LambdaInsideVPC'),
      reason: 'The functions call only AWS APIs (S3, Glue, Athena, SQS, CloudWatch, X-Ray, KMS) over TLS, under IAM, bucket and key policies the governance proof checks; there is no network resource to reach. A different design (private subnets with a VPC endpoint per service) would satisfy it, at the cost of interface endpoints in every AZ.',
    });
    if (props.reservedConcurrentExecutions === undefined) {
      acknowledge(this.function, {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        sameControl: inCompliancePacks('LambdaConcurrency').slice(1),
        reason: "Concurrency is bounded by the SQS event source's maximum concurrency (DataOps-LambdaConcurrencyBounded fails synthesis otherwise). A different design (reserved concurrency per function) would satisfy it, but would set aside account capacity for every dataset of every domain whether it runs or not.",
      });
    }
    if (props.role) {
      // A given role gets no AWSLambdaBasicExecutionRole: grant writing to this function's own log group only.
      this.logGroup.grantWrite(props.role);
    }
    this.monitoring = new FunctionMonitoring(this, 'Monitoring', { ...props.monitoring, function: this.function, timeout: this.timeout });
  }
}

