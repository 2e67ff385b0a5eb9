/**
 * A small, pure IAM policy evaluator for the governance proof.
 *
 * It follows AWS's documented evaluation logic for the parts of the policy language the lakehouse
 * uses, and refuses (throws {@link GovernanceEvaluationError}) on everything else — it never guesses
 * an allow or a deny:
 *
 * - statements: `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal`,
 *   `Condition`, `Sid`; wildcards `*` and `?` (actions case-insensitively, ARNs per colon-separated
 *   segment, case-sensitively);
 * - condition operators: `String(Not)Equals(IgnoreCase)`, `String(Not)Like`, `Arn(Not)Equals`,
 *   `Arn(Not)Like`, `Bool`, `Null`, `Numeric*`, each with `…IfExists` (except `Null`) and the
 *   `ForAnyValue:` / `ForAllValues:` set prefixes. Several values of one key are OR'd; several keys
 *   and operators are AND'd. A negated operator matches when its key is absent; `…IfExists` matches
 *   when its key is absent; other operators do not;
 * - decisions: same account — allowed when an identity statement or a resource-policy statement
 *   naming the principal allows it and no explicit deny applies; KMS — the key policy must allow the
 *   principal, either directly or by allowing the account (which delegates to IAM, so an identity
 *   statement must then allow it too).
 *
 * The evaluator knows nothing about CloudFormation: values it cannot know arrive as
 * {@link UnresolvedValue} and make it throw only if the decision depends on them.
 *
 * References: IAM User Guide, "Policy evaluation logic", "IAM JSON policy elements: Condition
 * operators", "NotPrincipal"; AWS KMS Developer Guide, "Key policies".
 */
import { LakehouseError } from '../../constructs/errors';

/** Thrown for any policy element, operator, condition key or value the evaluator cannot decide. */
export class GovernanceEvaluationError extends LakehouseError {
  /** The statement (`<stack>/<logicalId>#<Sid or index>`) or resource being evaluated. */
  public readonly where: string;
  /** The unsupported element, e.g. `Condition.DateGreaterThan` or `Resource`. */
  public readonly element: string;

  constructor(props: { where: string; element: string; value: unknown; problem: string; fix?: string }) {
    super({
      code: 'LH-GOV-001',
      path: props.where,
      value: props.value,
      problem: `governance proof cannot evaluate ${props.element}: ${props.problem}`,
      fix:
        props.fix ??
        'rewrite the statement with elements the proof supports, or extend lib/governance (policy-eval.ts / template-model.ts) to evaluate it — never silence this error',
    });
    this.name = 'GovernanceEvaluationError';
    this.where = props.where;
    this.element = props.element;
  }
}

/** A value the template reader could not resolve (a parameter, an unknown attribute, …). */
export class UnresolvedValue {
  constructor(public readonly reason: string) {}
  public toString(): string {
    return `<unresolved: ${this.reason}>`;
  }
}

/** A policy statement with a stable id: `<stack>/<logicalId>#<Sid or index>`. */
export interface LabeledStatement {
  readonly id: string;
  /** The statement JSON, intrinsics already resolved (unresolvable parts are {@link UnresolvedValue}). */
  readonly statement: unknown;
}

export type PolicyKind = 'identity' | 'resource';

/** Condition-key values for one request. Keys are case-insensitive. */
export interface RequestContext {
  /** Keys present in the request and their values. */
  readonly values: Readonly<Record<string, string | readonly string[]>>;
  /** Keys known to be absent from the request. */
  readonly absent?: readonly string[];
  /** Prefixes whose keys are fully listed in `values` (any other key with the prefix is absent), e.g. `aws:PrincipalTag/`. */
  readonly completePrefixes?: readonly string[];
}

/** One API request by an IAM role of the analysed account. */
export interface AccessRequest {
  /** The role's ARN (path included), as `aws:PrincipalArn` reports it. */
  readonly principalArn: string;
  /** The principal's account. */
  readonly principalAccount: string;
  /** `service:Action`. */
  readonly action: string;
  /** The resource ARN. */
  readonly resource: string;
  readonly context: RequestContext;
}

