/**
 * The whole app's synth-time checks, with violations injected into the real platform: each must
 * fail synthesis with a message that names what is wrong and how to fix it.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PipelineRole } from '../../constructs/roles';
import { ENVIRONMENTS } from '../../lib/config';
import { Lakehouse, buildLakehouse } from '../../lib/lakehouse-app';
import { testApp } from '../helpers/app';

function build(inject: (l: Lakehouse) => void): () => void {
  const app = testApp();
  const lakehouse = buildLakehouse(app, { config: ENVIRONMENTS.dev });
  inject(lakehouse);
  return () => app.synth();
}

describe('the governance proof on the real app', () => {
  test('fails if an analyst is granted write on curated, naming principal, action and zone', () => {
    expect(build((l) => {
      l.platform.analystRoles.analytics.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [l.platform.zones.zones.curated.bucket.arnForObjects('*')] }));
    })).toThrow(/Lakehouse-dev-Platform\/Analystanalytics\w+ \(analyst, not a pipeline role\) is granted s3:PutObject.* on the curated zone[\s\S]*Governance\.ForbiddenGrants/);
  });

  test('fails if an extra role has a wildcard policy', () => {
    expect(build((l) => {
      const rogue = new iam.Role(l.platform, 'Rogue', { assumedBy: new iam.AccountRootPrincipal() });
      rogue.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    })).toThrow(/Lakehouse-dev-Platform\/Rogue\w+ \(unclassified, not a pipeline role\) is granted s3:(PutObject|DeleteObject)[\s\S]*on the (clean|curated) zone/);
  });

  test('fails if the curated bucket policy loses its default-deny: a same-account admin could write production', () => {
    expect(build((l) => {
      const policy = l.platform.zones.zones.curated.bucket.policy!.node.defaultChild as s3.CfnBucketPolicy;
      const statements = Stack.of(policy).resolve(policy.policyDocument).Statement as any[];
      const index = statements.findIndex((s) => s.Sid === 'DenyDataWritesExceptPipelineRoles');
      policy.addPropertyDeletionOverride(`PolicyDocument.Statement.${index}`);
    })).toThrow(/hypothetical:same-account-admin .*can s3:PutObject.* on the curated zone[\s\S]*Governance\.ProductionWriters/);
  });

  test('fails if a pipeline role writes upstream of what it reads', () => {
    expect(build((l) => {
      const role = new PipelineRole(l.platform, 'Backfill', { environmentName: 'dev', domain: 'sales', stage: 'clean', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'backfill' });
      l.platform.zones.zones.clean.grantReadPrefix(role, { prefix: 'sales/' });
      l.platform.zones.zones.landing.grantIngest(role, { prefix: 'sales/' });
    })).toThrow(/Backfill\w+[^\n]*reads clean[^\n]*writes landing[\s\S]*Governance\.OneWayFlow/);
  });

  test('fails if a role is allowed to bypass governance retention on raw', () => {
    expect(build((l) => {
      l.platform.operatorRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion'], resources: [l.platform.zones.zones.raw.bucket.arnForObjects('*')] }));
    })).toThrow(/Operator\w+ \(operator, not a pipeline role\) is granted s3:BypassGovernanceRetention on the raw zone/);
  });
});

describe('the DataOps pack on the real app', () => {
  test('fails if a bucket has no lifecycle', () => {
    expect(build((l) => {
      new s3.Bucket(l.platform, 'NoLifecycle', { enforceSSL: true, serverAccessLogsBucket: l.platform.zones.zones['access-logs'].bucket });
    })).toThrow(/Lakehouse-dev-Platform\/NoLifecycle\/Resource[^\n]*\n\s*Suggested fix: [^\n]+\n\s*Acknowledge with 'DataOps::DataOps-S3LifecycleConfigured'/);
  });

  test('fails if an Athena workgroup has no scan cutoff', () => {
    expect(build((l) => {
      new athena.CfnWorkGroup(l.platform, 'Unbounded', {
        name: 'unbounded',
        workGroupConfiguration: {
          enforceWorkGroupConfiguration: true,
          publishCloudWatchMetricsEnabled: true,
          resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: l.platform.zones.key.keyArn } },
        },
      });
    })).toThrow(/Lakehouse-dev-Platform\/Unbounded[^\n]*\n\s*Suggested fix: [^\n]+\n\s*Acknowledge with 'DataOps::DataOps-AthenaBytesScannedCutoff'/);
  });

  test('fails if a function has no log retention', () => {
    expect(build((l) => {
      new lambda.Function(l.platform, 'Chatty', {
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        memorySize: 128,
        timeout: Duration.seconds(3),
        reservedConcurrentExecutions: 1,
      });
    })).toThrow(/Lakehouse-dev-Platform\/Chatty\/LogGroup\/Resource[^\n]*\n\s*Suggested fix: Set retention[^\n]+\n\s*Acknowledge with 'DataOps::DataOps-LogGroupRetention'/);
  });

  test('fails if a queue’s visibility timeout is shorter than 6x its consumer’s timeout', () => {
    expect(build((l) => {
      const transform = l.domains.sales.transforms.orders;
      (transform.queue.node.defaultChild as sqs.CfnQueue).visibilityTimeout = 60;
    })).toThrow(/Lakehouse-dev-Domain-sales\/Transform-orders\/Queue\/Resource[^\n]*\n\s*Suggested fix: [^\n]+\n\s*Acknowledge with 'DataOps::DataOps-SQSVisibilityTimeout'/);
  });
});

describe('Control Tower and the DataOps encryption rules on the real app', () => {
  test('fails if a log group has no KMS key, naming the rule and the resource', () => {
    let message = '';
    try {
      build((l) => {
        new logs.LogGroup(l.domains.sales, 'Unencrypted', { retention: logs.RetentionDays.ONE_MONTH });
      })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Lakehouse-dev-Domain-sales\/Unencrypted\/Resource[^\n]*\n\s*Suggested fix: Set 'KmsKeyId'[^\n]*\n\s*Acknowledge with 'ControlTower::CT\.CLOUDWATCH\.PR\.3'/);
    expect(message).toMatch(/Lakehouse-dev-Domain-sales\/Unencrypted\/Resource[^\n]*\n\s*Suggested fix: Create it as a LakehouseLogGroup[^\n]*\n\s*Acknowledge with 'DataOps::DataOps-LogGroupKmsEncryption'/);
  });

  test('fails if a KMS key policy does not limit grant creation to AWS services, naming the rule and the resource', () => {
    let message = '';
    try {
      build((l) => {
        new kms.Key(l.platform, 'UnlimitedGrants', { enableKeyRotation: true, pendingWindow: Duration.days(30) });
      })();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Lakehouse-dev-Platform\/UnlimitedGrants\/Resource[^\n]*\n\s*Suggested fix: [^\n]*kms:GrantIsForAWSResource[^\n]*\n\s*Acknowledge with 'ControlTower::CT\.KMS\.PR\.3'/);
    expect(message).toMatch(/Lakehouse-dev-Platform\/UnlimitedGrants\/Resource[^\n]*\n\s*Suggested fix: Create the key as a LakehouseKey[^\n]*\n\s*Acknowledge with 'DataOps::DataOps-KMSGrantsForAwsServicesOnly'/);
  });
});

describe('the stack quotas on the real app', () => {
  test('fails if the platform stack gets a dashboard of 401 widgets, naming DataOps-StackQuotas, the stack, the dashboard and the fix', () => {
    expect(build((l) => {
      const widgets = Array.from({ length: 401 }, (_, i) => new cloudwatch.TextWidget({ markdown: `domain ${i}` }));
      new cloudwatch.Dashboard(l.platform, 'PerDomain', { widgets: [widgets] });
    })).toThrow(/Widgets per CloudWatch dashboard of PerDomain\w+ in stack Lakehouse-dev-Platform: 401 widgets, over 80% \(400\) of the limit of 500 widgets[^\n]*\n\s*Lakehouse-dev-Platform\/PerDomain\/Resource[^\n]*\n\s*Suggested fix: [^\n]*SEARCH expressions[^\n]*\n\s*Acknowledge with '[\w-]+::DataOps-StackQuotas'/);
  });
});
