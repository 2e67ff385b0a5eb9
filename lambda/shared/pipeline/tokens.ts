/**
 * Personal data in clean: a column declared `pii: true` is written as a keyed token, one declared
 * `pii: 'drop'` is not written at all. Both routes and the local runner make the same token for
 * the same value:
 *
 *   token = lower-case hex( HMAC-SHA256( key = UTF-8 bytes of the environment's secret key,
 *                                        message = UTF-8 bytes of the value's canonical text ) )
 *
 * The canonical text is the validated value as clean would have stored it: a `string` as stored
 * (as received, or trimmed when the column has allowed values); an `int`/`bigint` as plain decimal
 * digits with a `-` for negatives (`+0012` → `12`, `-0` → `0`). A missing or empty value stays NULL.
 * The contract's checks run on the clear value first (rules.ts); only a good row's value is
 * tokenized, and only these types can be (other types have no single canonical text both engines
 * print alike): `pii: 'drop'` is the choice for them.
 *
 * - The function route computes the token in DuckDB, in the writing pass (`TOKEN_FUNCTION`, a
 *   macro over DuckDB's `sha256` with the key's HMAC pads in connection variables: see
 *   `defineTokenFunction`).
 * - The big-file route computes it in the prepare step (`tokenText` + `TokenKey.token`, Node's
 *   HMAC), which holds the key, and hands Athena the tokens beside the clear texts: the key never
 *   reaches Athena, whose query text is kept in its query history.
 * - The key is never logged, put in an environment variable, a Glue parameter or an output: the
 *   functions read it from Secrets Manager (`aws/token-secret.ts`), the local runner from
 *   `.lakehouse/` (lib/cli/local.ts).
 *
 * Pure: no AWS SDK, no CDK. Proven with the RFC 4231 test vectors on both engines
 * (test/lambda/shared/pipeline/tokens.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';
import { TOKENIZABLE_TYPES, type ColumnDefinition, type ColumnType, type DatasetContract } from '../dataset';
import { INT_RE, sqlIdent } from './rules';

/** How a column's personal data reaches clean. */
export type PiiTreatment = 'token' | 'drop';

export { TOKENIZABLE_TYPES, isTokenizable } from '../dataset';

/** `token` for `pii: true`, `drop` for `pii: 'drop'`, undefined for other columns. */
export function piiTreatment(col: Pick<ColumnDefinition, 'pii'>): PiiTreatment | undefined {
  if (col.pii === true) return 'token';
  if (col.pii === 'drop') return 'drop';
  return undefined;
}

/** The columns of `contract` whose values clean holds as tokens. */
export function tokenizedColumns(contract: Pick<DatasetContract, 'columns'>): ColumnDefinition[] {
  return contract.columns.filter((c) => piiTreatment(c) === 'token');
}

/**
 * What clean holds of each contract column, in contract order: a dropped column is left out, a
 * tokenized one is a `string` (the token). The Glue clean table, both routes' Parquet files and
 * the local query views all follow it.
 */
export function cleanColumns<C extends Pick<ColumnDefinition, 'name' | 'type' | 'pii'>>(columns: readonly C[]): C[] {
  return columns.filter((c) => piiTreatment(c) !== 'drop').map((c) => (piiTreatment(c) === 'token' ? { ...c, type: 'string' as ColumnType } : c));
}

/** Bytes of one HMAC-SHA256 block. */
const BLOCK = 64;

/** The secret key of an environment's tokens. Its bytes are never printed (see `toJSON`, `inspect`). */
export class TokenKey {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer | Uint8Array) {
    if (bytes.length === 0) throw new Error('a PII token key cannot be empty');
    this.#bytes = Buffer.from(bytes);
  }

  /** The key of a secret string: its UTF-8 bytes. */
  static fromText(text: string): TokenKey {
    return new TokenKey(Buffer.from(text, 'utf8'));
  }

  /** The token of a canonical text (see the module comment). */
  token(text: string): string {
    return this.hmac(Buffer.from(text, 'utf8'));
  }

  /** HMAC-SHA256 of any message, as lower-case hex. */
  hmac(message: Buffer | Uint8Array): string {
    return createHmac('sha256', this.#bytes).update(message).digest('hex');
  }

  /**
   * HMAC's inner and outer pads (RFC 2104): the key (hashed when longer than a block), zero-padded
   * to 64 bytes, XOR 0x36 and XOR 0x5c. HMAC(m) = SHA256(opad ‖ SHA256(ipad ‖ m)).
   */
  pads(): { readonly inner: Buffer; readonly outer: Buffer } {
    const k = this.#bytes.length > BLOCK ? createHash('sha256').update(this.#bytes).digest() : this.#bytes;
    const inner = Buffer.alloc(BLOCK, 0x36);
    const outer = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < k.length; i++) {
      inner[i] ^= k[i];
      outer[i] ^= k[i];
    }
    return { inner, outer };
  }

  toJSON(): string {
    return '[PII token key]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'TokenKey [PII token key]';
  }
}

