/**
 * The DataOps cdk-nag pack: the lakehouse's own operational and governance rules.
 *
 * A cdk-nag 3 validation plugin: register it with `Validations.of(app).addPlugins(new DataOpsChecks(app,
 * props))`. Synthesis fails on ERROR-level findings only; warnings are printed and written to
 * `cdk.out/validation-report.json`. Each violation carries the rule's explanation as its `fix`, which CDK
 * prints as "Suggested fix". The rule list (ids, levels, causes, fixes) is {@link DATAOPS_RULES}; RULES.md
 * renders it and a test keeps the two equal.
 */
import type { CfnResource, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { LakehouseError } from '../../constructs/errors';
import { COST_ALLOCATION_TAG_KEYS } from '../../lambda/shared/zones';
import { withRenderCache } from './cfn';
import { errorsOnly } from './errors-only';
import * as rules from './rules';

/** The pack name: rule ids are `DataOps-<RuleName>`. */
export const DATAOPS_PACK_NAME = 'DataOps';

/** Athena's smallest allowed `BytesScannedCutoffPerQuery` (10 MB). */
export const ATHENA_MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

export interface DataOpsChecksProps extends NagPackProps {
  /**
   * The environment's maximum `BytesScannedCutoffPerQuery` for Athena workgroups, in bytes
   * (at least 10,000,000, Athena's minimum).
   */
  readonly maxBytesScannedCutoffPerQuery: number;

  /** The environment's maximum log retention, in days (`RetentionInDays` of every log group). */
  readonly maxLogRetentionDays: number;

  /**
   * The level of the alarm rules (DataOps-LambdaAlarm, DataOps-SQSAlarm).
   *
   * @default NagMessageLevel.WARN
   */
  readonly alarmRuleLevel?: NagMessageLevel;

  /**
   * The tag keys every taggable resource must carry (DataOps-CostAllocationTags).
   *
   * @default COST_ALLOCATION_TAG_KEYS (lambda/shared/zones.ts)
   */
  readonly costAllocationTagKeys?: readonly string[];
}

/** The environment values parameterised rules read. */
export interface DataOpsRuleOptions {
  readonly maxBytesScannedCutoffPerQuery: number;
  readonly maxLogRetentionDays: number;
  readonly costAllocationTagKeys: readonly string[];
}

/** A rule's level: fixed, or the pack's `alarmRuleLevel`. */
export type DataOpsRuleLevel = NagMessageLevel | 'alarmRuleLevel';

/** One rule of the pack. */
export interface DataOpsRule {
  /** The rule function; its name is the rule name (`DataOps-<name>`) and its file `rules/<area>/<name>.ts`. */
  readonly check: (node: CfnResource, options: DataOpsRuleOptions) => NagRuleResult;
  /** The folder under `lib/nag/rules/`. */
  readonly area: string;
  readonly level: DataOpsRuleLevel;
  /** The cause: printed as the finding's description. */
  readonly info: string;
  /** What to fix: printed as the finding's suggested fix. */
  readonly explanation: string;
}

const ERROR = NagMessageLevel.ERROR;

/** The pack's rules, in the order they are applied. */
export const DATAOPS_RULES: readonly DataOpsRule[] = [
  // Buckets
  {
    check: rules.S3LifecycleConfigured,
    area: 's3',
    level: ERROR,
    info: 'The S3 bucket has no enabled lifecycle rule.',
    explanation:
      'Add lifecycle rules to the bucket (tiering or expiration, abort of incomplete multipart uploads, expiration of noncurrent versions). Without them storage grows forever.',
  },
  {
    check: rules.S3AbortIncompleteMultipartUpload,
    area: 's3',
    level: ERROR,
    info: 'The S3 bucket does not abort incomplete multipart uploads within 7 days.',
    explanation:
      'Add an enabled lifecycle rule with no prefix, tag or size filter and abortIncompleteMultipartUploadAfter of 1 to 7 days (CloudFormation AbortIncompleteMultipartUpload.DaysAfterInitiation). Parts of abandoned uploads are billed but never listed.',
  },
  {
    check: rules.S3NoncurrentVersionExpiration,
    area: 's3',
    level: ERROR,
    info: 'The versioned S3 bucket does not expire noncurrent object versions.',
    explanation:
      'Add an enabled lifecycle rule with no prefix, tag or size filter and noncurrentVersionExpiration (CloudFormation NoncurrentVersionExpiration.NoncurrentDays). Otherwise every overwrite and delete keeps a billed copy forever.',
  },
  {
    check: rules.S3ExpiringZoneExpiration,
    area: 's3',
    level: ERROR,
    info: 'The bucket of an expiring zone (sandbox, quarantine, query-results, access-logs) does not expire objects.',
    explanation:
      "Add an enabled lifecycle rule with no prefix, tag or size filter and an expiration (CloudFormation ExpirationInDays) to the bucket; the zones that expire are EXPIRING_ZONES in lambda/shared/zones.ts. Ad-hoc and derived data must not accumulate.",
  },
  {
    check: rules.S3ZoneTag,
    area: 's3',
    level: ERROR,
    info: 'The S3 bucket has no lakehouse:zone tag naming a lakehouse zone.',
    explanation:
      "Tag the bucket with lakehouse:zone = one of ZONE_NAMES (lambda/shared/zones.ts), e.g. Tags.of(bucket).add('lakehouse:zone', 'raw'), or create it through the zones construct. The zone tag drives the lifecycle rules, the access proof and cost reports.",
  },
  // Athena
  {
    check: rules.AthenaWorkGroupEnforced,
    area: 'athena',
    level: ERROR,
    info: 'The Athena workgroup does not enforce its configuration.',
    explanation:
      'Set workGroupConfiguration.enforceWorkGroupConfiguration to true, so clients cannot override the result location, the result encryption or the scan limit.',
  },
  {
    check: rules.AthenaBytesScannedCutoff,
    area: 'athena',
    level: ERROR,
    info: "The Athena workgroup has no bytes-scanned cutoff per query, or one above the environment's maximum.",
    explanation:
      "Set workGroupConfiguration.bytesScannedCutoffPerQuery to at most the environment's maximum (the pack's maxBytesScannedCutoffPerQuery). Without it a runaway query scans, and bills, the whole lake.",
  },
  {
    check: rules.AthenaResultsEncryptedWithKms,
    area: 'athena',
    level: ERROR,
    info: 'The Athena workgroup does not encrypt query results with KMS.',
    explanation:
      "Set workGroupConfiguration.resultConfiguration.encryptionConfiguration to { encryptionOption: 'SSE_KMS' (or 'CSE_KMS'), kmsKey: <key ARN> }; with Athena-managed query results set managedQueryResultsConfiguration.encryptionConfiguration.kmsKey.",
  },
  {
    check: rules.AthenaCloudWatchMetrics,
    area: 'athena',
    level: ERROR,
    info: 'The Athena workgroup does not publish CloudWatch metrics.',
    explanation:
      'Set workGroupConfiguration.publishCloudWatchMetricsEnabled to true; the scan and failure alarms read these metrics.',
  },
  // Logs
  {
    check: rules.LogGroupRetention,
    area: 'logs',
    level: ERROR,
    info: "The log group has no retention, or a retention above the environment's maximum.",
    explanation:
      "Set retention (CloudFormation RetentionInDays) on the log group to at most the environment's maximum (the pack's maxLogRetentionDays). For a function, pass logGroup: new logs.LogGroup(this, ..., { retention }).",
  },
  {
    check: rules.LogGroupKmsEncryption,
    area: 'logs',
    level: ERROR,
    info: 'The log group is not encrypted with a KMS key CloudWatch Logs can use (no KmsKeyId, a key from another stack, or a key whose policy does not allow CloudWatch Logs).',
    explanation:
      "Create it as a LakehouseLogGroup (constructs/logs), which encrypts it with its stack's logs key; or set KmsKeyId to a literal key ARN or to a KMS key of the same stack (AWS Control Tower's CT.CLOUDWATCH.PR.3 accepts nothing else) whose key policy allows the principal logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* with a condition on kms:EncryptionContext:aws:logs:arn (LakehouseKey.grantCloudWatchLogs()).",
  },
  {
    check: rules.LambdaLogGroupDeclared,
    area: 'logs',
    level: ERROR,
    info: 'The Lambda function logs to a log group the app does not declare, which Lambda creates with infinite retention.',
    explanation:
      'Give the function a declared log group: pass logGroup: new logs.LogGroup(this, ..., { retention }) (LoggingConfig.LogGroup), or declare an AWS::Logs::LogGroup named /aws/lambda/<function name> in the same stack (the @aws-cdk/aws-lambda:useCdkManagedLogGroup flag does this for lambda.Function). For a CDK-internal provider function you cannot configure, acknowledge the rule on it with the reason.',
  },
  // Lambda
  {
    check: rules.LambdaArm64,
    area: 'lambda',
    level: ERROR,
    info: 'The Lambda function does not run on arm64.',
    explanation:
      'Set architecture: lambda.Architecture.ARM_64 (Graviton, cheaper per GB-second). If the code or a dependency needs x86_64, or the function is a CDK-internal provider, acknowledge DataOps-LambdaArm64 on that function with the reason.',
  },
  {
    check: rules.LambdaMemoryAndTimeout,
    area: 'lambda',
    level: ERROR,
    info: 'The Lambda function does not set both MemorySize and Timeout explicitly.',
    explanation:
      'Set memorySize and timeout on the function, sized from measurements; the defaults (128 MB, 3 s) are rarely right.',
  },
  {
    check: rules.LambdaConcurrencyBounded,
    area: 'lambda',
    level: ERROR,
    info: "The Lambda function's concurrency is not bounded.",
    explanation:
      'Set reservedConcurrentExecutions (at least 1) on the function, or set maxConcurrency (CloudFormation ScalingConfig.MaximumConcurrency) on every SQS event source mapping that invokes it. An unbounded function can take the account-wide concurrency and overload what it writes to.',
  },
  // SQS
  {
    check: rules.SQSKmsEncryption,
    area: 'sqs',
    level: ERROR,
    info: 'The SQS queue is not encrypted with a KMS key.',
    explanation:
      'Set encryption: sqs.QueueEncryption.KMS with encryptionMasterKey (CloudFormation KmsMasterKeyId). SQS-managed SSE is not enough: the key policy must control who can read the messages.',
  },
  {
    check: rules.SQSDeadLetterQueue,
    area: 'sqs',
    level: ERROR,
    info: 'The SQS queue has no dead-letter queue with maxReceiveCount between 1 and 10, and is not itself a dead-letter queue.',
    explanation:
      'Set deadLetterQueue: { queue: <dead-letter queue>, maxReceiveCount: <1 to 10> } on the queue. A queue that is the dead-letter target of another queue, SNS subscription, function, EventBridge rule target or Scheduler schedule in the same stack is exempt.',
  },
  {
    check: rules.SQSVisibilityTimeout,
    area: 'sqs',
    level: ERROR,
    info: 'The SQS queue visibility timeout is shorter than 6 times the timeout of the function that consumes it.',
    explanation:
      "Set the queue's visibilityTimeout to at least 6 times the consuming function's timeout (AWS guidance for Lambda event sources), or shorten the function's timeout. Otherwise messages reappear while still being processed and are handled twice.",
  },
  {
    check: rules.SQSReportBatchItemFailures,
    area: 'sqs',
    level: ERROR,
    info: 'The SQS event source mapping does not report batch item failures.',
    explanation:
      "Set reportBatchItemFailures: true on the SqsEventSource (CloudFormation FunctionResponseTypes: ['ReportBatchItemFailures']) and return batchItemFailures from the handler (Powertools BatchProcessor), so one bad record does not send the whole batch back.",
  },
  // Glue
  {
    check: rules.GlueCatalogEncryptionDeclared,
    area: 'glue',
    level: ERROR,
    info: "The Glue database's Data Catalog has no encryption settings declared in the app.",
    explanation:
      'Declare one glue.CfnDataCatalogEncryptionSettings (SSE-KMS) per account and region, in one stack of the same environment (the catalog setting is account-wide). If catalog encryption is managed outside this app, acknowledge the rule on the database with the reason.',
  },
  {
    check: rules.GlueCatalogEncryptionKms,
    area: 'glue',
    level: ERROR,
    info: 'The Glue Data Catalog encryption settings do not use SSE-KMS with a key, or do not encrypt connection passwords.',
    explanation:
      "Set encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: <key> } and connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: <key> }.",
  },
  {
    check: rules.GlueTableParameters,
    area: 'glue',
    level: ERROR,
    info: 'The Glue table is missing the owner or classification parameter (the finding names which).',
    explanation:
      'Set tableInput.parameters.owner (the owning team) and tableInput.parameters.classification (e.g. parquet, csv); the dataset declaration is the place to state both.',
  },
  {
    check: rules.GlueCrawlerSchedule,
    area: 'glue',
    level: ERROR,
    info: 'The Glue crawler has no schedule, or a schedule that runs more often than hourly.',
    explanation:
      'Set schedule.scheduleExpression to a cron(...) expression whose Minutes field is a single minute, e.g. cron(15 * * * ? *) or cron(0 2 * * ? *). Crawls are billed per DPU-hour and can change table schemas.',
  },
  {
    check: rules.GlueCrawlerRecrawlPolicy,
    area: 'glue',
    level: ERROR,
    info: 'The Glue crawler recrawls everything on every run.',
    explanation:
      'Set recrawlPolicy.recrawlBehavior to CRAWL_NEW_FOLDERS_ONLY, or CRAWL_EVENT_MODE with an S3 event queue.',
  },
  // Tags
  {
    check: rules.CostAllocationTags,
    area: 'tags',
    level: ERROR,
    info: 'The resource is missing a cost-allocation tag (the finding names the key).',
    explanation:
      "Tag the resource, or all resources at once with Tags.of(app).add(key, value) in bin/app.ts, with every cost-allocation key (the pack's costAllocationTagKeys, by default COST_ALLOCATION_TAG_KEYS in lambda/shared/zones.ts).",
  },
  // KMS
  {
    check: rules.KMSKeyRotation,
    area: 'kms',
    level: ERROR,
    info: 'The symmetric KMS key does not have automatic rotation enabled.',
    explanation: 'Set enableKeyRotation: true on the key.',
  },
  {
    check: rules.KMSGrantsForAwsServicesOnly,
    area: 'kms',
    level: ERROR,
    info: 'The KMS key policy does not limit grant creation to AWS services.',
    explanation:
      "Create the key as a LakehouseKey (constructs/keys), or add the statement AWS Control Tower's CT.KMS.PR.3 requires: Effect Deny, Principal {\"AWS\": \"*\"}, Action kms:CreateGrant, Resource *, Condition {\"BoolIfExists\": {\"kms:GrantIsForAWSResource\": \"false\", \"aws:PrincipalIsAWSService\": \"false\"}}. Services that integrate with KMS still create the grants they need; nobody else can hand out use of the key.",
  },
  {
    check: rules.KMSNoWildcardPrincipal,
    area: 'kms',
    level: ERROR,
    info: 'The KMS key policy allows a wildcard principal without a condition.',
    explanation:
      'Name the principals in the key policy statement (account root, roles), or add a Condition that narrows the wildcard (e.g. kms:CallerAccount with kms:ViaService, or aws:PrincipalOrgID).',
  },
  // IAM
  {
    check: rules.IAMNoWildcardAction,
    area: 'iam',
    level: ERROR,
    info: 'The IAM policy allows every action (Action * or *:*, or Allow with NotAction).',
    explanation:
      'Replace the wildcard with the actions needed, through the intent-named grant methods and their named action lists. The app never grants administrator-equivalent permissions.',
  },
  {
    check: rules.IAMResourceStarOnlyUnscopable,
    area: 'iam',
    level: ERROR,
    info: 'The IAM policy allows an action that supports resource-level permissions on Resource "*" (or with NotResource).',
    explanation:
      'Scope the statement to the resources it needs (grant methods name them by ARN). Only actions that support no resource-level permissions may use "*": X-Ray trace upload and sampling, and the CloudWatch Logs log-delivery APIs (UNSCOPABLE_ACTIONS); the acknowledgement of Resource::* covers those alone.',
  },
  {
    check: rules.IAMNoS3WildcardAction,
    area: 'iam',
    level: ERROR,
    info: 'The policy allows s3:*.',
    explanation:
      'Grant only the S3 actions needed, through the zone grant methods (e.g. grantRead, grantWrite) instead of s3:*; s3:* includes deleting objects and buckets and rewriting bucket policies.',
  },
  // Alarms
  {
    check: rules.LambdaAlarm,
    area: 'alarms',
    level: 'alarmRuleLevel',
    info: 'The Lambda function has no alarm with an alarm action.',
    explanation:
      'Add a CloudWatch alarm on a metric of this function (e.g. Errors or Throttles, dimension FunctionName) with an alarm action such as an SNS topic, in the same stack.',
  },
  {
    check: rules.SQSAlarm,
    area: 'alarms',
    level: 'alarmRuleLevel',
    info: 'The SQS queue has no alarm with an alarm action.',
    explanation:
      'Add a CloudWatch alarm on a metric of this queue (e.g. ApproximateAgeOfOldestMessage, or ApproximateNumberOfMessagesVisible > 0 for a dead-letter queue; dimension QueueName) with an alarm action such as an SNS topic, in the same stack.',
  },
];

/** The rule id of a rule: `DataOps-<RuleName>`. */
export function dataOpsRuleId(rule: DataOpsRule): string {
  return `${DATAOPS_PACK_NAME}-${rule.check.name}`;
}

/** The rule id a violation belongs to (`DataOps-X[finding]` → `DataOps-X`). */
export function baseRuleId(ruleName: string): string {
  const bracket = ruleName.indexOf('[');
  return bracket === -1 ? ruleName : ruleName.slice(0, bracket);
}

/**
 * The DataOps pack. Synthesis fails on its ERROR-level findings only.
 *
 * @example
 * Validations.of(app).addPlugins(new DataOpsChecks(app, {
 *   maxBytesScannedCutoffPerQuery: 10 * 1024 ** 3,
 *   maxLogRetentionDays: 90,
 * }));
 */
export class DataOpsChecks extends errorsOnly(NagPack) {
  public readonly name = DATAOPS_PACK_NAME;
  /** Every rule id of the pack (also reported to CDK as the plugin's rule ids). */
  public readonly ruleIds: string[];
  private readonly options: DataOpsRuleOptions;
  private readonly alarmRuleLevel: NagMessageLevel;
  private readonly explanations: ReadonlyMap<string, string>;

  constructor(scope: IConstruct | undefined, props: DataOpsChecksProps) {
    super(scope, props);
    this.packName = DATAOPS_PACK_NAME;
    validateProps(props);
    this.options = {
      maxBytesScannedCutoffPerQuery: props.maxBytesScannedCutoffPerQuery,
      maxLogRetentionDays: props.maxLogRetentionDays,
      costAllocationTagKeys: props.costAllocationTagKeys ?? COST_ALLOCATION_TAG_KEYS,
    };
    this.alarmRuleLevel = props.alarmRuleLevel ?? NagMessageLevel.WARN;
    this.ruleIds = DATAOPS_RULES.map(dataOpsRuleId);
    this.explanations = new Map(DATAOPS_RULES.map((r) => [dataOpsRuleId(r), r.explanation]));
  }

  /** Walks the tree once with rendered properties cached, and adds each rule's explanation as the fix. */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const report = withRenderCache(() => super.validateScope(scope));
    return {
      ...report,
      violations: report.violations.map(
        (v): PolicyViolation => ({ ...v, fix: v.fix ?? this.explanations.get(baseRuleId(v.ruleName)) }),
      ),
    };
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of DATAOPS_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.check.name,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level === 'alarmRuleLevel' ? this.alarmRuleLevel : rule.level,
        rule: (resource: CfnResource) => rule.check(resource, this.options),
        node,
      });
    }
  }
}

