import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';

/** The key-policy statement that limits grant creation to AWS services (Control Tower CT.KMS.PR.3). */
export const DENY_GRANTS_SID = 'DenyGrantsExceptForAwsServices';
/** The key-policy statement that lets CloudWatch Logs of this account and region use the key. */
export const CLOUDWATCH_LOGS_SID = 'AllowCloudWatchLogsOfThisAccountAndRegion';
/** What CloudWatch Logs needs on a key to encrypt a log group with it (AWS CloudWatch Logs User Guide, "Encrypt log data"). */
export const CLOUDWATCH_LOGS_KEY_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];
/** The encryption-context key CloudWatch Logs sends: the log group's ARN. */
export const LOGS_ENCRYPTION_CONTEXT_KEY = 'kms:EncryptionContext:aws:logs:arn';
/** The id of the per-stack key every log group of the stack is encrypted with. */
export const LOGS_KEY_ID = 'LogsKey';

export interface LakehouseKeyProps {
  /** What the key encrypts, for the console. */
  readonly description: string;
  /** @default - no alias */
  readonly alias?: string;
  /**
   * What happens to the key when it leaves the stack.
   * @default RemovalPolicy.RETAIN (kms.Key's default)
   */
  readonly removalPolicy?: kms.KeyProps['removalPolicy'];
  /**
   * Waiting period before a removed key is deleted.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
}

/**
 * The platform's customer-managed key, secure by construction: automatic rotation on, a 30-day
 * deletion window by default, and a key-policy statement that denies `kms:CreateGrant` to every
 * principal unless the grant is for an AWS resource or the caller is an AWS service
 * (`kms:GrantIsForAWSResource` / `aws:PrincipalIsAWSService`, Control Tower CT.KMS.PR.3). Services
 * that integrate with KMS through grants still get theirs; nobody can hand out a grant directly.
 */
export class LakehouseKey extends kms.Key {
  /**
   * The stack's logs key: one per stack, made on first use, allowing CloudWatch Logs of the stack's
   * account and region. Every `LakehouseLogGroup` is encrypted with it. It lives in the log group's
   * own stack because Control Tower's CT.CLOUDWATCH.PR.3 accepts only a local reference (or a literal
   * ARN) as `KmsKeyId`.
   */
  public static logsKeyOf(scope: IConstruct): LakehouseKey {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(LOGS_KEY_ID);
    if (existing instanceof LakehouseKey) return existing;
    const key = new LakehouseKey(stack, LOGS_KEY_ID, { description: `${stack.stackName}: CloudWatch log groups` });
    key.grantCloudWatchLogs();
    return key;
  }

  private logsGrant?: iam.Grant;

  constructor(scope: Construct, id: string, props: LakehouseKeyProps) {
    super(scope, id, {
      description: props.description,
      alias: props.alias,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
    });
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: DENY_GRANTS_SID,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  }

  /**
   * Lets CloudWatch Logs of this stack's region (`logs.<region>.<url suffix>`) encrypt and decrypt
   * log data with the key, for log groups of this account and region only (the encryption context
   * `aws:logs:arn` names the log group). Idempotent.
   */
  public grantCloudWatchLogs(): iam.Grant {
    if (this.logsGrant) return this.logsGrant;
    const stack = Stack.of(this);
    const grantee = new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`);
    const conditions = {
      ArnLike: {
        [LOGS_ENCRYPTION_CONTEXT_KEY]: stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    };
    this.logsGrant = iam.Grant.addStatementToResourcePolicy({
      grantee,
      actions: CLOUDWATCH_LOGS_KEY_ACTIONS,
      resourceArns: ['*'],
      resource: this,
      statement: new iam.PolicyStatement({ sid: CLOUDWATCH_LOGS_SID, principals: [grantee], actions: CLOUDWATCH_LOGS_KEY_ACTIONS, resources: ['*'], conditions }),
    });
    return this.logsGrant;
  }
}
