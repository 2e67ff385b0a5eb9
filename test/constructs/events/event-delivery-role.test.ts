import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EVENT_DELIVERY_PUT_ACTIONS, EVENT_DELIVERY_START_ACTIONS, EventDeliveryRole } from '../../../constructs/events';
import { testApp } from '../../helpers/app';

function build(environmentName = 'dev') {
  const app = testApp();
  const stack = new Stack(app, 'Platform');
  const delivery = new EventDeliveryRole(stack, 'EventDelivery', { environmentName });
  return { app, stack, delivery, t: Template.fromStack(stack) };
}

const arn = (service: string, resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, resource]] });

describe('EventDeliveryRole', () => {
  test('trusted by EventBridge from this account, and by Scheduler for the environment\'s schedule group only', () => {
    const { t, stack, delivery } = build();
    t.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'lakehouse-dev' });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [stack.getLogicalId(delivery.scheduleGroup.node.defaultChild as any), 'Arn'] } } },
          },
        ],
      },
    });
  });

  test('may only put events on the environment\'s buses and start its state machines, by name pattern', () => {
    const { t } = build('prod');
    const statements = (Object.values(t.findResources('AWS::IAM::Policy')) as any[]).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Sid: 'PutEventsOnTheDomainBuses', Effect: 'Allow', Action: EVENT_DELIVERY_PUT_ACTIONS[0], Resource: arn('events', ':event-bus/lakehouse-prod-*') },
      { Sid: 'StartTheBigFileStateMachines', Effect: 'Allow', Action: EVENT_DELIVERY_START_ACTIONS[0], Resource: arn('states', ':stateMachine:lakehouse-prod-*') },
    ]);
  });

  test('does not grow with the targets it is used for: other stacks use it as is, with no policy and no reference back', () => {
    const before = JSON.stringify(build().t.toJSON());
    const app = testApp();
    const platform = new Stack(app, 'Platform');
    const delivery = new EventDeliveryRole(platform, 'EventDelivery', { environmentName: 'dev' });
    const domains: Stack[] = [];
    for (const name of ['a', 'b', 'c']) {
      const domain = new Stack(app, `Domain-${name}`);
      const bus = new events.EventBus(domain, 'Bus', { eventBusName: `lakehouse-dev-${name}` });
      new events.Rule(domain, 'Forward', {
        eventPattern: { source: ['aws.s3'] },
        targets: [new targets.EventBus(bus, { role: delivery.deliveryRole, deadLetterQueue: new sqs.Queue(domain, 'Dlq') })],
      });
      domains.push(domain);
    }
    expect(() => app.synth()).not.toThrow();
    for (const domain of domains) {
      const domainTemplate = Template.fromStack(domain);
      domainTemplate.resourceCountIs('AWS::IAM::Role', 0);
      domainTemplate.resourceCountIs('AWS::IAM::Policy', 0);
      domainTemplate.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ RoleArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Platform' }) } })] });
    }
    // The platform's template is what it is without them (its outputs for the other stacks aside).
    const platformTemplate = Template.fromStack(platform).toJSON();
    expect(JSON.stringify({ ...platformTemplate, Outputs: undefined })).toEqual(JSON.stringify({ ...JSON.parse(before), Outputs: undefined }));
  });

  test('fails if the environment name cannot be part of the name patterns', () => {
    expect(() => build('Dev*')).toThrow(/LH170.*EventDelivery.*"Dev\*"/);
  });
});
