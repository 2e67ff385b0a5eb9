import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { effectiveTags, isTaggable } from '../../cfn';

/**
 * Every resource CDK can tag carries the cost-allocation tags. Taggable = the L1 has a TagManager
 * (`TagManager.isTaggable` / `isTaggableV2`) or renders a `Tags` property; other resources (custom
 * resources, untaggable types) are not applicable. The resource's tags include its stack's tags, which
 * CloudFormation propagates. Returns one finding per missing key (`DataOps-CostAllocationTags[lakehouse:owner]`).
 * @param node the CfnResource to check
 * @param options the tag keys to require
 */
export function CostAllocationTags(
  node: CfnResource,
  options: { readonly costAllocationTagKeys: readonly string[] },
): NagRuleResult {
  if (!isTaggable(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const tags = effectiveTags(node);
  const missing = options.costAllocationTagKeys.filter((key) => {
    const value = tags.get(key);
    return value === undefined || value === '';
  });
  return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
}
