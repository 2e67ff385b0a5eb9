import 'aws-sdk-client-mock-jest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerTokenKeys, tokenKeysOfSecret } from '../../../../lambda/shared/aws/token-secret';
import { TokenKey } from '../../../../lambda/shared/pipeline/tokens';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:lakehouse/dev/pii-token-key-AbCdEf';
const sm = mockClient(SecretsManagerClient);
beforeEach(() => sm.reset());

const value = (generation: number, key: string) => ({ SecretString: JSON.stringify({ generation, key }) });

describe('SecretsManagerTokenKeys', () => {
  test('reads the key and its generation from the secret the environment names', async () => {
    sm.on(GetSecretValueCommand).resolves(value(2, 'k'.repeat(64)));
    const got = await new SecretsManagerTokenKeys(new SecretsManagerClient({}), ARN).get();
    expect(got.generation).toBe(2);
    expect(got.key.token('a@b.c')).toBe(TokenKey.fromText('k'.repeat(64)).token('a@b.c'));
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
  });

  test('keeps the key for its time to live, then reads it again (a rotation reaches warm containers)', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce(value(1, 'a'.repeat(64))).resolves(value(2, 'b'.repeat(64)));
    let now = 0;
    const keys = new SecretsManagerTokenKeys(new SecretsManagerClient({}), ARN, 1000, () => now);
    expect((await keys.get()).generation).toBe(1);
    now = 999;
    expect((await keys.get()).generation).toBe(1);
    now = 1000;
    expect((await keys.get()).generation).toBe(2);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  test('a failed read is not kept', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(Object.assign(new Error('AccessDenied'), { name: 'AccessDeniedException' })).resolves(value(1, 'c'.repeat(64)));
    const keys = new SecretsManagerTokenKeys(new SecretsManagerClient({}), ARN);
    await expect(keys.get()).rejects.toThrow('AccessDenied');
    expect((await keys.get()).generation).toBe(1);
  });

  test('fails if the value is malformed, naming the secret and never quoting the value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'plain-text-secret-value-never-shown' });
    const run = new SecretsManagerTokenKeys(new SecretsManagerClient({}), ARN).get();
    await expect(run).rejects.toThrow(new RegExp(`${ARN}: the PII token secret is not JSON`));
    await expect(run).rejects.not.toThrow(/plain-text-secret-value-never-shown/);
  });

  test('a function whose environment names no secret has no key source', () => {
    expect(tokenKeysOfSecret(undefined)).toBeUndefined();
    expect(tokenKeysOfSecret(ARN)).toBeInstanceOf(SecretsManagerTokenKeys);
  });
});
