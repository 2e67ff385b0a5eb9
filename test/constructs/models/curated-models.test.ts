import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LakeDatabase } from '../../../constructs/catalog';
import { CuratedModels, CuratedModelsProps, loadDomainModels, loadModelFiles } from '../../../constructs/models';
import { PipelineRole } from '../../../constructs/roles';
import { LakeWorkgroup } from '../../../constructs/workgroups';
import { parseModelSpec } from '../../../lambda/shared/models';
import { SALES, WEB_EVENTS, exampleModelText, tempDomainsDir } from '../../lambda/models/fixtures';
import { testMonitoring, zonesStack } from '../../helpers/stacks';

const REPO_DOMAINS = path.join(__dirname, '..', '..', '..', 'lib', 'domains');
const SECOND_MODEL = [
  '-- @partition order_date',
  '-- @column order_date date',
  '-- @column orders bigint',
  'SELECT ordered_at_date AS order_date, COUNT(DISTINCT order_id) AS orders FROM sales_clean.orders GROUP BY 1',
].join('\n');

type Overrides = Partial<CuratedModelsProps> | ((base: CuratedModelsProps) => Partial<CuratedModelsProps>);

function build(overrides: Overrides = {}, models = loadModelFiles(REPO_DOMAINS, 'sales')) {
  const { stack, zones } = zonesStack();
  const workgroup = new LakeWorkgroup(stack, 'Pipelines', { workgroupName: 'lakehouse-dev-pipelines', description: 'pipelines', resultsZone: zones.zones['query-results'], encryptionKey: zones.key });
  const curatedDatabase = new LakeDatabase(stack, 'CuratedDb', { domain: 'sales', zone: 'curated', owner: 'sales-analytics', description: 'sales curated' });
  const role = new PipelineRole(stack, 'CuratedRole', { environmentName: 'dev', domain: 'sales', stage: 'curated', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'sales curated models' });
  const queueKey = new kms.Key(stack, 'QueueKey', { enableKeyRotation: true });
  // As in a domain stack: the domain's bus, and a delivery role that takes no policy from here.
  const eventBus = new events.EventBus(stack, 'Bus', { eventBusName: 'lakehouse-dev-sales' });
  const deliveryRole = new iam.Role(stack, 'DeliveryRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  const scheduleGroup = new scheduler.ScheduleGroup(stack, 'Group', { scheduleGroupName: 'lakehouse-dev' });
  const base: CuratedModelsProps = {
    domain: SALES,
    models,
    role,
    workgroup,
    cleanZone: zones.zones.clean,
    curatedZone: zones.zones.curated,
    curatedDatabase,
    lakeKey: zones.key,
    queueKey,
    logRetention: logs.RetentionDays.ONE_MONTH,
    monitoring: testMonitoring(stack),
    eventBus,
    scheduleRole: deliveryRole.withoutPolicyUpdates(),
    scheduleGroup,
  };
  const props = { ...base, ...(typeof overrides === 'function' ? overrides(base) : overrides) };
  const construct = new CuratedModels(stack, 'Models', props);
  return { stack, zones, role, construct, props, eventBus, deliveryRole, t: Template.fromStack(stack) };
}

const id = (stack: Stack, c: any) => stack.getLogicalId(c.node.defaultChild ?? c);

/** Statements of the role's identity policies, as a flat list. */
function roleStatements(t: Template, roleLogicalId: string): any[] {
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles).includes(roleLogicalId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}
const actions = (s: any): string[] => [].concat(s.Action);
const resources = (s: any): any[] => [].concat(s.Resource);

describe('CuratedModels', () => {
  test('one curated Glue table per model: Parquet ZSTD, partitioned by the model date column, partition projection, model in the catalog', () => {
    const { t, stack, zones } = build();
    const curated = id(stack, zones.zones.curated.bucket);
    t.resourceCountIs('AWS::Glue::Table', 1);
    t.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'sales_curated',
      TableInput: {
        Name: 'daily_revenue',
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [{ Name: 'order_date', Type: 'date', Comment: 'Day the orders were placed (UTC)' }],
        Parameters: Match.objectLike({
          classification: 'parquet',
          owner: 'sales-analytics',
          'parquet.compression': 'ZSTD',
          'projection.enabled': 'true',
          'projection.order_date.type': 'date',
          'projection.order_date.format': 'yyyy-MM-dd',
          'projection.order_date.range': '2000-01-01,NOW',
          'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: curated }, '/sales/daily_revenue/order_date=${order_date}/']] },
        }),
        StorageDescriptor: Match.objectLike({
          Location: { 'Fn::Join': ['', ['s3://', { Ref: curated }, '/sales/daily_revenue/']] },
          InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          Columns: ['currency', 'orders', 'order_lines', 'units', 'revenue', 'gift_lines'].map((name) => Match.objectLike({ Name: name })),
        }),
      },
    });
    const table = Object.values(t.findResources('AWS::Glue::Table'))[0] as any;
    expect(table.DependsOn).toEqual([id(stack, stack.node.findChild('CuratedDb'))]);
    const spec = parseModelSpec(table.Properties.TableInput.Parameters['lakehouse.model']);
    expect(spec).toMatchObject({ domain: 'sales', name: 'daily_revenue', partition: 'order_date', inputs: [{ dataset: 'orders', partitionName: 'ordered_at_date', prefix: 'sales/orders/' }] });
  });

  test('the runner: arm64, explicit memory and timeout, runs as the curated role, configured for the pipelines workgroup', () => {
    const { t, stack, role } = build();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 300,
      Role: { 'Fn::GetAtt': [id(stack, role), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({ DOMAIN: 'sales', CURATED_DATABASE: 'sales_curated', WORKGROUP: 'lakehouse-dev-pipelines', MODELS: 'daily_revenue', LOOKBACK_DAYS: '3' }),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('a FIFO queue (KMS, DLQ after 5 receives, visibility 6× the timeout) feeds the runner with bounded concurrency and partial batch responses', () => {
    const { t, stack, props } = build({ timeout: Duration.minutes(4), maxConcurrency: 3 });
    const queueKey = { 'Fn::GetAtt': [id(stack, props.queueKey), 'Arn'] };
    t.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: true,
      KmsMasterKeyId: queueKey,
      VisibilityTimeout: 1440,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, KmsMasterKeyId: queueKey, MessageRetentionPeriod: 1209600 });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Timeout: 240 });
  });

  test('per model, on the domain bus: a rule on its inputs landing in clean and a rule on the domain\'s schedule event, both to the queue with the model as message group', () => {
    const { t, stack, zones, eventBus } = build();
    const bus = { Ref: id(stack, eventBus) };
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: bus,
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: id(stack, zones.zones.clean.bucket) }] }, object: { key: [{ prefix: 'sales/orders/' }] } },
      },
      Targets: [
        Match.objectLike({
          SqsParameters: { MessageGroupId: 'daily_revenue' },
          InputTransformer: {
            InputPathsMap: { 'detail-bucket-name': '$.detail.bucket.name', 'detail-object-key': '$.detail.object.key', time: '$.time' },
            InputTemplate: '{"kind":"object-created","model":"daily_revenue","bucket":<detail-bucket-name>,"key":<detail-object-key>,"time":<time>}',
          },
        }),
      ],
    });
    // The schedule rule matches the event Scheduler puts on the bus, for this domain only, and sends today's message.
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: bus,
      EventPattern: { source: ['lakehouse.scheduler'], 'detail-type': ['Curated models schedule'], detail: { domain: ['sales'] } },
      Targets: [Match.objectLike({ SqsParameters: { MessageGroupId: 'daily_revenue' }, InputTransformer: { InputPathsMap: { time: '$.time' }, InputTemplate: '{"kind":"schedule","model":"daily_revenue","time":<time>}' } })],
    });
    t.resourceCountIs('AWS::Events::Rule', 2);
    for (const rule of Object.values(t.findResources('AWS::Events::Rule')) as any[]) {
      expect(rule.Properties.EventBusName).toEqual(bus);
      expect(rule.Properties.ScheduleExpression).toBeUndefined();
    }
  });

  test('one EventBridge Scheduler schedule per domain puts the schedule event on the bus, in the environment\'s group, with retries and a dead-letter queue', () => {
    const { t, stack, eventBus, deliveryRole, construct } = build({ schedule: scheduler.ScheduleExpression.cron({ minute: '15' }) });
    t.resourceCountIs('AWS::Scheduler::Schedule', 1);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
      GroupName: 'lakehouse-dev',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [id(stack, eventBus), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [id(stack, deliveryRole), 'Arn'] },
        EventBridgeParameters: { Source: 'lakehouse.scheduler', DetailType: 'Curated models schedule' },
        Input: '{"domain":"sales"}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(stack, construct.deliveryDeadLetterQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      },
    });
  });

  test('the schedule is hourly by default', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
  });

  test('the schedule\'s role takes no policy from the domain: the delivery dead-letter queue\'s and its key\'s resource policies let it park events', () => {
    const { t, stack, deliveryRole, construct, props } = build();
    const roleArn = { 'Fn::GetAtt': [id(stack, deliveryRole), 'Arn'] };
    expect(roleStatements(t, id(stack, deliveryRole))).toEqual([]);
    const queuePolicies = Object.values(t.findResources('AWS::SQS::QueuePolicy')).filter((p: any) => JSON.stringify(p.Properties.Queues).includes(id(stack, construct.deliveryDeadLetterQueue))) as any[];
    expect(queuePolicies.flatMap((p) => p.Properties.PolicyDocument.Statement)).toContainEqual(
      expect.objectContaining({ Sid: 'SchedulerParksUndeliverableEvents', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id(stack, construct.deliveryDeadLetterQueue), 'Arn'] } }),
    );
    const key = t.findResources('AWS::KMS::Key')[id(stack, props.queueKey)] as any;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Sid: 'SchedulerEncryptsParkedEvents', Principal: { AWS: roleArn }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' }));
  });

  test('undeliverable events and stray asynchronous invocations end in a standard delivery dead-letter queue', () => {
    const { t, stack, construct } = build();
    const dlq = { 'Fn::GetAtt': [id(stack, construct.deliveryDeadLetterQueue), 'Arn'] };
    expect(construct.deliveryDeadLetterQueue.fifo).toBe(false);
    for (const rule of Object.values(t.findResources('AWS::Events::Rule')) as any[]) {
      expect(rule.Properties.Targets[0]).toMatchObject({ DeadLetterConfig: { Arn: dlq }, RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 } });
    }
    t.hasResourceProperties('AWS::Scheduler::Schedule', { Target: Match.objectLike({ DeadLetterConfig: { Arn: dlq } }) });
    t.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: dlq } });
  });

  test('two models: two tables, four rules on the bus, one schedule, one runner', () => {
    const dir = tempDomainsDir([SALES], { sales: { daily_revenue: exampleModelText('sales', 'daily_revenue'), daily_orders: SECOND_MODEL } });
    const { t } = build({}, loadModelFiles(dir, 'sales'));
    t.resourceCountIs('AWS::Glue::Table', 2);
    t.resourceCountIs('AWS::Events::Rule', 4);
    t.resourceCountIs('AWS::Scheduler::Schedule', 1);
    t.resourceCountIs('AWS::Lambda::Function', 1);
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MODELS: 'daily_orders,daily_revenue' }) } });
  });

  test('the role uses Athena through the pipelines workgroup only', () => {
    const { t, stack, role } = build();
    const athena = roleStatements(t, id(stack, role)).filter((s) => actions(s).some((a) => a.startsWith('athena:')));
    expect(athena.length).toBeGreaterThan(0);
    for (const s of athena) {
      expect(resources(s)).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':workgroup/lakehouse-dev-pipelines']] }]);
    }
  });

  test('the role writes only its domain\'s curated prefix (and its workgroup\'s query results, where Athena writes as the caller)', () => {
    const { t, stack, role, zones } = build();
    const writes = roleStatements(t, id(stack, role)).filter((s) => actions(s).some((a) => /^s3:(PutObject|DeleteObject)/.test(a)));
    const written = writes.flatMap(resources).map((r) => JSON.stringify(r));
    const objects = (bucket: any, prefix: string) => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, bucket), 'Arn'] }, `/${prefix}*`]] });
    const curated = objects(zones.zones.curated.bucket, 'sales/');
    const results = objects(zones.zones['query-results'].bucket, 'lakehouse-dev-pipelines/');
    const resultsBucket = JSON.stringify({ 'Fn::GetAtt': [id(stack, zones.zones['query-results'].bucket), 'Arn'] });
    expect(new Set(written)).toEqual(new Set([curated, results, resultsBucket]));
    // Deletes: the curated domain prefix only.
    const deletes = writes.filter((s) => actions(s).includes('s3:DeleteObject')).flatMap(resources).map((r) => JSON.stringify(r));
    expect(deletes).toEqual([curated]);
    // Nothing in clean is writable.
    expect(written.some((r) => r.includes(id(stack, zones.zones.clean.bucket)))).toBe(false);
  });

  test('the role may create and drop staging tables only; it reads clean/<domain>/ and lists, but never reads, curated', () => {
    const { t, stack, role, zones } = build();
    const statements = roleStatements(t, id(stack, role));
    const glueWrites = statements.filter((s) => actions(s).some((a) => ['glue:CreateTable', 'glue:DeleteTable', 'glue:UpdateTable'].includes(a)));
    expect(glueWrites).toHaveLength(1);
    expect(actions(glueWrites[0]).sort()).toEqual(['glue:CreateTable', 'glue:DeleteTable']);
    expect(JSON.stringify(resources(glueWrites[0]))).toContain(':table/sales_curated/*__stg_*');
    expect(JSON.stringify(resources(glueWrites[0]))).not.toMatch(/table\/sales_curated\/\*"/);
    const reads = statements.filter((s) => actions(s).includes('s3:GetObject')).flatMap(resources).map((r) => JSON.stringify(r));
    const objects = (bucket: any, prefix: string) => JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, bucket), 'Arn'] }, `/${prefix}*`]] });
    // Clean of its domain, and its workgroup's query results (staged CTAS files); never curated (one-way flow).
    expect(new Set(reads)).toEqual(new Set([objects(zones.zones.clean.bucket, 'sales/'), objects(zones.zones['query-results'].bucket, 'lakehouse-dev-pipelines/')]));
    const curatedList = statements.find((s) => actions(s).includes('s3:ListBucket') && JSON.stringify(resources(s)).includes(id(stack, zones.zones.curated.bucket)));
    expect(curatedList).toMatchObject({ Condition: { StringLike: { 's3:prefix': ['sales/*'] } } });
  });

  test('EventBridge may use the queue key', () => {
    const { t, stack, props } = build();
    const key = t.findResources('AWS::KMS::Key')[id(stack, props.queueKey)] as any;
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow' }));
  });

  test('fails if the zones are swapped', () => {
    expect(() => build((p) => ({ cleanZone: p.curatedZone, curatedZone: p.cleanZone }))).toThrow(/LH131.*pass zones\.clean as cleanZone/);
  });

  test('fails if the domain has no model', () => {
    expect(() => build({}, [])).toThrow(/LH132.*add lib\/domains\/sales\/<model>\.sql/);
  });

  test('fails if lookbackDays or maxConcurrency is out of range', () => {
    expect(() => build({ lookbackDays: 0 })).toThrow(/LH133/);
    expect(() => build({ maxConcurrency: 1 })).toThrow(/LH090.*SQS maximum concurrency/);
  });

  test('fails if a model reads a dataset the domain lacks, naming file and line', () => {
    const dir = tempDomainsDir([SALES], { sales: { refunds: SECOND_MODEL.replace('sales_clean.orders', 'sales_clean.refunds') } });
    expect(() => build({}, loadModelFiles(dir, 'sales'))).toThrow(/LH130.*refunds\.sql:4.*sales_clean\.refunds is not a dataset of domain sales.*Fix: read one of sales_clean\.orders/);
  });

  test('fails if a model belongs to another domain', () => {
    expect(() => build({}, loadModelFiles(REPO_DOMAINS, 'web_events'))).toThrow(/LH130.*belongs to domain web_events, not sales/);
  });
});

