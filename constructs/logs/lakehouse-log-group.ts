import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge';
import { LakehouseKey } from '../keys';

export interface LakehouseLogGroupProps {
  /** How long log events are kept: the environment's `logRetentionDays` (DataOps-LogGroupRetention bounds it). */
  readonly retention: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - a name CloudFormation generates */
  readonly logGroupName?: string;
}

/**
 * The platform's log group, secure by construction: encrypted with its stack's logs key
 * (`LakehouseKey.logsKeyOf`, whose policy lets CloudWatch Logs of this account and region use it),
 * an explicit retention, RETAIN by default. Its retention is shorter than the year Control Tower's
 * CT.CLOUDWATCH.PR.2 asks for, on purpose (acknowledged here, once).
 */
export class LakehouseLogGroup extends logs.LogGroup {
  /** The key the log group is encrypted with. */
  public readonly encryptionKey: LakehouseKey;

  constructor(scope: Construct, id: string, props: LakehouseLogGroupProps) {
    const encryptionKey = LakehouseKey.logsKeyOf(scope);
    super(scope, id, {
      retention: props.retention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      logGroupName: props.logGroupName,
      encryptionKey,
    });
    this.encryptionKey = encryptionKey;
    acknowledge(this, {
      id: 'CT.CLOUDWATCH.PR.2',
      reason: "Log retention is the environment's logRetentionDays (dev 30, prod 90 days), capped by maxLogRetentionDays (DataOps-LogGroupRetention): function logs serve operations, while the audit record is CloudTrail's. A different design (at least 365 days, the control's minimum) would satisfy it at 4 to 12 times the log storage cost.",
    });
  }
}
