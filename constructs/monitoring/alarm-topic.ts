import { ArnFormat, Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from '../queues';
import { LakehouseError } from '../errors';
import { DeadLetterQueueMonitoring } from './alarms';
import { PLATFORM_DOMAIN } from './naming';
import { MonitoringThresholds } from './thresholds';

/** What CloudWatch needs on the topic's key to publish to an encrypted topic (it calls KMS itself). */
export const CLOUDWATCH_TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];
/** What CloudWatch alarms need on the topic. */
export const CLOUDWATCH_TOPIC_PUBLISH_ACTIONS = ['sns:Publish'];
export const CLOUDWATCH_SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';
/** What SNS needs on the key to put undeliverable notifications in the encrypted delivery-failure queue. */
export const SNS_QUEUE_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];
export const SNS_SERVICE_PRINCIPAL = 'sns.amazonaws.com';

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface AlarmTopicProps {
  /** Environment name, in the topic's display name. */
  readonly environmentName: string;
  /**
   * Key the topic is encrypted with. Must be a customer-managed key (the AWS-managed `alias/aws/sns`
   * key cannot grant CloudWatch); this construct adds CloudWatch's use of it to the key policy. A
   * dedicated key is preferable to the lake key: CloudWatch gets kms:Decrypt and kms:GenerateDataKey*.
   */
  readonly encryptionKey: kms.IKey;
  /** E-mail addresses subscribed (`config.alarmEmails`); each must confirm the subscription once. */
  readonly emails: readonly string[];
  /**
   * Thresholds of the delivery-failure queue's alarm.
   * @default DEFAULT_MONITORING_THRESHOLDS
   */
  readonly thresholds?: MonitoringThresholds;
}

/**
 * The alarm topic of one environment: SNS, KMS-encrypted, TLS-only publishing, e-mail
 * subscriptions. Resource policies let CloudWatch alarms of this account publish and use the key.
 * Alarms take `alarmAction` (SnsAction) for both ALARM and OK.
 *
 * Notifications SNS cannot deliver to a subscription are kept in `deliveryFailures` (an encrypted
 * queue, the subscriptions' redrive policy), which has its own any-message alarm. As every
 * dead-letter queue, it is acknowledged as having no dead-letter queue of its own
 * (`acknowledgeDeadLetterQueue`, which also covers AwsSolutions-SQS3: that rule does not recognise an
 * SNS subscription's DLQ).
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarmAction: cloudwatch.IAlarmAction;
  /** Where undeliverable notifications go (14 days). */
  public readonly deliveryFailures: sqs.Queue;
  /** The any-message alarm on `deliveryFailures`. */
  public readonly deliveryFailuresMonitoring: DeadLetterQueueMonitoring;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.emails.length === 0) {
      throw new LakehouseError({ code: 'LH160', scope: this, value: props.emails, problem: 'at least one e-mail address is required: alarms nobody receives are not monitoring', fix: 'add the on-call address to alarmEmails' });
    }
    props.emails.forEach((email) => {
      if (!Token.isUnresolved(email) && !EMAIL_RE.test(email)) {
        throw new LakehouseError({ code: 'LH160', scope: this, value: email, problem: 'not an e-mail address', fix: 'use an address like team@example.com' });
      }
    });
    if (new Set(props.emails).size !== props.emails.length) {
      throw new LakehouseError({ code: 'LH160', scope: this, value: props.emails, problem: 'an e-mail address is listed twice', fix: 'remove the duplicate' });
    }
    const stack = Stack.of(this);

    this.topic = new sns.Topic(this, 'Resource', {
      displayName: `governed-lakehouse ${props.environmentName} alarms`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });

    // With a topic policy in place (enforceSSL creates one) SNS's default policy no longer applies:
    // allow this account's alarms to publish, explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE_PRINCIPAL)],
        actions: CLOUDWATCH_TOPIC_PUBLISH_ACTIONS,
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );

    // CloudWatch calls KMS itself when it publishes to an encrypted topic.
    const added = props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE_PRINCIPAL)],
        actions: CLOUDWATCH_TOPIC_KEY_ACTIONS,
        resources: ['*'],
      }),
    );

    this.deliveryFailures = deadLetterQueue(this, 'DeliveryFailures', { encryptionKey: props.encryptionKey, unrecognisedBySqs3: true });
    // SNS encrypts what it puts in the delivery-failure queue (the subscription adds the queue policy).
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSnsToParkUndeliverableAlarms',
        principals: [new iam.ServicePrincipal(SNS_SERVICE_PRINCIPAL)],
        actions: SNS_QUEUE_KEY_ACTIONS,
        resources: ['*'],
      }),
    );
    if (!added.statementAdded) {
      Annotations.of(this).addWarningV2(
        '@governed-lakehouse/monitoring:alarmTopicKeyPolicy',
        `The alarm topic's key is imported, so its key policy cannot be changed here: allow ${CLOUDWATCH_SERVICE_PRINCIPAL} and ${SNS_SERVICE_PRINCIPAL} ${CLOUDWATCH_TOPIC_KEY_ACTIONS.join(', ')} on it, or alarm notifications will fail.`,
      );
    }
    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue: this.deliveryFailures }));
    }
    this.alarmAction = new actions.SnsAction(this.topic);
    this.deliveryFailuresMonitoring = new DeadLetterQueueMonitoring(this, 'DeliveryFailuresMonitoring', {
      environmentName: props.environmentName,
      alarmAction: this.alarmAction,
      thresholds: props.thresholds,
      domain: PLATFORM_DOMAIN,
      dataset: 'alarm-topic',
      label: 'undelivered',
      queue: this.deliveryFailures,
      hint: 'an alarm notification could not be delivered to a subscriber: check the subscriptions in the SNS console (bouncing or unconfirmed address) and read the parked notifications',
    });
  }
}
