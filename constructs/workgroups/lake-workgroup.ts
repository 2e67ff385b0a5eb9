import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LakehouseError } from '../errors';
import { LakeZone } from '../zones/lake-zone';
import { ATHENA_QUERY_ACTIONS } from '../zones/perms';

/** Athena's smallest allowed per-query cutoff (10 MB). */
export const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;
/** Default per-query cutoff: 10 GiB. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
export const ATHENA_ENGINE_V3 = 'Athena engine version 3';

export interface LakeWorkgroupProps {
  /** Workgroup name, e.g. `lakehouse-dev-analysts`. */
  readonly workgroupName: string;
  /** One line for the console. */
  readonly description: string;
  /** The query-results zone; results go under `<workgroupName>/`. */
  readonly resultsZone: LakeZone;
  /** The lake key: results are SSE_KMS with it. */
  readonly encryptionKey: kms.IKey;
  /**
   * Per-query scan cutoff in bytes; a query scanning more is cancelled. Never unlimited.
   * @default 10 GiB (DEFAULT_BYTES_SCANNED_CUTOFF)
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Athena workgroup on engine v3 whose configuration is enforced: results under its own prefix
 * of the query-results zone, SSE_KMS with the lake key, CloudWatch metrics on and a per-query
 * scan cutoff. Users cannot override these settings per query.
 */
export class LakeWorkgroup extends Construct {
  public readonly workgroup: athena.CfnWorkGroup;
  public readonly workgroupName: string;
  public readonly workgroupArn: string;
  /** Key prefix of the results in the query-results zone. */
  public readonly resultsPrefix: string;
  /** The query-results zone its results go to. */
  public readonly resultsZone: LakeZone;

  constructor(scope: Construct, id: string, props: LakeWorkgroupProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9._-]{1,128}$/.test(props.workgroupName)) {
      throw new LakehouseError({ code: 'LH040', scope: this, value: props.workgroupName, problem: 'an Athena workgroup name is 1-128 letters, digits, . _ or -', fix: 'rename the workgroup' });
    }
    if (props.resultsZone.zone !== 'query-results') {
      throw new LakehouseError({ code: 'LH041', scope: this, value: props.resultsZone.zone, problem: 'workgroup results belong in the query-results zone', fix: 'pass the query-results zone as resultsZone' });
    }
    const cutoff = props.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF;
    if (!Token.isUnresolved(cutoff) && (!Number.isInteger(cutoff) || cutoff < MIN_BYTES_SCANNED_CUTOFF)) {
      throw new LakehouseError({ code: 'LH042', scope: this, value: cutoff, problem: `bytesScannedCutoffPerQuery must be a whole number ≥ ${MIN_BYTES_SCANNED_CUTOFF} (Athena's minimum)`, fix: 'set a cutoff such as 10 GiB (10737418240)' });
    }
    this.workgroupName = props.workgroupName;
    this.resultsPrefix = `${props.workgroupName}/`;
    this.resultsZone = props.resultsZone;
    this.workgroup = new athena.CfnWorkGroup(this, 'Resource', {
      name: props.workgroupName,
      description: props.description,
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        requesterPaysEnabled: false,
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_V3 },
        resultConfiguration: {
          outputLocation: props.resultsZone.bucket.s3UrlForObject(this.resultsPrefix),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
    this.workgroup.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.workgroupArn = Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workgroupName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /**
   * Run queries in this workgroup: Athena actions on this workgroup only, and read/write of the
   * workgroup's results prefix (with the key). Catalog read (`grantCatalogRead`,
   * `LakeDatabase.grantReadMetadata`) and data access (`LakeZone.grantReadAll` /
   * `grantReadPrefix`) are granted separately, per database and zone.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ATHENA_QUERY_ACTIONS, resourceArns: [this.workgroupArn] }).combine(
      this.resultsZone.grantQueryResults(grantee, { prefix: this.resultsPrefix }),
    );
  }
}
