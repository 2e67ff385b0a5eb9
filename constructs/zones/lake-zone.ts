import { Annotations, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeFindings, inCompliancePacks } from '../acknowledge';
import { CLEAR_DATA_ZONES, FLOW_ORDER, PRODUCTION_ZONES, TAG_KEYS, ZONE_POLICIES, ZoneName, ZonePolicy, pipelinesWorkgroupName } from '../../lambda/shared/zones';
import { LakehouseError } from '../errors';
import { ZoneLifecycle, lifecycleRulesFor } from './lifecycle';
import {
  BUCKET_CONFIGURATION_ACTIONS,
  BUCKET_LIST_ACTIONS,
  CLEAR_DATA_READ_ACTIONS,
  KEY_DECRYPT_ACTIONS,
  KEY_ENCRYPT_ACTIONS,
  OBJECT_DELETE_ACTIONS,
  OBJECT_PUT_ACTIONS,
  OBJECT_READ_ACTIONS,
  PRODUCTION_WRITE_ACTIONS,
  RAW_DESTRUCTIVE_ACTIONS,
} from './perms';
import { pipelineRoleArnPattern, deploymentRoleArn, stewardRoleArnPattern } from './principals';

export interface ObjectLockSettings {
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly days: number;
}

export interface LakeZoneProps {
  /** The zone; decides versioning, encryption and lifecycle style (see `ZONE_POLICIES`). */
  readonly zone: ZoneName;
  /** The environment name; scopes the pipeline-role path matched by the default-deny statement. */
  readonly environmentName: string;
  /** Lifecycle days; validated against S3 minimums by the configuration check. */
  readonly lifecycle: ZoneLifecycle;
  /** The lake key. Required for every zone but `access-logs`, which uses SSE-S3. */
  readonly encryptionKey?: kms.IKey;
  /** Where server access logs go; unset only for the `access-logs` zone itself. */
  readonly accessLogsBucket?: s3.IBucket;
  /** Object Lock default retention; used by the `raw` zone only, which requires it. */
  readonly objectLock?: ObjectLockSettings;
  /** Qualifier of the CDK bootstrap whose CloudFormation execution role may change the bucket's rules. */
  readonly bootstrapQualifier: string;
  /**
   * What happens to the bucket when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A grant on a key prefix of a zone. */
export interface ZonePrefixGrantOptions {
  /** Key prefix without leading slash, e.g. `sales/` (a trailing `/` is added when missing). */
  readonly prefix: string;
}

/**
 * One storage zone: a bucket that is secure by construction (public access blocked, TLS ≥ 1.2
 * only, ACLs off, access-logged, lifecycle-managed, SSE-KMS with the lake key and bucket keys,
 * RETAIN by default) with the zone's access policy expressed as intent-named grants.
 *
 * Nothing here can be switched off by props: encryption, TLS, public-access blocking and
 * lifecycle rules are not options.
 */
export class LakeZone extends Construct {
  public readonly zone: ZoneName;
  public readonly bucket: s3.Bucket;
  /** The lake key for SSE-KMS zones; undefined for `access-logs` (SSE-S3). */
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: LakeZoneProps) {
    super(scope, id);
    const policy = ZONE_POLICIES[props.zone];
    this.zone = props.zone;

    // Encryption decision: every zone uses the lake key (SSE-KMS, bucket keys on), except
    // access-logs, where S3 server access logging requires SSE-S3.
    if (policy.encryption === 'kms' && !props.encryptionKey) {
      throw new LakehouseError({ code: 'LH020', scope: this, value: props.zone, problem: 'this zone is SSE-KMS and needs the lake key', fix: 'pass encryptionKey' });
    }
    if (props.zone !== 'access-logs' && !props.accessLogsBucket) {
      throw new LakehouseError({ code: 'LH021', scope: this, value: props.zone, problem: 'every zone but access-logs writes server access logs', fix: 'pass accessLogsBucket' });
    }
    if (props.zone === 'raw' && !props.objectLock) {
      throw new LakehouseError({ code: 'LH022', scope: this, value: props.zone, problem: 'the raw zone is immutable and needs an Object Lock default retention', fix: 'pass objectLock { mode, days }' });
    }
    this.encryptionKey = policy.encryption === 'kms' ? props.encryptionKey : undefined;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: this.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: this.encryptionKey ? true : undefined,
      versioned: policy.versioned,
      objectLockEnabled: props.zone === 'raw' ? true : undefined,
      objectLockDefaultRetention:
        props.zone === 'raw' && props.objectLock
          ? props.objectLock.mode === 'COMPLIANCE'
            ? s3.ObjectLockRetention.compliance(Duration.days(props.objectLock.days))
            : s3.ObjectLockRetention.governance(Duration.days(props.objectLock.days))
          : undefined,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsBucket ? `${props.zone}/` : undefined,
      lifecycleRules: lifecycleRulesFor(props.zone, props.lifecycle),
      removalPolicy,
    });
    Tags.of(this.bucket).add(TAG_KEYS.zone, props.zone);
    // Every zone sends its object events to EventBridge (Control Tower CT.S3.PR.4): arrivals in raw
    // trigger transforms, partitions landing in clean trigger curated models, and any zone's events
    // can be routed (audit, automation) without redeploying it. Events on the default bus that no
    // rule matches cost nothing. Set on the L1 resource: the L2's eventBridgeEnabled deploys a
    // notifications custom resource.
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.acknowledgeZoneDesign(policy);
    if (removalPolicy === RemovalPolicy.DESTROY) {
      Annotations.of(this).addWarningV2(
        'lakehouse:destroy-zone',
        `Zone ${props.zone} will be DELETED when removed from the stack (destroy flag set). Never set it for an environment holding data you need.`,
      );
    }

    const stack = Stack.of(this);
    const objects = this.bucket.arnForObjects('*');
    if (this.encryptionKey) {
      this.addDeny('DenyPutsWithoutSseKms', ['s3:PutObject'], [objects], {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      });
      this.addDeny('DenyPutsWithAnotherKey', ['s3:PutObject'], [objects], {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.encryptionKey.keyArn },
      });
    }
    if (PRODUCTION_ZONES.includes(props.zone)) {
      // Default-deny: one statement whose size does not grow with the number of domains. It
      // matches the environment's pipeline-role path, so it holds against a same-account admin
      // with Allow *:* and against roles created outside the app (at any other path).
      this.addDeny('DenyDataWritesExceptPipelineRoles', PRODUCTION_WRITE_ACTIONS, [objects], {
        ArnNotLike: { 'aws:PrincipalArn': pipelineRoleArnPattern(stack, props.environmentName) },
      });
    }
    if (CLEAR_DATA_ZONES.includes(props.zone)) {
      // Clear personal data: read only by the environment's pipeline roles and stewards. Fixed size:
      // two path patterns, never a list of roles; it holds against a same-account admin too.
      this.addDeny('DenyClearDataReadsExceptPipelinesAndStewards', CLEAR_DATA_READ_ACTIONS, [objects], {
        ArnNotLike: { 'aws:PrincipalArn': [pipelineRoleArnPattern(stack, props.environmentName), stewardRoleArnPattern(stack, props.environmentName)] },
      });
    }
    if (props.zone === 'query-results') {
      // The pipelines' results prefix holds clear data (the big-file route's staging records and the
      // rows its quarantine query returns): read only by the environment's pipeline roles. Fixed size.
      this.addDeny('DenyPipelineResultReadsExceptPipelineRoles', CLEAR_DATA_READ_ACTIONS, [this.bucket.arnForObjects(`${pipelinesWorkgroupName(props.environmentName)}/*`)], {
        ArnNotLike: { 'aws:PrincipalArn': pipelineRoleArnPattern(stack, props.environmentName) },
      });
    }
    if (props.zone === 'raw') {
      this.addDeny('DenyRawDeletesAndRetentionChanges', RAW_DESTRUCTIVE_ACTIONS, [objects]);
      this.addDeny('DenyRawOverwrites', ['s3:PutObject'], [objects], {
        Null: { 's3:if-none-match': 'true' },
      });
    }
    this.addDeny('DenyRuleChangesOutsideDeployment', BUCKET_CONFIGURATION_ACTIONS, [this.bucket.bucketArn], {
      ArnNotLike: { 'aws:PrincipalArn': deploymentRoleArn(stack, props.bootstrapQualifier) },
    });
  }

  /**
   * The controls the zone table contradicts on purpose, acknowledged on this zone's bucket: one
   * decision per control, made here once for every zone it applies to (Control Tower, and the same
   * control in the NIST 800-53 R5, HIPAA Security and PCI DSS packs where they check it).
   */
  private acknowledgeZoneDesign(policy: ZonePolicy): void {
    if (!policy.versioned) {
      acknowledge(this.bucket, {
        id: 'CT.S3.PR.11',
        sameControl: inCompliancePacks('S3BucketVersioningEnabled'),
        reason: 'Versioning is off on the expiring zones (sandbox, quarantine, query-results, access-logs; ZONE_POLICIES): they hold ad-hoc, derived or log objects that expire within days and are rewritten by reruns, so old versions would only add cost. A different design (versioning with a short noncurrent expiry) would satisfy it at the cost of storing every overwritten object.',
      });
    }
    if (policy.encryption === 's3') {
      acknowledge(this.bucket, {
        id: 'CT.S3.PR.10',
        sameControl: inCompliancePacks('S3DefaultEncryptionKMS'),
        reason: 'The access-logs zone is the target of S3 server access logging, which delivers only to buckets encrypted with SSE-S3; it holds request logs, not lake data.',
      });
    }
    if (this.zone === 'access-logs') {
      acknowledge(this.bucket, {
        id: 'CT.S3.PR.2',
        reason: 'The access-logs zone is where every other zone logs; logging it into itself would log its own log deliveries without end, and logging it elsewhere needs another bucket that is then unlogged.',
      });
    }
    if (this.zone !== 'raw') {
      acknowledge(this.bucket, {
        id: 'CT.S3.PR.9',
        reason: 'Only raw is immutable (Object Lock); the other zones are rewritten by reruns, expired by lifecycle rules or emptied by the janitor, which Object Lock retention would forbid.',
      });
    }
    acknowledge(this.bucket, {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      sameControl: inCompliancePacks('S3BucketReplicationEnabled').slice(1),
      reason: "Zones are not replicated to another region: the platform is deployed per region, and raw (versioned, Object Lock) is the replay source from which clean and curated are rebuilt. A different design (cross-region replication of each zone) would satisfy it at twice the storage and the transfer cost.",
    });
  }

  /** Position in the one-way flow (landing 0 … curated 3), or undefined for side zones. */
  public get flowIndex(): number | undefined {
    const i = FLOW_ORDER.indexOf(this.zone);
    return i < 0 ? undefined : i;
  }

  /** Read objects under a prefix (and list it), with the key's decrypt permission. */
  public grantReadPrefix(grantee: iam.IGrantable, options: ZonePrefixGrantOptions): iam.Grant {
    const prefix = this.normalisePrefix(options.prefix);
    return this.grant(grantee, OBJECT_READ_ACTIONS, [this.bucket.arnForObjects(`${prefix}*`)], KEY_DECRYPT_ACTIONS).combine(
      this.grantListPrefix(grantee, options),
    );
  }

  /** List the keys under a prefix, without reading the objects. */
  public grantListPrefix(grantee: iam.IGrantable, options: ZonePrefixGrantOptions): iam.Grant {
    const prefix = this.normalisePrefix(options.prefix);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: BUCKET_LIST_ACTIONS,
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
  }

  /** Read every object of the zone (analysts reading curated through Athena). */
  public grantReadAll(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [...OBJECT_READ_ACTIONS, ...BUCKET_LIST_ACTIONS], [this.bucket.bucketArn, this.bucket.arnForObjects('*')], KEY_DECRYPT_ACTIONS);
  }

  /**
   * A pipeline writes (and replaces) objects under its own prefix. On clean and curated only
   * roles at the pipeline path pass the bucket's default-deny.
   */
  public grantPipelineWrite(role: iam.IRole, options: ZonePrefixGrantOptions): iam.Grant {
    if (!['clean', 'curated', 'quarantine'].includes(this.zone)) {
      throw new LakehouseError({ code: 'LH023', scope: this, value: this.zone, problem: 'pipelines write only clean, curated and quarantine', fix: 'read from upstream zones with grantReadPrefix; ingest roles write landing and raw' });
    }
    const prefix = this.normalisePrefix(options.prefix);
    return this.grant(role, [...OBJECT_PUT_ACTIONS, ...OBJECT_DELETE_ACTIONS], [this.bucket.arnForObjects(`${prefix}*`)], [...KEY_ENCRYPT_ACTIONS, ...KEY_DECRYPT_ACTIONS]);
  }

  /** A source system or partner puts new objects under its own prefix of landing or raw; it reads nothing. */
  public grantIngest(role: iam.IRole, options: ZonePrefixGrantOptions): iam.Grant {
    if (this.zone !== 'landing' && this.zone !== 'raw') {
      throw new LakehouseError({ code: 'LH024', scope: this, value: this.zone, problem: 'ingest roles write only landing and raw', fix: 'grant ingest on the landing or raw zone' });
    }
    const prefix = this.normalisePrefix(options.prefix);
    return this.grant(role, OBJECT_PUT_ACTIONS, [this.bucket.arnForObjects(`${prefix}*`)], KEY_ENCRYPT_ACTIONS);
  }

  /** A team or user reads and writes its own sandbox workspace. */
  public grantWorkspace(grantee: iam.IGrantable, options: ZonePrefixGrantOptions): iam.Grant {
    if (this.zone !== 'sandbox') {
      throw new LakehouseError({ code: 'LH025', scope: this, value: this.zone, problem: 'workspaces exist only in the sandbox zone', fix: 'use the sandbox zone' });
    }
    const prefix = this.normalisePrefix(options.prefix);
    return this.grantReadPrefix(grantee, options).combine(
      this.grant(grantee, [...OBJECT_PUT_ACTIONS, ...OBJECT_DELETE_ACTIONS], [this.bucket.arnForObjects(`${prefix}*`)], KEY_ENCRYPT_ACTIONS),
    );
  }

  /** List the bucket and delete any object (the sandbox janitor). */
  public grantJanitor(grantee: iam.IGrantable): iam.Grant {
    if (this.zone !== 'sandbox') {
      throw new LakehouseError({ code: 'LH025', scope: this, value: this.zone, problem: 'the janitor only cleans the sandbox zone', fix: 'use the sandbox zone' });
    }
    return this.grant(grantee, BUCKET_LIST_ACTIONS, [this.bucket.bucketArn], []).combine(
      this.grant(grantee, OBJECT_DELETE_ACTIONS, [this.bucket.arnForObjects('*')], []),
    );
  }

  /** Write query results under a workgroup prefix (Athena writes as the caller). */
  public grantQueryResults(grantee: iam.IGrantable, options: ZonePrefixGrantOptions): iam.Grant {
    if (this.zone !== 'query-results') {
      throw new LakehouseError({ code: 'LH026', scope: this, value: this.zone, problem: 'query results go to the query-results zone', fix: 'use the query-results zone' });
    }
    const prefix = this.normalisePrefix(options.prefix);
    return this.grantReadPrefix(grantee, options).combine(
      this.grant(grantee, [...OBJECT_PUT_ACTIONS, 's3:GetBucketLocation', 's3:ListMultipartUploadParts'], [this.bucket.bucketArn, this.bucket.arnForObjects(`${prefix}*`)], KEY_ENCRYPT_ACTIONS),
    );
  }

  private grant(grantee: iam.IGrantable, actions: string[], resourceArns: string[], keyActions: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
    this.acknowledgeObjectWildcards(grantee, resourceArns);
    if (this.encryptionKey && keyActions.length > 0) {
      return grant.combine(this.encryptionKey.grant(grantee, ...keyActions));
    }
    return grant;
  }

  /**
   * Object ARNs name the objects under a prefix with a trailing wildcard (`<bucket>/<prefix>*`):
   * that is the least privilege S3 can express, so AwsSolutions-IAM5's finding for exactly that
   * shape is acknowledged on the grantee, for this zone's bucket and prefix only.
   */
  private acknowledgeObjectWildcards(grantee: iam.IGrantable, resourceArns: string[]): void {
    if (!Construct.isConstruct(grantee)) return;
    const stack = Stack.of(this);
    for (const arn of resourceArns) {
      const resolved = stack.resolve(arn);
      const parts = resolved?.['Fn::Join']?.[1];
      const suffix = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
      if (typeof suffix !== 'string' || !suffix.startsWith('/') || !suffix.endsWith('*')) continue;
      const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
      const escaped = suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      acknowledgeFindings(grantee, {
        id: 'AwsSolutions-IAM5',
        findings: new RegExp(`^Resource::(<${bucketId}\\.Arn>|[^<]*${bucketId}[^/]*)${escaped}$`),
        reason: 'S3 object permissions are scoped to one key prefix of one zone bucket; S3 needs the trailing wildcard to name the objects under a prefix.',
      });
    }
  }

  private addDeny(sid: string, actions: string[], resources: string[], conditions?: Record<string, Record<string, unknown>>): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions,
        resources,
        conditions,
      }),
    );
  }

  private normalisePrefix(prefix: string): string {
    if (!/^[A-Za-z0-9!_.*'()\-/=]+$/.test(prefix) || prefix.startsWith('/') || prefix.includes('*') || prefix.includes('..')) {
      throw new LakehouseError({ code: 'LH027', scope: this, value: prefix, problem: 'a grant prefix must be a plain key prefix (no leading slash, wildcard or ..)', fix: 'use a prefix like "sales/"' });
    }
    return prefix.endsWith('/') ? prefix : `${prefix}/`;
  }
}
