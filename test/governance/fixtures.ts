/**
 * Fixture lakehouse apps for the governance proof tests. The zone buckets carry the bucket
 * policies the zones construct renders (see the proof's brief); each option injects one fault.
 */
import { App, Aws, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { StackTemplate } from '../../lib/governance';

export interface FixtureOptions {
  /** How cross-stack references render. @default 'weak' (Fn::GetStackOutput) */
  readonly crossStackReferences?: 'weak' | 'strong';
  /** Drop DenyDataWritesExceptPipelineRoles from the curated bucket policy. */
  readonly curatedWithoutDeny?: boolean;
  /** Drop the raw deny on deletes and retention changes. */
  readonly rawWithoutDestructiveDeny?: boolean;
  /** Drop the raw deny on puts without If-None-Match. */
  readonly rawWithoutOverwriteDeny?: boolean;
  /** Grant the analyst role PutObject on curated. */
  readonly analystWritesCurated?: boolean;
  /** Create the analyst role at the pipeline path (tag still analyst). */
  readonly analystAtPipelinePath?: boolean;
  /** Add a role with Allow s3:* on *. */
  readonly wildcardRole?: boolean;
  /** Grant the sales pipeline PutObject on raw (upstream of clean, which it writes, and raw, which it reads). */
  readonly pipelineWritesRaw?: boolean;
  /** Add an operator role granted s3:BypassGovernanceRetention on raw objects. */
  readonly bypassGovernanceRole?: boolean;
  /** Grant the sales pipeline writes on all of clean instead of sales/. */
  readonly pipelineWritesWholeClean?: boolean;
  /** Grant the ingest role puts on all of landing instead of pos/. */
  readonly ingestWritesWholeLanding?: boolean;
  /** Drop DenyClearDataReadsExceptPipelinesAndStewards from landing, raw and quarantine. */
  readonly clearZonesWithoutReadDeny?: boolean;
  /** Grant the analyst role GetObject on all of raw. */
  readonly analystReadsRaw?: boolean;
  /** Grant the sales steward reads of quarantine under web/ (another domain). */
  readonly stewardReadsOtherDomain?: boolean;
  /** Grant the sales steward reads of landing under sales/ (its domain, but not a zone it triages). */
  readonly stewardReadsLanding?: boolean;
  /** Add a curated-stage sales pipeline role granted reads of raw under sales/. */
  readonly curatedPipelineReadsRaw?: boolean;
  /** Grant the marketplace partner puts under the web shop's prefix sales/webshop/. */
  readonly partnerWritesOtherSource?: boolean;
  /** Grant the analyst role reads of the PII token key (secret and key). */
  readonly analystReadsSecret?: boolean;
  /** Drop the PII token key's resource-policy denies. */
  readonly secretWithoutDeny?: boolean;
}

export interface FixtureApp {
  readonly app: App;
  readonly platform: Stack;
  readonly domain: Stack;
  readonly stacks: StackTemplate[];
}

const ENV = 'dev';
const PRODUCTION_WRITE_ACTIONS = ['s3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:BypassGovernanceRetention', 's3:ReplicateObject', 's3:ReplicateDelete'];
const BUCKET_CONFIGURATION_ACTIONS = ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning'];

function deny(bucket: s3.Bucket, sid: string, actions: string[], resources: string[], conditions?: Record<string, Record<string, unknown>>): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions, resources, conditions }));
}

