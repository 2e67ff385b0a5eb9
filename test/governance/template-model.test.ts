import { App, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { buildTemplateModel, GovernanceEvaluationError, IntrinsicResolver, StackTemplate, UnresolvedValue } from '../../lib/governance';
import { synthStacks } from './fixtures';

function resolver(resources: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): IntrinsicResolver {
  return new IntrinsicResolver([{ stackName: 'S', template: { Resources: resources, ...extra } }]);
}

const BUCKET = { Type: 'AWS::S3::Bucket', Properties: {} };
const ROLE = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Path: '/lakehouse/dev/pipeline/' } };

describe('intrinsic resolution', () => {
  test('pseudo parameters resolve to the symbolic environment', () => {
    const r = resolver();
    expect(r.resolve('S', { 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::URLSuffix' }, { Ref: 'AWS::StackName' }]] }, 'w')).toBe(
      'aws:111111111111:eu-west-1:amazonaws.com:S',
    );
  });

  test('a stack environment overrides the defaults', () => {
    const r = new IntrinsicResolver([{ stackName: 'S', template: {}, account: '222222222222', region: 'us-east-1' }]);
    expect(r.resolve('S', { 'Fn::Sub': '${AWS::AccountId}/${AWS::Region}' }, 'w')).toBe('222222222222/us-east-1');
  });

  test('resources resolve to deterministic placeholders; the role path is part of the ARN', () => {
    const r = resolver({ Lake: BUCKET, Etl: ROLE, Key: { Type: 'AWS::KMS::Key', Properties: {} }, Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'lake-${AWS::AccountId}' } } } });
    expect(r.resolve('S', { Ref: 'Lake' }, 'w')).toBe('s-lake');
    expect(r.resolve('S', { 'Fn::GetAtt': ['Lake', 'Arn'] }, 'w')).toBe('arn:aws:s3:::s-lake');
    expect(r.resolve('S', { 'Fn::GetAtt': 'Lake.Arn' }, 'w')).toBe('arn:aws:s3:::s-lake');
    expect(r.resolve('S', { 'Fn::GetAtt': ['Named', 'Arn'] }, 'w')).toBe('arn:aws:s3:::lake-111111111111');
    expect(r.resolve('S', { Ref: 'Etl' }, 'w')).toBe('S-Etl');
    expect(r.resolve('S', { 'Fn::GetAtt': ['Etl', 'Arn'] }, 'w')).toBe('arn:aws:iam::111111111111:role/lakehouse/dev/pipeline/S-Etl');
    expect(r.resolve('S', { 'Fn::GetAtt': ['Key', 'Arn'] }, 'w')).toBe('arn:aws:kms:eu-west-1:111111111111:key/s-key');
  });

  test('Fn::Sub (both forms, escapes, attributes), Fn::Select, Fn::Split, Fn::FindInMap', () => {
    const r = resolver({ Lake: BUCKET }, { Mappings: { Env: { dev: { Prefix: 'sales' } } } });
    expect(r.resolve('S', { 'Fn::Sub': '${Lake.Arn}/${!literal}/*' }, 'w')).toBe('arn:aws:s3:::s-lake/${literal}/*');
    expect(r.resolve('S', { 'Fn::Sub': ['${B}/${P}/*', { B: { 'Fn::GetAtt': ['Lake', 'Arn'] }, P: 'sales' }] }, 'w')).toBe('arn:aws:s3:::s-lake/sales/*');
    expect(r.resolve('S', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'w')).toBe('b');
    expect(r.resolve('S', { 'Fn::FindInMap': ['Env', 'dev', 'Prefix'] }, 'w')).toBe('sales');
  });

  test('Fn::If resolves when its condition depends only on known values; AWS::NoValue disappears', () => {
    const r = resolver({}, { Conditions: { IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, NotEu: { 'Fn::Not': [{ Condition: 'IsEu' }] } } });
    expect(r.resolve('S', { 'Fn::If': ['IsEu', 'yes', 'no'] }, 'w')).toBe('yes');
    expect(r.resolve('S', ['a', { 'Fn::If': ['NotEu', 'b', { Ref: 'AWS::NoValue' }] }], 'w')).toEqual(['a']);
  });

  test('values unknown at synth time become UnresolvedValue, not guesses', () => {
    const r = resolver({ Fn: { Type: 'AWS::Custom::Thing', Properties: {} } }, { Parameters: { BucketArn: { Type: 'String' } }, Conditions: { FromParam: { 'Fn::Equals': [{ Ref: 'BucketArn' }, 'x'] } } });
    expect(r.resolve('S', { Ref: 'BucketArn' }, 'w')).toBeInstanceOf(UnresolvedValue);
    expect(r.resolve('S', { 'Fn::Join': ['', [{ Ref: 'BucketArn' }, '/*']] }, 'w')).toBeInstanceOf(UnresolvedValue);
    expect(r.resolve('S', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'w')).toBeInstanceOf(UnresolvedValue);
    expect(r.resolve('S', { 'Fn::If': ['FromParam', 'a', 'b'] }, 'w')).toBeInstanceOf(UnresolvedValue);
  });

  test('fails if an intrinsic function is unknown, naming where it was found', () => {
    expect(() => resolver().resolve('S', { 'Fn::Bogus': ['x'] }, 'S/Policy#0')).toThrow(/S\/Policy#0.*Fn::Bogus.*unknown intrinsic function/);
  });

  test('fails if a structural value does not resolve', () => {
    const r = resolver({}, { Parameters: { Path: { Type: 'String' } } });
    expect(() => r.resolveString('S', { Ref: 'Path' }, 'S/Role', 'Path')).toThrow(GovernanceEvaluationError);
  });
});

