/**
 * The governance proof: for every principal of the app (and three hypothetical ones), decide which
 * S3 actions it can perform on each zone, and judge the answers against the lakehouse's rules.
 *
 * Rules (each violation names principal, action, zone, the probed key and the allowing statements):
 * - `Governance.ProductionWriters`: only pipeline roles may write or delete clean and curated data.
 * - `Governance.RawImmutable`: nobody may delete, re-time or overwrite raw data (a put without
 *   `If-None-Match: *` is an overwrite).
 * - `Governance.OneWayFlow`: over landing(0) → raw(1) → clean(2) → curated(3), an app role with
 *   read set R and write set W must have max(R) < min(W).
 * - `Governance.PrefixIsolation`: a pipeline role writes clean/curated only under `<domain>/`; an
 *   ingest role writes landing/raw only under `<source>/`.
 *
 * Bucket-configuration actions (PutBucketPolicy, DeleteBucketPolicy, PutLifecycleConfiguration)
 * are reported in the matrix but not judged. KMS `GenerateDataKey` on the zone key is reported as
 * extra information; violations rest on the S3 decision alone.
 */
import { FLOW_ORDER, PRODUCTION_ZONES, TAG_KEYS, ZoneName } from '../../lambda/shared/zones';
import {
  AccessRequest,
  CompiledStatement,
  compileStatement,
  Decision,
  DecisionKind,
  evaluateKms,
  evaluateSameAccount,
  globMatch,
  LabeledStatement,
  statementCoversAction,
  RequestContext,
  splitArn,
} from './policy-eval';
import { buildTemplateModel, ModelEnvironment, ModelOptions, ModelPrincipal, ModelZone, PrincipalKind, StackTemplate, TemplateModel } from './template-model';

/** The S3 actions the proof decides. */
export const PROOF_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectRetention',
  's3:BypassGovernanceRetention',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
] as const;
export type ProofAction = (typeof PROOF_ACTIONS)[number];

/** Actions that change or remove data. */
export const DATA_WRITE_ACTIONS: readonly ProofAction[] = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'];

/** Actions on the bucket itself (reported, not judged). */
export const BUCKET_CONFIGURATION_ACTIONS: readonly ProofAction[] = ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration'];

/** `if-none-match`: a create with `If-None-Match: *`; `overwrite`: a put without it. */
export type PutVariant = 'if-none-match' | 'overwrite';

export interface MatrixColumn {
  readonly action: ProofAction;
  readonly variant?: PutVariant;
  readonly label: string;
}

/** The matrix columns: every action, with PutObject asked twice (create and overwrite). */
export const MATRIX_COLUMNS: readonly MatrixColumn[] = PROOF_ACTIONS.flatMap((action): MatrixColumn[] =>
  action === 's3:PutObject'
    ? [
        { action, variant: 'if-none-match', label: 'PutObject (new)' },
        { action, variant: 'overwrite', label: 'PutObject (overwrite)' },
      ]
    : [{ action, label: action.slice(3) }],
);

export const GOVERNANCE_RULES = [
  'Governance.ProductionWriters',
  'Governance.ForbiddenGrants',
  'Governance.RawImmutable',
  'Governance.OneWayFlow',
  'Governance.PrefixIsolation',
] as const;
export type GovernanceRule = (typeof GOVERNANCE_RULES)[number];

export const HYPOTHETICAL_PRINCIPALS = ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role'] as const;

export interface ProofOptions extends ModelOptions {
  /** Qualifier of the CDK bootstrap whose CloudFormation execution role deploys the app. @default 'hnb659fds' */
  readonly bootstrapQualifier?: string;
}

export interface ProbeResult {
  /** The object key probed, or null for bucket actions. */
  readonly key: string | null;
  readonly resource: string;
  readonly decision: DecisionKind;
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
  /**
   * For forbidden actions (non-pipeline app principals' data writes on clean/curated; anyone's
   * deletes and retention changes on raw): the decision of the identity policies alone, without the
   * bucket policy. An `allow` is a grant that only a bucket deny stops.
   */
  readonly identityOnly?: DecisionKind;
}

