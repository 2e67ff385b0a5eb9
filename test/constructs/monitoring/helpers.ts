import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { MonitoringOptions } from '../../../constructs/monitoring';
import { testApp } from '../../helpers/app';

/**
 * A fresh app (cdk.json context) without the built-in CloudFormation validator, for speed; one test
 * (validation.test.ts) synthesizes every monitoring construct with the validator on.
 */
export function monitoringApp(): App {
  return testApp({ builtinCloudFormationValidation: false });
}

/** A fresh app and stack with an SNS topic as the alarm action. */
export function monitoringStack(): { stack: Stack; topic: sns.Topic; options: MonitoringOptions; topicRef: { Ref: string } } {
  const stack = new Stack(monitoringApp(), 'Test');
  const topic = new sns.Topic(stack, 'Topic');
  return {
    stack,
    topic,
    options: { environmentName: 'dev', alarmAction: new actions.SnsAction(topic) },
    topicRef: { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
  };
}

/** A small inline function (no bundling) with the given timeout. */
export function inlineFunction(stack: Stack, id = 'Fn', timeout = Duration.minutes(5)): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'), timeout });
}

export function queue(stack: Stack, id: string): sqs.Queue {
  return new sqs.Queue(stack, id);
}

export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** All alarms of a template, keyed by AlarmName. */
export function alarmsByName(template: Template): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const resource of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
    const props = (resource as { Properties: Record<string, any> }).Properties;
    out[props.AlarmName] = props;
  }
  return out;
}