describe('model loading', () => {
  test('reads every .sql file of lib/domains/<domain>/ in name order; none for a domain without a folder', () => {
    const dir = tempDomainsDir([SALES, WEB_EVENTS], { sales: { daily_revenue: exampleModelText('sales', 'daily_revenue'), a_first: SECOND_MODEL } });
    expect(loadModelFiles(dir, 'sales').map((m) => m.name)).toEqual(['a_first', 'daily_revenue']);
    expect(loadModelFiles(dir, 'web_events')).toEqual([]);
    expect(loadDomainModels(dir, SALES).map((s) => s.inputs[0].partitionName)).toEqual(['ordered_at_date', 'ordered_at_date']);
  });

  test('the shipped example models resolve against the example domains', () => {
    expect(loadDomainModels(REPO_DOMAINS, SALES).map((s) => s.name)).toEqual(['daily_revenue']);
    expect(loadDomainModels(REPO_DOMAINS, WEB_EVENTS).map((s) => s.name)).toEqual(['daily_page_views']);
  });

  test('fails with LH130 naming file, line and fix for a bad file', () => {
    const dir = tempDomainsDir([SALES], { sales: { bad: SECOND_MODEL.replace('@column orders bigint', '@column orders money') } });
    expect(() => loadModelFiles(dir, 'sales')).toThrow(/\[LH130\] .*bad\.sql:3: bad model file: column orders has unknown type "money".*Fix: use string, int/);
  });
});
