/**
 * PII tokens: HMAC-SHA256 proven with the RFC 4231 test vectors on every engine that makes or
 * reproduces tokens — Node's crypto (the big-file prepare step, the tests), the DuckDB macro (the
 * transform's writing pass) and the README's openssl recipe — and the canonical texts both routes
 * tokenize.
 */
import { execFileSync } from 'node:child_process';
import { inspect } from 'node:util';
import type { Engine } from '../../../../lambda/transform/core/engine';
import {
  HMAC_FUNCTION,
  TOKEN_FUNCTION,
  TokenKey,
  cleanColumns,
  defineTokenFunction,
  parseTokenSecret,
  piiTreatment,
  tokenText,
} from '../../../../lambda/shared/pipeline/tokens';
import { sqlString } from '../../../../lambda/shared/pipeline/rules';
import { CONTRACT_PARAMETER, parseContract } from '../../../../lambda/shared/dataset';
import { CUSTOMERS } from '../../transform/helpers';
import { useEngineAndScratch } from '../../transform/helpers';

let engine: Engine;
useEngineAndScratch((e) => (engine = e));

const hex = (byte: number, n: number) => Buffer.alloc(n, byte);
const text = (s: string) => Buffer.from(s, 'utf8');

/** RFC 4231, section 4 (HMAC-SHA-256): key, data, expected MAC (test case 5 is truncated to 128 bits). */
const RFC_4231: ReadonlyArray<{ case: number; key: Buffer; data: Buffer; mac: string; truncated?: boolean }> = [
  { case: 1, key: hex(0x0b, 20), data: text('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { case: 2, key: text('Jefe'), data: text('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { case: 3, key: hex(0xaa, 20), data: hex(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { case: 4, key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)), data: hex(0xcd, 50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { case: 5, key: hex(0x0c, 20), data: text('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b', truncated: true },
  { case: 6, key: hex(0xaa, 131), data: text('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  {
    case: 7,
    key: hex(0xaa, 131),
    data: text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

const expectMac = (actual: string, v: (typeof RFC_4231)[number]) => expect(v.truncated ? actual.slice(0, v.mac.length) : actual).toBe(v.mac);

describe('RFC 4231 test vectors', () => {
  test.each(RFC_4231.map((v) => [v.case, v]))('case %i: Node (the prepare step)', (_n, v) => {
    expectMac(new TokenKey(v.key).hmac(v.data), v);
  });

  test.each(RFC_4231.map((v) => [v.case, v]))('case %i: the DuckDB macro (the transform)', async (_n, v) => {
    const mac = await engine.withConnection(async (c) => {
      for (const statement of defineTokenFunction(new TokenKey(v.key))) await c.run(statement);
      const r = await c.runAndReadAll(`SELECT ${HMAC_FUNCTION}(unhex('${v.data.toString('hex')}'))`);
      return String(r.getRows()[0][0]);
    });
    expectMac(mac, v);
  });

  test.each(RFC_4231.map((v) => [v.case, v]))("case %i: the README's openssl recipe", (_n, v) => {
    const out = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${v.key.toString('hex')}`], { input: v.data }).toString();
    expectMac(out.trim().split('= ').pop()!, v);
  });
});

describe('tokens', () => {
  const key = TokenKey.fromText('a-secret-key-of-the-dev-environment-0123456789');

  test("the DuckDB token of a text is Node's, for ASCII, accents, emoji and NULL", async () => {
    const texts = ['alice@example.com', ' Bob@Example.COM ', 'zoë@exämple.de', '🙂@example.org', '42'];
    const tokens = await engine.withConnection(async (c) => {
      for (const statement of defineTokenFunction(key)) await c.run(statement);
      const r = await c.runAndReadAll(`SELECT ${texts.map((t) => `${TOKEN_FUNCTION}(${sqlString(t)})`).join(', ')}, ${TOKEN_FUNCTION}(NULL)`);
      return r.getRows()[0].map((v) => (v === null ? null : String(v)));
    });
    expect(tokens).toEqual([...texts.map((t) => key.token(t)), null]);
    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  test("the README's recipe reproduces a token from the key's text (openssl -hmac)", () => {
    const keyText = 'Xq7dK2pL9vR4tY8wZ1aB5cD3eF6gH0jM2nP4rS7uV9xZ1bC3dE5fG7hJ9kL1mN3';
    const out = execFileSync('openssl', ['dgst', '-sha256', '-hmac', keyText], { input: Buffer.from('zoë@exämple.de', 'utf8') }).toString();
    expect(out.trim().split('= ').pop()).toBe(TokenKey.fromText(keyText).token('zoë@exämple.de'));
  });

  test('another key gives other tokens', () => {
    expect(TokenKey.fromText('another-key-of-the-prod-environment-987654321').token('alice@example.com')).not.toBe(key.token('alice@example.com'));
  });

  test('the key never prints: JSON, inspect and string forms hide it', () => {
    const secret = 'never-print-me-0123456789abcdef0123456789';
    const k = TokenKey.fromText(secret);
    expect(JSON.stringify({ k })).not.toContain(secret);
    expect(inspect(k)).not.toContain(secret);
    expect(`${String(k)}`).not.toContain(secret);
    expect(defineTokenFunction(k).join('\n')).not.toContain(Buffer.from(secret).toString('hex'));
  });

  test('the canonical text is the value clean would store', () => {
    expect(tokenText({ type: 'string' }, ' a@b.c ')).toBe(' a@b.c ');
    expect(tokenText({ type: 'string', allowedValues: ['x'] }, ' x\t')).toBe('x');
    expect(tokenText({ type: 'string' }, '')).toBeNull();
    expect(tokenText({ type: 'string' }, null)).toBeNull();
    expect(tokenText({ type: 'bigint' }, ' +0012 ')).toBe('12');
    expect(tokenText({ type: 'int' }, '-0')).toBe('0');
    expect(tokenText({ type: 'bigint' }, '9223372036854775807')).toBe('9223372036854775807');
    expect(tokenText({ type: 'bigint' }, '12.5')).toBeNull();
    expect(() => tokenText({ type: 'timestamp' }, '2024-01-01T00:00:00Z')).toThrow(/cannot be tokenized/);
  });

  test('clean holds tokens as strings and no dropped column', () => {
    const columns = [
      { name: 'id', type: 'bigint' as const },
      { name: 'email', type: 'string' as const, pii: true },
      { name: 'user_id', type: 'bigint' as const, pii: true },
      { name: 'birth_date', type: 'date' as const, pii: 'drop' as const },
    ];
    expect(cleanColumns(columns).map((c) => `${c.name}:${c.type}`)).toEqual(['id:bigint', 'email:string', 'user_id:string']);
    expect(columns.map((c) => piiTreatment(c))).toEqual([undefined, 'token', 'token', 'drop']);
  });
});

describe('the contract as the functions read it', () => {
  test('keeps pii declarations, and fails rather than let a misunderstood one through in clear', () => {
    expect(parseContract(JSON.stringify(CUSTOMERS)).columns.map((c) => piiTreatment(c))).toEqual([undefined, 'token', 'token', 'token', 'drop', undefined]);
    const withPii = (pii: unknown, type = 'string') => JSON.stringify({ ...CUSTOMERS, columns: [...CUSTOMERS.columns, { name: 'x', type, pii }] });
    expect(() => parseContract(withPii('mask'))).toThrow(`${CONTRACT_PARAMETER}: column x has unknown pii "mask"`);
    expect(() => parseContract(withPii(true, 'timestamp'))).toThrow(/column x is pii but a timestamp cannot be tokenized/);
  });
});

describe('the token secret', () => {
  test('is read from its JSON form', () => {
    const { generation, key } = parseTokenSecret(JSON.stringify({ generation: 2, key: 'k'.repeat(64) }), 'secret');
    expect(generation).toBe(2);
    expect(key.token('x')).toBe(TokenKey.fromText('k'.repeat(64)).token('x'));
  });

  test.each([
    ['not JSON', 'not-json-but-a-secret-value-0123456789', /is not JSON \(its value is not shown\)/],
    ['a short key', JSON.stringify({ generation: 1, key: 'short-secret-value' }), /lacks "generation".*or "key"/],
    ['no generation', JSON.stringify({ key: 'x'.repeat(40) }), /lacks "generation"/],
  ])('fails if it is %s, without quoting the value', (_name, value, message) => {
    const run = () => parseTokenSecret(value, 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:k');
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(value.includes('"key"') ? JSON.parse(value).key : value);
    }
  });
});
