import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { enabledLifecycleRules } from '../../documents';

/**
 * S3 buckets have a lifecycle configuration with at least one enabled rule.
 * @param node the CfnResource to check
 */
export function S3LifecycleConfigured(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  return enabledLifecycleRules(node).length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
