/**
 * CloudFormation intrinsics resolved symbolically across the app's stacks, for the governance proof.
 *
 * Templates are environment-agnostic, so pseudo parameters get fixed values (account
 * `111111111111`, region `eu-west-1`, unless the stack carries its own environment), resources get
 * deterministic placeholder names, and cross-stack references (`Fn::ImportValue`,
 * `Fn::GetStackOutput`) are followed into the producing stack. A value that cannot be known at
 * synth time becomes an {@link UnresolvedValue}; an intrinsic the resolver does not know throws.
 */
import { GovernanceEvaluationError, isRecord, UnresolvedValue } from './policy-eval';

/** One synthesized stack. */
export interface StackTemplate {
  /** The deployed stack name (what `Fn::GetStackOutput` names). */
  readonly stackName: string;
  /** The template JSON. */
  readonly template: unknown;
  /** The stack's account, when the app pins one. @default - `ModelOptions.account` */
  readonly account?: string;
  /** The stack's region, when the app pins one. @default - `ModelOptions.region` */
  readonly region?: string;
}

export interface ModelOptions {
  /** @default '111111111111' */
  readonly account?: string;
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'amazonaws.com' */
  readonly urlSuffix?: string;
}

export interface ModelEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

export const DEFAULT_ENVIRONMENT: ModelEnvironment = {
  account: '111111111111',
  region: 'eu-west-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};


const NO_VALUE = Symbol('AWS::NoValue');

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

interface StackInfo {
  readonly name: string;
  readonly env: ModelEnvironment;
  readonly resources: Record<string, Resource>;
  readonly outputs: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  readonly conditions: Record<string, unknown>;
  readonly mappings: Record<string, Record<string, Record<string, unknown>>>;
  readonly parameters: Record<string, unknown>;
}

const KNOWN_FUNCTIONS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::GetStackOutput',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
]);

/** Service prefix of resource types whose ARNs the model forms (for non-S3/KMS statements). */
const GENERIC_ARNS: Record<string, { readonly ref: 'name' | 'arn'; readonly arn: (n: string, e: ModelEnvironment) => string }> = {
  'AWS::Lambda::Function': { ref: 'name', arn: (n, e) => `arn:${e.partition}:lambda:${e.region}:${e.account}:function:${n}` },
  'AWS::SQS::Queue': { ref: 'name', arn: (n, e) => `arn:${e.partition}:sqs:${e.region}:${e.account}:${n}` },
  'AWS::SNS::Topic': { ref: 'arn', arn: (n, e) => `arn:${e.partition}:sns:${e.region}:${e.account}:${n}` },
  'AWS::Logs::LogGroup': { ref: 'name', arn: (n, e) => `arn:${e.partition}:logs:${e.region}:${e.account}:log-group:${n}:*` },
  'AWS::DynamoDB::Table': { ref: 'name', arn: (n, e) => `arn:${e.partition}:dynamodb:${e.region}:${e.account}:table/${n}` },
  'AWS::Events::Rule': { ref: 'name', arn: (n, e) => `arn:${e.partition}:events:${e.region}:${e.account}:rule/${n}` },
  'AWS::StepFunctions::StateMachine': { ref: 'arn', arn: (n, e) => `arn:${e.partition}:states:${e.region}:${e.account}:stateMachine:${n}` },
  'AWS::Glue::Database': { ref: 'name', arn: (n, e) => `arn:${e.partition}:glue:${e.region}:${e.account}:database/${n}` },
  'AWS::Glue::Table': { ref: 'name', arn: (n, e) => `arn:${e.partition}:glue:${e.region}:${e.account}:table/${n}` },
  'AWS::Athena::WorkGroup': { ref: 'name', arn: (n, e) => `arn:${e.partition}:athena:${e.region}:${e.account}:workgroup/${n}` },
};


function unresolvedOf(values: unknown[]): UnresolvedValue | undefined {
  const reasons = values.filter((v): v is UnresolvedValue => v instanceof UnresolvedValue).map((v) => v.reason);
  return reasons.length > 0 ? new UnresolvedValue(reasons.join('; ')) : undefined;
}

/** Resolves CloudFormation intrinsics across the app's stacks. */
export class IntrinsicResolver {
  private readonly stacks = new Map<string, StackInfo>();
  private exportsByName?: Map<string, { stack: string; output: string }>;
  private readonly active = new Set<string>();