export type DecisionKind = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface Decision {
  readonly decision: DecisionKind;
  readonly allowed: boolean;
  /** Statements whose Allow applies (and counts) for this request. */
  readonly allowedBy: readonly string[];
  /** Statements whose Deny applies to this request. */
  readonly deniedBy: readonly string[];
}

type Pattern = string | UnresolvedValue;

interface PrincipalSpec {
  readonly any: boolean;
  readonly aws: readonly Pattern[];
  /** Service, Federated and CanonicalUser entries: never an IAM role. */
  readonly other: readonly Pattern[];
}

const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
  'Null',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
] as const;
type BaseOperator = (typeof BASE_OPERATORS)[number];

const NEGATED: ReadonlySet<BaseOperator> = new Set<BaseOperator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
  'NumericNotEquals',
]);

interface CompiledCondition {
  readonly operatorText: string;
  readonly base: BaseOperator;
  readonly ifExists: boolean;
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  readonly key: string;
  readonly values: readonly Pattern[];
}

export interface CompiledStatement {
  readonly id: string;
  readonly kind: PolicyKind;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly Pattern[];
  readonly notActions?: readonly Pattern[];
  readonly resources?: readonly Pattern[];
  readonly notResources?: readonly Pattern[];
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly CompiledCondition[];
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);

/** A JSON object (not an array, not an {@link UnresolvedValue}). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof UnresolvedValue);
}

function patternList(id: string, element: string, value: unknown): Pattern[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new GovernanceEvaluationError({ where: id, element, value, problem: 'the list is empty' });
  }
  return list.map((item) => {
    if (typeof item === 'string' || item instanceof UnresolvedValue) return item;
    throw new GovernanceEvaluationError({ where: id, element, value: item, problem: 'expected a string' });
  });
}

function compilePrincipal(id: string, element: string, value: unknown): PrincipalSpec {
  if (value === '*') return { any: true, aws: [], other: [] };
  if (!isRecord(value)) {
    throw new GovernanceEvaluationError({ where: id, element, value, problem: 'expected "*" or an object of principal types' });
  }
  const aws: Pattern[] = [];
  const other: Pattern[] = [];
  let any = false;
  for (const [type, entries] of Object.entries(value)) {
    const list = patternList(id, `${element}.${type}`, entries);
    if (type === 'AWS') {
      for (const entry of list) {
        if (entry === '*') any = true;
        else aws.push(entry);
      }
    } else if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') {
      other.push(...list);
    } else {
      throw new GovernanceEvaluationError({ where: id, element: `${element}.${type}`, value: entries, problem: 'unknown principal type' });
    }
  }
  return { any, aws, other };
}

function parseOperator(id: string, operatorText: string): Pick<CompiledCondition, 'base' | 'ifExists' | 'set'> {
  let rest = operatorText;
  let set: CompiledCondition['set'];
  if (rest.startsWith('ForAnyValue:')) {
    set = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BASE_OPERATORS.find((op) => op === rest);
  if (!base) {
    throw new GovernanceEvaluationError({ where: id, element: `Condition.${operatorText}`, value: operatorText, problem: 'unsupported condition operator' });
  }
  if (base === 'Null' && (ifExists || set)) {
    throw new GovernanceEvaluationError({ where: id, element: `Condition.${operatorText}`, value: operatorText, problem: 'Null takes neither IfExists nor a set prefix' });
  }
  return { base, ifExists, set };
}

function conditionValues(id: string, element: string, value: unknown): Pattern[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new GovernanceEvaluationError({ where: id, element, value, problem: 'a condition needs at least one value' });
  }
  return list.map((item) => {
    if (typeof item === 'string' || item instanceof UnresolvedValue) return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new GovernanceEvaluationError({ where: id, element, value: item, problem: 'a condition value must be a string, number or boolean' });
  });
}

/**
 * Validates a statement's shape and operators. Throws on anything the evaluator does not support,
 * whether or not a later request would reach it.
 */
