import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath, numberValue, stackResourcesOfType } from '../../cfn';
import { targetFunction } from '../../documents';

/**
 * Lambda functions have bounded concurrency: `ReservedConcurrentExecutions` of at least 1, or at least one
 * AWS::Lambda::EventSourceMapping targets the function and every one that does sets
 * `ScalingConfig.MaximumConcurrency`.
 * @param node the CfnResource to check
 */
export function LambdaConcurrencyBounded(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  const reserved = numberValue(node, cfnProperties(node).ReservedConcurrentExecutions, 'ReservedConcurrentExecutions');
  if (reserved !== undefined && reserved >= 1) return NagRuleCompliance.COMPLIANT;

  const mappings = stackResourcesOfType(node, 'AWS::Lambda::EventSourceMapping').filter(
    (esm) => targetFunction(esm) === node,
  );
  const allBounded =
    mappings.length > 0 &&
    mappings.every((esm) => {
      const max = numberValue(
        esm,
        getPath(cfnProperties(esm), 'ScalingConfig', 'MaximumConcurrency'),
        'ScalingConfig.MaximumConcurrency',
      );
      return max !== undefined && max >= 1;
    });
  return allBounded ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
