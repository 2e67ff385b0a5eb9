import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/**
 * Athena workgroups enforce their configuration over client-side settings.
 * @param node the CfnResource to check
 */
export function AthenaWorkGroupEnforced(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Athena::WorkGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const enforced = getPath(cfnProperties(node), 'WorkGroupConfiguration', 'EnforceWorkGroupConfiguration');
  return enforced === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
