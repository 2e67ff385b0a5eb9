import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DomainEventBus, DomainEventBusProps } from '../../../constructs/events';
import { testMonitoring, zonesStack } from '../../helpers/stacks';

function build(overrides: Partial<DomainEventBusProps> = {}) {
  const { stack, zones } = zonesStack();
  const role = new iam.Role(stack, 'Delivery', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
  const bus = new DomainEventBus(stack, 'Events', {
    environmentName: 'dev',
    domain: 'sales',
    zones: [zones.zones.raw, zones.zones.clean],
    deliveryRole: role.withoutPolicyUpdates(),
    queueKey: new kms.Key(stack, 'QueueKey', { enableKeyRotation: true }),
    monitoring: testMonitoring(stack),
    ...overrides,
  });
  return { stack, zones, role, bus, t: Template.fromStack(stack) };
}
const id = (stack: Stack, c: any) => stack.getLogicalId(c.node.defaultChild ?? c);

describe('DomainEventBus', () => {
  test('a bus per domain, lakehouse-<env>-<domain>', () => {
    const { t, bus } = build();
    t.resourceCountIs('AWS::Events::EventBus', 1);
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'lakehouse-dev-sales' });
    expect(bus.eventBusName).toBe('lakehouse-dev-sales');
  });

  test("one rule on the default bus: S3 'Object Created' of the zones under <domain>/, forwarded with the delivery role, undeliverable events parked", () => {
    const { t, stack, zones, role, bus } = build();
    t.resourceCountIs('AWS::Events::Rule', 1);
    const [rule] = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    expect(rule.Properties.EventBusName).toBeUndefined(); // the default bus
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: id(stack, zones.zones.raw.bucket) }, { Ref: id(stack, zones.zones.clean.bucket) }] }, object: { key: [{ prefix: 'sales/' }] } },
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [id(stack, bus.eventBus), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [id(stack, role), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(stack, bus.deadLetterQueue), 'Arn'] } },
      }),
    ]);
    // The delivery role is used as is: nothing is granted to it here.
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the forwarding dead-letter queue is KMS-encrypted and alarms on any message', () => {
    const { t, stack, bus } = build();
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'dev-sales-events-forward-dlq-messages',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack, bus.deadLetterQueue), 'QueueName'] } }],
      AlarmActions: [Match.anyValue()],
    });
  });

  test('fails if it has no zone to forward', () => {
    expect(() => build({ zones: [] })).toThrow(/LH172.*Events.*pass the raw and clean zones/);
  });

  test('fails if the bus name would be invalid', () => {
    expect(() => build({ domain: 'sales eu' })).toThrow(/LH171.*"lakehouse-dev-sales eu"/);
  });
});