  constructor(stacks: readonly StackTemplate[], options: ModelOptions = {}) {
    for (const s of stacks) {
      if (this.stacks.has(s.stackName)) {
        throw new GovernanceEvaluationError({ where: s.stackName, element: 'stackName', value: s.stackName, problem: 'two stacks have the same name' });
      }
      const t = isRecord(s.template) ? s.template : {};
      const env: ModelEnvironment = {
        account: s.account ?? options.account ?? DEFAULT_ENVIRONMENT.account,
        region: s.region ?? options.region ?? DEFAULT_ENVIRONMENT.region,
        partition: options.partition ?? DEFAULT_ENVIRONMENT.partition,
        urlSuffix: options.urlSuffix ?? DEFAULT_ENVIRONMENT.urlSuffix,
      };
      this.stacks.set(s.stackName, {
        name: s.stackName,
        env,
        resources: (isRecord(t.Resources) ? t.Resources : {}) as Record<string, Resource>,
        outputs: (isRecord(t.Outputs) ? t.Outputs : {}) as StackInfo['outputs'],
        conditions: isRecord(t.Conditions) ? t.Conditions : {},
        mappings: (isRecord(t.Mappings) ? t.Mappings : {}) as StackInfo['mappings'],
        parameters: isRecord(t.Parameters) ? t.Parameters : {},
      });
    }
  }

  public stackNames(): string[] {
    return [...this.stacks.keys()];
  }

  public stack(name: string): StackInfo {
    const info = this.stacks.get(name);
    if (!info) throw new GovernanceEvaluationError({ where: name, element: 'stack', value: name, problem: 'no such stack in the app' });
    return info;
  }

  /** Resolves every intrinsic in `value`; unknowable parts become {@link UnresolvedValue}. */
  public resolve(stackName: string, value: unknown, where: string): unknown {
    const out = this.resolveInner(this.stack(stackName), value, where);
    return out === NO_VALUE ? undefined : out;
  }

  /** Resolves to a string or throws (for values the model's structure depends on). */
  public resolveString(stackName: string, value: unknown, where: string, element: string): string {
    const out = this.resolve(stackName, value, where);
    if (typeof out === 'string') return out;
    if (typeof out === 'number' || typeof out === 'boolean') return String(out);
    throw new GovernanceEvaluationError({
      where,
      element,
      value: out instanceof UnresolvedValue ? out.reason : value,
      problem: 'must resolve to a string at synth time',
    });
  }

  /** Whether a resource with a `Condition` attribute exists; throws if that cannot be decided. */
  public conditionHolds(stackName: string, conditionName: string, where: string): boolean {
    const result = this.evalCondition(this.stack(stackName), { Condition: conditionName }, where);
    if (result instanceof UnresolvedValue) {
      throw new GovernanceEvaluationError({ where, element: `Condition ${conditionName}`, value: result.reason, problem: 'cannot tell at synth time whether the resource exists' });
    }
    return result;
  }

