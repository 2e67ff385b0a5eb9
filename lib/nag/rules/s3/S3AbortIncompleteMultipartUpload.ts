import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { getPath, numberValue } from '../../cfn';
import { coversWholeBucket, enabledLifecycleRules } from '../../documents';

/** The longest an incomplete multipart upload may linger, in days. */
export const MAX_ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * S3 buckets abort incomplete multipart uploads within 7 days, with an enabled lifecycle rule that
 * covers the whole bucket.
 * @param node the CfnResource to check
 */
export function S3AbortIncompleteMultipartUpload(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const compliant = enabledLifecycleRules(node)
    .filter(coversWholeBucket)
    .some((rule) => {
      const days = numberValue(
        node,
        getPath(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation'),
        'AbortIncompleteMultipartUpload.DaysAfterInitiation',
      );
      return days !== undefined && days >= 1 && days <= MAX_ABORT_INCOMPLETE_UPLOAD_DAYS;
    });
  return compliant ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