function zoneBucket(stack: Stack, zone: string, key: kms.IKey, options: FixtureOptions): s3.Bucket {
  const bucket = new s3.Bucket(stack, `${zone}Zone`, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  Tags.of(bucket).add('lakehouse:zone', zone);
  const objects = bucket.arnForObjects('*');
  deny(bucket, 'DenyPutsWithoutSseKms', ['s3:PutObject'], [objects], { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } });
  deny(bucket, 'DenyPutsWithAnotherKey', ['s3:PutObject'], [objects], { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn } });
  const production = zone === 'clean' || zone === 'curated';
  if (production && !(zone === 'curated' && options.curatedWithoutDeny)) {
    deny(bucket, 'DenyDataWritesExceptPipelineRoles', PRODUCTION_WRITE_ACTIONS, [objects], {
      ArnNotLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lakehouse/${ENV}/pipeline/*` },
    });
  }
  if (['landing', 'raw', 'quarantine'].includes(zone) && !options.clearZonesWithoutReadDeny) {
    deny(bucket, 'DenyClearDataReadsExceptPipelinesAndStewards', ['s3:GetObject*'], [objects], {
      ArnNotLike: { 'aws:PrincipalArn': [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lakehouse/${ENV}/pipeline/*`, `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lakehouse/${ENV}/steward/*`] },
    });
  }
  if (zone === 'raw') {
    if (!options.rawWithoutDestructiveDeny) {
      deny(bucket, 'DenyRawDeletesAndRetentionChanges', ['s3:DeleteObject*', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'], [objects]);
    }
    if (!options.rawWithoutOverwriteDeny) {
      deny(bucket, 'DenyRawOverwrites', ['s3:PutObject'], [objects], { Null: { 's3:if-none-match': 'true' } });
    }
  }
  deny(bucket, 'DenyRuleChangesOutsideDeployment', BUCKET_CONFIGURATION_ACTIONS, [bucket.bucketArn], {
    ArnNotLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-hnb659fds-cfn-exec-role-${Aws.ACCOUNT_ID}-${Aws.REGION}` },
  });
  return bucket;
}

function role(stack: Stack, id: string, kind: string, path: string, extraTags: Record<string, string> = {}): iam.Role {
  const r = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), path });
  Tags.of(r).add('lakehouse:role', kind);
  Tags.of(r).add('lakehouse:environment', ENV);
  for (const [k, v] of Object.entries(extraTags)) Tags.of(r).add(k, v);
  return r;
}

function allow(grantee: iam.IGrantable, actions: string[], resources: string[]): void {
  iam.Grant.addToPrincipal({ grantee, actions, resourceArns: resources });
}

/** The app context the fixtures need. */
export function fixtureContext(options: FixtureOptions = {}): Record<string, string> {
  return { '@aws-cdk/core:defaultCrossStackReferences': options.crossStackReferences ?? 'weak' };
}

/** The PII token key: a secret on the lake key whose policy lets only clean-stage pipeline roles read it. */
function piiTokenKey(stack: Stack, key: kms.IKey, options: FixtureOptions): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(stack, 'PiiTokenKey', { encryptionKey: key, generateSecretString: { generateStringKey: 'key', secretStringTemplate: '{"generation":1}' } });
  Tags.of(secret).add('lakehouse:secret', 'pii-token-key');
  if (!options.secretWithoutDeny) {
    const read = ['secretsmanager:GetSecretValue'];
    secret.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyKeyReadsExceptPipelineRoles', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: read, resources: ['*'], conditions: { ArnNotLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/lakehouse/${ENV}/pipeline/*` } } }));
    secret.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyKeyReadsExceptCleanStage', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: read, resources: ['*'], conditions: { StringNotEquals: { 'aws:PrincipalTag/lakehouse:stage': 'clean' } } }));
  }
  return secret;
}

/** Reading the PII token key, as `PiiTokenKey.grantTokenize` grants it. */
function grantKeyRead(grantee: iam.IGrantable, secret: secretsmanager.ISecret, key: kms.IKey): void {
  allow(grantee, ['secretsmanager:GetSecretValue'], [secret.secretArn]);
  iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.${Aws.URL_SUFFIX}` } } });
}

/**
 * Adds a two-stack lakehouse to `scope`: the platform (key, PII token key, the flow zones and
 * quarantine) and a sales domain (roles and grants). Create the app with {@link fixtureContext}.
 */
export function populateFixture(scope: Construct, options: FixtureOptions = {}): { platform: Stack; domain: Stack } {
  const platform = new Stack(scope, 'Platform');
  const key = new kms.Key(platform, 'LakeKey');
  const zones = Object.fromEntries(['landing', 'raw', 'clean', 'curated', 'quarantine'].map((z) => [z, zoneBucket(platform, z, key, options)])) as Record<string, s3.Bucket>;
  const secret = piiTokenKey(platform, key, options);

  const domain = new Stack(scope, 'SalesDomain');
  const pipeline = role(domain, 'SalesPipeline', 'pipeline', `/lakehouse/${ENV}/pipeline/`, { 'lakehouse:domain': 'sales', 'lakehouse:stage': 'clean' });
  allow(pipeline, ['s3:GetObject'], [zones.raw.arnForObjects('sales/*')]);
  allow(pipeline, ['s3:PutObject'], [zones.quarantine.arnForObjects('sales/*')]);
  grantKeyRead(pipeline, secret, key);
  allow(pipeline, ['s3:PutObject', 's3:DeleteObject'], [zones.clean.arnForObjects(options.pipelineWritesWholeClean ? '*' : 'sales/*'), zones.curated.arnForObjects('sales/*')]);
  key.grant(pipeline, 'kms:GenerateDataKey', 'kms:Decrypt');
  if (options.pipelineWritesRaw) allow(pipeline, ['s3:PutObject'], [zones.raw.arnForObjects('sales/*')]);

  const ingest = role(domain, 'PosIngest', 'ingest', `/lakehouse/${ENV}/ingest/`, { 'lakehouse:source': 'pos' });
  allow(ingest, ['s3:PutObject'], [zones.landing.arnForObjects(options.ingestWritesWholeLanding ? '*' : 'pos/*'), zones.raw.arnForObjects('pos/*')]);
  key.grant(ingest, 'kms:GenerateDataKey');

  const analyst = role(domain, 'Analyst', 'analyst', options.analystAtPipelinePath ? `/lakehouse/${ENV}/pipeline/` : `/lakehouse/${ENV}/analyst/`);
  allow(analyst, ['s3:GetObject'], [zones.curated.arnForObjects('*')]);
  key.grant(analyst, 'kms:Decrypt');
  if (options.analystWritesCurated) allow(analyst, ['s3:PutObject'], [zones.curated.arnForObjects('*')]);
  if (options.analystReadsRaw) allow(analyst, ['s3:GetObject'], [zones.raw.arnForObjects('*')]);
  if (options.analystReadsSecret) grantKeyRead(analyst, secret, key);

  // The domain's steward (MFA in its trust policy) and two sources: an internal system and a partner.
  const steward = role(domain, 'SalesSteward', 'steward', `/lakehouse/${ENV}/steward/`, { 'lakehouse:domain': 'sales' });
  allow(steward, ['s3:GetObject'], [zones.raw.arnForObjects('sales/*'), zones.quarantine.arnForObjects('sales/*')]);
  if (options.stewardReadsOtherDomain) allow(steward, ['s3:GetObject'], [zones.quarantine.arnForObjects('web/*')]);
  if (options.stewardReadsLanding) allow(steward, ['s3:GetObject'], [zones.landing.arnForObjects('sales/*')]);
  if (options.curatedPipelineReadsRaw) {
    const models = role(domain, 'SalesModels', 'pipeline', `/lakehouse/${ENV}/pipeline/`, { 'lakehouse:domain': 'sales', 'lakehouse:stage': 'curated' });
    allow(models, ['s3:GetObject'], [zones.raw.arnForObjects('sales/*')]);
    key.grant(models, 'kms:Decrypt');
  }
  key.grant(steward, 'kms:Decrypt');
  for (const [id, source] of [['WebshopIngest', 'webshop'], ['PartnerIngest', 'partner']]) {
    const src = role(domain, id, 'ingest', `/lakehouse/${ENV}/ingest/`, { 'lakehouse:domain': 'sales', 'lakehouse:source': `sales/${source}` });
    allow(src, ['s3:PutObject'], [zones.landing.arnForObjects(`sales/${source}/orders/*`), zones.raw.arnForObjects(`sales/${source}/orders/*`)]);
    if (source === 'partner' && options.partnerWritesOtherSource) allow(src, ['s3:PutObject'], [zones.raw.arnForObjects('sales/webshop/orders/*')]);
    key.grant(src, 'kms:GenerateDataKey');
  }

  if (options.wildcardRole) {
    const wide = new iam.Role(domain, 'WildcardRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    wide.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  }
  if (options.bypassGovernanceRole) {
    const operator = role(domain, 'Operator', 'operator', `/lakehouse/${ENV}/operator/`);
    allow(operator, ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion'], [zones.raw.arnForObjects('*')]);
  }

  return { platform, domain };
}

/** Synthesizes the app (without validation plugins) and returns its templates. */
export function synthStacks(app: App): StackTemplate[] {
  return app.synth({ skipValidation: true }).stacks.map((s) => ({ stackName: s.stackName, template: s.template }));
}

/** A synthesized fixture app. */
export function buildFixtureApp(options: FixtureOptions = {}): FixtureApp {
  const app = new App({ context: fixtureContext(options) });
  const { platform, domain } = populateFixture(app, options);
  return { app, platform, domain, stacks: synthStacks(app) };
}
