import {
  AccessRequest,
  actionMatch,
  arnMatch,
  compileStatement,
  evaluateKms,
  evaluateSameAccount,
  GovernanceEvaluationError,
  globMatch,
  RequestContext,
  UnresolvedValue,
} from '../../lib/governance/policy-eval';

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/sales-etl`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/analyst`;
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BUCKET = 'arn:aws:s3:::lake-clean';
const OBJECT = `${BUCKET}/sales/2024/part-0.parquet`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/lake`;

const BASE_CONTEXT: RequestContext = {
  values: { 'aws:PrincipalArn': ROLE, 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3', 'aws:PrincipalTag/lakehouse:domain': 'sales' },
  absent: ['s3:if-none-match'],
  completePrefixes: ['aws:PrincipalTag/'],
};

function request(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return { principalArn: ROLE, principalAccount: ACCOUNT, action: 's3:GetObject', resource: OBJECT, context: BASE_CONTEXT, ...overrides };
}

function identity(...statements: object[]) {
  return statements.map((statement, i) => compileStatement({ id: `Test/Identity#${i}`, statement }, 'identity'));
}

function resource(...statements: object[]) {
  return statements.map((statement, i) => compileStatement({ id: `Test/Bucket#${i}`, statement }, 'resource'));
}

const ALLOW_ALL_S3 = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

/** Decision of an identity-allow-all request under one extra deny statement's condition. */
function denyApplies(condition: object, context: Partial<RequestContext> = {}, action = 's3:PutObject'): boolean {
  const d = evaluateSameAccount(
    request({ action, context: { ...BASE_CONTEXT, ...context, values: { ...BASE_CONTEXT.values, ...(context.values ?? {}) } } }),
    identity(ALLOW_ALL_S3),
    resource({ Sid: 'Probe', Effect: 'Deny', Principal: '*', Action: action, Resource: `${BUCKET}/*`, Condition: condition }),
  );
  return d.decision === 'explicit-deny';
}

