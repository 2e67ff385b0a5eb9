import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList } from '../../cfn';
import { actionsOf, hasIdentityPolicies, identityPolicyStatements, isAllow } from '../../documents';

/**
 * Actions that support no resource-level permissions, so a policy can only grant them on `*`: X-Ray
 * trace upload and sampling (functions and state machines with tracing), and the CloudWatch Logs
 * log-delivery APIs Step Functions logging uses. (Service Authorization Reference: "Actions defined
 * by AWS X-Ray" and "… by Amazon CloudWatch Logs", resource types column empty.)
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

const UNSCOPABLE = new Set(UNSCOPABLE_ACTIONS.map((a) => a.toLowerCase()));

/**
 * IAM identity policies allow `Resource: "*"` only for actions that support no resource-level
 * permissions ({@link UNSCOPABLE_ACTIONS}); any other action on `*` (or with `NotResource`) is
 * non-compliant, whatever its service. So an acknowledgement of `Resource::*` for X-Ray cannot hide a
 * future `Resource: *` grant of another service.
 * @param node the CfnResource to check
 */
export function IAMResourceStarOnlyUnscopable(node: CfnResource): NagRuleResult {
  if (!hasIdentityPolicies(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const broad = identityPolicyStatements(node).some((s) => {
    if (!isAllow(s)) return false;
    const onEverything = s.NotResource !== undefined || asList(s.Resource).includes('*');
    return onEverything && (s.NotAction !== undefined || actionsOf(s).some((a) => !UNSCOPABLE.has(a.toLowerCase())));
  });
  return broad ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
