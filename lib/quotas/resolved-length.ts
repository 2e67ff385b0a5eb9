/**
 * How long a value of a synthesized template can be once CloudFormation has resolved its intrinsics,
 * for the policy-size quotas.
 *
 * Templates are environment-agnostic and name most resources at deploy time, so `Ref`, `Fn::GetAtt`,
 * `Fn::Join` and `Fn::Sub` are not resolved at synth. Each is replaced by the longest string it can
 * resolve to:
 * - pseudo parameters: account 12 digits, partition ≤ 10 (`aws-us-gov`), region ≤ 14 (`ap-southeast-5`),
 *   URL suffix ≤ 16 (`amazonaws.com.cn`), the stack name as known (else 128, CloudFormation's maximum);
 * - a resource of a known type: its literal name if the template sets one, else the service's maximum
 *   name length (bucket 63, role 64, function 64, queue 80, topic 256, …), inside the ARN or URL format of
 *   the service ({@link RESOURCE_SHAPES});
 * - a parameter: its MaxLength or longest AllowedValue, else 4,096 (CloudFormation's maximum value);
 * - anything else (another type or attribute, `Fn::ImportValue`, `Fn::GetStackOutput`): an assumed
 *   {@link ASSUMED_LENGTH} characters, counted in {@link LengthEstimate.assumed} so the figure says so.
 *
 * Literal strings count as JSON-escaped UTF-8 bytes. Everything is linear in the size of the value.
 */

/** Characters assumed for an intrinsic whose result has no known bound. */
export const ASSUMED_LENGTH = 256;

/** Longest values of the pseudo parameters (characters). */
export const PSEUDO_PARAMETER_LENGTH = {
  'AWS::AccountId': 12,
  'AWS::Partition': 10,
  'AWS::Region': 14,
  'AWS::URLSuffix': 16,
  /** CloudFormation's maximum stack name, when the stack's own name is not known. */
  'AWS::StackName': 128,
  'AWS::NoValue': 0,
} as const;

/** Longest value of a CloudFormation parameter (the "Parameter value" quota, 4,096 bytes). */
const MAX_PARAMETER_VALUE = 4096;
/** Lengths of a UUID (KMS key ids, stack ids). */
const UUID = 36;
/** Nesting depth after which a value counts as assumed (a name that references a name that …). */
const MAX_DEPTH = 8;

type Json = unknown;
type JsonObject = Readonly<Record<string, Json>>;

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: JsonObject;
}

/** What the estimator reads from one template. */
export interface LengthContext {
  /** The stack's name (`AWS::StackName`, `AWS::StackId`), when known. */
  readonly stackName?: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly parameters: Readonly<Record<string, JsonObject>>;
  readonly mappings: Readonly<Record<string, Json>>;
}

/** A running estimate: how many intrinsics were bounded, and how many of them only by assumption. */
export interface LengthEstimate {
  intrinsics: number;
  assumed: number;
}

/** The context of a parsed template. */
export function lengthContext(template: Json, stackName?: string): LengthContext {
  const t = isObject(template) ? template : {};
  return {
    stackName,
    resources: (isObject(t.Resources) ? t.Resources : {}) as Record<string, TemplateResource>,
    parameters: (isObject(t.Parameters) ? t.Parameters : {}) as Record<string, JsonObject>,
    mappings: isObject(t.Mappings) ? t.Mappings : {},
  };
}

/**
 * Upper bound on the bytes of `value` serialized as minified JSON (`JSON.stringify(value)`) after
 * CloudFormation resolves its intrinsics.
 */
export function resolvedJsonBytes(value: Json, ctx: LengthContext, est: LengthEstimate, depth = 0): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return jsonStringBytes(value);
  if (typeof value !== 'object') return String(value).length;
  if (Array.isArray(value)) return listBytes(value.map((v) => resolvedJsonBytes(v, ctx, est, depth)));
  const intrinsic = intrinsicOf(value);
  if (intrinsic) {
    const [fn, args] = intrinsic;
    // Fn::If may pick an object or a list: the larger branch.
    if (fn === 'Fn::If' && Array.isArray(args) && args.length === 3) {
      est.intrinsics++;
      return Math.max(resolvedJsonBytes(args[1], ctx, est, depth + 1), resolvedJsonBytes(args[2], ctx, est, depth + 1));
    }
    if (fn === 'Fn::Split' || fn === 'Fn::GetAZs' || fn === 'Fn::Cidr') {
      // A list: each character of the source may become `","` at most.
      return 4 + 3 * resolvedLength(value, ctx, est, depth);
    }
    return 2 + resolvedLength(value, ctx, est, depth);
  }
  const entries = Object.entries(value);
  return listBytes(entries.map(([k, v]) => jsonStringBytes(k) + 1 + resolvedJsonBytes(v, ctx, est, depth)));
}

