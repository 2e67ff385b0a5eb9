import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/** Table parameters every Glue table carries. */
export const REQUIRED_TABLE_PARAMETERS: readonly string[] = ['owner', 'classification'];

/**
 * Glue tables carry the `owner` and `classification` parameters (`TableInput.Parameters`). Returns one
 * finding per missing parameter (`DataOps-GlueTableParameters[owner]`).
 * @param node the CfnResource to check
 */
export function GlueTableParameters(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Glue::Table') return NagRuleCompliance.NOT_APPLICABLE;
  const parameters = getPath(cfnProperties(node), 'TableInput', 'Parameters');
  const missing = REQUIRED_TABLE_PARAMETERS.filter((key) => {
    const value = getPath(parameters, key);
    return value === undefined || value === null || value === '';
  });
  return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
}
