import { Stack } from 'aws-cdk-lib';
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel } from 'cdk-nag';
import { findings, newStack, severities } from '../helpers';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';

function l1Function(stack: Stack, id = 'rFunction'): CfnFunction {
  return new CfnFunction(stack, id, {
    code: { zipFile: 'exports.handler = async () => {};' },
    role: 'arn:aws:iam::123456789012:role/test',
    handler: 'index.handler',
    runtime: 'nodejs22.x',
  });
}

function alarm(stack: Stack, dimensions: CfnAlarm.DimensionProperty[], alarmActions?: string[], namespace = 'AWS/Lambda'): CfnAlarm {
  return new CfnAlarm(stack, 'rAlarm', {
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    threshold: 1,
    metricName: 'Errors',
    namespace,
    period: 300,
    statistic: 'Sum',
    dimensions,
    alarmActions,
  });
}

describe('DataOps-LambdaAlarm', () => {
  const RULE = 'DataOps-LambdaAlarm';
  test('Noncompliance 1: no alarm', () => {
    const stack = newStack();
    l1Function(stack);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 2: an alarm without actions', () => {
    const stack = newStack();
    alarm(stack, [{ name: 'FunctionName', value: l1Function(stack).ref }]);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Noncompliance 3: an alarm on another function', () => {
    const stack = newStack();
    l1Function(stack);
    alarm(stack, [{ name: 'FunctionName', value: l1Function(stack, 'rOther').ref }], [TOPIC]);
    expect(findings(stack, RULE)).toEqual(['Test/rFunction']);
  });
  test('Compliance 1: an alarm with an action on the function', () => {
    const stack = newStack();
    alarm(stack, [{ name: 'FunctionName', value: l1Function(stack).ref }], [TOPIC]);
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a metric-math alarm on the function', () => {
    const stack = newStack();
    const fn = l1Function(stack);
    new CfnAlarm(stack, 'rAlarm', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 0.05,
      alarmActions: [TOPIC],
      metrics: [
        { id: 'rate', expression: 'errors / invocations' },
        {
          id: 'errors',
          returnData: false,
          metricStat: {
            metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: fn.ref }] },
            period: 300,
            stat: 'Sum',
          },
        },
        {
          id: 'invocations',
          returnData: false,
          metricStat: {
            metric: { namespace: 'AWS/Lambda', metricName: 'Invocations', dimensions: [{ name: 'FunctionName', value: fn.ref }] },
            period: 300,
            stat: 'Sum',
          },
        },
      ],
    });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Level: WARN by default, ERROR with alarmRuleLevel', () => {
    const stack = newStack();
    l1Function(stack);
    expect(severities(stack, RULE)).toEqual(['warning']);
    expect(severities(stack, RULE, { alarmRuleLevel: NagMessageLevel.ERROR })).toEqual(['error']);
  });
});

describe('DataOps-SQSAlarm', () => {
  const RULE = 'DataOps-SQSAlarm';
  test('Noncompliance 1: no alarm', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Noncompliance 2: the dimension is the queue URL (Ref), not its name', () => {
    const stack = newStack();
    alarm(stack, [{ name: 'QueueName', value: new CfnQueue(stack, 'rQueue').ref }], [TOPIC], 'AWS/SQS');
    expect(findings(stack, RULE)).toEqual(['Test/rQueue']);
  });
  test('Compliance 1: an alarm with an action on the queue name', () => {
    const stack = newStack();
    alarm(stack, [{ name: 'QueueName', value: new CfnQueue(stack, 'rQueue').attrQueueName }], [TOPIC], 'AWS/SQS');
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: a literal queue name', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue', { queueName: 'landing-events' });
    alarm(stack, [{ name: 'QueueName', value: 'landing-events' }], [TOPIC], 'AWS/SQS');
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Level: ERROR with alarmRuleLevel', () => {
    const stack = newStack();
    new CfnQueue(stack, 'rQueue');
    expect(severities(stack, RULE, { alarmRuleLevel: NagMessageLevel.ERROR })).toEqual(['error']);
  });
});