/** Upper bound on the length of the string `value` resolves to (JSON-escaped, without quotes). */
export function resolvedLength(value: Json, ctx: LengthContext, est: LengthEstimate, depth = 0): number {
  if (typeof value === 'string') return jsonStringBytes(value) - 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  const intrinsic = intrinsicOf(value);
  if (!intrinsic || depth > MAX_DEPTH) return assumed(est);
  est.intrinsics++;
  const [fn, args] = intrinsic;
  const next = depth + 1;
  switch (fn) {
    case 'Ref':
      return typeof args === 'string' ? refLength(args, ctx, est, next) : assumed(est);
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(args) ? args : typeof args === 'string' ? splitOnce(args, '.') : [];
      return typeof id === 'string' && typeof attribute === 'string' ? attributeLength(id, attribute, ctx, est, next) : assumed(est);
    }
    case 'Fn::Join': {
      if (!Array.isArray(args) || typeof args[0] !== 'string' || !Array.isArray(args[1])) return assumed(est);
      const parts: Json[] = args[1];
      return parts.reduce<number>((n, p) => n + resolvedLength(p, ctx, est, next), 0) + (jsonStringBytes(args[0]) - 2) * Math.max(0, parts.length - 1);
    }
    case 'Fn::Sub':
      return subLength(args, ctx, est, next);
    case 'Fn::Select': {
      if (!Array.isArray(args) || !Array.isArray(args[1])) return assumed(est);
      const items: Json[] = args[1];
      const index = typeof args[0] === 'number' ? args[0] : Number(args[0]);
      if (Number.isInteger(index) && index >= 0 && index < items.length) return resolvedLength(items[index], ctx, est, next);
      return items.reduce<number>((n, item) => Math.max(n, resolvedLength(item, ctx, est, next)), 0);
    }
    case 'Fn::If':
      return Array.isArray(args) && args.length === 3
        ? Math.max(resolvedLength(args[1], ctx, est, next), resolvedLength(args[2], ctx, est, next))
        : assumed(est);
    case 'Fn::FindInMap':
      return mapLength(args, ctx, est, next);
    case 'Fn::Base64':
      return Math.ceil(resolvedLength(args, ctx, est, next) / 3) * 4;
    default:
      return assumed(est);
  }
}

function refLength(name: string, ctx: LengthContext, est: LengthEstimate, depth: number): number {
  if (name === 'AWS::StackName') return ctx.stackName?.length ?? PSEUDO_PARAMETER_LENGTH['AWS::StackName'];
  if (name === 'AWS::StackId') {
    return arnLength('cloudformation', 'stack/'.length + (ctx.stackName?.length ?? PSEUDO_PARAMETER_LENGTH['AWS::StackName']) + 1 + UUID);
  }
  if (name in PSEUDO_PARAMETER_LENGTH) return PSEUDO_PARAMETER_LENGTH[name as keyof typeof PSEUDO_PARAMETER_LENGTH];
  const parameter = ctx.parameters[name];
  if (parameter) return parameterLength(parameter);
  const resource = ctx.resources[name];
  const shape = resource?.Type ? RESOURCE_SHAPES[resource.Type]?.ref : undefined;
  return shape ? shape(new ResourceNames(resource, ctx, est, depth)) : assumed(est);
}

function attributeLength(id: string, attribute: string, ctx: LengthContext, est: LengthEstimate, depth: number): number {
  const resource = ctx.resources[id];
  const shape = resource?.Type ? RESOURCE_SHAPES[resource.Type]?.attributes?.[attribute] : undefined;
  return shape ? shape(new ResourceNames(resource, ctx, est, depth)) : assumed(est);
}