export function compileStatement(labeled: LabeledStatement, kind: PolicyKind): CompiledStatement {
  const { id, statement } = labeled;
  if (!isRecord(statement)) {
    throw new GovernanceEvaluationError({ where: id, element: 'Statement', value: statement, problem: 'a statement must be an object' });
  }
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key)) {
      throw new GovernanceEvaluationError({ where: id, element: key, value: statement[key], problem: 'unknown statement element' });
    }
  }
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new GovernanceEvaluationError({ where: id, element: 'Effect', value: effect, problem: 'Effect must be Allow or Deny' });
  }
  const hasAction = statement.Action !== undefined;
  const hasNotAction = statement.NotAction !== undefined;
  if (hasAction === hasNotAction) {
    throw new GovernanceEvaluationError({ where: id, element: 'Action/NotAction', value: statement, problem: 'exactly one of Action and NotAction is required' });
  }
  const hasResource = statement.Resource !== undefined;
  const hasNotResource = statement.NotResource !== undefined;
  if (hasResource === hasNotResource) {
    throw new GovernanceEvaluationError({ where: id, element: 'Resource/NotResource', value: statement, problem: 'exactly one of Resource and NotResource is required' });
  }
  const hasPrincipal = statement.Principal !== undefined;
  const hasNotPrincipal = statement.NotPrincipal !== undefined;
  if (kind === 'identity' && (hasPrincipal || hasNotPrincipal)) {
    throw new GovernanceEvaluationError({ where: id, element: 'Principal', value: statement.Principal ?? statement.NotPrincipal, problem: 'identity policies cannot name a principal' });
  }
  if (kind === 'resource' && hasPrincipal === hasNotPrincipal) {
    throw new GovernanceEvaluationError({ where: id, element: 'Principal/NotPrincipal', value: statement, problem: 'a resource-policy statement needs exactly one of Principal and NotPrincipal' });
  }
  const conditions: CompiledCondition[] = [];
  if (statement.Condition !== undefined) {
    if (!isRecord(statement.Condition)) {
      throw new GovernanceEvaluationError({ where: id, element: 'Condition', value: statement.Condition, problem: 'Condition must be an object' });
    }
    for (const [operatorText, block] of Object.entries(statement.Condition)) {
      const parsed = parseOperator(id, operatorText);
      if (!isRecord(block)) {
        throw new GovernanceEvaluationError({ where: id, element: `Condition.${operatorText}`, value: block, problem: 'expected an object of condition keys' });
      }
      for (const [key, values] of Object.entries(block)) {
        conditions.push({ operatorText, ...parsed, key, values: conditionValues(id, `Condition.${operatorText}.${key}`, values) });
      }
    }
  }
  return {
    id,
    kind,
    effect,
    actions: hasAction ? patternList(id, 'Action', statement.Action) : undefined,
    notActions: hasNotAction ? patternList(id, 'NotAction', statement.NotAction) : undefined,
    resources: hasResource ? patternList(id, 'Resource', statement.Resource) : undefined,
    notResources: hasNotResource ? patternList(id, 'NotResource', statement.NotResource) : undefined,
    principal: hasPrincipal ? compilePrincipal(id, 'Principal', statement.Principal) : undefined,
    notPrincipal: hasNotPrincipal ? compilePrincipal(id, 'NotPrincipal', statement.NotPrincipal) : undefined,
    conditions,
  };
}

const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters, `?` any one character; everything else is literal. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regex = globCache.get(cacheKey);
  if (!regex) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    globCache.set(cacheKey, regex);
  }
  return regex.test(value);
}

/** Splits an ARN into its six parts (the last keeps any further colons), or undefined. */
export function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let rest = arn;
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(':');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts[0] === 'arn' || parts[0] === '*' || parts[0].includes('*') || parts[0].includes('?') ? parts : undefined;
}

