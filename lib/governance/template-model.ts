/**
 * Reads synthesized CloudFormation templates into the model the governance proof reasons about:
 * principals (IAM roles) with their identity policies, zone buckets with their bucket policies, and
 * KMS keys with their key policies.
 *
 * Templates are environment-agnostic, so intrinsics are resolved symbolically: pseudo parameters
 * get fixed values (account `111111111111`, region `eu-west-1`, unless the stack carries its own
 * environment), resources get deterministic placeholder names, and cross-stack references
 * (`Fn::ImportValue`, `Fn::GetStackOutput`) are followed into the producing stack.
 *
 * A value that cannot be known at synth time (a parameter, an attribute the model does not know)
 * becomes an {@link UnresolvedValue}: the evaluator throws only if a decision depends on it. Shapes
 * the proof cannot model at all (IAM users, permissions boundaries, unknown intrinsics, AWS-managed
 * policies missing from {@link AWS_MANAGED_POLICIES}) throw {@link GovernanceEvaluationError} here.
 */
import { isZoneName, RoleKind, TAG_KEYS, ZoneName } from '../../lambda/shared/zones';
import { bucketName, DEFAULT_ENVIRONMENT, IntrinsicResolver, kmsKeyId, ModelEnvironment, ModelOptions, rolePath, StackTemplate } from './intrinsics';
import { AWS_MANAGED_POLICIES } from './managed-policies';
import { GovernanceEvaluationError, isRecord, LabeledStatement, UnresolvedValue } from './policy-eval';

export { DEFAULT_ENVIRONMENT, IntrinsicResolver } from './intrinsics';
export type { ModelEnvironment, ModelOptions, StackTemplate } from './intrinsics';
export { AWS_MANAGED_POLICIES } from './managed-policies';

/** Tag naming an ingest role's source (its objects live under `<source>/`). */
export const SOURCE_TAG_KEY = TAG_KEYS.source;

const ROLE_KINDS: readonly RoleKind[] = ['pipeline', 'ingest', 'analyst', 'operator', 'janitor', 'steward'];

export type PrincipalKind = RoleKind | 'unclassified';

export interface ModelPrincipal {
  /** `<stack>/<logicalId>`, or `hypothetical:<name>`. */
  readonly id: string;
  readonly stack?: string;
  readonly logicalId?: string;
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly tags: Readonly<Record<string, string>>;
  /** From tag `lakehouse:role`; `unclassified` without it. */
  readonly kind: PrincipalKind;
  readonly environment?: string;
  readonly domain?: string;
  readonly source?: string;
  /** Tag `lakehouse:role=pipeline` and path `/lakehouse/<env>/pipeline/` (env from `lakehouse:environment`). */
  readonly isPipeline: boolean;
  /** Tag `lakehouse:role=steward` and path `/lakehouse/<env>/steward/`. */
  readonly isSteward: boolean;
  /** A pipeline role's stage (tag `lakehouse:stage`): `clean` or `curated`. */
  readonly stage?: string;
  readonly hypothetical: boolean;
  /** Every identity-policy statement attached to the role (inline, standalone, customer- and AWS-managed). */
  readonly identityStatements: readonly LabeledStatement[];
}

export interface ModelKey {
  /** `<stack>/<logicalId>` */
  readonly id: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly keyId: string;
  readonly keyPolicy: readonly LabeledStatement[];
}

export interface ModelZone {
  /** `<stack>/<logicalId>` of the bucket. */
  readonly id: string;
  readonly zone: ZoneName;
  readonly stack: string;
  readonly logicalId: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly encryption: 'kms' | 's3';
  /** The bucket's default key for SSE-KMS zones. */
  readonly key?: ModelKey;
  readonly bucketPolicy: readonly LabeledStatement[];
}

/** A Secrets Manager secret of the app, with its resource policy and the key it is encrypted with. */
export interface ModelSecret {
  /** `<stack>/<logicalId>` */
  readonly id: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Its customer-managed key; undefined for Secrets Manager's AWS-managed key (`aws/secretsmanager`). */
  readonly key?: ModelKey;
  readonly resourcePolicy: readonly LabeledStatement[];
}

export interface TemplateModel {
  readonly environment: ModelEnvironment;
  readonly principals: readonly ModelPrincipal[];
  readonly zones: readonly ModelZone[];
  readonly keys: readonly ModelKey[];
  readonly secrets: readonly ModelSecret[];
  /** Things the model saw and deliberately left out (e.g. policies attached to roles outside the app). */
  readonly notes: readonly string[];
}


