import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, numberValue } from '../../cfn';

/** Resource types that set a log group's retention. */
export const LOG_RETENTION_TYPES: readonly string[] = ['AWS::Logs::LogGroup', 'Custom::LogRetention'];

/**
 * Log groups (AWS::Logs::LogGroup, including the ones CDK makes for functions, and CDK's
 * Custom::LogRetention) set an explicit `RetentionInDays`, at most the environment's maximum.
 * @param node the CfnResource to check
 * @param options the environment's maximum retention in days
 */
export function LogGroupRetention(node: CfnResource, options: { readonly maxLogRetentionDays: number }): NagRuleResult {
  if (!LOG_RETENTION_TYPES.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  const days = numberValue(node, cfnProperties(node).RetentionInDays, 'RetentionInDays');
  return days !== undefined && days >= 1 && days <= options.maxLogRetentionDays
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