function validateProps(props: DataOpsChecksProps): void {
  if (!Number.isInteger(props.maxBytesScannedCutoffPerQuery) || props.maxBytesScannedCutoffPerQuery < ATHENA_MIN_BYTES_SCANNED_CUTOFF) {
    throw new LakehouseError({
      code: 'LH901',
      path: 'DataOpsChecks.maxBytesScannedCutoffPerQuery',
      value: props.maxBytesScannedCutoffPerQuery,
      problem: 'the maximum bytes scanned per query must be a whole number of bytes, at least Athena\'s minimum of 10,000,000',
      fix: 'pass the environment\'s limit in bytes, e.g. 10 * 1024 ** 3 for 10 GiB',
    });
  }
  if (!Number.isInteger(props.maxLogRetentionDays) || props.maxLogRetentionDays < 1) {
    throw new LakehouseError({
      code: 'LH902',
      path: 'DataOpsChecks.maxLogRetentionDays',
      value: props.maxLogRetentionDays,
      problem: 'the maximum log retention must be a whole number of days, at least 1',
      fix: 'pass the environment\'s maximum retention in days, e.g. 90',
    });
  }
  if (props.alarmRuleLevel !== undefined && !Object.values(NagMessageLevel).includes(props.alarmRuleLevel)) {
    throw new LakehouseError({
      code: 'LH903',
      path: 'DataOpsChecks.alarmRuleLevel',
      value: props.alarmRuleLevel,
      problem: 'the alarm rule level is not a NagMessageLevel',
      fix: 'pass NagMessageLevel.WARN or NagMessageLevel.ERROR',
    });
  }
  const keys = props.costAllocationTagKeys;
  if (keys !== undefined && (keys.length === 0 || keys.some((k) => typeof k !== 'string' || k.trim() === ''))) {
    throw new LakehouseError({
      code: 'LH904',
      path: 'DataOpsChecks.costAllocationTagKeys',
      value: keys,
      problem: 'the cost-allocation tag keys must be a non-empty list of non-empty keys',
      fix: 'omit the prop to use COST_ALLOCATION_TAG_KEYS, or list the keys',
    });
  }
}
