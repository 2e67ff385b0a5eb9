import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { actionsOf, hasIdentityPolicies, identityPolicyStatements, isAllow } from '../../documents';

/** Actions that grant every action of every service. */
export const WILDCARD_ACTIONS: readonly string[] = ['*', '*:*'];

/**
 * IAM identity policies (AWS::IAM::Policy, ManagedPolicy, the inline Policies of Role/User/Group, and
 * Role/User/GroupPolicy) have no Allow statement whose Action is `*` or `*:*`, and no Allow statement
 * with `NotAction` (which allows everything not listed).
 * @param node the CfnResource to check
 */
export function IAMNoWildcardAction(node: CfnResource): NagRuleResult {
  if (!hasIdentityPolicies(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const wildcard = identityPolicyStatements(node).some(
    (s) => isAllow(s) && (s.NotAction !== undefined || actionsOf(s).some((a) => WILDCARD_ACTIONS.includes(a))),
  );
  return wildcard ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
