import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties } from '../../cfn';
import { actionsOf, hasIdentityPolicies, identityPolicyStatements, isAllow, statementsOf } from '../../documents';

/**
 * No policy allows `s3:*`: identity policies (as in IAMNoWildcardAction) and S3 bucket policies have no
 * Allow statement with the action `s3:*` (any case). The intent is "no s3:* on a zone bucket", but
 * resolving a statement's resources to tagged buckets is unreliable (tokens, imports, wildcards), so
 * every Allow `s3:*` is non-compliant. Deny statements (e.g. enforce-SSL) are fine.
 * @param node the CfnResource to check
 */
export function IAMNoS3WildcardAction(node: CfnResource): NagRuleResult {
  let statements;
  if (hasIdentityPolicies(node)) {
    statements = identityPolicyStatements(node);
  } else if (node.cfnResourceType === 'AWS::S3::BucketPolicy') {
    statements = statementsOf(cfnProperties(node).PolicyDocument);
  } else {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const s3Wildcard = statements.some((s) => isAllow(s) && actionsOf(s).some((a) => a.toLowerCase() === 's3:*'));
  return s3Wildcard ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
