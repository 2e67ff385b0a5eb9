import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LakehouseZones } from '../../../constructs/zones';
import { EXPIRING_ZONES, TAG_KEYS, ZONE_NAMES, ZONE_POLICIES, ZoneName } from '../../../lambda/shared/zones';
import { ENVIRONMENTS } from '../../../lib/config';
import { zonesStack } from '../../helpers/stacks';

function sorted(actions: string | string[]): string[] {
  return ([] as string[]).concat(actions).sort();
}

function bucketOf(stack: Stack, zones: LakehouseZones, zone: ZoneName): { logicalId: string; props: any; resource: any } {
  const logicalId = stack.getLogicalId(zones.zones[zone].bucket.node.defaultChild as any);
  const resource = Template.fromStack(stack).toJSON().Resources[logicalId];
  return { logicalId, props: resource.Properties, resource };
}

function policyStatementsOf(stack: Stack, zones: LakehouseZones, zone: ZoneName): any[] {
  const { logicalId } = bucketOf(stack, zones, zone);
  const policies = Template.fromStack(stack).findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: logicalId } } });
  const [policy] = Object.values(policies) as any[];
  return policy.Properties.PolicyDocument.Statement;
}

describe('LakehouseZones', () => {
  test('creates exactly the eight zones, each tagged with its zone name', () => {
    const { stack, zones } = zonesStack();
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 8);
    for (const zone of ZONE_NAMES) {
      const { props } = bucketOf(stack, zones, zone);
      expect(props.Tags).toEqual(expect.arrayContaining([{ Key: TAG_KEYS.zone, Value: zone }]));
    }
  });

  test('one customer-managed lake key with rotation, retained', () => {
    const { stack } = zonesStack();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/lakehouse-dev' });
  });

  test.each(ZONE_NAMES)('%s: all four public-access blocks, ACLs disabled, retained', (zone) => {
    const { stack, zones } = zonesStack();
    const { props, resource } = bucketOf(stack, zones, zone);
    expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  test.each(ZONE_NAMES)('%s: TLS-only and TLS >= 1.2 enforced by the bucket policy', (zone) => {
    const { stack, zones } = zonesStack();
    const statements = policyStatementsOf(stack, zones, zone);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    ]));
  });

  test.each(ZONE_NAMES)('%s: lifecycle aborts incomplete multipart uploads within 7 days', (zone) => {
    const { stack, zones } = zonesStack();
    const { props } = bucketOf(stack, zones, zone);
    expect(props.LifecycleConfiguration.Rules).toHaveLength(1);
    expect(props.LifecycleConfiguration.Rules[0]).toMatchObject({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } });
  });

  test.each(ZONE_NAMES.filter((z) => z !== 'access-logs'))('%s: server access logs go to access-logs under the zone prefix', (zone) => {
    const { stack, zones } = zonesStack();
    const { props } = bucketOf(stack, zones, zone);
    const logs = bucketOf(stack, zones, 'access-logs');
    expect(props.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs.logicalId }, LogFilePrefix: `${zone}/` });
  });

  test.each(ZONE_NAMES.filter((z) => z !== 'access-logs'))('%s: SSE-KMS with the lake key, bucket key on, puts without it denied', (zone) => {
    const { stack, zones } = zonesStack();
    const keyId = stack.getLogicalId(zones.key.node.defaultChild as any);
    const { props } = bucketOf(stack, zones, zone);
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
    ]);
    const statements = policyStatementsOf(stack, zones, zone);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'DenyPutsWithoutSseKms', Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }),
      expect.objectContaining({ Sid: 'DenyPutsWithAnotherKey', Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [keyId, 'Arn'] } } } }),
    ]));
  });

  test('access-logs uses SSE-S3, as server access logging requires, and admits the logging service', () => {
    const { stack, zones } = zonesStack();
    const { props } = bucketOf(stack, zones, 'access-logs');
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(props.LoggingConfiguration).toBeUndefined();
    const statements = policyStatementsOf(stack, zones, 'access-logs');
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
    ]));
  });

  test.each(ZONE_NAMES)('%s: versioning matches the zone policy, and versioned zones expire noncurrent versions', (zone) => {
    const { stack, zones } = zonesStack();
    const { props } = bucketOf(stack, zones, zone);
    const rule = props.LifecycleConfiguration.Rules[0];
    if (ZONE_POLICIES[zone].versioned) {
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: ENVIRONMENTS.dev.lifecycle[zone].noncurrentExpireAfterDays });
    } else {
      expect(props.VersioningConfiguration).toBeUndefined();
      expect(rule.NoncurrentVersionExpiration).toBeUndefined();
    }
  });

  test.each(EXPIRING_ZONES)('%s expires its objects', (zone) => {
    const { stack, zones } = zonesStack();
    const { props } = bucketOf(stack, zones, zone);
    expect(props.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(ENVIRONMENTS.dev.lifecycle[zone].expireAfterDays);
  });

  test('landing and raw age into cheaper classes; clean and curated into Intelligent-Tiering', () => {
    const { stack, zones } = zonesStack();
    expect(bucketOf(stack, zones, 'landing').props.LifecycleConfiguration.Rules[0].Transitions).toEqual([
      { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
      { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
    ]);
    expect(bucketOf(stack, zones, 'raw').props.LifecycleConfiguration.Rules[0].Transitions).toEqual([
      { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
      { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
      { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
    ]);
    for (const zone of ['clean', 'curated'] as const) {
      expect(bucketOf(stack, zones, zone).props.LifecycleConfiguration.Rules[0].Transitions).toEqual([{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }]);
    }
  });

  test('raw has Object Lock with the configured default retention', () => {
    const { stack, zones } = zonesStack({ rawObjectLock: { mode: 'COMPLIANCE', days: 400 } });
    const { props } = bucketOf(stack, zones, 'raw');
    expect(props.ObjectLockEnabled).toBe(true);
    expect(props.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } });
    for (const zone of ZONE_NAMES.filter((z) => z !== 'raw')) {
      expect(bucketOf(stack, zones, zone).props.ObjectLockEnabled).toBeUndefined();
    }
  });

  test('raw denies deletes, retention changes, governance bypass and overwrites to everyone', () => {
    const { stack, zones } = zonesStack();
    const statements = policyStatementsOf(stack, zones, 'raw');
    const deletes = statements.find((s) => s.Sid === 'DenyRawDeletesAndRetentionChanges');
    expect(deletes).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(sorted(deletes.Action)).toEqual(sorted(['s3:DeleteObject*', 's3:PutObjectRetention', 's3:BypassGovernanceRetention']));
    expect(deletes.Condition).toBeUndefined();
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'DenyRawOverwrites', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } }),
    ]));
  });

  test.each(['clean', 'curated'] as const)('%s denies data writes to every principal outside the pipeline path, in one fixed-size statement', (zone) => {
    const { stack, zones } = zonesStack();
    const deny = policyStatementsOf(stack, zones, zone).find((s) => s.Sid === 'DenyDataWritesExceptPipelineRoles');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/lakehouse/dev/pipeline/*']] } } },
    });
    expect(sorted(deny.Action)).toEqual(sorted(['s3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:BypassGovernanceRetention', 's3:ReplicateObject', 's3:ReplicateDelete']));
  });

  test.each(['landing', 'raw', 'sandbox', 'quarantine', 'query-results', 'access-logs'] as const)('%s has no pipeline-only deny', (zone) => {
    const { stack, zones } = zonesStack();
    expect(policyStatementsOf(stack, zones, zone).find((s) => s.Sid === 'DenyDataWritesExceptPipelineRoles')).toBeUndefined();
  });

  test.each(ZONE_NAMES)('%s: rule changes only through the CloudFormation execution role', (zone) => {
    const { stack, zones } = zonesStack();
    const deny = policyStatementsOf(stack, zones, zone).find((s) => s.Sid === 'DenyRuleChangesOutsideDeployment');
    expect(sorted(deny.Action)).toEqual(sorted(['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning']));
    expect(JSON.stringify(deny.Condition.ArnNotLike['aws:PrincipalArn'])).toContain(':role/cdk-hnb659fds-cfn-exec-role-');
  });

  test('destroy is possible only when asked, with a warning', () => {
    const { stack } = zonesStack({ removalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(stack);
    expect(Object.values(t.findResources('AWS::S3::Bucket')).every((b: any) => b.DeletionPolicy === 'Delete')).toBe(true);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('will be DELETED'));
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('scheduled for deletion'));
  });

  test('no destroy warning by default', () => {
    const { stack } = zonesStack();
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('DELETED'));
  });

  test('fails if the server-access-logs bucket-policy feature flag is off', () => {
    const stack = new Stack(new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': false } }), 'T');
    expect(() => new LakehouseZones(stack, 'Zones', { environmentName: 'dev', lifecycle: ENVIRONMENTS.dev.lifecycle, rawObjectLock: ENVIRONMENTS.dev.rawObjectLock }))
      .toThrow(/LH028.*T\/Zones.*serverAccessLogsUseBucketPolicy/);
  });
});

describe('LakeZone grants', () => {
  test('grantPipelineWrite: put and delete under the prefix only, with the key', () => {
    const { stack, zones } = zonesStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    zones.zones.clean.grantPipelineWrite(role, { prefix: 'sales' });
    const t = Template.fromStack(stack);
    const cleanId = stack.getLogicalId(zones.zones.clean.bucket.node.defaultChild as any);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Allow', Action: sorted(['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject']), Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [cleanId, 'Arn'] }, '/sales/*']] } }),
        Match.objectLike({ Effect: 'Allow', Action: sorted(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt']) }),
      ]) },
    });
  });

  test('grantIngest: put only, under its own prefix', () => {
    const { stack, zones } = zonesStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    zones.zones.raw.grantIngest(role, { prefix: 'partner_a/' });
    const doc = Template.fromStack(stack).toJSON();
    const policy: any = Object.values(doc.Resources).find((r: any) => r.Type === 'AWS::IAM::Policy');
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:AbortMultipartUpload', 'kms:GenerateDataKey']));
    expect(actions.filter((a: string) => a.startsWith('s3:Get') || a.startsWith('s3:Delete') || a === 'kms:Decrypt')).toEqual([]);
  });

  test('grantWorkspace: read, write and delete under the workspace prefix', () => {
    const { stack, zones } = zonesStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    zones.zones.sandbox.grantWorkspace(role, { prefix: 'team-a' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['team-a/*'] } } }),
      ]) },
    });
  });

  test.each([
    ['raw', 'grantPipelineWrite', /LH023/],
    ['curated', 'grantIngest', /LH024/],
    ['curated', 'grantWorkspace', /LH025/],
    ['clean', 'grantJanitor', /LH025/],
  ] as const)('fails if %s gets %s', (zone, method, error) => {
    const { stack, zones } = zonesStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => (zones.zones[zone] as any)[method](role, { prefix: 'x/' })).toThrow(error);
  });

  test.each(['/abs', 'a/*', '../up', ''])('fails if a grant prefix is %j', (prefix) => {
    const { stack, zones } = zonesStack();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => zones.zones.clean.grantPipelineWrite(role, { prefix })).toThrow(/LH027.*Test\/Zones\/clean.*Fix: use a prefix like/);
  });
});
