import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import {
  CfnValue,
  cfnProperties,
  flattenValue,
  getPath,
  logicalIdOf,
  numberValue,
  parseIfJsonString,
  referencedLogicalId,
  resourcesInStack,
} from '../../cfn';

/** The most receives before a message moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 10;

/**
 * SQS queues have a dead-letter queue (`RedrivePolicy.deadLetterTargetArn`) with `maxReceiveCount`
 * between 1 and 10. Exempt: a queue that is itself a dead-letter target in its stack (another queue's or
 * an SNS subscription's RedrivePolicy, a function's DeadLetterConfig, an EventInvokeConfig's
 * on-failure destination, an EventBridge rule target's or a Scheduler schedule target's
 * DeadLetterConfig).
 * @param node the CfnResource to check
 */
export function SQSDeadLetterQueue(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const redrive = parseIfJsonString(cfnProperties(node).RedrivePolicy);
  const target = getPath(redrive, 'deadLetterTargetArn');
  if (target !== undefined && target !== '') {
    const count = numberValue(node, getPath(redrive, 'maxReceiveCount'), 'RedrivePolicy.maxReceiveCount');
    return count !== undefined && count >= 1 && count <= MAX_RECEIVE_COUNT
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  }
  return isDeadLetterTarget(node) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/** Any element of a list property (`Targets` of a rule). */
const EACH = '*';

/** Where other resources of the stack name their dead-letter / failure targets. */
const DEAD_LETTER_REFERENCES: ReadonlyArray<{ readonly type: string; readonly path: readonly string[] }> = [
  { type: 'AWS::SQS::Queue', path: ['RedrivePolicy', 'deadLetterTargetArn'] },
  { type: 'AWS::SNS::Subscription', path: ['RedrivePolicy', 'deadLetterTargetArn'] },
  { type: 'AWS::Lambda::Function', path: ['DeadLetterConfig', 'TargetArn'] },
  { type: 'AWS::Lambda::EventInvokeConfig', path: ['DestinationConfig', 'OnFailure', 'Destination'] },
  { type: 'AWS::Events::Rule', path: ['Targets', EACH, 'DeadLetterConfig', 'Arn'] },
  { type: 'AWS::Scheduler::Schedule', path: ['Target', 'DeadLetterConfig', 'Arn'] },
];

function isDeadLetterTarget(queue: CfnResource): boolean {
  const logicalId = logicalIdOf(queue);
  const queueName = cfnProperties(queue).QueueName;
  return resourcesInStack(queue).some((r) =>
    DEAD_LETTER_REFERENCES.some(({ type, path }) => {
      if (r === queue || r.cfnResourceType !== type) return false;
      const [first, ...rest] = path;
      return valuesAt(parseIfJsonString(cfnProperties(r)[first]), rest).some((target) => refersToQueue(r, target, logicalId, queueName));
    }),
  );
}

/** The values at `path` below `value`, where EACH steps into every element of a list. */
function valuesAt(value: CfnValue, path: readonly string[]): CfnValue[] {
  const at = path.indexOf(EACH);
  if (at < 0) return [getPath(value, ...path)];
  const list = getPath(value, ...path.slice(0, at));
  return Array.isArray(list) ? list.flatMap((item) => valuesAt(item, path.slice(at + 1))) : [];
}

function refersToQueue(from: CfnResource, target: CfnValue, logicalId: string, queueName: CfnValue): boolean {
  if (target === undefined) return false;
  if (referencedLogicalId(from, target) === logicalId) return true;
  return typeof queueName === 'string' && flattenValue(target).endsWith(`:${queueName}`);
}