function parameterLength(parameter: JsonObject): number {
  if (typeof parameter.MaxLength === 'number') return parameter.MaxLength;
  if (Array.isArray(parameter.AllowedValues)) return parameter.AllowedValues.reduce<number>((n, v) => Math.max(n, String(v).length), 0);
  return MAX_PARAMETER_VALUE;
}

function subLength(args: Json, ctx: LengthContext, est: LengthEstimate, depth: number): number {
  const [text, variables] = Array.isArray(args) ? [args[0], isObject(args[1]) ? args[1] : {}] : [args, {} as JsonObject];
  if (typeof text !== 'string') return assumed(est);
  let length = 0;
  let last = 0;
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    length += jsonStringBytes(text.slice(last, m.index)) - 2;
    last = m.index + m[0].length;
    const name = m[1];
    if (name.startsWith('!')) length += m[0].length - 1;
    else if (name in variables) length += resolvedLength(variables[name], ctx, est, depth);
    else if (name.includes('.')) length += resolvedLength({ 'Fn::GetAtt': splitOnce(name, '.') }, ctx, est, depth);
    else length += resolvedLength({ Ref: name }, ctx, est, depth);
  }
  return length + jsonStringBytes(text.slice(last)) - 2;
}

function mapLength(args: Json, ctx: LengthContext, est: LengthEstimate, depth: number): number {
  if (!Array.isArray(args) || typeof args[0] !== 'string') return assumed(est);
  const [name, first, second] = args;
  const map = ctx.mappings[name];
  const exact = isObject(map) && typeof first === 'string' && typeof second === 'string' && isObject(map[first]) ? map[first][second] : undefined;
  if (exact !== undefined) return resolvedLength(exact, ctx, est, depth);
  const longest = longestLeaf(map);
  return args.length > 3 ? Math.max(longest, resolvedLength(args[3], ctx, est, depth)) : longest;
}

function longestLeaf(value: Json): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => Math.max(n, longestLeaf(v)), 0);
  if (isObject(value)) return Object.values(value).reduce<number>((n, v) => Math.max(n, longestLeaf(v)), 0);
  return value === undefined ? 0 : jsonStringBytes(String(value)) - 2;
}

function assumed(est: LengthEstimate): number {
  est.assumed++;
  return ASSUMED_LENGTH;
}

/** Length of `arn:<partition>:<service>:<region>:<account>:<resource>` with the longest partition, region and account. */
export function arnLength(service: string, resourceLength: number, regional = true, inAccount = true): number {
  return (
    'arn:'.length +
    PSEUDO_PARAMETER_LENGTH['AWS::Partition'] +
    1 +
    service.length +
    1 +
    (regional ? PSEUDO_PARAMETER_LENGTH['AWS::Region'] : 0) +
    1 +
    (inAccount ? PSEUDO_PARAMETER_LENGTH['AWS::AccountId'] : 0) +
    1 +
    resourceLength
  );
}

/** The name-valued properties of one resource, bounded. */
class ResourceNames {
  constructor(
    private readonly resource: TemplateResource,
    private readonly ctx: LengthContext,
    private readonly est: LengthEstimate,
    private readonly depth: number,
  ) {}

  /** The length of a name property (`path` of keys): the literal's, the intrinsic's bound, else `max`. */
  public name(path: readonly string[], max: number): number {
    let value: Json = this.resource.Properties;
    for (const key of path) value = isObject(value) ? value[key] : undefined;
    return value === undefined ? max : resolvedLength(value, this.ctx, this.est, this.depth);
  }
}

type Shape = (names: ResourceNames) => number;
interface ResourceShape {
  readonly ref?: Shape;
  readonly attributes?: Readonly<Record<string, Shape>>;
}

/** URL of an SQS queue: `https://sqs.<region>.<url suffix>/<account>/<name>`. */
const queueUrl: Shape = (n) =>
  'https://sqs.'.length + PSEUDO_PARAMETER_LENGTH['AWS::Region'] + 1 + PSEUDO_PARAMETER_LENGTH['AWS::URLSuffix'] + 1 + PSEUDO_PARAMETER_LENGTH['AWS::AccountId'] + 1 + n.name(['QueueName'], 80);
