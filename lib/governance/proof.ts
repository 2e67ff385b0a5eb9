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
 *   ingest role writes landing/raw only under `<source>/` (a declared source: `<domain>/<source>/`).
 * - `Governance.ClearDataReaders`: only a domain's clean-stage pipeline roles read the domain's
 *   objects in landing, raw and quarantine (clear PII), and its steward those in raw and quarantine;
 *   only pipeline roles read the pipelines' query results (`pipelineResultsPrefix`); only the
 *   clean-stage pipeline roles read the PII token key — whether they can, or are granted it and
 *   only a resource policy stops them.
 *
 * Bucket-configuration actions (PutBucketPolicy, DeleteBucketPolicy, PutLifecycleConfiguration)
 * are reported in the matrix but not judged. KMS `GenerateDataKey` on the zone key is reported as
 * extra information; violations rest on the S3 decision alone.
 *
 * Cost: each principal is asked about a fixed number of representative keys per zone (see
 * probe-keys.ts), policies are compiled once, statements that cannot reach a bucket are set aside
 * per zone, and statements whose match does not depend on the key are evaluated once per cell. The
 * proof handles one principal at a time and hands its cells to a sink (the plugin writes them to
 * disk), so time and memory grow linearly with the number of domains.
 */
import { CLEAR_DATA_ZONES, FLOW_ORDER, PII_TOKEN_KEY_SECRET, PRODUCTION_ZONES, TAG_KEYS, ZoneName } from '../../lambda/shared/zones';
import { accessLetters, FlowStage, stageOf, ZoneAccess } from './access-summary';
import {
  AccessRequest,
  CompiledStatement,
  compileStatement,
  decideSameAccount,
  DecisionKind,
  emptyMatches,
  evaluateKms,
  LabeledStatement,
  PrincipalMatch,
  recordMatch,
  RequestContext,
  statementApplies,
  statementCoversAction,
} from './policy-eval';
import { KeyUniverse, keyDependent, PatternReach, patternReach, representativeKeys, resourcePatterns, statementReachesBucket, universeWitness } from './probe-keys';
import { buildTemplateModel, ModelEnvironment, ModelOptions, ModelPrincipal, ModelSecret, ModelZone, PrincipalKind, StackTemplate, TemplateModel } from './template-model';

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
  'Governance.ClearDataReaders',
] as const;

/** The action whose answer says who can read a secret. */
export const SECRET_READ_ACTION = 'secretsmanager:GetSecretValue';

/** What a violation about a secret names as its zone. */
export const SECRET_TARGET = 'secret';
export type GovernanceRule = (typeof GOVERNANCE_RULES)[number];

export const HYPOTHETICAL_PRINCIPALS = ['hypothetical:same-account-admin', 'hypothetical:outside-role', 'hypothetical:deployment-role'] as const;

/**
 * Which keys each cell probes: `representative` (a fixed number per principal and zone, see
 * probe-keys.ts) or `exhaustive` (every domain and source prefix and every pattern's witness, for
 * every principal: grows with domains², kept as the reference the representative set is tested against).
 */
export type KeyMode = 'representative' | 'exhaustive';