function assertNoPolicyVariable(where: string, element: string, pattern: string): void {
  if (pattern.includes('${')) {
    throw new GovernanceEvaluationError({ where, element, value: pattern, problem: 'policy variables (${...}) are not supported' });
  }
}

/**
 * ARN matching as IAM does it for `Resource` and `ArnLike`/`ArnEquals`: each of the six
 * colon-separated parts is matched separately, with `*`/`?` wildcards, case-sensitively.
 * A lone `*` matches everything.
 */
export function arnMatch(pattern: string, arn: string, where = '(arn)', element = 'Resource'): boolean {
  assertNoPolicyVariable(where, element, pattern);
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  if (!p) {
    throw new GovernanceEvaluationError({ where, element, value: pattern, problem: 'not an ARN pattern (expected arn:partition:service:region:account:resource or *)' });
  }
  const v = splitArn(arn);
  if (!v) return false;
  for (let i = 0; i < 6; i++) {
    if (!globMatch(p[i], v[i])) return false;
  }
  return true;
}

/** Action matching: `service:Action` with `*`/`?` wildcards, case-insensitive. */
export function actionMatch(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** True if any concrete pattern matches; throws if none does and an unresolved one might. */
function anyMatches(where: string, element: string, patterns: readonly Pattern[], test: (pattern: string) => boolean): boolean {
  let unresolved: UnresolvedValue | undefined;
  for (const pattern of patterns) {
    if (pattern instanceof UnresolvedValue) {
      unresolved = unresolved ?? pattern;
    } else if (test(pattern)) {
      return true;
    }
  }
  if (unresolved) {
    throw new GovernanceEvaluationError({ where, element, value: unresolved.reason, problem: 'the decision depends on a value that cannot be resolved at synth time' });
  }
  return false;
}

export type PrincipalMatch = 'principal' | 'account' | 'none';

function accountRootArns(request: AccessRequest): string[] {
  const partition = splitArn(request.principalArn)?.[1] ?? 'aws';
  return [`arn:${partition}:iam::${request.principalAccount}:root`, request.principalAccount];
}

/** How a `Principal` block relates to a same-account IAM role. */
function principalMatch(st: CompiledStatement, spec: PrincipalSpec, request: AccessRequest, element: string): PrincipalMatch {
  if (spec.any) return 'principal';
  const roots = accountRootArns(request);
  let result: PrincipalMatch = 'none';
  let unresolved: UnresolvedValue | undefined;
  for (const entry of spec.aws) {
    if (entry instanceof UnresolvedValue) {
      unresolved = unresolved ?? entry;
      continue;
    }
    if (entry === request.principalArn) return 'principal';
    if (roots.includes(entry)) {
      result = 'account';
      continue;
    }
    if (entry.includes('*') || entry.includes('?') || entry.includes(':assumed-role/')) {
      throw new GovernanceEvaluationError({
        where: st.id,
        element: `${element}.AWS`,
        value: entry,
        problem: 'principal wildcards and assumed-role session principals cannot be matched against a role',
      });
    }
  }
  if (result === 'none' && unresolved) {
    throw new GovernanceEvaluationError({ where: st.id, element: `${element}.AWS`, value: unresolved.reason, problem: 'the principal cannot be resolved at synth time' });
  }
  return result;
}

/**
 * Whether a statement's principal element covers the request's role.
 * `Principal`: 'principal' when it names the role (or everyone), 'account' when it names only the
 * account (a delegation to IAM). `NotPrincipal`: the statement covers the role unless the role is
 * excluded; AWS documents that an exclusion of a role holds only if the role's account is excluded
 * too, so naming the role without its account is ambiguous and throws.
 */
function principalCoverage(st: CompiledStatement, request: AccessRequest): PrincipalMatch {
  if (st.principal) return principalMatch(st, st.principal, request, 'Principal');
  if (st.notPrincipal) {
    const spec = st.notPrincipal;
    if (spec.any) return 'none';
    const roots = accountRootArns(request);
    let role = false;
    let account = false;
    for (const entry of spec.aws) {
      if (entry instanceof UnresolvedValue) {
        throw new GovernanceEvaluationError({ where: st.id, element: 'NotPrincipal.AWS', value: entry.reason, problem: 'the principal cannot be resolved at synth time' });
      }
      if (entry === request.principalArn) role = true;
      else if (roots.includes(entry)) account = true;
      else if (entry.includes('*') || entry.includes('?')) {
        throw new GovernanceEvaluationError({ where: st.id, element: 'NotPrincipal.AWS', value: entry, problem: 'wildcards are not allowed in NotPrincipal' });
      }
    }
    if (role && account) return 'none';
    if (role && !account) {
      throw new GovernanceEvaluationError({
        where: st.id,
        element: 'NotPrincipal.AWS',
        value: request.principalArn,
        problem: 'NotPrincipal names the role but not its account; AWS documents that the account may then be denied, so the outcome depends on the service',
        fix: 'list the role ARN and its account root ARN in NotPrincipal, or use a Condition on aws:PrincipalArn instead',
      });
    }
    return 'principal';
  }
  return 'principal'; // identity statement: the principal is the policy's holder
}

interface ContextIndex {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly absent: ReadonlySet<string>;
  readonly completePrefixes: readonly string[];
}

/** Contexts are immutable once built; each is indexed by lower-case key the first time it is asked. */
const contextIndexes = new WeakMap<RequestContext, ContextIndex>();

function indexOf(context: RequestContext): ContextIndex {
  let index = contextIndexes.get(context);
  if (!index) {
    const values = new Map<string, readonly string[]>();
    for (const [k, v] of Object.entries(context.values)) {
      const lower = k.toLowerCase();
      if (!values.has(lower)) values.set(lower, typeof v === 'string' ? [v] : v);
    }
    index = {
      values,
      absent: new Set((context.absent ?? []).map((k) => k.toLowerCase())),
      completePrefixes: (context.completePrefixes ?? []).map((p) => p.toLowerCase()),
    };
    contextIndexes.set(context, index);
  }
  return index;
}

/** Looks a key up: its values, `undefined` when known absent, throws when the key is not modelled. */
export function lookupContextKey(context: RequestContext, key: string, where: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  const index = indexOf(context);
  const found = index.values.get(lower);
  if (found !== undefined) return found;
  if (index.absent.has(lower)) return undefined;
  if (index.completePrefixes.some((p) => lower.startsWith(p))) return undefined;
  throw new GovernanceEvaluationError({
    where,
    element: `Condition key ${key}`,
    value: key,
    problem: 'the proof does not model this condition key for the request, so it cannot tell whether the condition holds',
  });
}

function concrete(st: CompiledStatement, cond: CompiledCondition): string[] {
  return cond.values.map((v) => {
    if (v instanceof UnresolvedValue) {
      throw new GovernanceEvaluationError({ where: st.id, element: `Condition.${cond.operatorText}.${cond.key}`, value: v.reason, problem: 'the condition value cannot be resolved at synth time' });
    }
    assertNoPolicyVariable(st.id, `Condition.${cond.operatorText}.${cond.key}`, v);
    return v;
  });
}

function parseNumber(st: CompiledStatement, cond: CompiledCondition, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) {
    throw new GovernanceEvaluationError({ where: st.id, element: `Condition.${cond.operatorText}.${cond.key}`, value: v, problem: 'not a number' });
  }
  return n;
}