export interface MatrixCell {
  readonly principal: string;
  readonly zone: ZoneName;
  /** `<stack>/<logicalId>` of the zone bucket. */
  readonly bucket: string;
  readonly action: ProofAction;
  readonly variant?: PutVariant;
  /** allow: every probed key allowed; deny: none; partial: some keys. */
  readonly decision: 'allow' | 'deny' | 'partial';
  readonly probes: readonly ProbeResult[];
}

export interface KmsCell {
  readonly principal: string;
  readonly zone: ZoneName;
  readonly bucket: string;
  readonly key: string;
  readonly action: 'kms:GenerateDataKey';
  readonly decision: DecisionKind;
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
}

export interface PrincipalSummary {
  readonly id: string;
  readonly arn: string;
  readonly kind: PrincipalKind;
  readonly isPipeline: boolean;
  readonly hypothetical: boolean;
  readonly domain?: string;
  readonly source?: string;
  readonly stack?: string;
  readonly logicalId?: string;
}

export interface ZoneSummary {
  readonly id: string;
  readonly zone: ZoneName;
  readonly bucketName: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly encryption: 'kms' | 's3';
  readonly keyArn?: string;
  readonly keysProbed: readonly string[];
}

export interface GovernanceViolation {
  readonly rule: GovernanceRule;
  readonly principal: string;
  readonly principalArn: string;
  readonly action: ProofAction;
  readonly variant?: PutVariant;
  readonly zone: ZoneName;
  readonly bucket: string;
  /** The first probed key the action was allowed on (null for bucket actions). */
  readonly key: string | null;
  /** Statements that allow it: `<stack>/<logicalId>#<Sid or index>`. */
  readonly allowedBy: readonly string[];
  readonly message: string;
  readonly fix: string;
}

