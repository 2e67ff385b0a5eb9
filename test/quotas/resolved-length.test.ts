import { ASSUMED_LENGTH, arnLength, lengthContext, LengthEstimate, PSEUDO_PARAMETER_LENGTH, resolvedJsonBytes, resolvedLength } from '../../lib/quotas';

const TEMPLATE = {
  Parameters: { Env: { Type: 'String', AllowedValues: ['dev', 'prod', 'staging'] }, Free: { Type: 'String' }, Short: { Type: 'String', MaxLength: 5 } },
  Mappings: { Names: { dev: { name: 'a' }, prod: { name: 'abcdef' } } },
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket' },
    NamedBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'my-bucket' } },
    Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/lakehouse/dev/pipeline/' } },
    Key: { Type: 'AWS::KMS::Key' },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'q']] } } },
    Custom: { Type: 'Custom::Thing' },
  },
};
const ctx = lengthContext(TEMPLATE, 'Lakehouse-dev-Platform');

function length(value: unknown): { length: number; est: LengthEstimate } {
  const est: LengthEstimate = { intrinsics: 0, assumed: 0 };
  return { length: resolvedLength(value, ctx, est), est };
}

describe('resolvedLength: the longest string an intrinsic resolves to', () => {
  test.each([
    ['AWS::AccountId', 12],
    ['AWS::Partition', 10],
    ['AWS::Region', 14],
    ['AWS::URLSuffix', 16],
    ['AWS::StackName', 'Lakehouse-dev-Platform'.length],
  ])('Ref %s: %d', (name, expected) => {
    expect(length({ Ref: name }).length).toBe(expected);
  });

  test('a bucket without a name: 63 characters, its ARN arn:<partition>:s3:::<name>', () => {
    expect(length({ Ref: 'Bucket' }).length).toBe(63);
    expect(length({ 'Fn::GetAtt': ['Bucket', 'Arn'] }).length).toBe('arn:aws-us-gov:s3:::'.length + 63);
  });

  test('a named resource: its literal name, or the bound of the intrinsic that names it', () => {
    expect(length({ Ref: 'NamedBucket' }).length).toBe('my-bucket'.length);
    expect(length({ 'Fn::GetAtt': ['Queue', 'QueueName'] }).length).toBe('Lakehouse-dev-Platform-q'.length);
  });

  test('a role ARN includes its path; a key ARN its 36-character id', () => {
    expect(length({ 'Fn::GetAtt': ['Role', 'Arn'] }).length).toBe('arn:aws-us-gov:iam::123456789012:role/lakehouse/dev/pipeline/'.length + 64);
    expect(length({ 'Fn::GetAtt': ['Key', 'Arn'] }).length).toBe('arn:aws-us-gov:kms:ap-southeast-5:123456789012:key/'.length + 36);
    expect(arnLength('kms', 4 + 36)).toBe('arn:aws-us-gov:kms:ap-southeast-5:123456789012:key/'.length + 36);
  });

  test('Fn::Join adds its parts and delimiters; Fn::Sub its literal text and variables', () => {
    const join = { 'Fn::Join': ['/', ['arn:', { Ref: 'AWS::Partition' }, 'x']] };
    expect(length(join).length).toBe(4 + 10 + 1 + 2);
    // The delimiter counts as a literal does, JSON-escaped UTF-8: `"` is 2 bytes, `é` 2.
    expect(length({ 'Fn::Join': ['"é', ['a', 'b']] }).length).toBe(1 + 1 + 4);
    expect(length({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}' }).length).toBe('arn:'.length + 10 + ':s3:::'.length + 63 + '/${Literal}'.length);
    expect(length({ 'Fn::Sub': ['${A}-${Bucket.Arn}', { A: 'abc' }] }).length).toBe(3 + 1 + 'arn:aws-us-gov:s3:::'.length + 63);
  });

  test('parameters: MaxLength, the longest allowed value, else 4,096', () => {
    expect(length({ Ref: 'Short' }).length).toBe(5);
    expect(length({ Ref: 'Env' }).length).toBe('staging'.length);
    expect(length({ Ref: 'Free' }).length).toBe(4096);
  });

  test('Fn::FindInMap: the value, or the longest value of the mapping', () => {
    expect(length({ 'Fn::FindInMap': ['Names', 'dev', 'name'] }).length).toBe(1);
    expect(length({ 'Fn::FindInMap': ['Names', { Ref: 'Env' }, 'name'] }).length).toBe(6);
  });

  test('unknown shapes count ASSUMED_LENGTH each and are counted as assumed', () => {
    const { length: n, est } = length({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Custom', 'Arn'] }, { 'Fn::ImportValue': 'x' }, { Ref: 'Nowhere' }]] });
    expect(n).toBe(3 * ASSUMED_LENGTH);
    expect(est).toEqual({ intrinsics: 4, assumed: 3 });
  });
});

describe('resolvedJsonBytes: minified JSON bytes with intrinsics at their bounds', () => {
  /** Replaces every intrinsic by a string of exactly its bound: the JSON text must then be exactly the estimate. */
  function substituted(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(substituted);
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return 'z'.repeat(length(value).length);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituted(v)]));
  }

  test('is JSON.stringify length for a literal document (UTF-8 bytes, escapes included)', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Sid: 'é "q"', Effect: 'Deny', Action: ['s3:*'], Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 }, Bool: { x: true } } }] };
    expect(resolvedJsonBytes(doc, ctx, { intrinsics: 0, assumed: 0 })).toBe(Buffer.byteLength(JSON.stringify(doc)));
  });

  test('equals the document with every intrinsic replaced by a string of its bound', () => {
    const doc = {
      Statement: [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Resource: [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] }],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x-${AWS::Region}' } } },
        },
      ],
    };
    expect(resolvedJsonBytes(doc, ctx, { intrinsics: 0, assumed: 0 })).toBe(JSON.stringify(substituted(doc)).length);
  });

  test('the pseudo parameter bounds are the longest known values', () => {
    expect(PSEUDO_PARAMETER_LENGTH['AWS::Region']).toBe('ap-southeast-5'.length);
    expect(PSEUDO_PARAMETER_LENGTH['AWS::Partition']).toBe('aws-us-gov'.length);
    expect(PSEUDO_PARAMETER_LENGTH['AWS::URLSuffix']).toBe('amazonaws.com.cn'.length);
  });
});
