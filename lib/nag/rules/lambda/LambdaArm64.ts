import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnProperties } from '../../cfn';

/**
 * Lambda functions run on arm64 (Graviton).
 * @param node the CfnResource to check
 */
export function LambdaArm64(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  return asList(cfnProperties(node).Architectures).includes('arm64')
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
