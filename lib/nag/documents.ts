/**
 * Policy documents, lifecycle rules and event source mappings, read from rendered properties.
 * Shared by several DataOps rules; pure functions of the construct tree.
 */
import type { CfnResource } from 'aws-cdk-lib';
import {
  asList,
  CfnValue,
  cfnProperties,
  getPath,
  isObject,
  logicalIdOf,
  parseIfJsonString,
  referencedLogicalId,
  stackResourcesOfType,
} from './cfn';

/** One IAM policy statement (as rendered). */
export type PolicyStatement = Readonly<Record<string, CfnValue>>;

/** Resource types whose identity policies the IAM rules read, and where the documents live. */
const POLICY_DOCUMENT_LOCATIONS: Readonly<Record<string, 'PolicyDocument' | 'Policies'>> = {
  'AWS::IAM::Policy': 'PolicyDocument',
  'AWS::IAM::ManagedPolicy': 'PolicyDocument',
  'AWS::IAM::Role': 'Policies',
  'AWS::IAM::User': 'Policies',
  'AWS::IAM::Group': 'Policies',
  'AWS::IAM::RolePolicy': 'PolicyDocument',
  'AWS::IAM::UserPolicy': 'PolicyDocument',
  'AWS::IAM::GroupPolicy': 'PolicyDocument',
};

/** Whether the IAM rules read this resource type (identity policies). */
export function hasIdentityPolicies(node: CfnResource): boolean {
  return POLICY_DOCUMENT_LOCATIONS[node.cfnResourceType] !== undefined;
}

/** The statements of the identity policies a resource carries (inline or managed). */
export function identityPolicyStatements(node: CfnResource): readonly PolicyStatement[] {
  const location = POLICY_DOCUMENT_LOCATIONS[node.cfnResourceType];
  const props = cfnProperties(node);
  if (location === 'PolicyDocument') return statementsOf(props.PolicyDocument);
  if (location === 'Policies') return asList(props.Policies).flatMap((p) => statementsOf(getPath(p, 'PolicyDocument')));
  return [];
}

/** The statements of one policy document (object or JSON string). */
export function statementsOf(document: CfnValue): readonly PolicyStatement[] {
  const doc = parseIfJsonString(document);
  return asList(getPath(doc, 'Statement')).filter(isObject);
}

export function isAllow(statement: PolicyStatement): boolean {
  return statement.Effect === 'Allow';
}

/** The statement's `Action` entries that are plain strings. */
export function actionsOf(statement: PolicyStatement): readonly string[] {
  return asList(statement.Action).filter((a): a is string => typeof a === 'string');
}

/** A lifecycle rule of a bucket (as rendered). */
export type LifecycleRule = Readonly<Record<string, CfnValue>>;

/** The bucket's lifecycle rules whose `Status` is `Enabled`. */
export function enabledLifecycleRules(node: CfnResource): readonly LifecycleRule[] {
  return asList(getPath(cfnProperties(node), 'LifecycleConfiguration', 'Rules'))
    .filter(isObject)
    .filter((r) => r.Status === 'Enabled');
}

/**
 * Whether a lifecycle rule covers the whole bucket: no prefix, no tag filter, no object-size filter.
 * A rule scoped to a prefix leaves the rest of the bucket uncovered.
 */
export function coversWholeBucket(rule: LifecycleRule): boolean {
  const prefix = rule.Prefix;
  const noPrefix = prefix === undefined || prefix === '';
  const noTags = asList(rule.TagFilters).length === 0;
  const noSize = rule.ObjectSizeGreaterThan === undefined && rule.ObjectSizeLessThan === undefined;
  return noPrefix && noTags && noSize;
}

/** The AWS::Lambda::EventSourceMapping resources of the stack whose event source is the given resource. */
export function eventSourceMappingsFrom(node: CfnResource, sourceLogicalId: string): readonly CfnResource[] {
  return stackResourcesOfType(node, 'AWS::Lambda::EventSourceMapping').filter(
    (esm) => referencedLogicalId(esm, cfnProperties(esm).EventSourceArn) === sourceLogicalId,
  );
}

/** The AWS::Lambda::Function in the same stack an event source mapping targets, if it is declared there. */
export function targetFunction(esm: CfnResource): CfnResource | undefined {
  const target = cfnProperties(esm).FunctionName;
  const logicalId = referencedLogicalId(esm, target);
  const functions = stackResourcesOfType(esm, 'AWS::Lambda::Function');
  if (logicalId !== undefined) {
    return functions.find((f) => logicalIdOf(f) === logicalId);
  }
  if (typeof target === 'string') {
    // A literal name or ARN: match a function with that literal FunctionName.
    return functions.find((f) => {
      const name = cfnProperties(f).FunctionName;
      return typeof name === 'string' && (target === name || target.endsWith(`:function:${name}`));
    });
  }
  return undefined;
}

/**
 * Whether an AWS::CloudWatch::Alarm of the node's stack has a metric dimension `dimensionName` whose value
 * satisfies `matches` (in `Dimensions` or in a metric-math `Metrics[].MetricStat.Metric.Dimensions`) and
 * has at least one `AlarmActions` entry.
 */
export function hasActionableAlarm(
  node: CfnResource,
  dimensionName: string,
  matches: (alarm: CfnResource, value: CfnValue) => boolean,
): boolean {
  return stackResourcesOfType(node, 'AWS::CloudWatch::Alarm').some((alarm) => {
    const props = cfnProperties(alarm);
    if (asList(props.AlarmActions).length === 0) return false;
    const dimensions = [
      ...asList(props.Dimensions),
      ...asList(props.Metrics).flatMap((m) => asList(getPath(m, 'MetricStat', 'Metric', 'Dimensions'))),
    ];
    return dimensions.some((d) => getPath(d, 'Name') === dimensionName && matches(alarm, getPath(d, 'Value')));
  });
}