function parseBool(st: CompiledStatement, cond: CompiledCondition, v: string): string {
  const lower = v.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw new GovernanceEvaluationError({ where: st.id, element: `Condition.${cond.operatorText}.${cond.key}`, value: v, problem: 'Bool and Null take "true" or "false"' });
  }
  return lower;
}

/** Whether one context value matches one policy value under the positive form of the operator. */
function positiveMatch(st: CompiledStatement, cond: CompiledCondition, policyValue: string, contextValue: string): boolean {
  switch (cond.base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return policyValue === contextValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return policyValue.toLowerCase() === contextValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return globMatch(policyValue, contextValue);
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return arnMatch(policyValue, contextValue, st.id, `Condition.${cond.operatorText}.${cond.key}`);
    case 'Bool':
      return parseBool(st, cond, policyValue) === contextValue.toLowerCase();
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const p = parseNumber(st, cond, policyValue);
      const c = Number(contextValue);
      if (contextValue.trim() === '' || Number.isNaN(c)) return false;
      if (cond.base === 'NumericEquals' || cond.base === 'NumericNotEquals') return c === p;
      if (cond.base === 'NumericLessThan') return c < p;
      if (cond.base === 'NumericLessThanEquals') return c <= p;
      if (cond.base === 'NumericGreaterThan') return c > p;
      return c >= p;
    }
    case 'Null':
      throw new Error('unreachable: Null is handled before value matching');
  }
}

