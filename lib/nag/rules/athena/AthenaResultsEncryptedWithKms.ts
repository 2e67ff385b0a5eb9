import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/** Result encryption options that use a KMS key. */
export const KMS_RESULT_ENCRYPTION_OPTIONS: readonly string[] = ['SSE_KMS', 'CSE_KMS'];

/**
 * Athena workgroups encrypt query results with KMS: `ResultConfiguration.EncryptionConfiguration`
 * uses SSE_KMS or CSE_KMS; a workgroup that uses Athena-managed query results instead sets a KMS key on
 * `ManagedQueryResultsConfiguration.EncryptionConfiguration`.
 * @param node the CfnResource to check
 */
export function AthenaResultsEncryptedWithKms(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Athena::WorkGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const config = getPath(cfnProperties(node), 'WorkGroupConfiguration');
  if (getPath(config, 'ManagedQueryResultsConfiguration', 'Enabled') === true) {
    const key = getPath(config, 'ManagedQueryResultsConfiguration', 'EncryptionConfiguration', 'KmsKey');
    return key !== undefined && key !== '' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  const option = getPath(config, 'ResultConfiguration', 'EncryptionConfiguration', 'EncryptionOption');
  return typeof option === 'string' && KMS_RESULT_ENCRYPTION_OPTIONS.includes(option)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
