/**
 * Sensitive data out of reach, as synthesized: the PII token key, the clear-data zones' read deny,
 * the steward role, the source roles; and the governance proof failing synth on the real app for
 * each injected violation (an analyst reading raw, a role reading the key, a partner writing
 * another source's prefix, a steward reading another domain).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DomainDefinition } from '../../lambda/shared/dataset';
import { ENVIRONMENTS, EnvironmentConfig } from '../../lib/config';
import { GovernanceProof, readAccessMatrixIndex } from '../../lib/governance';
import { buildLakehouse } from '../../lib/lakehouse-app';
import sales from '../../lib/domains/sales';
import webEvents from '../../lib/domains/web_events';
import { testApp } from '../helpers/app';

function build(config: EnvironmentConfig = ENVIRONMENTS.dev, domains: DomainDefinition[] = [sales, webEvents]) {
  const app = testApp();
  const lakehouse = buildLakehouse(app, { config, domains, checks: false });
  return {
    app,
    lakehouse,
    get platform() {
      return Template.fromStack(lakehouse.platform);
    },
    get sales() {
      return Template.fromStack(lakehouse.domains.sales);
    },
  };
}

/** The default dev app and its templates, built once: the tests below only read them. */
let shared: { lakehouse: ReturnType<typeof build>['lakehouse']; platform: Template; sales: Template } | undefined;
const dev = () => {
  if (!shared) {
    const b = build();
    shared = { lakehouse: b.lakehouse, platform: b.platform, sales: b.sales };
  }
  return shared;
};

const tagged = (r: any, k: string) => r.Properties.Tags?.find((x: any) => x.Key === k)?.Value;
const statementsOf = (t: Template, policyPrefix: string): any[] =>
  (Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith(policyPrefix))![1] as any).Properties.PolicyDocument.Statement;