export interface ProofOptions extends ModelOptions {
  /** Qualifier of the CDK bootstrap whose CloudFormation execution role deploys the app. @default 'hnb659fds' */
  readonly bootstrapQualifier?: string;
  /** @default 'representative' */
  readonly keys?: KeyMode;
  /**
   * The key prefix of the query-results zone that holds clear data (the pipelines workgroup's
   * results: the big-file route's staging records and quarantine rows, `lakehouse-<env>-pipelines/`):
   * read only by pipeline roles (`Governance.ClearDataReaders`), and probed for every principal.
   * @default - none: query results are not checked as clear data
   */
  readonly pipelineResultsPrefix?: string;
  /**
   * Called after each principal with the number done and the total; it may throw to stop the proof
   * (the plugin's time and memory bounds).
   * @default - none
   */
  readonly onProgress?: (done: number, total: number) => void;
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

/**
 * Whether a principal can read one secret: Secrets Manager's same-account decision (identity and
 * resource policy) and KMS's (Decrypt through Secrets Manager, on the secret's key).
 */
export interface SecretCell {
  readonly principal: string;
  /** `<stack>/<logicalId>` of the secret. */
  readonly secret: string;
  readonly arn: string;
  /** Its `lakehouse:secret` tag: `pii-token-key` for the PII token key. */
  readonly purpose?: string;
  readonly action: typeof SECRET_READ_ACTION;
  readonly decision: DecisionKind;
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
  /** KMS Decrypt via Secrets Manager on the secret's key (`allow` for the AWS-managed key). */
  readonly kms: { readonly key?: string; readonly decision: DecisionKind; readonly allowedBy: readonly string[]; readonly deniedBy: readonly string[] };
  /** Both allow. */
  readonly readable: boolean;
  /** For app roles: the identity policies alone — an `allow` is a grant that only the secret's policy (or its key) stops. */
  readonly identityOnly?: DecisionKind;
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
  /** For a pipeline role: the flow zone it writes (clean or curated). */
  readonly stage?: FlowStage;
  /** What it can do per zone, as letters (see access-summary.ts); absent zone: nothing. */
  readonly access: ZoneAccess;
  /** Whether it can read the PII token key. */
  readonly readsPiiTokenKey: boolean;
  /** Whether it can read the pipelines' query results (clear data), when the proof checks them. */
  readonly readsPipelineResults?: boolean;
}

export interface ZoneSummary {
  readonly id: string;
  readonly zone: ZoneName;
  readonly bucketName: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly encryption: 'kms' | 's3';
  readonly keyArn?: string;
}

export interface GovernanceViolation {
  readonly rule: GovernanceRule;
  readonly principal: string;
  readonly principalArn: string;
  readonly action: ProofAction | typeof SECRET_READ_ACTION;
  readonly variant?: PutVariant;
  /** The zone, or `secret` for a secret (`bucket` then names the secret). */
  readonly zone: ZoneName | typeof SECRET_TARGET;
  /** `<stack>/<logicalId>` of the zone bucket, or of the secret. */
  readonly bucket: string;
  /** The first probed key the action was allowed on (null for bucket actions). */
  readonly key: string | null;
  /** Statements that allow it: `<stack>/<logicalId>#<Sid or index>`. */
  readonly allowedBy: readonly string[];
  readonly message: string;
  readonly fix: string;
}

export interface ProofStats {
  readonly keyMode: KeyMode;
  readonly principals: number;
  readonly zones: number;
  /** Matrix cells decided (principal × zone × column). */
  readonly cells: number;
  /** Requests evaluated (a cell probes one request per key). */
  readonly probes: number;
  /** `<principal> on <zone>` pairs probed with every key because a pattern may match under any prefix. */
  readonly exhaustiveFallbacks: readonly string[];
}

/** What the proof keeps after handing each principal's cells to its sink: O(principals). */
export interface ProofSummary {
  readonly environment: ModelEnvironment;
  readonly principals: readonly PrincipalSummary[];
  readonly zones: readonly ZoneSummary[];
  /** The app's secrets: `<stack>/<logicalId>` and their `lakehouse:secret` tag. */
  readonly secrets: ReadonlyArray<{ readonly id: string; readonly arn: string; readonly purpose?: string }>;
  readonly violations: readonly GovernanceViolation[];
  readonly notes: readonly string[];
  readonly stats: ProofStats;
}

/** The summary with every cell kept in memory: for small apps and tests. */
export interface ProofResult extends ProofSummary {
  readonly matrix: readonly MatrixCell[];
  readonly kms: readonly KmsCell[];
  readonly secretCells: readonly SecretCell[];
}

/** One principal's cells, handed to the sink as soon as they are decided. */
export interface PrincipalCells {
  readonly principal: PrincipalSummary;
  readonly cells: readonly MatrixCell[];
  readonly kms: readonly KmsCell[];
  readonly secrets: readonly SecretCell[];
}

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
    isSteward: false,
    hypothetical: true,
    identityStatements: [{ id: `${id}#${String(statement.Sid)}`, statement }],
  });
  return [
    role(HYPOTHETICAL_PRINCIPALS[0], 'governance-proof-same-account-admin', { Sid: 'AllowEverything', Effect: 'Allow', Action: '*', Resource: '*' }),
    role(HYPOTHETICAL_PRINCIPALS[1], 'governance-proof-outside-role', { Sid: 'AllowAllS3', Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    role(HYPOTHETICAL_PRINCIPALS[2], `cdk-${qualifier}-cfn-exec-role-${env.account}-${env.region}`, { Sid: 'AllowEverything', Effect: 'Allow', Action: '*', Resource: '*' }),
  ];
}

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

/** A `GetSecretValue` request, as Secrets Manager evaluates it (same account, TLS). */
export function secretContext(p: ModelPrincipal, env: ModelEnvironment): RequestContext {
  return {
    values: { ...principalValues(p, env), 'aws:ViaAWSService': 'false', 'aws:ResourceAccount': env.account },
    absent: ['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID', 'aws:SourceOrgPaths'],
    completePrefixes: ['aws:PrincipalTag/'],
  };
}

/** A service (S3, Secrets Manager) calling KMS on the principal's behalf, with the service's extra context keys. */
function kmsViaServiceContext(p: ModelPrincipal, env: ModelEnvironment, service: string, extra: Record<string, string> = {}): RequestContext {
  return {
    values: {
      ...principalValues(p, env),
      'aws:ViaAWSService': 'true',
      'kms:CallerAccount': env.account,
      'kms:ViaService': `${service}.${env.region}.${env.urlSuffix}`,
      ...extra,
    },
    absent: ['aws:SourceArn', 'aws:SourceAccount'],
    completePrefixes: ['aws:PrincipalTag/'],
  };
}

/** Secrets Manager asking KMS to decrypt a secret's value on the principal's behalf. */
export function secretKmsContext(p: ModelPrincipal, env: ModelEnvironment, secretArn: string): RequestContext {
  return kmsViaServiceContext(p, env, 'secretsmanager', { 'kms:EncryptionContext:SecretARN': secretArn });
}

/** S3 asking KMS for a data key on the principal's behalf (SSE-KMS put). */
export function kmsContext(p: ModelPrincipal, env: ModelEnvironment): RequestContext {
  return kmsViaServiceContext(p, env, 's3');
}

const FIXES: Record<GovernanceRule, string> = {
  'Governance.ProductionWriters':
    'Remove the grant, or make the principal a pipeline role (path /lakehouse/<env>/pipeline/, tag lakehouse:role=pipeline) if it is one; keep DenyDataWritesExceptPipelineRoles in the clean and curated bucket policies.',
  'Governance.ForbiddenGrants':
    'Remove the grant: only pipeline roles may be granted writes on clean and curated, and nobody may be granted deletes or retention changes on raw. The bucket policy blocks it today; a grant that only a bucket deny stops is a mistake waiting for that deny to change.',
  'Governance.RawImmutable':
    'Keep the raw bucket policy statements that deny s3:DeleteObject*, s3:PutObjectRetention and s3:BypassGovernanceRetention to everyone and deny s3:PutObject without If-None-Match (Null s3:if-none-match); remove delete and retention grants on raw.',
  'Governance.OneWayFlow': 'Split the role so that each role reads only zones upstream of the zones it writes (landing → raw → clean → curated).',
  'Governance.PrefixIsolation': "Scope the grant to the role's own prefix (zone.grantPipelineWrite(role, { prefix: '<domain>/' }) or zone.grantIngest(role, { prefix: '<domain>/<source>/<dataset>/' })).",
  'Governance.ClearDataReaders':
    "Remove the grant: landing, raw and quarantine hold personal data in clear and are read only by the domain's clean-stage pipeline roles (its own prefix) and its steward (raw and quarantine of its domain), and the PII token key only by clean-stage pipeline roles (PiiTokenKey.grantTokenize). Analysts read clean and curated, where PII is a token. The pipelines' query results (query-results/lakehouse-<env>-pipelines/) are read only by pipeline roles. Keep DenyClearDataReadsExceptPipelinesAndStewards in the clear zones' bucket policies, DenyPipelineResultReadsExceptPipelineRoles in query-results', and the key's resource policy.",
};


/** A zone bucket with what every principal's probes on it share. */
class ZoneProbe {
  public readonly summary: ZoneSummary;
  /** Bucket-policy statements per action whose Action/NotAction can cover it. */
  public readonly bucketFor: ReadonlyMap<ProofAction, readonly CompiledStatement[]>;
  public readonly bucketPatterns: readonly string[];
  private readonly reaches = new Map<string, PatternReach>();

  constructor(
    public readonly zone: ModelZone,
    public readonly bucketStatements: readonly CompiledStatement[],
    public readonly universe: KeyUniverse,
  ) {
    this.summary = { id: zone.id, zone: zone.zone, bucketName: zone.bucketName, stack: zone.stack, logicalId: zone.logicalId, encryption: zone.encryption, keyArn: zone.key?.arn };
    this.bucketFor = new Map(PROOF_ACTIONS.map((a) => [a, bucketStatements.filter((st) => statementCoversAction(st, a))]));
    this.bucketPatterns = bucketStatements.flatMap(resourcePatterns);
  }

  /** How a pattern relates to this bucket's objects (cached: the same patterns recur across domains' roles). */
  public readonly reachOf = (pattern: string): PatternReach => {
    let r = this.reaches.get(pattern);
    if (!r) {
      r = patternReach(pattern, this.zone);
      this.reaches.set(pattern, r);
    }
    return r;
  };
}

/** Runs the proof over the synthesized templates of an app, handing each principal's cells to `sink`. */
export function runGovernanceProof(stacks: readonly StackTemplate[], options: ProofOptions = {}, sink: (entry: PrincipalCells) => void = () => undefined): ProofSummary {
  const model: TemplateModel = buildTemplateModel(stacks, options);
  const env = model.environment;
  const keyMode = options.keys ?? 'representative';
  const principals = [...model.principals, ...hypotheticalPrincipals(env, options.bootstrapQualifier ?? 'hnb659fds')];

  // Compile every policy once; a statement the proof cannot read fails here, whether or not a request reaches it.
  const identity = new Map<string, CompiledStatement[]>(principals.map((p) => [p.id, p.identityStatements.map((s) => compileStatement(s, 'identity'))]));
  const keyPolicies = new Map<string, CompiledStatement[]>(model.keys.map((k) => [k.id, k.keyPolicy.map((s: LabeledStatement) => compileStatement(s, 'resource'))]));
  const secretPolicies = new Map<string, CompiledStatement[]>(model.secrets.map((sec) => [sec.id, sec.resourcePolicy.map((s) => compileStatement(s, 'resource'))]));

  // The clear query results' prefix, without its trailing slash: one more own key on query-results for everyone.
  const resultsPrefix = options.pipelineResultsPrefix;
  const resultsRoot = resultsPrefix?.replace(/\/+$/, '');
  const prefixes = new Set<string>();
  for (const p of principals) {
    if (p.domain) prefixes.add(p.domain);
    if (p.source) prefixes.add(p.source);
  }
  const zones = model.zones.map((zone) => {
    const bucketStatements = zone.bucketPolicy.map((s) => compileStatement(s, 'resource'));
    const witnesses: string[] = [];
    for (const statements of [...identity.values(), bucketStatements]) {
      for (const st of statements) {
        for (const pattern of resourcePatterns(st)) {
          const w = universeWitness(pattern, zone.bucketName);
          if (w !== undefined) witnesses.push(w);
        }
      }
    }
    const zonePrefixes = zone.zone === 'query-results' && resultsRoot ? [...prefixes, resultsRoot] : prefixes;
    return new ZoneProbe(zone, bucketStatements, new KeyUniverse(zonePrefixes, witnesses));
  });

  const violations: GovernanceViolation[] = [];
  const summaries: PrincipalSummary[] = [];
  const fallbacks: string[] = [];
  let cellCount = 0;
  let probeCount = 0;
  principals.forEach((p, index) => {
    const statements = identity.get(p.id) ?? [];
    const cells: MatrixCell[] = [];
    const kms: KmsCell[] = [];
    const kmsByKey = new Map<string, KmsCell>();
    for (const zp of zones) {
      const reaching = statements.filter((st) => statementReachesBucket(st, zp.zone.bucketArn, zp.reachOf));
      let keys: readonly string[];
      if (keyMode === 'exhaustive') {
        keys = zp.universe.keys;
      } else {
        const own = [p.domain, p.source, zp.zone.zone === 'query-results' ? resultsRoot : undefined].filter((x): x is string => x !== undefined);
        const selection = representativeKeys([...reaching.flatMap(resourcePatterns), ...zp.bucketPatterns], zp.reachOf, zp.universe, own);
        if (selection.exhaustive) fallbacks.push(`${p.id} on ${zp.zone.zone}`);
        keys = selection.keys;
      }
      for (const column of MATRIX_COLUMNS) {
        const cell = decideCell(p, zp, column, keys, reaching.filter((st) => statementCoversAction(st, column.action)), env, resultsPrefix !== undefined);
        probeCount += cell.probes.length;
        cells.push(cell);
      }
      if (zp.zone.encryption === 'kms' && zp.zone.key) {
        const key = zp.zone.key;
        let decided = kmsByKey.get(key.id);
        if (!decided) {
          const request: AccessRequest = { principalArn: p.arn, principalAccount: env.account, action: 'kms:GenerateDataKey', resource: key.arn, context: kmsContext(p, env) };
          const d = evaluateKms(request, statements, keyPolicies.get(key.id) ?? []);
          decided = { principal: p.id, zone: zp.zone.zone, bucket: zp.zone.id, key: key.arn, action: 'kms:GenerateDataKey', decision: d.decision, allowedBy: d.allowedBy, deniedBy: d.deniedBy };
          kmsByKey.set(key.id, decided);
        }
        kms.push({ ...decided, zone: zp.zone.zone, bucket: zp.zone.id });
      }
    }
    const secretCells = model.secrets.map((sec) => decideSecret(p, sec, statements, secretPolicies.get(sec.id) ?? [], sec.key ? (keyPolicies.get(sec.key.id) ?? []) : undefined, env));
    cellCount += cells.length;
    violations.push(...judge(p, cells, resultsPrefix), ...judgeSecrets(p, secretCells));
    const summary = summarise(p, cells, secretCells, resultsPrefix);
    summaries.push(summary);
    sink({ principal: summary, cells, kms, secrets: secretCells });
    options.onProgress?.(index + 1, principals.length);
  });

  return {
    environment: env,
    principals: summaries,
    zones: zones.map((z) => z.summary),
    secrets: model.secrets.map((sec) => ({ id: sec.id, arn: sec.arn, purpose: sec.tags[TAG_KEYS.secret] })),
    violations,
    notes: model.notes,
    stats: { keyMode, principals: principals.length, zones: zones.length, cells: cellCount, probes: probeCount, exhaustiveFallbacks: fallbacks },
  };
}

/** Runs the proof and keeps every cell in memory (small apps and tests; the plugin streams instead). */
export function analyseGovernance(stacks: readonly StackTemplate[], options: ProofOptions = {}): ProofResult {
  const matrix: MatrixCell[] = [];
  const kms: KmsCell[] = [];
  const secretCells: SecretCell[] = [];
  const summary = runGovernanceProof(stacks, options, (entry) => {
    matrix.push(...entry.cells);
    kms.push(...entry.kms);
    secretCells.push(...entry.secrets);
  });
  return { ...summary, matrix, kms, secretCells };
}

/**
 * Whether the identity-only decision is asked: a forbidden action that a bucket deny might be all
 * that stops — a write on production or raw, or any app role's read of a clear-data zone (which
 * keys it may read is judged per key, ClearDataReaders).
 */
function isGrantChecked(p: ModelPrincipal, zone: ZoneName, action: ProofAction, clearResults: boolean): boolean {
  if (p.hypothetical) return false;
  if (action === 's3:GetObject') return CLEAR_DATA_ZONES.includes(zone) || (clearResults && zone === 'query-results');
  if (!DATA_WRITE_ACTIONS.includes(action)) return false;
  return (!p.isPipeline && PRODUCTION_ZONES.includes(zone)) || (zone === 'raw' && action !== 's3:PutObject');
}

/** The clear-data zones a domain's steward triages (and reads nothing else of). */
const STEWARD_READ_ZONES: readonly ZoneName[] = ['raw', 'quarantine'];

/**
 * Whether `p` may read `key` of the clear-data zone `zone`, under the key's domain: a clean-stage
 * pipeline role (it reads what it cleans; the curated stage reads clean, never clear data), or the
 * domain's steward in raw and quarantine.
 */
function mayReadClearData(p: ModelPrincipal, zone: ZoneName, key: string | null): boolean {
  const role = (p.isPipeline && p.stage === 'clean') || (p.isSteward && STEWARD_READ_ZONES.includes(zone));
  return role && p.domain !== undefined && key !== null && key.startsWith(`${p.domain}/`);
}

/** Why a clear-data read is not one `p` may make, for the violation's message. */
function clearReadScope(p: ModelPrincipal, zone: ZoneName): string {
  if (p.isPipeline && p.stage !== 'clean') return `though only the clean stage of a domain's pipeline reads clear data (this role's stage: ${p.stage ?? 'none'})`;
  if (p.isSteward && !STEWARD_READ_ZONES.includes(zone)) return `though a steward reads only its domain's ${STEWARD_READ_ZONES.join(' and ')}`;
  if (p.isPipeline || p.isSteward) return `outside its domain's prefix ${p.domain ?? '(no lakehouse:domain tag)'}/`;
  return "though only a domain's clean-stage pipeline roles and steward may";
}

/** Whether `p` may read the PII token key: a clean-stage pipeline role. */
function mayReadPiiTokenKey(p: ModelPrincipal): boolean {
  return p.isPipeline && p.stage === 'clean';
}

/**
 * Decides whether `p` can read a secret: Secrets Manager's same-account decision over its identity
 * statements and the secret's resource policy, and KMS Decrypt via Secrets Manager on the secret's
 * key (key policy and identity statements). The AWS-managed key (`keyPolicy` undefined) lets any
 * principal of the account decrypt through Secrets Manager.
 */
function decideSecret(p: ModelPrincipal, secret: ModelSecret, identity: readonly CompiledStatement[], resourcePolicy: readonly CompiledStatement[], keyPolicy: readonly CompiledStatement[] | undefined, env: ModelEnvironment): SecretCell {
  const request: AccessRequest = { principalArn: p.arn, principalAccount: env.account, action: SECRET_READ_ACTION, resource: secret.arn, context: secretContext(p, env) };
  const all = emptyMatches();
  const identityOnly = emptyMatches();
  for (const st of [...identity, ...resourcePolicy]) {
    const applies = statementApplies(st, request);
    recordMatch(all, st, applies);
    if (st.kind === 'identity') recordMatch(identityOnly, st, applies);
  }
  const d = decideSameAccount(all);
  let kms: SecretCell['kms'] = { decision: 'allow', allowedBy: ['aws-managed:aws/secretsmanager'], deniedBy: [] };
  if (secret.key && keyPolicy) {
    const k = evaluateKms({ principalArn: p.arn, principalAccount: env.account, action: 'kms:Decrypt', resource: secret.key.arn, context: secretKmsContext(p, env, secret.arn) }, identity, keyPolicy);
    kms = { key: secret.key.arn, decision: k.decision, allowedBy: k.allowedBy, deniedBy: k.deniedBy };
  }
  const granted = decideSameAccount(identityOnly);
  const io = p.hypothetical ? undefined : granted.decision;
  return {
    principal: p.id,
    secret: secret.id,
    arn: secret.arn,
    purpose: secret.tags[TAG_KEYS.secret],
    action: SECRET_READ_ACTION,
    decision: d.decision,
    allowedBy: d.decision !== 'allow' && io === 'allow' ? granted.allowedBy : d.allowedBy,
    deniedBy: d.deniedBy,
    kms,
    readable: d.decision === 'allow' && kms.decision === 'allow',
    identityOnly: io,
  };
}

/** The PII token key is read only by clean-stage pipeline roles, whether they can or are only granted it. */
function judgeSecrets(p: ModelPrincipal, cells: readonly SecretCell[]): GovernanceViolation[] {
  const out: GovernanceViolation[] = [];
  for (const c of cells) {
    if (c.purpose !== PII_TOKEN_KEY_SECRET || mayReadPiiTokenKey(p)) continue;
    const who = `${p.id} (${p.kind}${p.hypothetical ? ', hypothetical' : ''}${p.isPipeline ? `, ${p.stage ?? 'no'} stage` : ''})`;
    let message: string | undefined;
    if (c.readable) {
      message = `${who} can read the PII token key (${c.secret}, secretsmanager:GetSecretValue allowed by ${c.allowedBy.join(', ')}; kms:Decrypt by ${c.kms.allowedBy.join(', ')}); only clean-stage pipeline roles may, or tokens can be reversed by guessing values.`;
    } else if (c.identityOnly === 'allow') {
      message = `${who} is granted secretsmanager:GetSecretValue on the PII token key (${c.secret}) by ${c.allowedBy.join(', ')}; only ${c.deniedBy.length > 0 ? `the key's resource policy (${c.deniedBy.join(', ')})` : 'the KMS key policy'} stops it.`;
    }
    if (message) {
      out.push({ rule: 'Governance.ClearDataReaders', principal: p.id, principalArn: p.arn, action: SECRET_READ_ACTION, zone: SECRET_TARGET, bucket: c.secret, key: null, allowedBy: c.allowedBy, message, fix: FIXES['Governance.ClearDataReaders'] });
    }
  }
  return out;
}

/**
 * Decides one cell. Statements whose Resource match cannot depend on the key are evaluated once;
 * the others once per key. Statement ids keep policy order in `allowedBy` and `deniedBy`.
 */
function decideCell(p: ModelPrincipal, zp: ZoneProbe, column: MatrixColumn, keys: readonly string[], identityStatements: readonly CompiledStatement[], env: ModelEnvironment, clearResults: boolean): MatrixCell {
  const zone = zp.zone;
  const context = s3Context(p, zone, column.action, column.variant, env);
  const statements = [...identityStatements, ...(zp.bucketFor.get(column.action) ?? [])];
  const objectAction = !BUCKET_CONFIGURATION_ACTIONS.includes(column.action);
  const targets: ReadonlyArray<string | null> = objectAction ? keys : [null];
  const resourceOf = (key: string | null): string => (key === null ? zone.bucketArn : `${zone.bucketArn}/${key}`);
  const requestFor = (key: string | null): AccessRequest => ({ principalArn: p.arn, principalAccount: env.account, action: column.action, resource: resourceOf(key), context });
  const perKey = statements.map((st) => targets.length > 1 && keyDependent(st, zp.reachOf));
  const first = requestFor(targets[0]);
  const once: PrincipalMatch[] = statements.map((st, i) => (perKey[i] ? 'none' : statementApplies(st, first)));
  const grantCheck = isGrantChecked(p, zone.zone, column.action, clearResults);

  const probes = targets.map((key): ProbeResult => {
    const request = key === targets[0] ? first : requestFor(key);
    const all = emptyMatches();
    const identityOnly = emptyMatches();
    statements.forEach((st, i) => {
      const applies = perKey[i] ? statementApplies(st, request) : once[i];
      recordMatch(all, st, applies);
      if (grantCheck && st.kind === 'identity') recordMatch(identityOnly, st, applies);
    });
    const d = decideSameAccount(all);
    const io = grantCheck ? decideSameAccount(identityOnly) : undefined;
    return {
      key,
      resource: request.resource,
      decision: d.decision,
      allowedBy: io?.decision === 'allow' && d.decision !== 'allow' ? io.allowedBy : d.allowedBy,
      deniedBy: d.deniedBy,
      identityOnly: io?.decision,
    };
  });
  const allowedCount = probes.filter((r) => r.decision === 'allow').length;
  return {
    principal: p.id,
    zone: zone.zone,
    bucket: zone.id,
    action: column.action,
    variant: column.variant,
    decision: allowedCount === probes.length ? 'allow' : allowedCount === 0 ? 'deny' : 'partial',
    probes,
  };
}

function summarise(p: ModelPrincipal, cells: readonly MatrixCell[], secrets: readonly SecretCell[], resultsPrefix: string | undefined): PrincipalSummary {
  return {
    id: p.id,
    arn: p.arn,
    kind: p.kind,
    isPipeline: p.isPipeline,
    hypothetical: p.hypothetical,
    domain: p.domain,
    source: p.source,
    stack: p.stack,
    logicalId: p.logicalId,
    stage: p.kind === 'pipeline' ? stageOf(cells) : undefined,
    access: accessLetters(cells),
    readsPiiTokenKey: secrets.some((c) => c.purpose === PII_TOKEN_KEY_SECRET && c.readable),
    ...(resultsPrefix === undefined
      ? {}
      : { readsPipelineResults: cells.some((c) => c.zone === 'query-results' && c.action === 's3:GetObject' && c.probes.some((r) => r.decision === 'allow' && r.key?.startsWith(resultsPrefix))) }),
  };
}

function union(lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}

function allowedProbes(cell: MatrixCell, keyFilter: (key: string | null) => boolean = () => true): ProbeResult[] {
  return cell.probes.filter((p) => p.decision === 'allow' && keyFilter(p.key));
}

/** How an action reads in messages: `s3:PutObject (overwrite, no If-None-Match)` for overwrites. */
export function describeAction(cell: { readonly action: string; readonly variant?: PutVariant }): string {
  return cell.variant === 'overwrite' ? `${cell.action} (overwrite, no If-None-Match)` : cell.action;
}

/** Judges one principal's cells against the rules. */
function judge(p: ModelPrincipal, cells: readonly MatrixCell[], resultsPrefix: string | undefined): GovernanceViolation[] {
  const violations: GovernanceViolation[] = [];
  const seen = new Set<string>();
  const add = (rule: GovernanceRule, cell: MatrixCell, probes: readonly ProbeResult[], message: string, extraAllowedBy: readonly string[] = []): void => {
    const dedupe = `${rule}|${cell.bucket}|${cell.action}|${cell.variant ?? ''}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    violations.push({
      rule,
      principal: p.id,
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

  for (const cell of cells) {
    const isDataWrite = DATA_WRITE_ACTIONS.includes(cell.action);
    // The pipelines' query results hold clear data too: read only by pipeline roles.
    if (cell.action === 's3:GetObject' && cell.zone === 'query-results' && resultsPrefix !== undefined) {
      if (p.isPipeline) continue;
      const under = (r: ProbeResult) => r.key !== null && r.key.startsWith(resultsPrefix);
      const readable = cell.probes.filter((r) => r.decision === 'allow' && under(r));
      const granted = cell.probes.filter((r) => r.identityOnly === 'allow' && r.decision !== 'allow' && under(r));
      const who = `${p.id} (${p.kind}${p.hypothetical ? ', hypothetical' : ''})`;
      if (readable.length > 0) {
        add('Governance.ClearDataReaders', cell, readable, `${who} can read the pipelines' query results (${resultsPrefix} in ${cell.bucket}: the big-file route's staging records and quarantine rows, in clear), which only pipeline roles may: keys ${readable.map((r) => r.key).join(', ')}; allowed by ${union(readable.map((r) => r.allowedBy)).join(', ')}.`);
      } else if (granted.length > 0) {
        add('Governance.ClearDataReaders', cell, granted, `${who} is granted s3:GetObject on the pipelines' query results (${resultsPrefix} in ${cell.bucket}, clear data) by ${union(granted.map((r) => r.allowedBy)).join(', ')}: keys ${granted.map((r) => r.key).join(', ')}; only the bucket policy stops it.`);
      }
      continue;
    }
    // Clear personal data: read only by the domain's pipeline roles and steward, under the domain's prefix.
    if (cell.action === 's3:GetObject' && CLEAR_DATA_ZONES.includes(cell.zone)) {
      const readable = cell.probes.filter((r) => r.decision === 'allow' && !mayReadClearData(p, cell.zone, r.key));
      const granted = cell.probes.filter((r) => r.identityOnly === 'allow' && r.decision !== 'allow' && !mayReadClearData(p, cell.zone, r.key));
      const who = `${p.id} (${p.kind}${p.hypothetical ? ', hypothetical' : ''}${p.domain ? `, domain ${p.domain}` : ''})`;
      if (readable.length > 0) {
        add(
          'Governance.ClearDataReaders',
          cell,
          readable,
          `${who} can read clear data (s3:GetObject) in the ${cell.zone} zone (${cell.bucket}) ${clearReadScope(p, cell.zone)}: keys ${readable.map((r) => r.key).join(', ')}; allowed by ${union(readable.map((r) => r.allowedBy)).join(', ')}.`,
        );
      } else if (granted.length > 0) {
        add(
          'Governance.ClearDataReaders',
          cell,
          granted,
          `${who} is granted s3:GetObject on clear data in the ${cell.zone} zone (${cell.bucket}) by ${union(granted.map((r) => r.allowedBy)).join(', ')}: keys ${granted.map((r) => r.key).join(', ')}; only the bucket policy stops it.`,
        );
      }
      continue;
    }
    // A forbidden action granted by an identity policy, stopped only by the bucket policy.
    const granted = cell.probes.filter((r) => r.identityOnly === 'allow' && r.decision !== 'allow');
    if (granted.length > 0) {
      add(
        'Governance.ForbiddenGrants',
        cell,
        granted,
        `${p.id} (${p.kind}${p.isPipeline ? '' : ', not a pipeline role'}) is granted ${describeAction(cell)} on the ${cell.zone} zone (${cell.bucket}) by ${union(granted.map((r) => r.allowedBy)).join(', ')}; only the bucket policy stops it.`,
      );
    }
    const allowed = allowedProbes(cell);
    if (allowed.length === 0) continue;
    const keys = allowed.map((r) => r.key).join(', ');

    // Only pipeline roles write or delete production data.
    if (PRODUCTION_ZONES.includes(cell.zone) && isDataWrite && !p.isPipeline) {
      add(
        'Governance.ProductionWriters',
        cell,
        allowed,
        `${p.id} (${p.kind}${p.hypothetical ? ', hypothetical' : ''}, not a pipeline role) can ${describeAction(cell)} on the ${cell.zone} zone (${cell.bucket}), keys: ${keys}; allowed by ${union(allowed.map((r) => r.allowedBy)).join(', ')}.`,
      );
    }
    // Raw is immutable, for everyone.
    const rawDestructive = cell.action !== 's3:PutObject' ? isDataWrite : cell.variant === 'overwrite';
    if (cell.zone === 'raw' && rawDestructive) {
      add(
        'Governance.RawImmutable',
        cell,
        allowed,
        `${p.id} can ${describeAction(cell)} on the raw zone (${cell.bucket}), keys: ${keys}; raw data must never be deleted, re-timed or overwritten. Allowed by ${union(allowed.map((r) => r.allowedBy)).join(', ')}.`,
      );
    }
    // Prefix isolation.
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
          `${p.id} can ${describeAction(cell)} on the ${cell.zone} zone (${cell.bucket}) outside its own prefix ${ownPrefix === undefined ? `(it has no ${tag} tag)` : `${ownPrefix}/`}: keys ${outside.map((r) => r.key).join(', ')}; allowed by ${union(outside.map((r) => r.allowedBy)).join(', ')}.`,
        );
      };
      if (domainBound && PRODUCTION_ZONES.includes(cell.zone)) check(p.domain, TAG_KEYS.domain);
      if (sourceBound && (cell.zone === 'landing' || cell.zone === 'raw')) check(p.source, 'lakehouse:source');
    }
  }

  // One-way flow, for the app's roles.
  if (!p.hypothetical) {
    const flow = cells.filter((c) => FLOW_ORDER.includes(c.zone));
    const reads = flow.filter((c) => c.action === 's3:GetObject' && allowedProbes(c).length > 0);
    const writes = flow.filter((c) => c.action === 's3:PutObject' && allowedProbes(c).length > 0);
    if (reads.length > 0 && writes.length > 0) {
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
  }
  return violations;
}