function statementsOf(resolver: IntrinsicResolver, stack: string, document: unknown, idPrefix: string, separator = '#'): LabeledStatement[] {
  const resolved = resolver.resolve(stack, document, idPrefix);
  if (!isRecord(resolved)) {
    throw new GovernanceEvaluationError({ where: idPrefix, element: 'PolicyDocument', value: resolved instanceof UnresolvedValue ? resolved.reason : resolved, problem: 'a policy document must be an object' });
  }
  const raw = resolved.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((statement, index) => {
    const sid = isRecord(statement) && typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : String(index);
    return { id: `${idPrefix}${separator}${sid}`, statement };
  });
}

function tagsOf(resolver: IntrinsicResolver, stack: string, logicalId: string, tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (tags === undefined) return out;
  const resolved = resolver.resolve(stack, tags, `${stack}/${logicalId}`);
  if (!Array.isArray(resolved)) {
    throw new GovernanceEvaluationError({ where: `${stack}/${logicalId}`, element: 'Tags', value: tags, problem: 'expected a list of { Key, Value }' });
  }
  for (const tag of resolved) {
    if (!isRecord(tag) || typeof tag.Key !== 'string' || typeof tag.Value !== 'string') {
      throw new GovernanceEvaluationError({ where: `${stack}/${logicalId}`, element: 'Tags', value: tag instanceof UnresolvedValue ? tag.reason : tag, problem: 'each tag must resolve to { Key: string, Value: string }' });
    }
    out[tag.Key] = tag.Value;
  }
  return out;
}

function nameList(resolver: IntrinsicResolver, stack: string, logicalId: string, element: string, value: unknown): string[] {
  if (value === undefined) return [];
  const resolved = resolver.resolve(stack, value, `${stack}/${logicalId}`);
  if (!Array.isArray(resolved)) {
    throw new GovernanceEvaluationError({ where: `${stack}/${logicalId}`, element, value, problem: 'expected a list' });
  }
  return resolved.map((v) => {
    if (typeof v !== 'string') {
      throw new GovernanceEvaluationError({ where: `${stack}/${logicalId}`, element, value: v instanceof UnresolvedValue ? v.reason : v, problem: 'must resolve to a name or ARN at synth time' });
    }
    return v;
  });
}

