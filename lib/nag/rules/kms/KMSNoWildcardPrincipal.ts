import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnProperties, CfnValue, isObject } from '../../cfn';
import { isAllow, PolicyStatement, statementsOf } from '../../documents';

/**
 * KMS key policies have no Allow statement for a wildcard principal (`"*"` or `{ "AWS": "*" }`) without a
 * `Condition` that narrows it.
 * @param node the CfnResource to check
 */
export function KMSNoWildcardPrincipal(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
  const open = statementsOf(cfnProperties(node).KeyPolicy).some(
    (s) => isAllow(s) && hasWildcardPrincipal(s) && !hasCondition(s),
  );
  return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

function hasWildcardPrincipal(statement: PolicyStatement): boolean {
  const principal: CfnValue = statement.Principal;
  if (principal === '*') return true;
  return isObject(principal) && asList(principal.AWS).includes('*');
}

function hasCondition(statement: PolicyStatement): boolean {
  return isObject(statement.Condition) && Object.keys(statement.Condition).length > 0;
}