describe('cross-stack references', () => {
  function twoStackApp(mode: 'weak' | 'strong'): StackTemplate[] {
    const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': mode } });
    const producer = new Stack(app, 'Producer');
    const key = new kms.Key(producer, 'Key');
    const bucket = new s3.Bucket(producer, 'Lake', { encryptionKey: key });
    Tags.of(bucket).add('lakehouse:zone', 'clean');
    const consumer = new Stack(app, 'Consumer');
    const etl = new iam.Role(consumer, 'Etl', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), path: '/lakehouse/dev/pipeline/' });
    bucket.grantPut(etl, 'sales/*');
    key.grant(etl, 'kms:GenerateDataKey');
    return synthStacks(app);
  }

  test.each([
    ['weak', 'Fn::GetStackOutput'],
    ['strong', 'Fn::ImportValue'],
  ] as const)('%s references (%s) resolve into the producing stack', (mode, fn) => {
    const stacks = twoStackApp(mode);
    const consumer = stacks.find((s) => s.stackName === 'Consumer')!;
    expect(JSON.stringify(consumer.template)).toContain(`"${fn}"`);
    if (fn === 'Fn::GetStackOutput') {
      // The shape aws-cdk-lib 2.276 renders with defaultCrossStackReferences=weak.
      expect(JSON.stringify(consumer.template)).toMatch(/"Fn::GetStackOutput":\{"StackName":"Producer","Region":\{"Ref":"AWS::Region"\},"OutputName":"[^"]+"\}/);
    }
    const model = buildTemplateModel(stacks);
    const role = model.principals.find((p) => p.logicalId?.startsWith('Etl'))!;
    const resources = role.identityStatements.map((s) => (s.statement as { Resource: unknown }).Resource);
    expect(model.zones[0].bucketName).toMatch(/^producer-lake[0-9a-f]{8}$/);
    expect(resources).toContainEqual(`arn:aws:s3:::${model.zones[0].bucketName}/sales/*`);
    expect(resources).toContainEqual(model.keys[0].arn);
    expect(model.zones[0]).toMatchObject({ zone: 'clean', encryption: 'kms', key: { arn: model.keys[0].arn } });
    expect(role.identityStatements.every((s) => !JSON.stringify(s.statement).includes('unresolved'))).toBe(true);
  });
});

