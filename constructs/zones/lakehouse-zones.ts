import { Annotations, Duration, FeatureFlags, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ZONE_NAMES, ZoneName } from '../../lambda/shared/zones';
import { LakehouseError } from '../errors';
import { LakehouseKey } from '../keys';
import { LakeZone, ObjectLockSettings } from './lake-zone';
import { ZoneLifecycle } from './lifecycle';

const SERVER_ACCESS_LOGS_POLICY_FLAG = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

export interface LakehouseZonesProps {
  /** The environment name (IAM paths, key alias). */
  readonly environmentName: string;
  /** Lifecycle days for each zone. */
  readonly lifecycle: Readonly<Record<ZoneName, ZoneLifecycle>>;
  /** Object Lock default retention of the raw zone. */
  readonly rawObjectLock: ObjectLockSettings;
  /**
   * Qualifier of the CDK bootstrap whose CloudFormation execution role may change zone rules.
   * @default 'hnb659fds'
   */
  readonly bootstrapQualifier?: string;
  /**
   * Removal policy of the buckets and the lake key. DESTROY is only for throw-away environments
   * and adds a synth warning.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The lake's storage: one customer-managed key (rotation on) and the eight zones, each a
 * secure-by-construction `LakeZone`. The zone policy itself lives in `lambda/shared/zones.ts`.
 */
export class LakehouseZones extends Construct {
  /** The lake key: encrypts every zone but access-logs, the catalog and Athena results. */
  public readonly key: LakehouseKey;
  public readonly zones: Readonly<Record<ZoneName, LakeZone>>;

  constructor(scope: Construct, id: string, props: LakehouseZonesProps) {
    super(scope, id);
    if (!FeatureFlags.of(this).isEnabled(SERVER_ACCESS_LOGS_POLICY_FLAG)) {
      // Without the flag, CDK grants log delivery through a bucket ACL, which BucketOwnerEnforced forbids.
      throw new LakehouseError({ code: 'LH028', scope: this, value: false, problem: `feature flag ${SERVER_ACCESS_LOGS_POLICY_FLAG} is off: access logs would need ACLs`, fix: `set "${SERVER_ACCESS_LOGS_POLICY_FLAG}": true in cdk.json context` });
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key = new LakehouseKey(this, 'LakeKey', {
      alias: `alias/lakehouse-${props.environmentName}`,
      description: `governed-lakehouse ${props.environmentName}: zones, catalog and query results`,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    if (removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2('lakehouse:destroy-key', 'The lake key will be scheduled for deletion when removed (destroy flag set): data encrypted with it becomes unreadable after 30 days.');
    }
    const common = {
      environmentName: props.environmentName,
      bootstrapQualifier: props.bootstrapQualifier ?? 'hnb659fds',
      removalPolicy,
    };
    const accessLogs = new LakeZone(this, 'access-logs', { ...common, zone: 'access-logs', lifecycle: props.lifecycle['access-logs'] });
    const zones: Partial<Record<ZoneName, LakeZone>> = { 'access-logs': accessLogs };
    for (const zone of ZONE_NAMES) {
      if (zone === 'access-logs') continue;
      zones[zone] = new LakeZone(this, zone, {
        ...common,
        zone,
        lifecycle: props.lifecycle[zone],
        encryptionKey: this.key,
        accessLogsBucket: accessLogs.bucket,
        objectLock: zone === 'raw' ? props.rawObjectLock : undefined,
      });
    }
    this.zones = zones as Record<ZoneName, LakeZone>;
  }

  public zone(name: ZoneName): LakeZone {
    return this.zones[name];
  }
}