/**
 * The secret's value, as Secrets Manager holds it: `{"generation": <n>, "key": "<random text>"}`
 * (CloudFormation generates `key`; `generation` changes when the key is rotated, README). Throws a
 * message that never quotes the value.
 */
export function parseTokenSecret(text: string | undefined, where: string): { readonly generation: number; readonly key: TokenKey } {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`${where}: the PII token secret is not JSON (its value is not shown). Fix: it must be {"generation": <n>, "key": "<text>"}, as the platform stack generates it.`);
  }
  const v = value as { generation?: unknown; key?: unknown };
  if (typeof v !== 'object' || v === null || typeof v.key !== 'string' || v.key.length < 32 || !Number.isInteger(v.generation)) {
    throw new Error(`${where}: the PII token secret lacks "generation" (a whole number) or "key" (at least 32 characters). Fix: restore it from the platform stack (README, "Rotating the token key").`);
  }
  return { generation: v.generation as number, key: TokenKey.fromText(v.key) };
}

/** The blanks the rules trim (spaces and tabs), as `trimBlank` in rules.ts. */
const trimBlank = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');
const INT = new RegExp(`^(?:${INT_RE})$`);

/**
 * The canonical text of the value a good row stores for `col`, from the column's text as the
 * rules see it (NULL when absent or empty); NULL when nothing would be stored. Only used for rows
 * the rules find good; for a bad value it may return anything (the row is quarantined).
 */
export function tokenText(col: Pick<ColumnDefinition, 'type' | 'allowedValues'>, text: string | null): string | null {
  if (text === null) return null;
  if (col.type === 'string') {
    // As stored (rules.ts): with allowed values the trimmed text, otherwise as received; empty is missing.
    const stored = col.allowedValues ? trimBlank(text) : text;
    return stored === '' ? null : stored;
  }
  if (col.type === 'int' || col.type === 'bigint') {
    const t = trimBlank(text);
    return INT.test(t) ? BigInt(t).toString() : null;
  }
  throw new Error(`a ${col.type} column cannot be tokenized (only ${TOKENIZABLE_TYPES.join(', ')})`);
}

/** The DuckDB function the writing pass tokenizes with (defined per connection): text → token. */
export const TOKEN_FUNCTION = 'lakehouse_token';
/** The DuckDB function under it: BLOB → HMAC-SHA256 as lower-case hex. */
export const HMAC_FUNCTION = 'lakehouse_hmac';
const INNER_PAD_VARIABLE = 'lakehouse_token_inner_pad';
const OUTER_PAD_VARIABLE = 'lakehouse_token_outer_pad';

/**
 * The statements that define `lakehouse_token(text)` on one DuckDB connection: HMAC-SHA256 with
 * the key's pads in two connection variables, so the macro's text (which errors may quote) holds
 * no key material. Run them on the connection that writes, and nowhere they could be logged.
 */
export function defineTokenFunction(key: TokenKey): string[] {
  const { inner, outer } = key.pads();
  return [
    `SET VARIABLE ${INNER_PAD_VARIABLE} = unhex('${inner.toString('hex')}')`,
    `SET VARIABLE ${OUTER_PAD_VARIABLE} = unhex('${outer.toString('hex')}')`,
    // DuckDB's sha256 takes a BLOB and gives lower-case hex; NULL stays NULL.
    `CREATE OR REPLACE TEMP MACRO ${HMAC_FUNCTION}(m) AS sha256(getvariable('${OUTER_PAD_VARIABLE}') || unhex(sha256(getvariable('${INNER_PAD_VARIABLE}') || m)))`,
    // encode(): the text's UTF-8 bytes.
    `CREATE OR REPLACE TEMP MACRO ${TOKEN_FUNCTION}(v) AS ${HMAC_FUNCTION}(encode(v))`,
  ];
}

/**
 * The SELECT items that put a row's values into clean: `value(col)` is the stored (typed) value's
 * SQL; a tokenized column becomes its token (of the value's text: DuckDB prints integers as plain
 * digits), a dropped one is left out. Columns without `pii` are unchanged.
 */
export function cleanSelectItems(columns: readonly ColumnDefinition[], value: (col: ColumnDefinition) => string): string[] {
  const items: string[] = [];
  for (const col of columns) {
    const treatment = piiTreatment(col);
    if (treatment === 'drop') continue;
    const v = value(col);
    items.push(`${treatment === 'token' ? `${TOKEN_FUNCTION}(CAST(${v} AS VARCHAR))` : v} AS ${sqlIdent(col.name)}`);
  }
  return items;
}