describe('the PII token key', () => {
  test('is one generated secret, on the lake key, RETAIN, tagged as the PII token key', () => {
    const { platform } = dev();
    platform.resourceCountIs('AWS::SecretsManager::Secret', 1);
    platform.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Name: 'lakehouse/dev/pii-token-key',
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ZonesLakeKey'), 'Arn'] },
        GenerateSecretString: { SecretStringTemplate: '{"generation":1}', GenerateStringKey: 'key', PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
        Tags: Match.arrayWith([{ Key: 'lakehouse:secret', Value: 'pii-token-key' }]),
      }),
    });
    // Nothing of it in clear: no SecretString, and no output carries its value.
    const secret = Object.values(platform.findResources('AWS::SecretsManager::Secret'))[0] as any;
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(JSON.stringify(platform.toJSON().Outputs ?? {})).not.toMatch(/SecretString|resolve:secretsmanager/);
  });

  test("its resource policy lets only clean-stage pipeline roles read it, and only the deployment change it", () => {
    const { platform } = dev();
    platform.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: [
          Match.objectLike({ Sid: 'DenyKeyReadsExceptPipelineRoles', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Condition: { ArnNotLike: { 'aws:PrincipalArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':role/lakehouse/dev/pipeline/*'])] }) } } }),
          Match.objectLike({ Sid: 'DenyKeyReadsExceptCleanStage', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:PrincipalTag/lakehouse:stage': 'clean' } } }),
          Match.objectLike({ Sid: 'DenyKeyChangesOutsideDeployment', Effect: 'Deny', Action: Match.arrayWith(['secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy', 'secretsmanager:PutSecretValue']) }),
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('the transform role reads it (decrypting through Secrets Manager only); the functions get its ARN, never its value', () => {
    const { sales: t } = dev();
    const statements = statementsOf(t, 'TransformRoleDefaultPolicy');
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow' }));
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] } } } }),
    );
    const functions = Object.values(t.findResources('AWS::Lambda::Function')) as any[];
    const withKey = functions.filter((f) => f.Properties.Environment?.Variables?.TOKEN_SECRET_ARN);
    expect(withKey).toHaveLength(2); // the transform and the big-file route
    for (const f of withKey) expect(f.Properties.Environment.Variables.TOKEN_SECRET_ARN).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Lakehouse-dev-Platform' }) });
    // The curated stage never gets it.
    expect(JSON.stringify(statementsOf(t, 'CuratedRoleDefaultPolicy'))).not.toContain('secretsmanager');
  });

  test('a new generation makes CloudFormation generate a new key', () => {
    const { platform } = build({ ...ENVIRONMENTS.dev, piiTokenKeyGeneration: 2 }, []);
    platform.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"generation":2}' }) });
  });

  test('fails if the generation is not a whole number from 1', () => {
    expect(() => build({ ...ENVIRONMENTS.dev, piiTokenKeyGeneration: 0 }, [])).toThrow(/LH019.*piiTokenKeyGeneration.*whole number ≥ 1/);
  });
});

describe('clear data', () => {
  test('landing, raw and quarantine deny object reads to all but the pipeline and steward paths; clean and curated do not', () => {
    const { platform } = dev();
    const policies = Object.values(platform.findResources('AWS::S3::BucketPolicy')) as any[];
    const bucketOf = (p: any) => JSON.stringify(p.Properties.Bucket);
    const withDeny = policies.filter((p) => p.Properties.PolicyDocument.Statement.some((st: any) => st.Sid === 'DenyClearDataReadsExceptPipelinesAndStewards'));
    expect(withDeny.map(bucketOf).map((b) => /Zones(\w+?)Bucket/.exec(b)![1]).sort()).toEqual(['landing', 'quarantine', 'raw']);
    const deny = withDeny[0].Properties.PolicyDocument.Statement.find((st: any) => st.Sid === 'DenyClearDataReadsExceptPipelinesAndStewards');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:GetObject*' });
    expect(JSON.stringify(deny.Condition.ArnNotLike['aws:PrincipalArn'])).toMatch(/role\/lakehouse\/dev\/pipeline\/\*.*role\/lakehouse\/dev\/steward\/\*/);
  });

  test('a steward role per domain: steward path and tag, MFA for everyone who may assume it, reads its raw and quarantine only', () => {
    const { sales: t } = build({ ...ENVIRONMENTS.dev, stewards: { sales: ['arn:aws:iam::123456789012:role/sales-data-stewards'] } }, [sales]);
    const stewards = (Object.values(t.findResources('AWS::IAM::Role')) as any[]).filter((r) => tagged(r, 'lakehouse:role') === 'steward');
    expect(stewards).toHaveLength(1);
    expect(stewards[0].Properties).toMatchObject({ Path: '/lakehouse/dev/steward/', MaxSessionDuration: 3600 });
    expect(tagged(stewards[0], 'lakehouse:domain')).toBe('sales');
    expect(stewards[0].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/sales-data-stewards' }, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
    ]);
    const reads = statementsOf(t, 'StewardRoleDefaultPolicy').filter((st) => [st.Action].flat().includes('s3:GetObject'));
    expect(reads.flatMap((st) => [st.Resource].flat()).map((r) => JSON.stringify(r)).sort()).toEqual([expect.stringMatching(/ZonesquarantineBucket.*\/sales\/\*/), expect.stringMatching(/ZonesrawBucket.*\/sales\/\*/)]);
    expect(JSON.stringify(statementsOf(t, 'StewardRoleDefaultPolicy'))).not.toMatch(/ZonescleanBucket|ZonescuratedBucket|ZoneslandingBucket|s3:Put|secretsmanager/);
  });

  test("without configuration, only the account's principals tagged as the domain's stewards may assume its steward role, with MFA", () => {
    const { lakehouse } = dev();
    const t = Template.fromStack(lakehouse.domains.web_events);
    const steward = (Object.values(t.findResources('AWS::IAM::Role')) as any[]).find((r) => tagged(r, 'lakehouse:role') === 'steward');
    expect(steward.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/lakehouse:steward:web_events': 'true' } },
      }),
    ]);
  });

  test.each([
    ['a principal is not an ARN', { sales: ['sales-stewards'] }, /LH018.*stewards\.sales\[0\].*not an IAM role, user or account-root ARN/],
    ['a domain has an empty list', { sales: [] }, /LH018.*stewards\.sales.*at least one principal/],
    ['a domain does not exist', { sales_eu: ['arn:aws:iam::123456789012:root'] }, /LH018.*config\.stewards: stewards are named for domains that have no domain file.*sales_eu/],
  ])('fails if %s', (_name, stewards, message) => {
    expect(() => build({ ...ENVIRONMENTS.dev, stewards })).toThrow(message);
  });
});

