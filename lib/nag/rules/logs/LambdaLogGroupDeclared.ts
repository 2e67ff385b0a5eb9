import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, flattenValue, getPath, logicalIdOf, resourcesInStack } from '../../cfn';
import { LOG_RETENTION_TYPES } from './LogGroupRetention';

/**
 * Lambda functions log to a log group the app declares: `LoggingConfig.LogGroup` is set, or the stack
 * declares an AWS::Logs::LogGroup (or Custom::LogRetention) named `/aws/lambda/<function name>`.
 * Otherwise Lambda creates the group on first invocation, with infinite retention.
 * @param node the CfnResource to check
 */
export function LambdaLogGroupDeclared(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  const props = cfnProperties(node);
  const configured = getPath(props, 'LoggingConfig', 'LogGroup');
  if (configured !== undefined && configured !== '') return NagRuleCompliance.COMPLIANT;

  const expected = new Set([`/aws/lambda/\${Ref:${logicalIdOf(node)}}`]);
  if (typeof props.FunctionName === 'string') expected.add(`/aws/lambda/${props.FunctionName}`);
  const declared = resourcesInStack(node).some(
    (r) => LOG_RETENTION_TYPES.includes(r.cfnResourceType) && expected.has(flattenValue(cfnProperties(r).LogGroupName)),
  );
  return declared ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
