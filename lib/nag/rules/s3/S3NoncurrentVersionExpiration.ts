import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath, numberValue } from '../../cfn';
import { coversWholeBucket, enabledLifecycleRules } from '../../documents';

/**
 * Versioned S3 buckets expire noncurrent object versions, with an enabled lifecycle rule that covers
 * the whole bucket.
 * @param node the CfnResource to check
 */
export function S3NoncurrentVersionExpiration(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  if (getPath(cfnProperties(node), 'VersioningConfiguration', 'Status') !== 'Enabled') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const compliant = enabledLifecycleRules(node)
    .filter(coversWholeBucket)
    .some((rule) => {
      const days =
        numberValue(node, getPath(rule, 'NoncurrentVersionExpiration', 'NoncurrentDays'), 'NoncurrentDays') ??
        numberValue(node, rule.NoncurrentVersionExpirationInDays, 'NoncurrentVersionExpirationInDays');
      return days !== undefined && days >= 1;
    });
  return compliant ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
