/**
 * The `TokenKeySource` port (ports.ts) over Secrets Manager: the environment's PII token key, read
 * with `GetSecretValue` (only the clean-stage pipeline roles may: the secret's resource policy) and
 * kept for `ttlMs` per container, so a rotation (README) reaches warm containers within that time.
 * The value is parsed by `parseTokenSecret`, whose errors never quote it; nothing here logs.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseTokenSecret } from '../pipeline/tokens';
import type { TokenKeySource, TokenKeyVersion } from '../ports';

/** How long a container keeps the key before reading it again. */
export const TOKEN_KEY_TTL_MS = 5 * 60_000;

export class SecretsManagerTokenKeys implements TokenKeySource {
  private cached: { readonly key: Promise<TokenKeyVersion>; readonly expires: number } | undefined;

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    /** The secret's ARN (the function's environment names it; never its value). */
    private readonly secretId: string,
    private readonly ttlMs = TOKEN_KEY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<TokenKeyVersion> {
    if (this.cached && this.cached.expires > this.now()) return this.cached.key;
    const key = this.read();
    this.cached = { key, expires: this.now() + this.ttlMs };
    key.catch(() => (this.cached = undefined));
    return key;
  }

  private async read(): Promise<TokenKeyVersion> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    return parseTokenSecret(out.SecretString, this.secretId);
  }
}

/** A function's key source: the secret its environment names, if any (a domain without pii needs none). */
export function tokenKeysOfSecret(secretArn: string | undefined): TokenKeySource | undefined {
  return secretArn ? new SecretsManagerTokenKeys(new SecretsManagerClient({}), secretArn) : undefined;
}
