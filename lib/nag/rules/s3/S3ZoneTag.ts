import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isZoneName, TAG_KEYS } from '../../../../lambda/shared/zones';
import { effectiveTags } from '../../cfn';

/**
 * Every S3 bucket carries a `lakehouse:zone` tag whose value is one of the zone names.
 * @param node the CfnResource to check
 */
export function S3ZoneTag(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const zone = effectiveTags(node).get(TAG_KEYS.zone);
  return zone !== undefined && isZoneName(zone) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
