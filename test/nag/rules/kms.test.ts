import { CfnKey } from 'aws-cdk-lib/aws-kms';
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
