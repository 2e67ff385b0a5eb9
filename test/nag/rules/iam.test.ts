import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { findings, newStack } from '../helpers';

const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function doc(statement: object): object {
  return { Version: '2012-10-17', Statement: [statement] };
}

describe('DataOps-IAMNoWildcardAction', () => {
  const RULE = 'DataOps-IAMNoWildcardAction';
  test('Noncompliance 1: AWS::IAM::Policy allowing "*"', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', { policyName: 'p', roles: ['r'], policyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Noncompliance 2: managed policy allowing "*:*" among other actions', () => {
    const stack = newStack();
    new CfnManagedPolicy(stack, 'rPolicy', {
      policyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject', '*:*'], Resource: '*' }),
    });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Noncompliance 3: role inline policy allowing "*"', () => {
    const stack = newStack();
    new CfnRole(stack, 'rRole', {
      assumeRolePolicyDocument: TRUST,
      policies: [{ policyName: 'admin', policyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
    });
    expect(findings(stack, RULE)).toEqual(['Test/rRole']);
  });
  test('Noncompliance 4: Allow with NotAction', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Compliance 1: Deny "*"', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', { policyName: 'p', roles: ['r'], policyDocument: doc({ Effect: 'Deny', Action: '*', Resource: '*' }) });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: named actions', () => {
    const stack = newStack();
    new CfnRole(stack, 'rRole', {
      assumeRolePolicyDocument: TRUST,
      policies: [{ policyName: 'read', policyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }) }],
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-IAMNoS3WildcardAction', () => {
  const RULE = 'DataOps-IAMNoS3WildcardAction';
  test('Noncompliance 1: identity policy allowing s3:*', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc({ Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::raw/*' }),
    });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Noncompliance 2: role inline policy allowing S3:* (any case)', () => {
    const stack = newStack();
    new CfnRole(stack, 'rRole', {
      assumeRolePolicyDocument: TRUST,
      policies: [{ policyName: 's3', policyDocument: doc({ Effect: 'Allow', Action: 'S3:*', Resource: '*' }) }],
    });
    expect(findings(stack, RULE)).toEqual(['Test/rRole']);
  });
  test('Noncompliance 3: bucket policy allowing s3:*', () => {
    const stack = newStack();
    new CfnBucketPolicy(stack, 'rBucketPolicy', {
      bucket: 'raw',
      policyDocument: doc({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 's3:*',
        Resource: 'arn:aws:s3:::raw/*',
      }),
    });
    expect(findings(stack, RULE)).toEqual(['Test/rBucketPolicy']);
  });
  test('Compliance 1: the enforce-SSL Deny s3:* statement of a bucket policy', () => {
    const stack = newStack();
    new Bucket(stack, 'Bucket', { enforceSSL: true, blockPublicAccess: BlockPublicAccess.BLOCK_ALL });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: named S3 actions', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-IAMResourceStarOnlyUnscopable', () => {
  const RULE = 'DataOps-IAMResourceStarOnlyUnscopable';
  test('Noncompliance 1: an action with resource-level permissions on "*"', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', { policyName: 'p', roles: ['r'], policyDocument: doc({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'secretsmanager:GetSecretValue'], Resource: '*' }) });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Noncompliance 2: role inline policy with NotResource', () => {
    const stack = newStack();
    new CfnRole(stack, 'rRole', {
      assumeRolePolicyDocument: TRUST,
      policies: [{ policyName: 'p', policyDocument: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', NotResource: 'arn:aws:sqs:eu-west-1:111111111111:q' }) }],
    });
    expect(findings(stack, RULE)).toEqual(['Test/rRole']);
  });
  test('Noncompliance 3: "*" among other resources in a managed policy', () => {
    const stack = newStack();
    new CfnManagedPolicy(stack, 'rPolicy', { policyDocument: doc({ Effect: 'Allow', Action: 'glue:GetTable', Resource: ['arn:aws:glue:eu-west-1:111111111111:catalog', '*'] }) });
    expect(findings(stack, RULE)).toEqual(['Test/rPolicy']);
  });
  test('Compliance 1: X-Ray and log-delivery actions on "*"', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: doc({ Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups'], Resource: '*' }),
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: scoped resources, and a Deny on "*"', () => {
    const stack = newStack();
    new CfnPolicy(stack, 'rPolicy', {
      policyName: 'p',
      roles: ['r'],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k/*' },
          { Effect: 'Deny', Action: 's3:*', Resource: '*' },
        ],
      },
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
