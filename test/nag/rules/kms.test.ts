import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { LakehouseKey } from '../../../constructs/keys';
import { findings, newStack } from '../helpers';

const ROOT = { AWS: 'arn:aws:iam::123456789012:root' };

function keyPolicy(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: ROOT, Action: 'kms:*', Resource: '*' }, ...statements] };
}

describe('DataOps-KMSKeyRotation', () => {
  const RULE = 'DataOps-KMSKeyRotation';
  test('Noncompliance 1: rotation not set', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy() });
    expect(findings(stack, RULE)).toEqual(['Test/rKey']);
  });
  test('Noncompliance 2: rotation off', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(), enableKeyRotation: false });
    expect(findings(stack, RULE)).toEqual(['Test/rKey']);
  });
  test('Compliance 1: rotation on', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: an asymmetric key is not applicable', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(), keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-KMSNoWildcardPrincipal', () => {
  const RULE = 'DataOps-KMSNoWildcardPrincipal';
  const use = { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*' };
  test.each([
    ['"*"', '*'],
    ['{ AWS: "*" }', { AWS: '*' }],
    ['{ AWS: [role, "*"] }', { AWS: ['arn:aws:iam::123456789012:role/r', '*'] }],
  ])('Noncompliance: Allow for principal %s without a condition', (_name, principal) => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy({ ...use, Principal: principal }), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual(['Test/rKey']);
  });
  test('Compliance 1: wildcard principal narrowed by a condition', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', {
      keyPolicy: keyPolicy({
        ...use,
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      }),
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: named principals only', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy() });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: a Deny statement for "*"', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy({ ...use, Effect: 'Deny', Principal: '*' }) });
    expect(findings(stack, RULE)).toEqual([]);
  });
});

describe('DataOps-KMSGrantsForAwsServicesOnly', () => {
  const RULE = 'DataOps-KMSGrantsForAwsServicesOnly';
  const limit = {
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 'kms:CreateGrant',
    Resource: '*',
    Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  };
  test('Noncompliance 1: no statement about grants', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual(['Test/rKey']);
  });
  test.each([
    ['an Allow', { ...limit, Effect: 'Allow' }],
    ['a Deny of every KMS action', { ...limit, Action: ['kms:CreateGrant', 'kms:Decrypt'] }],
    ['only kms:GrantIsForAWSResource', { ...limit, Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } } }],
    ['Bool instead of BoolIfExists', { ...limit, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } } }],
    ['a further condition', { ...limit, Condition: { ...limit.Condition, StringEquals: { 'kms:CallerAccount': '123456789012' } } }],
    ['one role instead of everyone', { ...limit, Principal: { AWS: 'arn:aws:iam::123456789012:role/r' } }],
    ['a key instead of *', { ...limit, Resource: 'arn:aws:kms:eu-west-1:123456789012:key/k' }],
  ])('Noncompliance: %s', (_name, statement) => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(statement), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual(['Test/rKey']);
  });
  test('Compliance 1: the Control Tower statement', () => {
    const stack = newStack();
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(limit), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: principal "*", action in a list, keys in another case', () => {
    const stack = newStack();
    const statement = { ...limit, Principal: '*', Action: ['kms:CreateGrant'], Condition: { BoolIfExists: { 'KMS:GrantIsForAWSResource': 'false', 'aws:principalisawsservice': 'false' } } };
    new CfnKey(stack, 'rKey', { keyPolicy: keyPolicy(statement), enableKeyRotation: true });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: a LakehouseKey', () => {
    const stack = newStack();
    new LakehouseKey(stack, 'rKey', { description: 'test' });
    expect(findings(stack, RULE)).toEqual([]);
  });
});