describe('sources', () => {
  test('an external source: trusted only from the partner account with its external id, puts only under its prefix for its datasets, reads nothing', () => {
    const { sales: t } = dev();
    const roles = Object.entries(t.findResources('AWS::IAM::Role')) as [string, any][];
    const [id, partner] = roles.find(([, r]) => tagged(r, 'lakehouse:source') === 'sales/marketplace')!;
    expect(partner.Properties.Path).toBe('/lakehouse/dev/ingest/');
    expect(partner.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::210987654321:root']] } },
        Condition: { StringEquals: { 'sts:ExternalId': 'lakehouse-sales-marketplace' } },
      },
    ]);
    const statements = statementsOf(t, `${id.replace(/[0-9A-F]{8}$/, '')}DefaultPolicy`);
    const s3 = statements.filter((st) => [st.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect([...new Set(s3.flatMap((st) => [st.Action].flat()))].sort()).toEqual(['s3:AbortMultipartUpload', 's3:PutObject']);
    expect(s3.flatMap((st) => [st.Resource].flat()).map((r) => JSON.stringify(r)).sort()).toEqual([expect.stringMatching(/ZoneslandingBucket.*\/sales\/marketplace\/orders\/\*/), expect.stringMatching(/ZonesrawBucket.*\/sales\/marketplace\/orders\/\*/)]);
  });

  test('an internal source is assumed from the account; a domain without sources keeps its one ingest role under <domain>/', () => {
    const { sales: t, lakehouse } = dev();
    const webshop = (Object.values(t.findResources('AWS::IAM::Role')) as any[]).find((r) => tagged(r, 'lakehouse:source') === 'sales/webshop');
    expect(webshop.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } });
    expect(lakehouse.domains.sales.ingestRole).toBeUndefined();
    expect(Object.keys(lakehouse.domains.sales.sourceRoles)).toEqual(['webshop', 'marketplace']);
    const web = Template.fromStack(lakehouse.domains.web_events);
    const ingest = (Object.values(web.findResources('AWS::IAM::Role')) as any[]).filter((r) => tagged(r, 'lakehouse:role') === 'ingest');
    expect(ingest.map((r) => tagged(r, 'lakehouse:source'))).toEqual(['web_events']);
    web.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ object: Match.objectLike({ key: [{ prefix: 'web_events/page_views/' }] }) }) }) });
  });

  test('the raw table reads every source of the dataset through a partition per source', () => {
    const { sales: t } = dev();
    const raw = Object.values(t.findResources('AWS::Glue::Table', { Properties: { DatabaseName: 'sales_raw' } }))[0] as any;
    expect(raw.Properties.TableInput.PartitionKeys).toEqual([expect.objectContaining({ Name: 'lakehouse_source', Type: 'string' })]);
    expect(raw.Properties.TableInput.Parameters).toMatchObject({ 'projection.enabled': 'true', 'projection.lakehouse_source.type': 'enum', 'projection.lakehouse_source.values': 'webshop,marketplace' });
    expect(JSON.stringify(raw.Properties.TableInput.Parameters['storage.location.template'])).toContain('/sales/${lakehouse_source}/orders/');
  });

  test('the big-file route takes every source prefix of the domain and knows the sources', () => {
    const { sales: t } = dev();
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ object: Match.objectLike({ key: [{ prefix: 'sales/webshop/orders/' }, { prefix: 'sales/marketplace/orders/' }], size: [{ numeric: ['>', Match.anyValue()] }] }) }) }) });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ DATASETS: 'orders', SOURCES: 'webshop,marketplace' }) } });
  });
});