const bucketName: Shape = (n) => n.name(['BucketName'], 63);
const roleArn: Shape = (n) => arnLength('iam', 'role'.length + n.name(['Path'], 1) + n.name(['RoleName'], 64), false);
const topicArn: Shape = (n) => arnLength('sns', n.name(['TopicName'], 256));
const stateMachineArn: Shape = (n) => arnLength('states', 'stateMachine:'.length + n.name(['StateMachineName'], 80));
const keyArn: Shape = () => arnLength('kms', 'key/'.length + UUID);

/**
 * What `Ref` and `Fn::GetAtt` return for the resource types policies and dashboards refer to, bounded
 * by each service's maximum name length when the template does not name the resource.
 */
export const RESOURCE_SHAPES: Readonly<Record<string, ResourceShape>> = {
  'AWS::S3::Bucket': {
    ref: bucketName,
    attributes: {
      Arn: (n) => arnLength('s3', bucketName(n), false, false),
      DomainName: (n) => bucketName(n) + '.s3.'.length + PSEUDO_PARAMETER_LENGTH['AWS::URLSuffix'],
      RegionalDomainName: (n) => bucketName(n) + '.s3.'.length + PSEUDO_PARAMETER_LENGTH['AWS::Region'] + 1 + PSEUDO_PARAMETER_LENGTH['AWS::URLSuffix'],
    },
  },
  'AWS::IAM::Role': {
    ref: (n) => n.name(['RoleName'], 64),
    attributes: { Arn: roleArn, RoleId: () => 128 },
  },
  'AWS::IAM::ManagedPolicy': {
    ref: (n) => arnLength('iam', 'policy'.length + n.name(['Path'], 1) + n.name(['ManagedPolicyName'], 128), false),
  },
  'AWS::KMS::Key': { ref: () => UUID, attributes: { Arn: keyArn, KeyId: () => UUID } },
  'AWS::KMS::Alias': { ref: (n) => n.name(['AliasName'], 256) },
  'AWS::Lambda::Function': {
    ref: (n) => n.name(['FunctionName'], 64),
    attributes: { Arn: (n) => arnLength('lambda', 'function:'.length + n.name(['FunctionName'], 64)) },
  },
  'AWS::SQS::Queue': {
    ref: queueUrl,
    attributes: { Arn: (n) => arnLength('sqs', n.name(['QueueName'], 80)), QueueName: (n) => n.name(['QueueName'], 80), QueueUrl: queueUrl },
  },
  'AWS::SNS::Topic': { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: (n) => n.name(['TopicName'], 256) } },
  'AWS::Logs::LogGroup': {
    ref: (n) => n.name(['LogGroupName'], 512),
    attributes: { Arn: (n) => arnLength('logs', 'log-group:'.length + n.name(['LogGroupName'], 512) + ':*'.length) },
  },
  'AWS::StepFunctions::StateMachine': {
    ref: stateMachineArn,
    attributes: { Arn: stateMachineArn, Name: (n) => n.name(['StateMachineName'], 80) },
  },
  'AWS::Events::Rule': {
    ref: (n) => n.name(['Name'], 64),
    attributes: { Arn: (n) => arnLength('events', 'rule/'.length + n.name(['EventBusName'], 256) + 1 + n.name(['Name'], 64)) },
  },
  'AWS::CloudWatch::Alarm': {
    ref: (n) => n.name(['AlarmName'], 255),
    attributes: { Arn: (n) => arnLength('cloudwatch', 'alarm:'.length + n.name(['AlarmName'], 255)) },
  },
  'AWS::Glue::Database': { ref: (n) => n.name(['DatabaseInput', 'Name'], 255) },
  'AWS::Athena::WorkGroup': { ref: (n) => n.name(['Name'], 128) },
};

function intrinsicOf(value: Json): [string, Json] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const fn = keys[0];
  return fn === 'Ref' || fn.startsWith('Fn::') ? [fn, value[fn]] : undefined;
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

function listBytes(items: readonly number[]): number {
  return 2 + items.reduce((n, b) => n + b, 0) + Math.max(0, items.length - 1);
}
