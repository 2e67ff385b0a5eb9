import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath, numberValue } from '../../cfn';

/**
 * Athena workgroups set `BytesScannedCutoffPerQuery`, at most the environment's maximum.
 * @param node the CfnResource to check
 * @param options the environment's maximum bytes scanned per query
 */
export function AthenaBytesScannedCutoff(
  node: CfnResource,
  options: { readonly maxBytesScannedCutoffPerQuery: number },
): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Athena::WorkGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const cutoff = numberValue(
    node,
    getPath(cfnProperties(node), 'WorkGroupConfiguration', 'BytesScannedCutoffPerQuery'),
    'BytesScannedCutoffPerQuery',
  );
  return cutoff !== undefined && cutoff > 0 && cutoff <= options.maxBytesScannedCutoffPerQuery
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