/** Whether one context value satisfies the condition (values OR'd; negated operators: none may match). */
function valueSatisfies(st: CompiledStatement, cond: CompiledCondition, policyValues: readonly string[], contextValue: string): boolean {
  const any = policyValues.some((p) => positiveMatch(st, cond, p, contextValue));
  return NEGATED.has(cond.base) ? !any : any;
}

function conditionHolds(st: CompiledStatement, cond: CompiledCondition, request: AccessRequest): boolean {
  const policyValues = concrete(st, cond);
  const contextValues = lookupContextKey(request.context, cond.key, st.id);
  if (cond.base === 'Null') {
    const absent = contextValues === undefined || contextValues.length === 0;
    return policyValues.some((v) => (parseBool(st, cond, v) === 'true' ? absent : !absent));
  }
  const absent = contextValues === undefined || contextValues.length === 0;
  if (absent) {
    if (cond.ifExists) return true;
    if (cond.set === 'ForAllValues') return true;
    if (cond.set === 'ForAnyValue') return false;
    return NEGATED.has(cond.base);
  }
  if (cond.set === 'ForAnyValue') return contextValues.some((v) => valueSatisfies(st, cond, policyValues, v));
  if (cond.set === 'ForAllValues') return contextValues.every((v) => valueSatisfies(st, cond, policyValues, v));
  if (contextValues.length !== 1) {
    throw new GovernanceEvaluationError({
      where: st.id,
      element: `Condition.${cond.operatorText}.${cond.key}`,
      value: contextValues,
      problem: 'a multi-valued key needs ForAnyValue: or ForAllValues:',
    });
  }
  return valueSatisfies(st, cond, policyValues, contextValues[0]);
}

/** Whether the statement's Action/NotAction covers the request (no context needed). */
export function statementCoversAction(st: CompiledStatement, action: string): boolean {
  if (st.actions) return anyMatches(st.id, 'Action', st.actions, (p) => actionMatch(p, action));
  return !anyMatches(st.id, 'NotAction', st.notActions ?? [], (p) => actionMatch(p, action));
}

function statementCoversResource(st: CompiledStatement, resource: string): boolean {
  if (st.resources) return anyMatches(st.id, 'Resource', st.resources, (p) => arnMatch(p, resource, st.id, 'Resource'));
  return !anyMatches(st.id, 'NotResource', st.notResources ?? [], (p) => arnMatch(p, resource, st.id, 'NotResource'));
}

/**
 * How a statement applies to a request: 'none', or — when action, resource, principal and every
 * condition match — 'principal' (applies to the role) or 'account' (a resource policy naming only
 * the account).
 */
export function statementApplies(st: CompiledStatement, request: AccessRequest): PrincipalMatch {
  if (!statementCoversAction(st, request.action)) return 'none';
  if (!statementCoversResource(st, request.resource)) return 'none';
  const coverage = principalCoverage(st, request);
  if (coverage === 'none') return 'none';
  for (const cond of st.conditions) {
    if (!conditionHolds(st, cond, request)) return 'none';
  }
  return coverage;
}

