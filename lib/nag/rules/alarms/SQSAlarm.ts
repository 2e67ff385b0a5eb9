import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, logicalIdOf, referencedAttribute, referencedLogicalId } from '../../cfn';
import { hasActionableAlarm } from '../../documents';

/**
 * SQS queues have at least one AWS::CloudWatch::Alarm in their stack on a metric with the dimension
 * `QueueName` = the queue (`Fn::GetAtt` of its QueueName, or its literal QueueName), with AlarmActions.
 * @param node the CfnResource to check
 */
export function SQSAlarm(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const logicalId = logicalIdOf(node);
  const name = cfnProperties(node).QueueName;
  const alarmed = hasActionableAlarm(
    node,
    'QueueName',
    (alarm, value) =>
      (referencedLogicalId(alarm, value) === logicalId && referencedAttribute(value) === 'QueueName') || (typeof name === 'string' && value === name),
  );
  return alarmed ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
