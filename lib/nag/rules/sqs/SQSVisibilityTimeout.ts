import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, logicalIdOf, numberValue } from '../../cfn';
import { eventSourceMappingsFrom, targetFunction } from '../../documents';

/** SQS's default visibility timeout, in seconds. */
export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/** Lambda's default function timeout, in seconds. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
/** AWS's guidance: the visibility timeout is at least six times the consuming function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * SQS queues consumed by a Lambda function (an AWS::Lambda::EventSourceMapping in the same stack whose
 * EventSourceArn is the queue, targeting a function of that stack) have a visibility timeout of at
 * least 6 times the longest consuming function's timeout. Not applicable to queues no function of the
 * stack consumes.
 * @param node the CfnResource to check
 */
export function SQSVisibilityTimeout(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const consumers = eventSourceMappingsFrom(node, logicalIdOf(node))
    .map(targetFunction)
    .filter((f): f is CfnResource => f !== undefined);
  if (consumers.length === 0) return NagRuleCompliance.NOT_APPLICABLE;

  const longestTimeout = Math.max(
    ...consumers.map(
      (f) => numberValue(f, cfnProperties(f).Timeout, 'Timeout') ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS,
    ),
  );
  const visibility =
    numberValue(node, cfnProperties(node).VisibilityTimeout, 'VisibilityTimeout') ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
  return visibility >= VISIBILITY_TIMEOUT_FACTOR * longestTimeout
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