/** The statements that apply to one request, by the role they play in the decision. */
export interface StatementMatches {
  readonly identityAllow: string[];
  readonly identityDeny: string[];
  readonly resourceAllowPrincipal: string[];
  readonly resourceAllowAccount: string[];
  readonly resourceDeny: string[];
}

export function emptyMatches(): StatementMatches {
  return { identityAllow: [], identityDeny: [], resourceAllowPrincipal: [], resourceAllowAccount: [], resourceDeny: [] };
}

/** Files one statement's applicability (from {@link statementApplies}) into `m`. */
export function recordMatch(m: StatementMatches, st: CompiledStatement, applies: PrincipalMatch): void {
  if (applies === 'none') return;
  if (st.kind === 'identity') (st.effect === 'Allow' ? m.identityAllow : m.identityDeny).push(st.id);
  else if (st.effect === 'Deny') m.resourceDeny.push(st.id);
  else if (applies === 'principal') m.resourceAllowPrincipal.push(st.id);
  else m.resourceAllowAccount.push(st.id);
}

function collect(request: AccessRequest, identity: readonly CompiledStatement[], resource: readonly CompiledStatement[]): StatementMatches {
  const m = emptyMatches();
  // Every statement is evaluated (no short-circuit), so a statement the proof cannot evaluate always fails loudly.
  for (const st of identity) {
    if (st.kind !== 'identity') throw new Error(`statement ${st.id} was compiled as a ${st.kind} statement`);
    recordMatch(m, st, statementApplies(st, request));
  }
  for (const st of resource) {
    if (st.kind !== 'resource') throw new Error(`statement ${st.id} was compiled as an ${st.kind} statement`);
    recordMatch(m, st, statementApplies(st, request));
  }
  return m;
}

/**
 * Same-account decision (S3) from the applying statements: allowed when an identity statement
 * allows, or a resource-policy statement allows the role itself (a statement naming only the
 * account delegates to IAM and grants nothing by itself), and no explicit deny applies.
 */
export function decideSameAccount(m: StatementMatches): Decision {
  const deniedBy = [...m.identityDeny, ...m.resourceDeny];
  const allowedBy = [...m.identityAllow, ...m.resourceAllowPrincipal];
  if (deniedBy.length > 0) return { decision: 'explicit-deny', allowed: false, allowedBy, deniedBy };
  if (allowedBy.length > 0) return { decision: 'allow', allowed: true, allowedBy, deniedBy };
  return { decision: 'implicit-deny', allowed: false, allowedBy, deniedBy };
}

/** Same-account evaluation (S3) of one request: see {@link decideSameAccount}. */
export function evaluateSameAccount(request: AccessRequest, identity: readonly CompiledStatement[], resource: readonly CompiledStatement[]): Decision {
  return decideSameAccount(collect(request, identity, resource));
}

/**
 * KMS evaluation: the key policy is authoritative. It must allow the role directly, or allow the
 * account (enabling IAM policies) while an identity statement allows the role; no explicit deny may apply.
 */
export function evaluateKms(request: AccessRequest, identity: readonly CompiledStatement[], keyPolicy: readonly CompiledStatement[]): Decision {
  return decideKms(collect(request, identity, keyPolicy));
}

/** KMS decision from the applying statements: see {@link evaluateKms}. */
export function decideKms(m: StatementMatches): Decision {
  const deniedBy = [...m.identityDeny, ...m.resourceDeny];
  const viaIam = m.resourceAllowAccount.length > 0 && m.identityAllow.length > 0;
  const allowedBy = [...m.resourceAllowPrincipal, ...(viaIam ? [...m.resourceAllowAccount, ...m.identityAllow] : [])];
  if (deniedBy.length > 0) return { decision: 'explicit-deny', allowed: false, allowedBy, deniedBy };
  if (allowedBy.length > 0) return { decision: 'allow', allowed: true, allowedBy, deniedBy };
  return { decision: 'implicit-deny', allowed: false, allowedBy, deniedBy };
}
