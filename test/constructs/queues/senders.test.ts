import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { grantQueueKeyToSender, grantQueueToSender, lakehouseQueue } from '../../../constructs/queues';
import { testApp } from '../../helpers/app';

function stacks() {
  const app: App = testApp();
  const platform = new Stack(app, 'Platform');
  const role = new iam.Role(platform, 'Delivery', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  const domain = new Stack(app, 'Domain');
  const key = new kms.Key(domain, 'QueueKey', { enableKeyRotation: true });
  const queue = lakehouseQueue(domain, 'Queue', { encryptionKey: key });
  return { platform, domain, role, key, queue };
}

const keyStatements = (domain: Stack, key: kms.Key) => (Template.fromStack(domain).findResources('AWS::KMS::Key')[domain.getLogicalId(key.node.defaultChild as any)] as any).Properties.KeyPolicy.Statement;

describe('queue senders', () => {
  test('EventBridge by default: one key-policy statement for the events service principal', () => {
    const { domain, key } = stacks();
    grantQueueKeyToSender(key);
    expect(keyStatements(domain, key)).toContainEqual({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' });
  });

  test('a role of another stack that takes no policy: the key\'s and the queue\'s policies carry it, the role nothing', () => {
    const { platform, domain, role, key, queue } = stacks();
    const sender = role.withoutPolicyUpdates();
    grantQueueKeyToSender(key, { sender, sid: 'Encrypts' });
    grantQueueToSender(queue, { sender, sid: 'Sends' });
    const roleArn = { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Platform' }) };
    expect(keyStatements(domain, key)).toContainEqual({ Sid: 'Encrypts', Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' });
    const queuePolicy = Object.values(Template.fromStack(domain).findResources('AWS::SQS::QueuePolicy'))[0] as any;
    expect(queuePolicy.Properties.PolicyDocument.Statement).toContainEqual({ Sid: 'Sends', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [domain.getLogicalId(queue.node.defaultChild as any), 'Arn'] } });
    Template.fromStack(platform).resourceCountIs('AWS::IAM::Policy', 0);
  });
});
