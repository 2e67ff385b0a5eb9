import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties } from '../../cfn';

/**
 * Symmetric encryption KMS keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT — the defaults) have
 * automatic rotation on. Asymmetric and HMAC keys cannot rotate automatically and are not applicable.
 * @param node the CfnResource to check
 */
export function KMSKeyRotation(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
  const props = cfnProperties(node);
  const symmetric =
    (props.KeySpec === undefined || props.KeySpec === 'SYMMETRIC_DEFAULT') &&
    (props.KeyUsage === undefined || props.KeyUsage === 'ENCRYPT_DECRYPT');
  if (!symmetric) return NagRuleCompliance.NOT_APPLICABLE;
  return props.EnableKeyRotation === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