describe('injected violations fail synth of the real app', () => {
  test('an analyst reading raw, a role reading the PII token key, a partner writing another source, a steward reading another domain', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-injected-'));
    const app = testApp({ outdir });
    Validations.of(app).addPlugins(new GovernanceProof());
    const lakehouse = buildLakehouse(app, { config: ENVIRONMENTS.dev, domains: [sales, webEvents], checks: false });
    const zones = lakehouse.platform.zones.zones;
    const analyst = lakehouse.platform.analystRoles.analytics;
    zones.raw.grantReadPrefix(analyst, { prefix: 'sales/' });
    lakehouse.platform.piiTokenKey.secret.grantRead(analyst);
    zones.raw.grantIngest(lakehouse.domains.sales.sourceRoles.marketplace, { prefix: 'sales/webshop/orders/' });
    zones.quarantine.grantReadPrefix(lakehouse.domains.sales.stewardRole, { prefix: 'web_events/' });
    expect(() => app.synth()).toThrow(/Governance\.ClearDataReaders/);
    const violations = readAccessMatrixIndex(outdir).violations.map((v) => `${v.rule} ${v.principal.replace(/[0-9A-F]{8}$/, '')} ${v.action} ${v.zone}`);
    expect(violations).toEqual(
      expect.arrayContaining([
        'Governance.ClearDataReaders Lakehouse-dev-Platform/Analystanalytics s3:GetObject raw',
        'Governance.ClearDataReaders Lakehouse-dev-Platform/Analystanalytics secretsmanager:GetSecretValue secret',
        'Governance.PrefixIsolation Lakehouse-dev-Domain-sales/Sourcemarketplace s3:PutObject raw',
        'Governance.ClearDataReaders Lakehouse-dev-Domain-sales/StewardRole s3:GetObject quarantine',
      ]),
    );
    expect(violations).toHaveLength(4);
    expect(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')).toMatch(/only the key's resource policy \(.*\) stops it/);
  });

  test("the pipelines' query results (big-file staging, quarantine rows) are read by pipeline roles only: a grant fails, and so does a read the deny does not stop", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-injected-'));
    const app = testApp({ outdir });
    Validations.of(app).addPlugins(new GovernanceProof({ pipelineResultsPrefix: 'lakehouse-dev-pipelines/' }));
    const lakehouse = buildLakehouse(app, { config: ENVIRONMENTS.dev, domains: [sales, webEvents], checks: false });
    const results = lakehouse.platform.zones.zones['query-results'];
    // An analyst granted the prefix: the bucket policy stops it, the grant still fails synth.
    results.grantReadPrefix(lakehouse.platform.analystRoles.analytics, { prefix: 'lakehouse-dev-pipelines/' });
    // A role at the pipeline path without the pipeline tag passes the bucket deny (a path match) and is not a pipeline role.
    const impostor = new iam.Role(lakehouse.platform, 'Impostor', { assumedBy: new iam.AccountRootPrincipal(), path: '/lakehouse/dev/pipeline/' });
    results.grantReadPrefix(impostor, { prefix: 'lakehouse-dev-pipelines/bigfile/' });
    expect(() => app.synth()).toThrow(/Governance\.ClearDataReaders/);
    const violations = readAccessMatrixIndex(outdir).violations.filter((v) => v.zone === 'query-results');
    expect(violations.map((v) => `${v.rule} ${v.principal.replace(/[0-9A-F]{8}$/, '')} ${v.action}`).sort()).toEqual([
      'Governance.ClearDataReaders Lakehouse-dev-Platform/Analystanalytics s3:GetObject',
      'Governance.ClearDataReaders Lakehouse-dev-Platform/Impostor s3:GetObject',
    ]);
    expect(violations.find((v) => v.principal.includes('Analyst'))!.message).toMatch(/is granted s3:GetObject on the pipelines' query results .* only the bucket policy stops it/);
    expect(violations.find((v) => v.principal.includes('Impostor'))!.message).toMatch(/can read the pipelines' query results .*keys lakehouse-dev-pipelines\/bigfile\//);
  });

  test("the query-results zone denies reading the pipelines' results to everyone but pipeline roles", () => {
    const { lakehouse } = dev();
    Template.fromStack(lakehouse.platform).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DenyPipelineResultReadsExceptPipelineRoles',
            Effect: 'Deny',
            Resource: { 'Fn::Join': ['', [Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^ZonesqueryresultsBucket'), 'Arn'] }), '/lakehouse-dev-pipelines/*']] },
            Condition: { ArnNotLike: { 'aws:PrincipalArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  test('the PII token key cannot be granted to anything but a clean-stage pipeline role', () => {
    const { lakehouse } = dev();
    const curated = lakehouse.domains.sales.curatedRole!;
    expect(() => lakehouse.platform.piiTokenKey.grantTokenize(curated)).toThrow(/LH046.*only a clean-stage pipeline role/);
    const other = new iam.Role(new Stack(testApp(), 'X'), 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => lakehouse.platform.piiTokenKey.grantTokenize(other)).toThrow(/LH046/);
  });
});
