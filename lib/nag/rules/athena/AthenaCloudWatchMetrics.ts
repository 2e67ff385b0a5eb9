import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/**
 * Athena workgroups publish query metrics to CloudWatch.
 * @param node the CfnResource to check
 */
export function AthenaCloudWatchMetrics(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Athena::WorkGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const enabled = getPath(cfnProperties(node), 'WorkGroupConfiguration', 'PublishCloudWatchMetricsEnabled');
  return enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