  private resolveInner(stack: StackInfo, value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolveInner(stack, v, where)).filter((v) => v !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.resolveFunction(stack, keys[0], value[keys[0]], where);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.resolveInner(stack, v, where);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private resolveFunction(stack: StackInfo, fn: string, arg: unknown, where: string): unknown {
    if (!KNOWN_FUNCTIONS.has(fn)) {
      throw new GovernanceEvaluationError({ where, element: fn, value: arg, problem: 'unknown intrinsic function' });
    }
    switch (fn) {
      case 'Ref':
        return this.ref(stack, this.resolveInner(stack, arg, where), where);
      case 'Fn::GetAtt': {
        const a = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : this.resolveInner(stack, arg, where);
        if (!Array.isArray(a) || a.length !== 2 || typeof a[0] !== 'string' || typeof a[1] !== 'string') {
          return a instanceof UnresolvedValue ? a : this.malformed(fn, arg, where);
        }
        return this.getAtt(stack, a[0], a[1], where);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.malformed(fn, arg, where);
        const delimiter = this.resolveInner(stack, arg[0], where);
        const list = this.resolveInner(stack, arg[1], where);
        if (list instanceof UnresolvedValue) return list;
        if (typeof delimiter !== 'string' || !Array.isArray(list)) return this.malformed(fn, arg, where);
        const unresolved = unresolvedOf(list);
        if (unresolved) return unresolved;
        if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) return this.malformed(fn, arg, where);
        return list.join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(stack, arg, where);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.malformed(fn, arg, where);
        const index = this.resolveInner(stack, arg[0], where);
        const list = this.resolveInner(stack, arg[1], where);
        const unresolved = unresolvedOf([index, list]);
        if (unresolved) return unresolved;
        const i = Number(index);
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) return this.malformed(fn, arg, where);
        return list[i];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.malformed(fn, arg, where);
        const delimiter = this.resolveInner(stack, arg[0], where);
        const source = this.resolveInner(stack, arg[1], where);
        const unresolved = unresolvedOf([delimiter, source]);
        if (unresolved) return unresolved;
        if (typeof delimiter !== 'string' || typeof source !== 'string') return this.malformed(fn, arg, where);
        return source.split(delimiter);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return this.malformed(fn, arg, where);
        const cond = this.evalCondition(stack, { Condition: arg[0] }, where);
        if (cond instanceof UnresolvedValue) return cond;
        return this.resolveInner(stack, cond ? arg[1] : arg[2], where);
      }
      case 'Fn::ImportValue': {
        const name = this.resolveInner(stack, arg, where);
        if (name instanceof UnresolvedValue) return name;
        if (typeof name !== 'string') return this.malformed(fn, arg, where);
        const found = this.exports().get(name);
        if (!found) return new UnresolvedValue(`${where}: Fn::ImportValue ${name} is not exported by any stack of the app`);
        return this.output(found.stack, found.output, where);
      }
      case 'Fn::GetStackOutput': {
        const a = this.resolveInner(stack, arg, where);
        if (a instanceof UnresolvedValue) return a;
        if (!isRecord(a) || typeof a.StackName !== 'string' || typeof a.OutputName !== 'string') return this.malformed(fn, arg, where);
        if (a.RoleArn !== undefined) {
          throw new GovernanceEvaluationError({ where, element: fn, value: arg, problem: 'cross-account stack outputs (RoleArn) are not analysed' });
        }
        const producer = this.stacks.get(a.StackName);
        if (!producer) return new UnresolvedValue(`${where}: Fn::GetStackOutput names stack ${a.StackName}, which is not in the app`);
        if (a.Region !== undefined && a.Region !== producer.env.region) {
          throw new GovernanceEvaluationError({ where, element: fn, value: arg, problem: `the output is read from region ${String(a.Region)} but stack ${a.StackName} is modelled in ${producer.env.region}` });
        }
        return this.output(a.StackName, a.OutputName, where);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return this.malformed(fn, arg, where);
        const [map, top, second] = arg.slice(0, 3).map((x) => this.resolveInner(stack, x, where));
        const unresolved = unresolvedOf([map, top, second]);
        if (unresolved) return unresolved;
        const value = stack.mappings[String(map)]?.[String(top)]?.[String(second)];
        if (value === undefined) {
          const options = arg[3];
          if (isRecord(options) && 'DefaultValue' in options) return this.resolveInner(stack, options.DefaultValue, where);
          return this.malformed(fn, arg, where);
        }
        return this.resolveInner(stack, value, where);
      }
      case 'Fn::Base64': {
        const v = this.resolveInner(stack, arg, where);
        if (v instanceof UnresolvedValue) return v;
        if (typeof v !== 'string') return this.malformed(fn, arg, where);
        return Buffer.from(v, 'utf8').toString('base64');
      }
      case 'Fn::Length': {
        const v = this.resolveInner(stack, arg, where);
        if (v instanceof UnresolvedValue) return v;
        if (!Array.isArray(v)) return this.malformed(fn, arg, where);
        return v.length;
      }
      case 'Fn::ToJsonString': {
        const v = this.resolveInner(stack, arg, where);
        const unresolved = findUnresolved(v);
        if (unresolved) return unresolved;
        return JSON.stringify(v);
      }
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        return new UnresolvedValue(`${where}: ${fn} has no synth-time value`);
      default: {
        // Condition functions used as values.
        const c = this.evalCondition(stack, { [fn]: arg }, where);
        return c instanceof UnresolvedValue ? c : String(c);
      }
    }
  }

  private malformed(fn: string, arg: unknown, where: string): never {
    throw new GovernanceEvaluationError({ where, element: fn, value: arg, problem: 'malformed or unresolvable arguments' });
  }

  private exports(): Map<string, { stack: string; output: string }> {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const s of this.stacks.values()) {
        for (const [outputId, output] of Object.entries(s.outputs)) {
          if (!isRecord(output) || !isRecord(output.Export)) continue;
          const name = this.resolveInner(s, output.Export.Name, `${s.name}/Outputs/${outputId}/Export/Name`);
          if (typeof name === 'string') this.exportsByName.set(name, { stack: s.name, output: outputId });
        }
      }
    }
    return this.exportsByName;
  }

  private output(stackName: string, outputId: string, where: string): unknown {
    const producer = this.stack(stackName);
    const output = producer.outputs[outputId];
    if (!isRecord(output) || !('Value' in output)) {
      return new UnresolvedValue(`${where}: stack ${stackName} has no output ${outputId}`);
    }
    const guard = `${stackName}/Outputs/${outputId}`;
    if (this.active.has(guard)) {
      throw new GovernanceEvaluationError({ where, element: 'cross-stack reference', value: guard, problem: 'circular reference between stack outputs' });
    }
    this.active.add(guard);
    try {
      return this.resolveInner(producer, output.Value, guard);
    } finally {
      this.active.delete(guard);
    }
  }

  private sub(stack: StackInfo, arg: unknown, where: string): unknown {
    let template: unknown = arg;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || !isRecord(arg[1])) return this.malformed('Fn::Sub', arg, where);
      template = arg[0];
      vars = arg[1];
    }
    if (typeof template !== 'string') return this.malformed('Fn::Sub', arg, where);
    const parts: unknown[] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(template)) !== null) {
      parts.push(template.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1];
      if (name.startsWith('!')) {
        parts.push(`\${${name.slice(1)}}`);
      } else if (name in vars) {
        parts.push(this.resolveInner(stack, vars[name], where));
      } else if (name.includes('.')) {
        const dot = name.indexOf('.');
        parts.push(this.getAtt(stack, name.slice(0, dot), name.slice(dot + 1), where));
      } else {
        parts.push(this.ref(stack, name, where));
      }
    }
    parts.push(template.slice(last));
    const unresolved = unresolvedOf(parts);
    if (unresolved) return unresolved;
    if (!parts.every((p) => typeof p === 'string' || typeof p === 'number')) return this.malformed('Fn::Sub', arg, where);
    return parts.join('');
  }

  private ref(stack: StackInfo, name: unknown, where: string): unknown {
    if (name instanceof UnresolvedValue) return name;
    if (typeof name !== 'string') return this.malformed('Ref', name, where);
    const e = stack.env;
    switch (name) {
      case 'AWS::Partition':
        return e.partition;
      case 'AWS::AccountId':
        return e.account;
      case 'AWS::Region':
        return e.region;
      case 'AWS::URLSuffix':
        return e.urlSuffix;
      case 'AWS::StackName':
        return stack.name;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::StackId':
      case 'AWS::NotificationARNs':
        return new UnresolvedValue(`${where}: ${name} has no synth-time value`);
    }
    if (name in stack.parameters) return new UnresolvedValue(`${where}: parameter ${name} has no synth-time value`);
    const resource = stack.resources[name];
    if (!resource) return this.malformed('Ref', name, where);
    return this.resourceValue(stack, name, resource, 'Ref', where);
  }

  private getAtt(stack: StackInfo, logicalId: string, attribute: string, where: string): unknown {
    const resource = stack.resources[logicalId];
    if (!resource) return this.malformed('Fn::GetAtt', [logicalId, attribute], where);
    return this.resourceValue(stack, logicalId, resource, attribute, where);
  }

  /** `Ref` (attribute `'Ref'`) or `Fn::GetAtt` of a resource, per the resource type's documented return values. */
  private resourceValue(stack: StackInfo, logicalId: string, resource: Resource, attribute: string, where: string): unknown {
    const e = stack.env;
    const props = resource.Properties ?? {};
    const named = (prop: string, placeholder: string): string =>
      props[prop] !== undefined ? this.resolveString(stack.name, props[prop], `${stack.name}/${logicalId}`, prop) : placeholder;
    const unknown = (): UnresolvedValue => new UnresolvedValue(`${where}: ${attribute === 'Ref' ? 'Ref' : `GetAtt ${attribute}`} of ${resource.Type} ${stack.name}/${logicalId} is not modelled`);
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const name = bucketName(this, stack.name, logicalId, props);
        if (attribute === 'Ref') return name;
        if (attribute === 'Arn') return `arn:${e.partition}:s3:::${name}`;
        if (attribute === 'DomainName') return `${name}.s3.${e.urlSuffix}`;
        if (attribute === 'RegionalDomainName') return `${name}.s3.${e.region}.${e.urlSuffix}`;
        return unknown();
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName', `${stack.name}-${logicalId}`);
        if (attribute === 'Ref') return name;
        if (attribute === 'Arn') return `arn:${e.partition}:iam::${e.account}:role${rolePath(this, stack.name, logicalId, props)}${name}`;
        return unknown();
      }
      case 'AWS::IAM::ManagedPolicy': {
        if (attribute !== 'Ref' && attribute !== 'PolicyArn') return unknown();
        const path = props.Path !== undefined ? this.resolveString(stack.name, props.Path, `${stack.name}/${logicalId}`, 'Path') : '/';
        return `arn:${e.partition}:iam::${e.account}:policy${path}${named('ManagedPolicyName', `${stack.name}-${logicalId}`)}`;
      }
      case 'AWS::KMS::Key': {
        const keyId = kmsKeyId(stack.name, logicalId);
        if (attribute === 'Ref' || attribute === 'KeyId') return keyId;
        if (attribute === 'Arn') return `arn:${e.partition}:kms:${e.region}:${e.account}:key/${keyId}`;
        return unknown();
      }
      case 'AWS::KMS::Alias':
        if (attribute === 'Ref') return this.resolveInner(stack, props.AliasName, where);
        return unknown();
      case 'AWS::SecretsManager::Secret':
        // Ref and Id are the ARN: the name and Secrets Manager's six random characters (a fixed placeholder here).
        if (attribute === 'Ref' || attribute === 'Id') return secretArn(named('Name', `${stack.name}-${logicalId}`), e);
        return unknown();
    }
    const generic = GENERIC_ARNS[resource.Type];
    if (generic) {
      const name = `${stack.name}-${logicalId}`;
      const arn = generic.arn(name, e);
      if (attribute === 'Arn') return arn;
      if (attribute === 'Ref') return generic.ref === 'arn' ? arn : name;
    }
    return unknown();
  }

  /** Evaluates a CloudFormation condition expression. */
  private evalCondition(stack: StackInfo, expr: unknown, where: string): boolean | UnresolvedValue {
    if (!isRecord(expr)) {
      const v = this.resolveInner(stack, expr, where);
      if (v instanceof UnresolvedValue) return v;
      if (v === true || v === 'true') return true;
      if (v === false || v === 'false') return false;
      return this.malformed('Condition', expr, where);
    }
    const [fn] = Object.keys(expr);
    const arg = expr[fn];
    const all = (items: unknown): Array<boolean | UnresolvedValue> =>
      Array.isArray(items) ? items.map((x) => this.evalCondition(stack, x, where)) : this.malformed(fn, items, where);
    switch (fn) {
      case 'Condition': {
        if (typeof arg !== 'string' || !(arg in stack.conditions)) return this.malformed('Condition', arg, where);
        const guard = `${stack.name}/Conditions/${arg}`;
        if (this.active.has(guard)) return this.malformed('Condition', arg, where);
        this.active.add(guard);
        try {
          return this.evalCondition(stack, stack.conditions[arg], guard);
        } finally {
          this.active.delete(guard);
        }
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return this.malformed(fn, arg, where);
        const [a, b] = arg.map((x) => this.resolveInner(stack, x, where));
        const unresolved = unresolvedOf([a, b]);
        if (unresolved) return unresolved;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const [v] = all(arg);
        return v instanceof UnresolvedValue ? v : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = all(arg);
        const decided = values.filter((v): v is boolean => typeof v === 'boolean');
        if (fn === 'Fn::And' && decided.includes(false)) return false;
        if (fn === 'Fn::Or' && decided.includes(true)) return true;
        return unresolvedOf(values) ?? fn === 'Fn::And';
      }
      default:
        return this.evalCondition(stack, this.resolveInner(stack, expr, where), where);
    }
  }
}