describe('wildcard matching', () => {
  test('actions match case-insensitively with * and ?', () => {
    expect(actionMatch('s3:Put*', 's3:PutObject')).toBe(true);
    expect(actionMatch('S3:GETOBJECT', 's3:GetObject')).toBe(true);
    expect(actionMatch('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(actionMatch('s3:?etObject', 's3:PutObjectRetention')).toBe(false);
    expect(actionMatch('s3:*Object', 's3:DeleteObject')).toBe(true);
    expect(actionMatch('s3:*Object', 's3:DeleteObjectVersion')).toBe(false);
    expect(actionMatch('*', 'kms:GenerateDataKey')).toBe(true);
  });

  test('globs treat regex metacharacters literally', () => {
    expect(globMatch('a.b+c', 'a.b+c')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('(x)|[y]', '(x)|[y]')).toBe(true);
  });

  test('ARNs match per segment, case-sensitively', () => {
    expect(arnMatch(`${BUCKET}/sales/*`, OBJECT)).toBe(true);
    expect(arnMatch(`${BUCKET}/SALES/*`, OBJECT)).toBe(false);
    expect(arnMatch(`${BUCKET}/hr/*`, OBJECT)).toBe(false);
    expect(arnMatch('arn:aws:s3:::*', OBJECT)).toBe(true);
    expect(arnMatch('arn:*:s3:::lake-?lean/*', OBJECT)).toBe(true);
    expect(arnMatch('*', OBJECT)).toBe(true);
    expect(arnMatch(`arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/*`, ROLE)).toBe(true);
    expect(arnMatch(`arn:aws:iam::${ACCOUNT}:role/lakehouse/prod/pipeline/*`, ROLE)).toBe(false);
    // A wildcard in one segment does not swallow the colons of other segments.
    expect(arnMatch('arn:aws:iam::*:*', ROLE)).toBe(true);
    expect(arnMatch('arn:aws:iam::*:role/x*', ROLE)).toBe(false);
  });

  test('fails if an ARN pattern is not an ARN', () => {
    expect(() => arnMatch('lake-clean/*', OBJECT)).toThrow(GovernanceEvaluationError);
    expect(() => arnMatch('arn:aws:s3', OBJECT)).toThrow(/not an ARN pattern/);
    // Fewer than six segments: AWS does not document a meaning, so the proof refuses.
    expect(() => arnMatch('arn:aws:iam::*', ROLE)).toThrow(/not an ARN pattern/);
  });
});

describe('statement matching and decisions', () => {
  test('an identity allow allows; nothing is an implicit deny', () => {
    expect(evaluateSameAccount(request(), identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/sales/*` }), []).decision).toBe('allow');
    expect(evaluateSameAccount(request(), [], []).decision).toBe('implicit-deny');
  });

  test('explicit deny beats allow, in either policy', () => {
    const allow = identity(ALLOW_ALL_S3);
    const identityDeny = evaluateSameAccount(request(), [...allow, ...identity({ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' })], []);
    expect(identityDeny).toMatchObject({ decision: 'explicit-deny', allowed: false, deniedBy: ['Test/Identity#0'] });
    const resourceDeny = evaluateSameAccount(
      request(),
      allow,
      resource({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }, { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:Get*', Resource: `${BUCKET}/*` }),
    );
    expect(resourceDeny).toMatchObject({ decision: 'explicit-deny', allowedBy: ['Test/Identity#0', 'Test/Bucket#0'], deniedBy: ['Test/Bucket#1'] });
  });

  test('a bucket policy naming the role allows without an identity policy (same account)', () => {
    const d = evaluateSameAccount(request(), [], resource({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }));
    expect(d).toMatchObject({ decision: 'allow', allowedBy: ['Test/Bucket#0'] });
  });

  test('a bucket policy naming only the account delegates to IAM and grants nothing by itself', () => {
    const bucketPolicy = resource({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluateSameAccount(request(), [], bucketPolicy).decision).toBe('implicit-deny');
    expect(evaluateSameAccount(request(), identity(ALLOW_ALL_S3), bucketPolicy).decision).toBe('allow');
  });

  test('a deny naming the account applies to its roles', () => {
    const d = evaluateSameAccount(request(), identity(ALLOW_ALL_S3), resource({ Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject', Resource: `${BUCKET}/*` }));
    expect(d.decision).toBe('explicit-deny');
  });

  test('Principal "*" covers the role; a service principal or another role does not', () => {
    const statement = (principal: unknown) => resource({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `${BUCKET}/*` });
    expect(evaluateSameAccount(request(), [], statement('*')).decision).toBe('allow');
    expect(evaluateSameAccount(request(), [], statement({ AWS: '*' })).decision).toBe('allow');
    expect(evaluateSameAccount(request(), [], statement({ Service: 'logging.s3.amazonaws.com' })).decision).toBe('implicit-deny');
    expect(evaluateSameAccount(request(), [], statement({ AWS: OTHER_ROLE })).decision).toBe('implicit-deny');
  });

  test('NotAction matches every action but the listed ones', () => {
    const policy = identity({ Effect: 'Allow', NotAction: ['s3:Delete*', 's3:PutObjectRetention'], Resource: '*' });
    expect(evaluateSameAccount(request({ action: 's3:GetObject' }), policy, []).allowed).toBe(true);
    expect(evaluateSameAccount(request({ action: 's3:DeleteObjectVersion' }), policy, []).allowed).toBe(false);
    expect(evaluateSameAccount(request({ action: 's3:PutObjectRetention' }), policy, []).allowed).toBe(false);
  });

  test('NotResource matches every resource but the listed ones', () => {
    const policy = [...identity(ALLOW_ALL_S3), ...identity({ Effect: 'Deny', Action: 's3:*', NotResource: `${BUCKET}/sales/*` })];
    expect(evaluateSameAccount(request({ resource: OBJECT }), policy, []).allowed).toBe(true);
    expect(evaluateSameAccount(request({ resource: `${BUCKET}/hr/salaries.csv` }), policy, []).decision).toBe('explicit-deny');
  });

  test('NotPrincipal exempts the role only when its account is listed too', () => {
    const notPrincipal = (aws: string[]) => resource({ Effect: 'Deny', NotPrincipal: { AWS: aws }, Action: 's3:*', Resource: `${BUCKET}/*` });
    expect(evaluateSameAccount(request(), identity(ALLOW_ALL_S3), notPrincipal([ROLE, ROOT])).decision).toBe('allow');
    expect(evaluateSameAccount(request(), identity(ALLOW_ALL_S3), notPrincipal([OTHER_ROLE, ROOT])).decision).toBe('explicit-deny');
    expect(() => evaluateSameAccount(request(), identity(ALLOW_ALL_S3), notPrincipal([ROLE]))).toThrow(/names the role but not its account/);
  });

  test('KMS: the key policy must allow the role, directly or by enabling IAM', () => {
    const kmsRequest = request({ action: 'kms:GenerateDataKey', resource: KEY });
    const root = resource({ Sid: 'EnableIam', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' });
    const grant = identity({ Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: KEY });
    expect(evaluateKms(kmsRequest, grant, root)).toMatchObject({ decision: 'allow', allowedBy: ['Test/Bucket#0', 'Test/Identity#0'] });
    expect(evaluateKms(kmsRequest, [], root).decision).toBe('implicit-deny');
    expect(evaluateKms(kmsRequest, grant, resource({ Effect: 'Allow', Principal: { AWS: OTHER_ROLE }, Action: 'kms:*', Resource: '*' })).decision).toBe('implicit-deny');
    expect(evaluateKms(kmsRequest, [], resource({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:GenerateDataKey', Resource: '*' })).decision).toBe('allow');
    expect(evaluateKms(kmsRequest, grant, [...root, ...resource({ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' })]).decision).toBe('explicit-deny');
  });

  test("KMS: a LakehouseKey's grant limit and CloudWatch Logs statements do not apply to S3's GenerateDataKey, whatever their condition keys", () => {
    // kms:GrantIsForAWSResource and kms:EncryptionContext:aws:logs:arn are not in the request context:
    // the evaluator must decide by action (Deny on kms:CreateGrant) and principal (the logs service)
    // before it reads a condition, and never fail on them.
    const kmsRequest = request({ action: 'kms:GenerateDataKey', resource: KEY });
    const keyPolicy = resource(
      { Sid: 'EnableIam', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'DenyGrantsExceptForAwsServices', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:CreateGrant', Resource: '*', Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } } },
      { Sid: 'AllowCloudWatchLogsOfThisAccountAndRegion', Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*', Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*` } } },
    );
    const grant = identity({ Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: KEY });
    expect(evaluateKms(kmsRequest, grant, keyPolicy)).toMatchObject({ decision: 'allow', allowedBy: ['Test/Bucket#0', 'Test/Identity#0'], deniedBy: [] });
    // Asked for kms:CreateGrant, the proof would need kms:GrantIsForAWSResource and fails loudly instead of guessing.
    expect(() => evaluateKms(request({ action: 'kms:CreateGrant', resource: KEY }), grant, keyPolicy)).toThrow(/kms:GrantIsForAWSResource/);
  });
});

describe('condition operators', () => {
  const cases: Array<[string, object, Partial<RequestContext>, boolean]> = [
    ['StringEquals match', { StringEquals: { 'aws:PrincipalTag/lakehouse:domain': 'sales' } }, {}, true],
    ['StringEquals no match (case-sensitive)', { StringEquals: { 'aws:PrincipalTag/lakehouse:domain': 'Sales' } }, {}, false],
    ['StringEquals values are ORed', { StringEquals: { 'aws:PrincipalTag/lakehouse:domain': ['hr', 'sales'] } }, {}, true],
    ['StringNotEquals', { StringNotEquals: { 'aws:PrincipalTag/lakehouse:domain': ['hr', 'finance'] } }, {}, true],
    ['StringNotEquals with a listed value', { StringNotEquals: { 'aws:PrincipalTag/lakehouse:domain': ['hr', 'sales'] } }, {}, false],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:PrincipalTag/lakehouse:domain': 'SALES' } }, {}, true],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/lakehouse:domain': 'SALES' } }, {}, false],
    ['StringLike', { StringLike: { 'aws:PrincipalArn': '*/pipeline/*' } }, {}, true],
    ['StringLike ?', { StringLike: { 'aws:PrincipalTag/lakehouse:domain': 's?les' } }, {}, true],
    ['StringNotLike', { StringNotLike: { 'aws:PrincipalArn': '*/analyst/*' } }, {}, true],
    ['ArnLike', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/*` } }, {}, true],
    ['ArnNotLike on the pipeline path', { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/*` } }, {}, false],
    ['ArnNotLike on another path', { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/lakehouse/prod/pipeline/*` } }, {}, true],
    ['ArnEquals', { ArnEquals: { 'aws:PrincipalArn': ROLE } }, {}, true],
    ['ArnNotEquals', { ArnNotEquals: { 'aws:PrincipalArn': ROLE } }, {}, false],
    ['Bool', { Bool: { 'aws:SecureTransport': 'false' } }, {}, false],
    ['Bool true (boolean value)', { Bool: { 'aws:SecureTransport': true } }, {}, true],
    ['NumericLessThan', { NumericLessThan: { 's3:TlsVersion': 1.2 } }, {}, false],
    ['NumericLessThan with TLS 1.1', { NumericLessThan: { 's3:TlsVersion': 1.2 } }, { values: { 's3:TlsVersion': '1.1' } }, true],
    ['NumericLessThanEquals', { NumericLessThanEquals: { 's3:TlsVersion': '1.3' } }, {}, true],
    ['NumericGreaterThan', { NumericGreaterThan: { 's3:TlsVersion': '1.3' } }, {}, false],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 's3:TlsVersion': '1.3' } }, {}, true],
    ['NumericEquals', { NumericEquals: { 's3:TlsVersion': '1.30' } }, {}, true],
    ['NumericNotEquals', { NumericNotEquals: { 's3:TlsVersion': '1.2' } }, {}, true],
    ['Numeric with a non-numeric context value does not match', { NumericLessThan: { 's3:TlsVersion': '1.2' } }, { values: { 's3:TlsVersion': 'tls' } }, false],
    ['Null true on an absent key', { Null: { 's3:if-none-match': 'true' } }, {}, true],
    ['Null true on a present key', { Null: { 's3:if-none-match': 'true' } }, { values: { 's3:if-none-match': '*' }, absent: [] }, false],
    ['Null false on a present key', { Null: { 's3:if-none-match': 'false' } }, { values: { 's3:if-none-match': '*' }, absent: [] }, true],
    ['Null false on an absent key', { Null: { 's3:if-none-match': 'false' } }, {}, false],
    ['positive operator on an absent key does not match', { StringEquals: { 's3:if-none-match': '*' } }, {}, false],
    ['negated operator on an absent key matches', { StringNotEquals: { 's3:if-none-match': '*' } }, {}, true],
    ['ArnNotLike on an absent key matches', { ArnNotLike: { 'aws:PrincipalTag/team': 'arn:aws:iam::*:*' } }, {}, true],
    ['NumericNotEquals on an absent key matches', { NumericNotEquals: { 's3:if-none-match': '1' } }, {}, true],
    ['Bool on an absent key does not match', { Bool: { 's3:if-none-match': 'true' } }, {}, false],
    ['IfExists on an absent key matches', { StringEqualsIfExists: { 's3:if-none-match': 'x' } }, {}, true],
    ['IfExists on a present key compares', { StringEqualsIfExists: { 's3:if-none-match': 'x' } }, { values: { 's3:if-none-match': '*' }, absent: [] }, false],
    ['StringNotEqualsIfExists on a present key', { StringNotEqualsIfExists: { 's3:if-none-match': 'x' } }, { values: { 's3:if-none-match': '*' }, absent: [] }, true],
    ['ArnNotLikeIfExists on a present matching key', { ArnNotLikeIfExists: { 'aws:PrincipalArn': ROLE } }, {}, false],
    ['several keys are ANDed', { StringEquals: { 'aws:PrincipalTag/lakehouse:domain': 'sales', 'aws:SecureTransport': 'false' } }, {}, false],
    ['several operators are ANDed', { StringEquals: { 'aws:PrincipalTag/lakehouse:domain': 'sales' }, Bool: { 'aws:SecureTransport': 'true' } }, {}, true],
    ['condition keys are case-insensitive', { StringEquals: { 'AWS:principaltag/LAKEHOUSE:DOMAIN': 'sales' } }, {}, true],
    ['ForAnyValue on a multi-valued key', { 'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': 'pii*' } }, { values: { 's3:RequestObjectTagKeys': ['owner', 'pii-level'] } }, true],
    ['ForAllValues on a multi-valued key', { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['owner', 'team'] } }, { values: { 's3:RequestObjectTagKeys': ['owner', 'pii-level'] } }, false],
    ['ForAllValues on an absent key matches', { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': 'owner' } }, { absent: ['s3:RequestObjectTagKeys', 's3:if-none-match'] }, true],
    ['ForAnyValue on an absent key does not match', { 'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': 'owner' } }, { absent: ['s3:RequestObjectTagKeys', 's3:if-none-match'] }, false],
    ['ForAnyValue:StringNotEquals', { 'ForAnyValue:StringNotEquals': { 's3:RequestObjectTagKeys': 'owner' } }, { values: { 's3:RequestObjectTagKeys': ['owner', 'team'] } }, true],
  ];
  test.each(cases)('%s', (_name, condition, context, expected) => {
    expect(denyApplies(condition, context)).toBe(expected);
  });
});

describe('loud failures', () => {
  test('fails if a condition operator is unsupported', () => {
    for (const operator of ['DateGreaterThan', 'IpAddress', 'BinaryEquals', 'StringEqualsAnything', 'NullIfExists']) {
      expect(() => resource({ Sid: 'Odd', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { [operator]: { 'aws:SecureTransport': 'x' } } })).toThrow(
        new RegExp(`Test/Bucket#0.*Condition\\.${operator}`),
      );
    }
  });

  test('fails if a condition key is not modelled, naming the statement and key', () => {
    let error: unknown;
    try {
      denyApplies({ StringEquals: { 'aws:SourceVpce': 'vpce-1' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GovernanceEvaluationError);
    expect((error as GovernanceEvaluationError).where).toBe('Test/Bucket#0');
    expect((error as Error).message).toMatch(/aws:SourceVpce/);
  });

  test('keys under a complete prefix are absent, not unknown', () => {
    expect(denyApplies({ StringEquals: { 'aws:PrincipalTag/team': 'x' } })).toBe(false);
  });

  test('fails if a decision depends on an unresolved value, and only then', () => {
    const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: [new UnresolvedValue('parameter BucketArn'), `${BUCKET}/sales/*`] };
    expect(evaluateSameAccount(request(), identity(statement), []).allowed).toBe(true);
    expect(() => evaluateSameAccount(request({ resource: `${BUCKET}/hr/x` }), identity(statement), [])).toThrow(/parameter BucketArn/);
  });

  test('fails on policy variables', () => {
    expect(() => evaluateSameAccount(request(), identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/\${aws:username}/*` }), [])).toThrow(/policy variables/);
  });

  test('fails on malformed statements', () => {
    expect(() => identity({ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' })).toThrow(/identity policies cannot name a principal/);
    expect(() => identity({ Effect: 'Allow', Action: 's3:*' })).toThrow(/Resource and NotResource/);
    expect(() => identity({ Effect: 'Allow', Action: 's3:*', NotAction: 's3:Get*', Resource: '*' })).toThrow(/Action and NotAction/);
    expect(() => identity({ Effect: 'Maybe', Action: 's3:*', Resource: '*' })).toThrow(/Effect/);
    expect(() => resource({ Effect: 'Allow', Action: 's3:*', Resource: '*' })).toThrow(/Principal and NotPrincipal/);
    expect(() => identity({ Effect: 'Allow', Action: 's3:*', Resource: '*', Extra: 1 })).toThrow(/unknown statement element/);
    expect(() => resource({ Effect: 'Allow', Principal: { Group: 'x' }, Action: 's3:*', Resource: '*' })).toThrow(/unknown principal type/);
  });

  test('fails on principal wildcards it cannot match against a role', () => {
    expect(() => evaluateSameAccount(request(), [], resource({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/*` }, Action: 's3:*', Resource: '*' }))).toThrow(/principal wildcards/);
  });
});
