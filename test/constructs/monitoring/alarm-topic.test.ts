import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmTopic, DeadLetterQueueMonitoring } from '../../../constructs/monitoring';
import { monitoringApp } from './helpers';

function build(emails: readonly string[] = ['oncall@example.com', 'data@example.com']) {
  const stack = new Stack(monitoringApp(), 'Test');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const alarmTopic = new AlarmTopic(stack, 'Alarms', { environmentName: 'dev', encryptionKey: key, emails });
  return { stack, key, alarmTopic, t: Template.fromStack(stack) };
}

describe('AlarmTopic', () => {
  test('one topic, encrypted with the given key', () => {
    const { stack, key, t } = build();
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] }, DisplayName: 'governed-lakehouse dev alarms' });
  });

  test('the key policy lets CloudWatch generate data keys and decrypt (it calls KMS itself to publish)', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }),
        ]),
      },
    });
  });

  test('the topic policy denies publishing without TLS and lets only this account\'s alarms publish', () => {
    const { stack, alarmTopic, t } = build();
    const topicRef = { Ref: stack.getLogicalId(alarmTopic.topic.node.defaultChild as never) };
    t.resourceCountIs('AWS::SNS::TopicPolicy', 1);
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Statement: [
          { Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topicRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          {
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ],
      },
    });
  });

  test('one e-mail subscription per configured address', () => {
    const { t } = build();
    t.resourceCountIs('AWS::SNS::Subscription', 2);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'data@example.com' });
  });

  test('undeliverable notifications are parked in an encrypted queue that SNS may use, with its own alarm', () => {
    const { stack, key, alarmTopic, t } = build();
    const queueId = stack.getLogicalId(alarmTopic.deliveryFailures.node.defaultChild as never);
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 14 * 24 * 3600 });
    t.allResourcesProperties('AWS::SNS::Subscription', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage' })]) },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    const topicRef = { Ref: stack.getLogicalId(alarmTopic.topic.node.defaultChild as never) };
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dev-platform-alarm-topic-undelivered-messages',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('its alarm action, used from another stack, puts the topic in AlarmActions and OKActions', () => {
    const app = monitoringApp();
    const platform = new Stack(app, 'Platform');
    const alarmTopic = new AlarmTopic(platform, 'Alarms', { environmentName: 'dev', encryptionKey: new kms.Key(platform, 'Key'), emails: ['oncall@example.com'] });
    const domain = new Stack(app, 'Domain');
    new DeadLetterQueueMonitoring(domain, 'M', { environmentName: 'dev', alarmAction: alarmTopic.alarmAction, domain: 'sales', dataset: 'orders', queue: new sqs.Queue(domain, 'Dlq') });
    const alarm = Object.values(Template.fromStack(domain).findResources('AWS::CloudWatch::Alarm'))[0] as { Properties: Record<string, unknown[]> };
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
    expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    // A (weak) cross-stack reference to the platform stack's topic, as cdk.json configures.
    expect(alarm.Properties.AlarmActions).toEqual([{ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Platform', OutputName: expect.stringContaining('RefAlarms') }) }]);
  });

  test('warns when the key is imported and its policy cannot be extended', () => {
    const stack = new Stack(monitoringApp(), 'Test');
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    new AlarmTopic(stack, 'Alarms', { environmentName: 'dev', encryptionKey: key, emails: ['oncall@example.com'] });
    Annotations.fromStack(stack).hasWarning('/Test/Alarms', Match.stringLikeRegexp('cloudwatch.amazonaws.com'));
  });

  test('fails if no e-mail address is given', () => {
    expect(() => build([])).toThrow(/LH160.*at least one e-mail/);
  });

  test('fails if an address is malformed', () => {
    expect(() => build(['oncall@example.com', 'not-an-address'])).toThrow(/LH160.*"not-an-address"/);
  });

  test('fails if an address is listed twice', () => {
    expect(() => build(['oncall@example.com', 'oncall@example.com'])).toThrow(/LH160.*twice/);
  });
});
