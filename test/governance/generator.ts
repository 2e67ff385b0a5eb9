/**
 * A seeded generator of policy-evaluation cases for the differential tests: statements mixing
 * Allow/Deny, Action/NotAction, Resource/NotResource, Principal/NotPrincipal and the supported
 * condition operators (with IfExists and set prefixes), and request contexts over the same keys.
 */
import { AccessRequest, RequestContext } from '../../lib/governance';

export const ACCOUNT = '111111111111';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/sales-etl`;
export const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/analyst/bi`;
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const BUCKET = 'arn:aws:s3:::lake-clean';

export interface GeneratedCase {
  readonly index: number;
  readonly identity: Record<string, unknown>[];
  readonly resource: Record<string, unknown>[];
  readonly request: AccessRequest;
  /** Operators used, for coverage assertions. */
  readonly operators: string[];
}

const REQUEST_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'];
const ACTION_PATTERNS = ['s3:GetObject', 's3:PutObject', 's3:Put*', 's3:*Object', 's3:Delete*', 's3:*', '*', 's3:?etObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention', 'kms:*', 'S3:putobject'];
const REQUEST_RESOURCES = [`${BUCKET}/sales/data.csv`, `${BUCKET}/hr/payroll.csv`, 'arn:aws:s3:::other/sales/data.csv', `${BUCKET}/sales/xdata1`];
const RESOURCE_PATTERNS = [`${BUCKET}/*`, `${BUCKET}/sales/*`, `${BUCKET}/sales/?data*`, 'arn:aws:s3:::*', '*', 'arn:aws:s3:::other/*', 'arn:aws:s3:::lake-*/*', `${BUCKET}/hr/*`, `${BUCKET}/sales/data.csv`, 'arn:aws:s3:::lake-clean'];
const PRINCIPALS: unknown[] = ['*', { AWS: '*' }, { AWS: ROLE }, { AWS: OTHER_ROLE }, { AWS: ROOT }, { AWS: ACCOUNT }, { Service: 'logging.s3.amazonaws.com' }, { AWS: [OTHER_ROLE, ROLE] }];
const NOT_PRINCIPALS: unknown[] = [{ AWS: [ROLE, ROOT] }, { AWS: [OTHER_ROLE, ROOT] }, { AWS: [OTHER_ROLE] }, { AWS: ROLE }];

type Family = 'String' | 'Arn' | 'Bool' | 'Numeric' | 'Null';
const OPERATORS: Record<Family, string[]> = {
  String: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  Arn: ['ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike'],
  Bool: ['Bool'],
  Numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  Null: ['Null'],
};
const KEYS: Record<Exclude<Family, 'Null'>, Array<{ key: string; values: string[] }>> = {
  String: [
    { key: 'aws:PrincipalTag/team', values: ['data', 'Data', 'ops', 'd*', 'o?s'] },
    { key: 's3:x-amz-server-side-encryption', values: ['aws:kms', 'AES256', 'aws:*'] },
    { key: 's3:if-none-match', values: ['*', 'x'] },
    { key: 'aws:PrincipalArn', values: [ROLE, '*/pipeline/*', '*analyst*'] },
  ],
  Arn: [{ key: 'aws:PrincipalArn', values: [ROLE, `arn:aws:iam::${ACCOUNT}:role/lakehouse/dev/pipeline/*`, `arn:aws:iam::${ACCOUNT}:role/lakehouse/prod/*`, 'arn:aws:iam::*:role/*', 'arn:*:iam::*:role/lakehouse/dev/???????/*'] }],
  Bool: [{ key: 'aws:SecureTransport', values: ['true', 'false'] }],
  Numeric: [{ key: 's3:TlsVersion', values: ['1.2', '1.3', '1.1', '1.30'] }],
};
const ALL_KEYS = ['aws:PrincipalTag/team', 's3:x-amz-server-side-encryption', 's3:if-none-match', 'aws:PrincipalArn', 'aws:SecureTransport', 's3:TlsVersion', 's3:RequestObjectTagKeys'];

