import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { EXPIRING_ZONES, TAG_KEYS } from '../../../../lambda/shared/zones';
import { effectiveTags, numberValue } from '../../cfn';
import { coversWholeBucket, enabledLifecycleRules } from '../../documents';

/**
 * Buckets of the expiring zones (sandbox, quarantine, query-results, access-logs — `EXPIRING_ZONES`)
 * expire current objects, with an enabled lifecycle rule that covers the whole bucket.
 * @param node the CfnResource to check
 */
export function S3ExpiringZoneExpiration(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const zone = effectiveTags(node).get(TAG_KEYS.zone);
  if (zone === undefined || !(EXPIRING_ZONES as readonly string[]).includes(zone)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const compliant = enabledLifecycleRules(node)
    .filter(coversWholeBucket)
    .some((rule) => {
      const days = numberValue(node, rule.ExpirationInDays, 'ExpirationInDays');
      return (days !== undefined && days >= 1) || rule.ExpirationDate !== undefined;
    });
  return compliant ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
