import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties } from '../../cfn';

/**
 * SQS queues are encrypted with a KMS key (`KmsMasterKeyId`); SQS-managed SSE alone does not count.
 * @param node the CfnResource to check
 */
export function SQSKmsEncryption(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const key = cfnProperties(node).KmsMasterKeyId;
  return key !== undefined && key !== '' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