export function generateCase(random: () => number, index: number): GeneratedCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const some = <T>(items: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(random() * max);
    return [...new Set(Array.from({ length: n }, () => pick(items)))];
  };
  const operators: string[] = [];

  const condition = (): Record<string, Record<string, unknown>> | undefined => {
    if (random() < 0.3) return undefined;
    const out: Record<string, Record<string, unknown>> = {};
    const blocks = 1 + Math.floor(random() * 2);
    for (let b = 0; b < blocks; b++) {
      if (random() < 0.12) {
        // Set operators over a multi-valued key.
        const op = `${pick(['ForAnyValue:', 'ForAllValues:'])}${pick(OPERATORS.String)}`;
        operators.push(op);
        out[op] = { 's3:RequestObjectTagKeys': some(['owner', 'pii', 'p*', 'team'], 2) };
        continue;
      }
      const family = pick<Family>(['String', 'String', 'Arn', 'Bool', 'Numeric', 'Null']);
      const base = pick(OPERATORS[family]);
      const op = family !== 'Null' && random() < 0.3 ? `${base}IfExists` : base;
      operators.push(op);
      const block: Record<string, unknown> = out[op] ?? {};
      if (family === 'Null') {
        block[pick(ALL_KEYS.filter((k) => k !== 's3:RequestObjectTagKeys'))] = pick(['true', 'false']);
      } else {
        const spec = pick(KEYS[family]);
        const values = some(spec.values, 2);
        // Exact-match operators get literal values; Like operators may get wildcards.
        const literal = /Equals/.test(base) ? values.filter((v) => !v.includes('*') && !v.includes('?')) : values;
        block[spec.key] = literal.length === 0 ? spec.values[0] : literal.length === 1 ? literal[0] : literal;
      }
      out[op] = block;
    }
    return out;
  };

  const statement = (kind: 'identity' | 'resource', i: number): Record<string, unknown> => {
    const s: Record<string, unknown> = { Sid: `S${i}`, Effect: random() < 0.6 ? 'Allow' : 'Deny' };
    const actions = some(ACTION_PATTERNS, 3);
    if (random() < 0.2) s.NotAction = actions;
    else s.Action = actions.length === 1 ? actions[0] : actions;
    const resources = some(RESOURCE_PATTERNS, 2);
    if (random() < 0.2) s.NotResource = resources;
    else s.Resource = resources.length === 1 ? resources[0] : resources;
    if (kind === 'resource') {
      if (random() < 0.15 && s.Effect === 'Deny') s.NotPrincipal = pick(NOT_PRINCIPALS);
      else s.Principal = pick(PRINCIPALS);
    }
    const c = condition();
    if (c) s.Condition = c;
    return s;
  };

  const identity = Array.from({ length: Math.floor(random() * 3) + (random() < 0.85 ? 1 : 0) }, (_, i) => statement('identity', i));
  const resource = Array.from({ length: Math.floor(random() * 3) }, (_, i) => statement('resource', i));

  const action = pick(REQUEST_ACTIONS);
  const values: Record<string, string | string[]> = {
    'aws:PrincipalArn': ROLE,
    'aws:SecureTransport': random() < 0.8 ? 'true' : 'false',
    's3:TlsVersion': pick(['1.3', '1.2', '1.1']),
  };
  if (random() < 0.6) values['aws:PrincipalTag/team'] = pick(['data', 'ops']);
  if (action === 's3:PutObject') {
    if (random() < 0.7) values['s3:x-amz-server-side-encryption'] = pick(['aws:kms', 'AES256']);
    if (random() < 0.5) values['s3:if-none-match'] = '*';
    if (random() < 0.4) values['s3:RequestObjectTagKeys'] = some(['owner', 'pii', 'team'], 2);
  }
  const context: RequestContext = {
    values,
    absent: ALL_KEYS.filter((k) => !(k in values)),
    completePrefixes: ['aws:PrincipalTag/'],
  };
  return { index, identity, resource, request: { principalArn: ROLE, principalAccount: ACCOUNT, action, resource: pick(REQUEST_RESOURCES), context }, operators };
}
