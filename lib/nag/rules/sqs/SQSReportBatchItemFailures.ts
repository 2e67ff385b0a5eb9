import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnProperties, flattenValue, logicalIdOf, referencedLogicalId, resourcesInStack } from '../../cfn';

/**
 * Event source mappings that read an SQS queue (a queue of the same stack, or an ARN containing
 * `:sqs:`) report batch item failures (`FunctionResponseTypes` includes `ReportBatchItemFailures`), so a
 * failed record does not send the whole batch back to the queue.
 * @param node the CfnResource to check
 */
export function SQSReportBatchItemFailures(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Lambda::EventSourceMapping') return NagRuleCompliance.NOT_APPLICABLE;
  const props = cfnProperties(node);
  if (!readsSqs(node, props.EventSourceArn)) return NagRuleCompliance.NOT_APPLICABLE;
  return asList(props.FunctionResponseTypes).includes('ReportBatchItemFailures')
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

function readsSqs(node: CfnResource, source: unknown): boolean {
  const sourceId = referencedLogicalId(node, source);
  if (sourceId !== undefined) {
    const resource = resourcesInStack(node).find((r) => logicalIdOf(r) === sourceId);
    if (resource) return resource.cfnResourceType === 'AWS::SQS::Queue';
  }
  return flattenValue(source).includes(':sqs:');
}