const UNSUPPORTED_PRINCIPAL_TYPES = new Set(['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::UserToGroupAddition', 'AWS::IAM::AccessKey', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy']);

interface RoleDraft {
  stack: string;
  logicalId: string;
  name: string;
  path: string;
  arn: string;
  tags: Record<string, string>;
  statements: LabeledStatement[];
  managedArns: string[];
}

/** Builds the model from every stack of the app. */
export function buildTemplateModel(stacks: readonly StackTemplate[], options: ModelOptions = {}): TemplateModel {
  const resolver = new IntrinsicResolver(stacks, options);
  const notes: string[] = [];
  const accounts = new Set(stacks.map((s) => s.account ?? options.account ?? DEFAULT_ENVIRONMENT.account));
  if (accounts.size > 1) {
    throw new GovernanceEvaluationError({ where: '(app)', element: 'account', value: [...accounts], problem: 'stacks span several accounts; the proof analyses one account' });
  }
  const firstEnv = stacks.length > 0 ? resolver.stack(stacks[0].stackName).env : { ...DEFAULT_ENVIRONMENT, ...options };
  const environment: ModelEnvironment = { account: firstEnv.account, region: firstEnv.region, partition: firstEnv.partition, urlSuffix: firstEnv.urlSuffix };

  const roles = new Map<string, RoleDraft>(); // by role name
  const managedPolicies = new Map<string, LabeledStatement[]>(); // by ARN
  const managedAttachments: Array<{ roleName: string; arn: string }> = [];
  const pendingPolicies: Array<{ roleNames: string[]; statements: LabeledStatement[]; where: string }> = [];
  const keys: ModelKey[] = [];
  const buckets: Array<{ stack: string; logicalId: string; props: Record<string, unknown> }> = [];
  const bucketPolicies: Array<{ bucket: string; statements: LabeledStatement[]; where: string }> = [];
  const secrets: Array<{ stack: string; logicalId: string; props: Record<string, unknown> }> = [];
  const secretPolicies: Array<{ secret: string; statements: LabeledStatement[] }> = [];

  for (const stackName of resolver.stackNames()) {
    const info = resolver.stack(stackName);
    for (const [logicalId, resource] of Object.entries(info.resources)) {
      const where = `${stackName}/${logicalId}`;
      if (!isRecord(resource) || typeof resource.Type !== 'string') continue;
      if (resource.Condition !== undefined && !resolver.conditionHolds(stackName, String(resource.Condition), where)) continue;
      const props = (isRecord(resource.Properties) ? resource.Properties : {}) as Record<string, unknown>;
      if (UNSUPPORTED_PRINCIPAL_TYPES.has(resource.Type)) {
        throw new GovernanceEvaluationError({ where, element: resource.Type, value: logicalId, problem: 'IAM users and groups are principals the proof does not analyse', fix: 'give people access through roles, or extend the proof to model users and groups' });
      }
      if (resource.Type === 'AWS::CloudFormation::Stack') {
        throw new GovernanceEvaluationError({ where, element: resource.Type, value: logicalId, problem: 'nested stack templates are not passed to the proof, so their roles and policies would go unanalysed' });
      }
      switch (resource.Type) {
        case 'AWS::IAM::Role': {
          if (props.PermissionsBoundary !== undefined) {
            throw new GovernanceEvaluationError({ where, element: 'PermissionsBoundary', value: props.PermissionsBoundary, problem: 'permissions boundaries are not evaluated' });
          }
          const name = resolver.resolveString(stackName, { Ref: logicalId }, where, 'RoleName');
          const arn = resolver.resolveString(stackName, { 'Fn::GetAtt': [logicalId, 'Arn'] }, where, 'Arn');
          const statements: LabeledStatement[] = [];
          const inline = props.Policies === undefined ? [] : resolver.resolve(stackName, props.Policies, where);
          if (!Array.isArray(inline)) throw new GovernanceEvaluationError({ where, element: 'Policies', value: props.Policies, problem: 'expected a list' });
          for (const policy of inline) {
            if (!isRecord(policy) || typeof policy.PolicyName !== 'string') {
              throw new GovernanceEvaluationError({ where, element: 'Policies', value: policy, problem: 'each inline policy needs a PolicyName that resolves at synth time' });
            }
            statements.push(...statementsOf(resolver, stackName, policy.PolicyDocument, `${where}#${policy.PolicyName}`, '/'));
          }
          roles.set(name, {
            stack: stackName,
            logicalId,
            name,
            path: rolePath(resolver, stackName, logicalId, props),
            arn,
            tags: tagsOf(resolver, stackName, logicalId, props.Tags),
            statements,
            managedArns: nameList(resolver, stackName, logicalId, 'ManagedPolicyArns', props.ManagedPolicyArns),
          });
          break;
        }
        case 'AWS::IAM::Policy':
        case 'AWS::IAM::ManagedPolicy': {
          if ((props.Users !== undefined && nameList(resolver, stackName, logicalId, 'Users', props.Users).length > 0) || (props.Groups !== undefined && nameList(resolver, stackName, logicalId, 'Groups', props.Groups).length > 0)) {
            throw new GovernanceEvaluationError({ where, element: 'Users/Groups', value: props.Users ?? props.Groups, problem: 'policies attached to IAM users or groups are not analysed' });
          }
          const statements = statementsOf(resolver, stackName, props.PolicyDocument, where);
          const roleNames = nameList(resolver, stackName, logicalId, 'Roles', props.Roles);
          if (resource.Type === 'AWS::IAM::ManagedPolicy') {
            const arn = resolver.resolveString(stackName, { Ref: logicalId }, where, 'PolicyArn');
            managedPolicies.set(arn, statements);
            for (const roleName of roleNames) managedAttachments.push({ roleName, arn });
          } else {
            pendingPolicies.push({ roleNames, statements, where });
          }
          break;
        }
        case 'AWS::IAM::RolePolicy': {
          const roleName = resolver.resolveString(stackName, props.RoleName, where, 'RoleName');
          pendingPolicies.push({ roleNames: [roleName], statements: statementsOf(resolver, stackName, props.PolicyDocument, where), where });
          break;
        }
        case 'AWS::KMS::Key': {
          keys.push({
            id: where,
            stack: stackName,
            logicalId,
            arn: resolver.resolveString(stackName, { 'Fn::GetAtt': [logicalId, 'Arn'] }, where, 'Arn'),
            keyId: kmsKeyId(stackName, logicalId),
            keyPolicy: props.KeyPolicy === undefined ? [] : statementsOf(resolver, stackName, props.KeyPolicy, where),
          });
          break;
        }
        case 'AWS::S3::Bucket':
          buckets.push({ stack: stackName, logicalId, props });
          break;
        case 'AWS::S3::BucketPolicy':
          bucketPolicies.push({ bucket: resolver.resolveString(stackName, props.Bucket, where, 'Bucket'), statements: statementsOf(resolver, stackName, props.PolicyDocument, where), where });
          break;
        case 'AWS::SecretsManager::Secret':
          secrets.push({ stack: stackName, logicalId, props });
          break;
        case 'AWS::SecretsManager::ResourcePolicy':
          secretPolicies.push({ secret: resolver.resolveString(stackName, props.SecretId, where, 'SecretId'), statements: statementsOf(resolver, stackName, props.ResourcePolicy, where) });
          break;
      }
    }
  }

  for (const policy of pendingPolicies) {
    for (const roleName of policy.roleNames) {
      const role = roles.get(roleName);
      if (role) role.statements.push(...policy.statements);
      else notes.push(`${policy.where} is attached to role ${roleName}, which is not defined in the app (roles outside the app are covered by hypothetical:outside-role)`);
    }
  }
  for (const { roleName, arn } of managedAttachments) {
    const role = roles.get(roleName);
    if (role) {
      if (!role.managedArns.includes(arn)) role.managedArns.push(arn);
    } else {
      notes.push(`managed policy ${arn} is attached to role ${roleName}, which is not defined in the app`);
    }
  }

  const principals: ModelPrincipal[] = [...roles.values()].map((role) => {
    const where = `${role.stack}/${role.logicalId}`;
    const statements = [...role.statements];
    for (const arn of role.managedArns) {
      statements.push(...managedPolicyStatements(arn, managedPolicies, where));
    }
    const kindTag = role.tags[TAG_KEYS.role];
    const known = kindTag !== undefined && (ROLE_KINDS as readonly string[]).includes(kindTag);
    if (kindTag !== undefined && !known) {
      // Safe: only the pipeline kind earns privileges, and every rule judges unclassified roles as non-pipeline.
      notes.push(`${where} has ${TAG_KEYS.role}=${kindTag}, which is not a RoleKind (${ROLE_KINDS.join(', ')}); it is judged as unclassified`);
    }
    const kind: PrincipalKind = known ? (kindTag as RoleKind) : 'unclassified';
    const environmentName = role.tags[TAG_KEYS.environment];
    return {
      id: where,
      stack: role.stack,
      logicalId: role.logicalId,
      arn: role.arn,
      name: role.name,
      path: role.path,
      tags: role.tags,
      kind,
      environment: environmentName,
      domain: role.tags[TAG_KEYS.domain],
      source: role.tags[SOURCE_TAG_KEY],
      isPipeline: kind === 'pipeline' && environmentName !== undefined && role.path === `/lakehouse/${environmentName}/pipeline/`,
      isSteward: kind === 'steward' && environmentName !== undefined && role.path === `/lakehouse/${environmentName}/steward/`,
      stage: role.tags[TAG_KEYS.stage],
      hypothetical: false,
      identityStatements: statements,
    };
  });

  const zones: ModelZone[] = [];
  for (const b of buckets) {
    const where = `${b.stack}/${b.logicalId}`;
    const tags = tagsOf(resolver, b.stack, b.logicalId, b.props.Tags);
    const zone = tags[TAG_KEYS.zone];
    if (zone === undefined) continue;
    if (!isZoneName(zone)) {
      throw new GovernanceEvaluationError({ where, element: `Tags.${TAG_KEYS.zone}`, value: zone, problem: 'not a zone name from lambda/shared/zones.ts' });
    }
    const name = bucketName(resolver, b.stack, b.logicalId, b.props);
    const encryption = bucketEncryption(resolver, b.stack, b.logicalId, b.props, keys);
    const policies = bucketPolicies.filter((p) => p.bucket === name);
    zones.push({
      id: where,
      zone,
      stack: b.stack,
      logicalId: b.logicalId,
      bucketName: name,
      bucketArn: `arn:${resolver.stack(b.stack).env.partition}:s3:::${name}`,
      encryption: encryption.kind,
      key: encryption.key,
      bucketPolicy: policies.flatMap((p) => p.statements),
    });
  }
  const modelSecrets: ModelSecret[] = secrets.map((sec) => {
    const where = `${sec.stack}/${sec.logicalId}`;
    const arn = resolver.resolveString(sec.stack, { Ref: sec.logicalId }, where, 'Arn');
    return {
      id: where,
      stack: sec.stack,
      logicalId: sec.logicalId,
      arn,
      tags: tagsOf(resolver, sec.stack, sec.logicalId, sec.props.Tags),
      key: secretKey(resolver, sec.stack, sec.logicalId, sec.props, keys),
      resourcePolicy: secretPolicies.filter((p) => p.secret === arn).flatMap((p) => p.statements),
    };
  });
  return { environment, principals, zones, keys, secrets: modelSecrets, notes };
}

/** The key a secret is encrypted with: a KMS key of the app, or (no KmsKeyId) Secrets Manager's AWS-managed key. */
function secretKey(resolver: IntrinsicResolver, stack: string, logicalId: string, props: Record<string, unknown>, keys: readonly ModelKey[]): ModelKey | undefined {
  if (props.KmsKeyId === undefined) return undefined;
  const ref = resolver.resolve(stack, props.KmsKeyId, `${stack}/${logicalId}`);
  const key = keys.find((k) => k.arn === ref || k.keyId === ref);
  if (!key) {
    throw new GovernanceEvaluationError({
      where: `${stack}/${logicalId}`,
      element: 'KmsKeyId',
      value: ref instanceof UnresolvedValue ? ref.reason : ref,
      problem: "the secret's key is not a KMS key of the app, so its key policy cannot be read",
    });
  }
  return key;
}

function managedPolicyStatements(arn: string, inApp: Map<string, LabeledStatement[]>, where: string): LabeledStatement[] {
  const own = inApp.get(arn);
  if (own) return own;
  const awsManaged = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  if (awsManaged) {
    const entry = AWS_MANAGED_POLICIES[awsManaged[1]];
    if (!entry) {
      throw new GovernanceEvaluationError({
        where,
        element: 'ManagedPolicyArns',
        value: arn,
        problem: 'an AWS-managed policy the proof has no offline copy of',
        fix: 'add its S3/KMS statements to AWS_MANAGED_POLICIES in lib/governance/template-model.ts (from the AWS Managed Policy Reference), or use a customer-managed policy',
      });
    }
    return entry.statements.map((statement, i) => ({ id: `aws-managed:${awsManaged[1]}#${i}`, statement }));
  }
  throw new GovernanceEvaluationError({ where, element: 'ManagedPolicyArns', value: arn, problem: 'a customer-managed policy that is not defined in the app cannot be read' });
}

function bucketEncryption(resolver: IntrinsicResolver, stack: string, logicalId: string, props: Record<string, unknown>, keys: readonly ModelKey[]): { kind: 'kms' | 's3'; key?: ModelKey } {
  const where = `${stack}/${logicalId}`;
  const resolved = resolver.resolve(stack, props.BucketEncryption, where);
  if (resolved === undefined) return { kind: 's3' }; // S3 applies SSE-S3 to every new object by default
  const rules = isRecord(resolved) ? resolved.ServerSideEncryptionConfiguration : undefined;
  if (!Array.isArray(rules) || rules.length !== 1 || !isRecord(rules[0]) || !isRecord(rules[0].ServerSideEncryptionByDefault)) {
    throw new GovernanceEvaluationError({ where, element: 'BucketEncryption', value: props.BucketEncryption, problem: 'expected one ServerSideEncryptionByDefault rule' });
  }
  const byDefault = rules[0].ServerSideEncryptionByDefault;
  const algorithm = byDefault.SSEAlgorithm;
  if (algorithm === 'AES256') return { kind: 's3' };
  if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
    throw new GovernanceEvaluationError({ where, element: 'BucketEncryption.SSEAlgorithm', value: algorithm, problem: 'unknown algorithm' });
  }
  const keyRef = byDefault.KMSMasterKeyID;
  const key = keys.find((k) => k.arn === keyRef || k.keyId === keyRef);
  if (!key) {
    throw new GovernanceEvaluationError({
      where,
      element: 'BucketEncryption.KMSMasterKeyID',
      value: keyRef instanceof UnresolvedValue ? keyRef.reason : keyRef ?? '(aws/s3 managed key)',
      problem: 'the zone key is not a KMS key of the app, so its key policy cannot be read',
    });
  }
  return { kind: 'kms', key };
}
