import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties } from '../../cfn';

/**
 * Lambda functions set `MemorySize` and `Timeout` explicitly (defaults: 128 MB, 3 s).
 * @param node the CfnResource to check
 */
export function LambdaMemoryAndTimeout(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  const props = cfnProperties(node);
  return props.MemorySize !== undefined && props.Timeout !== undefined
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