export function findUnresolved(value: unknown): UnresolvedValue | undefined {
  if (value instanceof UnresolvedValue) return value;
  if (Array.isArray(value)) return unresolvedOf(value.map(findUnresolved));
  if (isRecord(value)) return unresolvedOf(Object.values(value).map(findUnresolved));
  return undefined;
}

/** Placeholder names the resolver gives resources without a name of their own. */
export function bucketName(resolver: IntrinsicResolver, stack: string, logicalId: string, props: Record<string, unknown>): string {
  if (props.BucketName !== undefined) return resolver.resolveString(stack, props.BucketName, `${stack}/${logicalId}`, 'BucketName');
  return `${stack}-${logicalId}`.toLowerCase();
}

export function rolePath(resolver: IntrinsicResolver, stack: string, logicalId: string, props: Record<string, unknown>): string {
  return props.Path !== undefined ? resolver.resolveString(stack, props.Path, `${stack}/${logicalId}`, 'Path') : '/';
}

export function kmsKeyId(stack: string, logicalId: string): string {
  return `${stack}-${logicalId}`.toLowerCase();
}

/** The ARN the model gives a secret: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>`. */
export function secretArn(name: string, e: ModelEnvironment): string {
  return `arn:${e.partition}:secretsmanager:${e.region}:${e.account}:secret:${name}-${SECRET_ARN_SUFFIX}`;
}

/** The six characters Secrets Manager appends to a secret's name in its ARN (random in AWS, fixed in the model). */
export const SECRET_ARN_SUFFIX = 'gvprf0';
