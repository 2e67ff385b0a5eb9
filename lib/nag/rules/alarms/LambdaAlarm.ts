import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, logicalIdOf, referencedAttribute, referencedLogicalId } from '../../cfn';
import { hasActionableAlarm } from '../../documents';

/**
 * Lambda functions have at least one AWS::CloudWatch::Alarm in their stack on a metric with the dimension
 * `FunctionName` = the function (a `Ref` to it, or its literal FunctionName), with AlarmActions.
 * @param node the CfnResource to check
 */
export function LambdaAlarm(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  const logicalId = logicalIdOf(node);
  const name = cfnProperties(node).FunctionName;
  const alarmed = hasActionableAlarm(
    node,
    'FunctionName',
    (alarm, value) =>
      (referencedLogicalId(alarm, value) === logicalId && referencedAttribute(value) === undefined) || (typeof name === 'string' && value === name),
  );
  return alarmed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