export interface ProofResult {
  readonly environment: ModelEnvironment;
  readonly principals: readonly PrincipalSummary[];
  readonly zones: readonly ZoneSummary[];
  readonly matrix: readonly MatrixCell[];
  readonly kms: readonly KmsCell[];
  readonly violations: readonly GovernanceViolation[];
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Principals
// ---------------------------------------------------------------------------------------------

/** The three hypothetical principals every app is judged against. */
export function hypotheticalPrincipals(env: ModelEnvironment, qualifier: string): ModelPrincipal[] {
  const role = (id: string, name: string, statement: Record<string, unknown>): ModelPrincipal => ({
    id,
    arn: `arn:${env.partition}:iam::${env.account}:role/${name}`,
    name,
    path: '/',
    tags: {},
    kind: 'unclassified',
    isPipeline: false,
    hypothetical: true,
    identityStatements: [{ id: `${id}#${String(statement.Sid)}`, statement }],
  });
  return [
    role(HYPOTHETICAL_PRINCIPALS[0], 'governance-proof-same-account-admin', { Sid: 'AllowEverything', Effect: 'Allow', Action: '*', Resource: '*' }),
    role(HYPOTHETICAL_PRINCIPALS[1], 'governance-proof-outside-role', { Sid: 'AllowAllS3', Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    role(HYPOTHETICAL_PRINCIPALS[2], `cdk-${qualifier}-cfn-exec-role-${env.account}-${env.region}`, { Sid: 'AllowEverything', Effect: 'Allow', Action: '*', Resource: '*' }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Probe keys
// ---------------------------------------------------------------------------------------------

const PROBE_LEAF = 'governance-probe';
/** A key under no role's prefix. */
export const FOREIGN_PROBE_KEY = 'governance-probe-foreign/object';

function patternsOf(statements: readonly CompiledStatement[]): string[] {
  return statements.flatMap((s) => [...(s.resources ?? []), ...(s.notResources ?? [])]).filter((p): p is string => typeof p === 'string');
}

/**
 * Keys to probe on a zone: a foreign key, one key under every domain and source prefix, and a
 * witness key for every resource pattern that can name an object of this bucket (each `*` filled
 * in), so a grant on any prefix is exercised.
 */
function probeKeys(zone: ModelZone, statements: readonly CompiledStatement[], prefixes: ReadonlySet<string>): string[] {
  const keys = new Set<string>([FOREIGN_PROBE_KEY]);
  for (const prefix of prefixes) keys.add(`${prefix}/${PROBE_LEAF}/object`);
  for (const pattern of patternsOf(statements)) {
    const parts = splitArn(pattern);
    if (!parts || !globMatch(parts[2], 's3')) continue;
    const slash = parts[5].indexOf('/');
    if (slash < 0) continue;
    if (!globMatch(parts[5].slice(0, slash), zone.bucketName)) continue;
    const key = parts[5].slice(slash + 1).replace(/\*/g, PROBE_LEAF).replace(/\?/g, 'x');
    if (key !== '' && !key.includes('${')) keys.add(key);
  }
  return [...keys].sort();
}

// ---------------------------------------------------------------------------------------------
// Request contexts
// ---------------------------------------------------------------------------------------------

function principalValues(p: ModelPrincipal, env: ModelEnvironment): Record<string, string> {
  const values: Record<string, string> = {
    'aws:PrincipalArn': p.arn,
    'aws:PrincipalAccount': env.account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    'aws:SecureTransport': 'true',
  };
  for (const [k, v] of Object.entries(p.tags)) values[`aws:PrincipalTag/${k}`] = v;
  return values;
}

/** The compliant S3 request: TLS 1.3, and for puts to SSE-KMS zones the zone key named explicitly. */
export function s3Context(p: ModelPrincipal, zone: ModelZone, action: ProofAction, variant: PutVariant | undefined, env: ModelEnvironment): RequestContext {
  const values: Record<string, string> = {
    ...principalValues(p, env),
    'aws:ViaAWSService': 'false',
    'aws:ResourceAccount': env.account,
    's3:ResourceAccount': env.account,
    's3:TlsVersion': '1.3',
  };
  const absent = ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID', 'aws:SourceOrgPaths'];
  if (action === 's3:PutObject' && zone.encryption === 'kms' && zone.key) {
    values['s3:x-amz-server-side-encryption'] = 'aws:kms';
    values['s3:x-amz-server-side-encryption-aws-kms-key-id'] = zone.key.arn;
  } else {
    absent.push('s3:x-amz-server-side-encryption', 's3:x-amz-server-side-encryption-aws-kms-key-id');
  }
  if (action === 's3:PutObject' && variant === 'if-none-match') values['s3:if-none-match'] = '*';
  else absent.push('s3:if-none-match');
  return { values, absent, completePrefixes: ['aws:PrincipalTag/'] };
}

/** S3 asking KMS for a data key on the principal's behalf (SSE-KMS put). */
export function kmsContext(p: ModelPrincipal, env: ModelEnvironment): RequestContext {
  return {
    values: {
      ...principalValues(p, env),
      'aws:ViaAWSService': 'true',
      'kms:CallerAccount': env.account,
      'kms:ViaService': `s3.${env.region}.${env.urlSuffix}`,
    },
    absent: ['aws:SourceArn', 'aws:SourceAccount'],
    completePrefixes: ['aws:PrincipalTag/'],
  };
}

// ---------------------------------------------------------------------------------------------
// Analysis
// ---------------------------------------------------------------------------------------------

const FIXES: Record<GovernanceRule, string> = {
  'Governance.ProductionWriters':
    'Remove the grant, or make the principal a pipeline role (path /lakehouse/<env>/pipeline/, tag lakehouse:role=pipeline) if it is one; keep DenyDataWritesExceptPipelineRoles in the clean and curated bucket policies.',
  'Governance.ForbiddenGrants':
    'Remove the grant: only pipeline roles may be granted writes on clean and curated, and nobody may be granted deletes or retention changes on raw. The bucket policy blocks it today; a grant that only a bucket deny stops is a mistake waiting for that deny to change.',
  'Governance.RawImmutable':
    'Keep the raw bucket policy statements that deny s3:DeleteObject*, s3:PutObjectRetention and s3:BypassGovernanceRetention to everyone and deny s3:PutObject without If-None-Match (Null s3:if-none-match); remove delete and retention grants on raw.',
  'Governance.OneWayFlow': 'Split the role so that each role reads only zones upstream of the zones it writes (landing → raw → clean → curated).',
  'Governance.PrefixIsolation': "Scope the grant to the role's own prefix (zone.grantPipelineWrite(role, { prefix: '<domain>/' }) or zone.grantIngest(role, { prefix: '<source>/' })).",
};

function union(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}

/** Runs the proof over the synthesized templates of an app. */
export function analyseGovernance(stacks: readonly StackTemplate[], options: ProofOptions = {}): ProofResult {
  const model: TemplateModel = buildTemplateModel(stacks, options);
  const env = model.environment;
  const principals = [...model.principals, ...hypotheticalPrincipals(env, options.bootstrapQualifier ?? 'hnb659fds')];

  const identity = new Map<string, CompiledStatement[]>(principals.map((p) => [p.id, p.identityStatements.map((s) => compileStatement(s, 'identity'))]));
  const bucketPolicies = new Map<string, CompiledStatement[]>(model.zones.map((z) => [z.id, z.bucketPolicy.map((s) => compileStatement(s, 'resource'))]));
  const keyPolicies = new Map<string, CompiledStatement[]>(model.keys.map((k) => [k.id, k.keyPolicy.map((s: LabeledStatement) => compileStatement(s, 'resource'))]));

  const prefixes = new Set<string>();
  for (const p of principals) {
    if (p.domain) prefixes.add(p.domain);
    if (p.source) prefixes.add(p.source);
  }
  const allIdentity = [...identity.values()].flat();

  const matrix: MatrixCell[] = [];
  const kms: KmsCell[] = [];
  const zoneSummaries: ZoneSummary[] = [];
  for (const zone of model.zones) {
    const resourceStatements = bucketPolicies.get(zone.id) ?? [];
    const keys = probeKeys(zone, [...allIdentity, ...resourceStatements], prefixes);
    zoneSummaries.push({
      id: zone.id,
      zone: zone.zone,
      bucketName: zone.bucketName,
      stack: zone.stack,
      logicalId: zone.logicalId,
      encryption: zone.encryption,
      keyArn: zone.key?.arn,
      keysProbed: keys,
    });
    const zoneStatementsFor = new Map(PROOF_ACTIONS.map((a) => [a, resourceStatements.filter((st) => statementCoversAction(st, a))]));
    for (const p of principals) {
      const ids = identity.get(p.id) ?? [];
      const identityFor = new Map(PROOF_ACTIONS.map((a) => [a, ids.filter((st) => statementCoversAction(st, a))]));
      for (const column of MATRIX_COLUMNS) {
        const context = s3Context(p, zone, column.action, column.variant, env);
        // Statements whose Action/NotAction cannot cover the action never apply; filtering them once is only a speed-up.
        const identityStatements = identityFor.get(column.action) ?? [];
        const bucketStatements = zoneStatementsFor.get(column.action) ?? [];
        const objectAction = !BUCKET_CONFIGURATION_ACTIONS.includes(column.action);
        const targets: Array<string | null> = objectAction ? keys : [null];
        const probes = targets.map((key): ProbeResult => {
          const resource = key === null ? zone.bucketArn : `${zone.bucketArn}/${key}`;
          const request: AccessRequest = { principalArn: p.arn, principalAccount: env.account, action: column.action, resource, context };
          const d: Decision = evaluateSameAccount(request, identityStatements, bucketStatements);
          const grantCheck =
            !p.hypothetical &&
            ((!p.isPipeline && PRODUCTION_ZONES.includes(zone.zone) && DATA_WRITE_ACTIONS.includes(column.action)) ||
              (zone.zone === 'raw' && column.action !== 's3:PutObject' && DATA_WRITE_ACTIONS.includes(column.action)));
          const identityOnly = grantCheck ? evaluateSameAccount(request, identityStatements, []) : undefined;
          return {
            key,
            resource,
            decision: d.decision,
            allowedBy: identityOnly?.decision === 'allow' && d.decision !== 'allow' ? identityOnly.allowedBy : d.allowedBy,
            deniedBy: d.deniedBy,
            identityOnly: identityOnly?.decision,
          };
        });
        const allowedCount = probes.filter((r) => r.decision === 'allow').length;
        matrix.push({
          principal: p.id,
          zone: zone.zone,
          bucket: zone.id,
          action: column.action,
          variant: column.variant,
          decision: allowedCount === probes.length ? 'allow' : allowedCount === 0 ? 'deny' : 'partial',
          probes,
        });
      }
      if (zone.encryption === 'kms' && zone.key) {
        const request: AccessRequest = { principalArn: p.arn, principalAccount: env.account, action: 'kms:GenerateDataKey', resource: zone.key.arn, context: kmsContext(p, env) };
        const d = evaluateKms(request, ids, keyPolicies.get(zone.key.id) ?? []);
        kms.push({ principal: p.id, zone: zone.zone, bucket: zone.id, key: zone.key.arn, action: 'kms:GenerateDataKey', decision: d.decision, allowedBy: d.allowedBy, deniedBy: d.deniedBy });
      }
    }
  }

  const violations = judge(principals, matrix);
  return {
    environment: env,
    principals: principals.map((p) => ({
      id: p.id,
      arn: p.arn,
      kind: p.kind,
      isPipeline: p.isPipeline,
      hypothetical: p.hypothetical,
      domain: p.domain,
      source: p.source,
      stack: p.stack,
      logicalId: p.logicalId,
    })),
    zones: zoneSummaries,
    matrix,
    kms,
    violations,
    notes: model.notes,
  };
}

function allowedProbes(cell: MatrixCell, keyFilter: (key: string | null) => boolean = () => true): ProbeResult[] {
  return cell.probes.filter((p) => p.decision === 'allow' && keyFilter(p.key));
}

function describe(cell: { readonly action: ProofAction; readonly variant?: PutVariant }): string {
  return cell.variant === 'overwrite' ? `${cell.action} (overwrite, no If-None-Match)` : cell.action;
}

function judge(principals: readonly ModelPrincipal[], matrix: readonly MatrixCell[]): GovernanceViolation[] {
  const byId = new Map(principals.map((p) => [p.id, p]));
  const violations: GovernanceViolation[] = [];
  const seen = new Set<string>();
  const add = (rule: GovernanceRule, cell: MatrixCell, probes: readonly ProbeResult[], message: string, extraAllowedBy: readonly string[] = []): void => {
    const p = byId.get(cell.principal)!;
    const dedupe = `${rule}|${cell.principal}|${cell.bucket}|${cell.action}|${cell.variant ?? ''}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    violations.push({
      rule,
      principal: cell.principal,
      principalArn: p.arn,
      action: cell.action,
      variant: cell.variant,
      zone: cell.zone,
      bucket: cell.bucket,
      key: probes[0]?.key ?? null,
      allowedBy: union([...probes.map((r) => r.allowedBy), extraAllowedBy]),
      message,
      fix: FIXES[rule],
    });
  };

  for (const cell of matrix) {
    const p = byId.get(cell.principal)!;
    const isDataWrite = DATA_WRITE_ACTIONS.includes(cell.action);
    // 1b. A forbidden action granted by an identity policy, stopped only by the bucket policy.
    const granted = cell.probes.filter((r) => r.identityOnly === 'allow' && r.decision !== 'allow');
    if (granted.length > 0) {
      add(
        'Governance.ForbiddenGrants',
        cell,
        granted,
        `${cell.principal} (${p.kind}${p.isPipeline ? '' : ', not a pipeline role'}) is granted ${describe(cell)} on the ${cell.zone} zone (${cell.bucket}) by ${union(granted.map((r) => r.allowedBy)).join(', ')}; only the bucket policy stops it.`,
      );
    }
    const allowed = allowedProbes(cell);
    if (allowed.length === 0) continue;
    const keys = allowed.map((r) => r.key).join(', ');

    // 1. Only pipeline roles write or delete production data.
    if (PRODUCTION_ZONES.includes(cell.zone) && isDataWrite && !p.isPipeline) {
      add(
        'Governance.ProductionWriters',
        cell,
        allowed,
        `${cell.principal} (${p.kind}${p.hypothetical ? ', hypothetical' : ''}, not a pipeline role) can ${describe(cell)} on the ${cell.zone} zone (${cell.bucket}), keys: ${keys}; allowed by ${union(allowed.map((r) => r.allowedBy)).join(', ')}.`,
      );
    }
    // 2. Raw is immutable, for everyone.
    const rawDestructive = cell.action !== 's3:PutObject' ? isDataWrite : cell.variant === 'overwrite';
    if (cell.zone === 'raw' && rawDestructive) {
      add(
        'Governance.RawImmutable',
        cell,
        allowed,
        `${cell.principal} can ${describe(cell)} on the raw zone (${cell.bucket}), keys: ${keys}; raw data must never be deleted, re-timed or overwritten. Allowed by ${union(allowed.map((r) => r.allowedBy)).join(', ')}.`,
      );
    }
    // 4. Prefix isolation.
    if (isDataWrite) {
      const domainBound = p.kind === 'pipeline' || p.domain !== undefined;
      const sourceBound = p.kind === 'ingest' || p.source !== undefined;
      const check = (ownPrefix: string | undefined, tag: string): void => {
        const outside = allowedProbes(cell, (key) => key !== null && (ownPrefix === undefined || !key.startsWith(`${ownPrefix}/`)));
        if (outside.length === 0) return;
        add(
          'Governance.PrefixIsolation',
          cell,
          outside,
          `${cell.principal} can ${describe(cell)} on the ${cell.zone} zone (${cell.bucket}) outside its own prefix ${ownPrefix === undefined ? `(it has no ${tag} tag)` : `${ownPrefix}/`}: keys ${outside.map((r) => r.key).join(', ')}; allowed by ${union(outside.map((r) => r.allowedBy)).join(', ')}.`,
        );
      };
      if (domainBound && PRODUCTION_ZONES.includes(cell.zone)) check(p.domain, TAG_KEYS.domain);
      if (sourceBound && (cell.zone === 'landing' || cell.zone === 'raw')) check(p.source, 'lakehouse:source');
    }
  }

  // 3. One-way flow, for the app's roles.
  for (const p of principals) {
    if (p.hypothetical) continue;
    const cells = matrix.filter((c) => c.principal === p.id && FLOW_ORDER.includes(c.zone));
    const reads = cells.filter((c) => c.action === 's3:GetObject' && allowedProbes(c).length > 0);
    const writes = cells.filter((c) => c.action === 's3:PutObject' && allowedProbes(c).length > 0);
    if (reads.length === 0 || writes.length === 0) continue;
    const index = (c: MatrixCell): number => FLOW_ORDER.indexOf(c.zone);
    const maxRead = reads.reduce((a, b) => (index(b) > index(a) ? b : a));
    const minWrite = writes.reduce((a, b) => (index(b) < index(a) ? b : a));
    if (index(maxRead) >= index(minWrite)) {
      const readAllowedBy = union(allowedProbes(maxRead).map((r) => r.allowedBy));
      add(
        'Governance.OneWayFlow',
        minWrite,
        allowedProbes(minWrite),
        `${p.id} reads ${maxRead.zone} (flow position ${index(maxRead)}, s3:GetObject allowed by ${readAllowedBy.join(', ')}) and writes ${minWrite.zone} (position ${index(minWrite)}, s3:PutObject allowed by ${union(allowedProbes(minWrite).map((r) => r.allowedBy)).join(', ')}); data must only flow landing → raw → clean → curated.`,
        readAllowedBy,
      );
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** A cell's probes grouped by outcome: keys with the same decision and deciding statements share an entry. */
export interface CellOutcome {
  readonly decision: DecisionKind;
  readonly keys: ReadonlyArray<string | null>;
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
}

/** The JSON document written as `access-matrix.json`. */
export interface AccessMatrixDocument {
  readonly version: 1;
  readonly environment: ModelEnvironment;
  readonly columns: readonly MatrixColumn[];
  readonly principals: readonly PrincipalSummary[];
  readonly zones: readonly ZoneSummary[];
  readonly cells: ReadonlyArray<Omit<MatrixCell, 'probes'> & { readonly outcomes: readonly CellOutcome[] }>;
  readonly kms: readonly KmsCell[];
  readonly violations: readonly GovernanceViolation[];
  readonly notes: readonly string[];
}

/** The access matrix as a JSON document (probes grouped by outcome to keep it small). */
export function accessMatrixDocument(result: ProofResult): AccessMatrixDocument {
  return {
    version: 1,
    environment: result.environment,
    columns: MATRIX_COLUMNS,
    principals: result.principals,
    zones: result.zones,
    cells: result.matrix.map(({ probes, ...cell }) => {
      const outcomes = new Map<string, { decision: DecisionKind; keys: Array<string | null>; allowedBy: readonly string[]; deniedBy: readonly string[] }>();
      for (const probe of probes) {
        const id = JSON.stringify([probe.decision, probe.allowedBy, probe.deniedBy]);
        const outcome = outcomes.get(id) ?? { decision: probe.decision, keys: [], allowedBy: probe.allowedBy, deniedBy: probe.deniedBy };
        outcome.keys.push(probe.key);
        outcomes.set(id, outcome);
      }
      return { ...cell, outcomes: [...outcomes.values()] };
    }),
    kms: result.kms,
    violations: result.violations,
    notes: result.notes,
  };
}

const SYMBOL: Record<MatrixCell['decision'], string> = { allow: 'ALLOW', deny: '-', partial: 'SOME' };
const KMS_SYMBOL: Record<DecisionKind, string> = { allow: 'ALLOW', 'explicit-deny': 'DENY', 'implicit-deny': '-' };

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The access matrix as markdown: one table per zone bucket, then the violations. */
export function renderMatrixMarkdown(result: ProofResult): string {
  const lines: string[] = [];
  lines.push('# Governance proof: access matrix', '');
  lines.push(
    `Account \`${result.environment.account}\`, region \`${result.environment.region}\` (symbolic). ` +
      '`ALLOW`: allowed on every probed key; `SOME`: allowed on some keys (see access-matrix.json); `-`: denied. ' +
      'PutObject (new) carries `If-None-Match: *`; PutObject (overwrite) does not. Puts to SSE-KMS zones name the zone key. ' +
      'The KMS column is `kms:GenerateDataKey` on the zone key (information; rules judge the S3 decision alone).',
    '',
  );
  lines.push('## Principals', '', '| Principal | Kind | Pipeline | ARN |', '|---|---|---|---|');
  for (const p of result.principals) {
    lines.push(`| ${escapeCell(p.id)} | ${p.kind}${p.hypothetical ? ' (hypothetical)' : ''} | ${p.isPipeline ? 'yes' : 'no'} | \`${p.arn}\` |`);
  }
  lines.push('');
  for (const zone of result.zones) {
    lines.push(`## ${zone.zone} — ${zone.id}`, '', `Bucket \`${zone.bucketName}\`, encryption ${zone.encryption}. Keys probed: ${zone.keysProbed.map((k) => `\`${k}\``).join(', ')}.`, '');
    const header = ['Principal', ...MATRIX_COLUMNS.map((c) => c.label), ...(zone.encryption === 'kms' ? ['kms:GenerateDataKey'] : [])];
    lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const p of result.principals) {
      const row = [escapeCell(p.id)];
      for (const column of MATRIX_COLUMNS) {
        const cell = result.matrix.find((c) => c.principal === p.id && c.bucket === zone.id && c.action === column.action && c.variant === column.variant);
        row.push(cell ? SYMBOL[cell.decision] : '?');
      }
      if (zone.encryption === 'kms') {
        const k = result.kms.find((c) => c.principal === p.id && c.bucket === zone.id);
        row.push(k ? KMS_SYMBOL[k.decision] : '?');
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Violations', '');
  if (result.violations.length === 0) lines.push('None.');
  for (const v of result.violations) {
    lines.push(`- **${v.rule}** — ${escapeCell(v.message)} Fix: ${v.fix}`);
  }
  if (result.notes.length > 0) {
    lines.push('', '## Notes', '', ...result.notes.map((n) => `- ${n}`));
  }
  return `${lines.join('\n')}\n`;
}

/** One plain-text paragraph per violation. */
export function renderViolations(result: ProofResult): string {
  if (result.violations.length === 0) return 'Governance proof: no violations.\n';
  return `${result.violations
    .map((v) => `[${v.rule}] principal=${v.principal} action=${describe(v)} zone=${v.zone} bucket=${v.bucket} key=${v.key ?? '(bucket)'}\n  ${v.message}\n  allowed by: ${v.allowedBy.join(', ')}\n  fix: ${v.fix}`)
    .join('\n')}\n`;
}