describe('principals and their policies', () => {
  function model(build: (stack: Stack) => void) {
    const app = new App();
    const stack = new Stack(app, 'S');
    build(stack);
    return buildTemplateModel(synthStacks(app));
  }

  test('roles carry inline, standalone, customer-managed and AWS-managed statements', () => {
    const m = model((stack) => {
      const managed = new iam.ManagedPolicy(stack, 'Managed', { statements: [new iam.PolicyStatement({ sid: 'FromManaged', actions: ['s3:GetObject'], resources: ['*'] })] });
      const role = new iam.Role(stack, 'Etl', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        inlinePolicies: { Inline: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ sid: 'FromInline', actions: ['s3:PutObject'], resources: ['*'] })] }) },
        managedPolicies: [managed, iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'FromDefault', actions: ['s3:DeleteObject'], resources: ['*'] }));
      const attachedByRoles = new iam.ManagedPolicy(stack, 'AttachedByRoles', { statements: [new iam.PolicyStatement({ sid: 'ViaRoles', actions: ['s3:GetObject'], resources: ['*'] })] });
      attachedByRoles.attachToRole(role);
    });
    const role = m.principals[0];
    const ids = role.identityStatements.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^S\/Etl[0-9A-F]+#Inline\/FromInline$/),
        expect.stringMatching(/^S\/EtlDefaultPolicy[0-9A-F]+#FromDefault$/),
        expect.stringMatching(/^S\/Managed[0-9A-F]+#FromManaged$/),
        expect.stringMatching(/^S\/AttachedByRoles[0-9A-F]+#ViaRoles$/),
        'aws-managed:service-role/AWSLambdaBasicExecutionRole#0',
      ]),
    );
    expect(role).toMatchObject({ kind: 'unclassified', isPipeline: false, path: '/' });
  });

  test('a pipeline role needs both the tag and the environment pipeline path', () => {
    const m = model((stack) => {
      const make = (id: string, path: string, kind: string) => {
        const r = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), path });
        Tags.of(r).add('lakehouse:role', kind);
        Tags.of(r).add('lakehouse:environment', 'dev');
        Tags.of(r).add('lakehouse:domain', 'sales');
      };
      make('Real', '/lakehouse/dev/pipeline/', 'pipeline');
      make('WrongPath', '/lakehouse/prod/pipeline/', 'pipeline');
      make('WrongTag', '/lakehouse/dev/pipeline/', 'analyst');
    });
    const byId = Object.fromEntries(m.principals.map((p) => [p.logicalId!.replace(/[0-9A-F]{8}$/, ''), p]));
    expect(byId.Real).toMatchObject({ isPipeline: true, kind: 'pipeline', domain: 'sales', environment: 'dev' });
    expect(byId.WrongPath.isPipeline).toBe(false);
    expect(byId.WrongTag.isPipeline).toBe(false);
  });

  test('a steward role needs both the tag and the environment steward path; a pipeline role carries its stage', () => {
    const m = model((stack) => {
      const make = (id: string, path: string, kind: string, stage?: string) => {
        const r = new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal(), path });
        Tags.of(r).add('lakehouse:role', kind);
        Tags.of(r).add('lakehouse:environment', 'dev');
        Tags.of(r).add('lakehouse:domain', 'sales');
        if (stage) Tags.of(r).add('lakehouse:stage', stage);
      };
      make('Steward', '/lakehouse/dev/steward/', 'steward');
      make('Elsewhere', '/lakehouse/dev/analyst/', 'steward');
      make('Clean', '/lakehouse/dev/pipeline/', 'pipeline', 'clean');
    });
    const byId = Object.fromEntries(m.principals.map((p) => [p.logicalId!.replace(/[0-9A-F]{8}$/, ''), p]));
    expect(byId.Steward).toMatchObject({ isSteward: true, kind: 'steward', domain: 'sales' });
    expect(byId.Elsewhere.isSteward).toBe(false);
    expect(byId.Clean).toMatchObject({ isPipeline: true, stage: 'clean', isSteward: false });
  });

  test('secrets carry their ARN, tags, key and resource policy', () => {
    const m = model((stack) => {
      const key = new kms.Key(stack, 'Key');
      const secret = new secretsmanager.Secret(stack, 'Token', { secretName: 'lakehouse/dev/pii-token-key', encryptionKey: key });
      Tags.of(secret).add('lakehouse:secret', 'pii-token-key');
      secret.addToResourcePolicy(new iam.PolicyStatement({ sid: 'DenyReads', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }));
      new secretsmanager.Secret(stack, 'Plain');
    });
    const [token, plain] = m.secrets;
    expect(token).toMatchObject({ arn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:lakehouse/dev/pii-token-key-gvprf0', tags: { 'lakehouse:secret': 'pii-token-key' } });
    expect(token.key?.logicalId).toMatch(/^Key/);
    expect(token.resourcePolicy.map((st) => st.id)).toEqual([expect.stringMatching(/^S\/TokenPolicy\w+#DenyReads$/)]);
    expect(plain).toMatchObject({ key: undefined, resourcePolicy: [] });
    expect(plain.arn).toMatch(/:secret:S-Plain\w+-gvprf0$/);
  });

  test("fails if a secret's key is not a key of the app", () => {
    expect(() => model((stack) => new secretsmanager.Secret(stack, 'T', { encryptionKey: kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/elsewhere') }))).toThrow(/secret's key is not a KMS key of the app/);
  });

  test('fails if an AWS-managed policy has no offline copy', () => {
    expect(() =>
      model((stack) => new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3FullAccess')] })),
    ).toThrow(/S\/R[0-9A-F]+.*no offline copy.*AmazonS3FullAccess/);
  });

  test('fails if the app defines IAM users', () => {
    expect(() => model((stack) => new iam.User(stack, 'Person'))).toThrow(/IAM users and groups/);
  });

  test('fails if a role has a permissions boundary', () => {
    expect(() =>
      model((stack) => {
        const boundary = new iam.ManagedPolicy(stack, 'Boundary', { statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] })] });
        new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: boundary });
      }),
    ).toThrow(/permissions boundaries/);
  });

  test('fails if a zone tag names no zone', () => {
    expect(() => model((stack) => Tags.of(new s3.Bucket(stack, 'B')).add('lakehouse:zone', 'gold'))).toThrow(/not a zone name/);
  });

  test('policies on roles outside the app are noted, not guessed', () => {
    const m = model((stack) => {
      const imported = iam.Role.fromRoleName(stack, 'Imported', 'someone-elses-role');
      imported.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    });
    expect(m.principals).toHaveLength(0);
    expect(m.notes.join('\n')).toMatch(/someone-elses-role.*not defined in the app/);
  });
});
