import { Match, Template } from 'aws-cdk-lib/assertions';
import { CONTRACT_PARAMETER, DomainDefinition } from '../../lambda/shared/dataset';
import { DEFAULT_BIG_FILE_THRESHOLD_BYTES, ENVIRONMENTS } from '../../lib/config';
import { buildLakehouse } from '../../lib/lakehouse-app';
import sales from '../../lib/domains/sales';
import { datasetRules, renderRuleset } from '../../constructs/quality';
import { testApp } from '../helpers/app';
import { CRM_DOMAIN } from '../helpers/crm-domain';

function build(domains: DomainDefinition[] = [sales]) {
  const lakehouse = buildLakehouse(testApp(), { config: ENVIRONMENTS.dev, domains, checks: false });
  return { lakehouse, stack: lakehouse.domains[domains[0].name], t: Template.fromStack(lakehouse.domains[domains[0].name]) };
}

describe('DomainStack', () => {
  test('one stack per domain, deployable on its own', () => {
    const { lakehouse } = build();
    expect(Object.keys(lakehouse.domains)).toEqual(['sales']);
    expect(lakehouse.domains.sales.stackName).toBe('Lakehouse-dev-Domain-sales');
    expect(lakehouse.domains.sales.dependencies.map((s) => s.stackName)).toEqual(['Lakehouse-dev-Platform']);
  });

  test('Glue databases <domain>_raw, _clean and _curated', () => {
    const { t } = build();
    for (const zone of ['raw', 'clean', 'curated']) {
      t.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: `sales_${zone}`, Parameters: { owner: 'sales-analytics', zone, domain: 'sales' } }) });
    }
  });

  test('a raw table over the arrival format and a clean Parquet table with partition projection and the contract', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'sales_raw',
      TableInput: Match.objectLike({
        Name: 'orders',
        Parameters: Match.objectLike({ classification: 'csv', owner: 'sales-analytics', 'skip.header.line.count': '1' }),
        StorageDescriptor: Match.objectLike({ SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' }) }),
      }),
    });
    const clean = Object.values(t.findResources('AWS::Glue::Table', { Properties: { DatabaseName: 'sales_clean' } }))[0] as any;
    const input = clean.Properties.TableInput;
    expect(input.PartitionKeys).toEqual([{ Name: 'ordered_at_date', Type: 'date' }]);
    expect(input.Parameters).toMatchObject({
      classification: 'parquet',
      owner: 'sales-analytics',
      'projection.enabled': 'true',
      'projection.ordered_at_date.type': 'date',
      'projection.ordered_at_date.format': 'yyyy-MM-dd',
    });
    expect(JSON.parse(input.Parameters[CONTRACT_PARAMETER])).toMatchObject({ domain: 'sales', dataset: 'orders', partitionName: 'ordered_at_date' });
    const columns = input.StorageDescriptor.Columns.map((c: any) => `${c.Name}:${c.Type}`);
    expect(columns).toEqual(expect.arrayContaining(['order_id:bigint', 'line_no:int', 'unit_price:decimal(12,2)', 'is_gift:boolean', 'ordered_at:timestamp']));
    // Personal data: clean holds the address's token (a string), and says so.
    expect(input.StorageDescriptor.Columns.find((c: any) => c.Name === 'customer_email')).toEqual({ Name: 'customer_email', Type: 'string', Comment: '[pii: token]' });
  });

  test('transform: queue with KMS, DLQ after 5 receives, visibility 6x the function timeout', () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'], MemorySize: 2048, Timeout: 300, Runtime: 'nodejs24.x', Environment: { Variables: Match.objectLike({ DOMAIN: 'sales', DATASET: 'orders', GLUE_DATABASE: 'sales_clean', GLUE_TABLE: 'orders' }) } });
    t.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 1800,
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 }, BatchSize: 5 });
  });

  test("objects created under each source's raw/<domain>/<source>/<dataset>/, up to the big-file threshold, reach the queue", () => {
    const { t } = build();
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: Match.anyValue() }, object: { key: [{ prefix: 'sales/webshop/orders/' }, { prefix: 'sales/marketplace/orders/' }], size: [{ numeric: ['<=', DEFAULT_BIG_FILE_THRESHOLD_BYTES] }] } },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  test('routing: one rule on the default bus forwards raw and clean arrivals under <domain>/ to the domain bus; every other rule is on that bus', () => {
    const { t, lakehouse } = build();
    const platformOutput = (name: RegExp) => ({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Lakehouse-dev-Platform', OutputName: Match.stringLikeRegexp(name.source) }) });
    t.hasResourceProperties('AWS::Events::EventBus', { Name: 'lakehouse-dev-sales' });
    const rules = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    const onDefault = rules.filter((r) => r.Properties.EventBusName === undefined);
    expect(onDefault).toHaveLength(1);
    expect(onDefault[0].Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [expect.objectContaining({ 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/ZonesrawBucket/) }) }), expect.objectContaining({ 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/ZonescleanBucket/) }) })] }, object: { key: [{ prefix: 'sales/' }] } },
    });
    t.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] }, RoleArn: platformOutput(/EventDeliveryRole/), DeadLetterConfig: Match.anyValue() })] });
    // Dataset transform, big-file route, model inputs and model schedule: on the domain bus.
    expect(rules.filter((r) => r.Properties.EventBusName !== undefined)).toHaveLength(4);
    // The big-file route is started with the platform's delivery role: no events role in the domain.
    t.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('BigFilesStateMachine') }, RoleArn: platformOutput(/EventDeliveryRole/) })] });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { GroupName: 'lakehouse-dev', Target: Match.objectLike({ RoleArn: platformOutput(/EventDeliveryRole/) }) });
    expect(lakehouse.domains.sales.events.eventBusName).toBe('lakehouse-dev-sales');
  });

  test('a domain without models forwards its raw arrivals only', () => {
    const { t } = build([{ ...sales, name: 'inventory' }]);
    const [forward] = (Object.values(t.findResources('AWS::Events::Rule')) as any[]).filter((r) => r.Properties.EventBusName === undefined);
    expect(forward.Properties.EventPattern.detail.bucket.name).toEqual([expect.objectContaining({ 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/ZonesrawBucket/) }) })]);
    t.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });

  test('the transform uses the platform\'s DuckDB layer: the domain publishes none', () => {
    const { t } = build();
    t.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    t.hasResourceProperties('AWS::Lambda::Function', { Layers: [Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Lakehouse-dev-Platform', OutputName: Match.stringLikeRegexp('DuckDbLayer') }) })] });
  });

  test('pipeline roles per stage at the pipeline path, and an ingest role per source', () => {
    const { t } = build();
    const roles = Object.values(t.findResources('AWS::IAM::Role')) as any[];
    const tagged = (r: any, k: string) => r.Properties.Tags?.find((x: any) => x.Key === k)?.Value;
    const pipeline = roles.filter((r) => tagged(r, 'lakehouse:role') === 'pipeline');
    expect(pipeline.map((r) => tagged(r, 'lakehouse:stage')).sort()).toEqual(['clean', 'curated']);
    expect(pipeline.every((r) => r.Properties.Path === '/lakehouse/dev/pipeline/')).toBe(true);
    const ingest = roles.filter((r) => tagged(r, 'lakehouse:role') === 'ingest');
    expect(ingest.map((r) => [r.Properties.Path, tagged(r, 'lakehouse:source')])).toEqual([
      ['/lakehouse/dev/ingest/', 'sales/webshop'],
      ['/lakehouse/dev/ingest/', 'sales/marketplace'],
    ]);
  });

  test('the transform role lists its clean prefix (partition markers, stale files) and reads no clean object', () => {
    const { t } = build();
    const policy = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('TransformRoleDefaultPolicy'))![1] as any;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const actions = (st: any): string[] => [st.Action].flat();
    const onClean = (st: any) => JSON.stringify(st.Resource).includes('ZonescleanBucket');
    const list = statements.filter((st) => actions(st).includes('s3:ListBucket') && onClean(st));
    expect(list).toEqual([expect.objectContaining({ Condition: { StringLike: { 's3:prefix': ['sales/*'] } } })]);
    expect(statements.filter((st) => actions(st).some((a) => a.startsWith('s3:Get')) && onClean(st))).toEqual([]);
  });

  test('every taggable resource is tagged with the domain and its cost center', () => {
    const { t } = build();
    const resources = Object.values(t.toJSON().Resources) as any[];
    const tagged = resources.filter((r) => Array.isArray(r.Properties?.Tags));
    expect(tagged.length).toBeGreaterThan(5);
    for (const r of tagged) {
      expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'lakehouse:domain', Value: 'sales' }, { Key: 'lakehouse:cost-center', Value: 'cc-2000' }]));
    }
  });

  test.each<[string, Partial<DomainDefinition>, RegExp]>([
    ['the name is invalid', { name: 'Sales' }, /\[LH100\] Lakehouse-dev-Domain-Sales domain Sales name: .*lower snake case.*\(got "Sales"\)/],
    ['the partition column is unknown', { datasets: [{ ...sales.datasets[0], partition: { column: 'shipped_at' } }] }, /\[LH110\] .*domain sales datasets\[0\]\.partition\.column: the partition column is not one of the dataset columns.*Fix: use one of: ordered_at/],
    ['a column is a reserved word', { datasets: [{ ...sales.datasets[0], columns: [...sales.datasets[0].columns, { name: 'select', type: 'string' }] }] }, /\[LH107\] .*"select" is an Athena reserved word/],
    ['two datasets share a name', { datasets: [sales.datasets[0], sales.datasets[0]] }, /\[LH103\] .*duplicate dataset name/],
    ['a name is too long', { name: 'a'.repeat(41) }, /\[LH100\] .*at most 40 characters/],
    ['a delimiter has more than one character', { datasets: [{ ...sales.datasets[0], csv: { delimiter: ';;' as any } }] }, /\[LH111\] Lakehouse-dev-Domain-sales domain sales datasets\[0\]\.csv\.delimiter: a delimiter is one character \(got ";;"\)\. Fix: use one of ',', ';', '\\t' \(tab\), '\|'/],
    ['the encoding is unknown', { datasets: [{ ...sales.datasets[0], encoding: 'cp437' as any }] }, /\[LH112\] .*datasets\[0\]\.encoding: unknown encoding \(got "cp437"\)\. Fix: use one of 'utf-8', 'windows-1252', 'latin-1'/],
    ['two columns share a header mapping', { datasets: [{ ...sales.datasets[0], columns: sales.datasets[0].columns.map((c, i) => (i < 2 ? { ...c, header: 'ID' } : c)) }] }, /\[LH113\] .*columns\[1\]\.header: columns\[0\] and columns\[1\] both read the source's header "ID"/],
    ['the rules are too long for a Glue ruleset', { datasets: [{ ...sales.datasets[0], columns: [...sales.datasets[0].columns, { name: 'code', type: 'string', allowedValues: Array.from({ length: 7000 }, (_, i) => `code-${i}`) }] }] }, /\[LH115\] Lakehouse-dev-Domain-sales\/QualityClean-orders: the Glue Data Quality rules of lib\/domains\/sales\.ts dataset orders take [0-9]+ characters of DQDL, over Glue's 65536/],
  ])('fails synthesis if %s', (_what, overrides, error) => {
    expect(() => build([{ ...sales, ...overrides }])).toThrow(error);
  });

  test('Glue Data Quality rulesets: the contract on the clean table, each model\'s assertions on its curated table', () => {
    const { t, stack } = build();
    t.resourceCountIs('AWS::Glue::DataQualityRuleset', 2);
    const rulesets = t.findResources('AWS::Glue::DataQualityRuleset');
    const byName = Object.fromEntries(Object.values(rulesets).map((r: any) => [r.Properties.Name, r]));
    expect(Object.keys(byName).sort()).toEqual(['lakehouse-dev-sales_clean.orders', 'lakehouse-dev-sales_curated.daily_revenue']);
    const clean = byName['lakehouse-dev-sales_clean.orders'] as any;
    expect(clean.Properties.TargetTable).toEqual({ DatabaseName: 'sales_clean', TableName: 'orders' });
    expect(clean.Properties.Ruleset).toBe(renderRuleset(datasetRules(sales.datasets[0]).rules));
    expect(clean.Properties.Description).toMatch(/^Generated at synth from lib\/domains\/sales\.ts dataset orders\. Not expressed in DQDL/);
    // Created after its table.
    expect(clean.DependsOn).toEqual([expect.stringMatching(/^CleanTableorders/)]);
    expect((byName['lakehouse-dev-sales_curated.daily_revenue'] as any).DependsOn).toEqual([expect.stringMatching(/^CuratedModelsTabledailyrevenue/)]);
    expect(Object.keys(stack.qualityRulesets).sort()).toEqual(['clean.orders', 'curated.daily_revenue']);
  });

  test('file options reach the raw table; a dataset partitioned by arrival has the arrival date as its clean partition', () => {
    const crm = CRM_DOMAIN;
    const { t } = build([crm]);
    const table = (db: string, name: string) => (Object.values(t.findResources('AWS::Glue::Table', { Properties: { DatabaseName: db } })) as any[]).find((r) => r.Properties.TableInput.Name === name).Properties.TableInput;
    const raw = table('crm_raw', 'customers');
    expect(raw.StorageDescriptor.SerdeInfo.Parameters).toEqual({ separatorChar: ';', quoteChar: '"', escapeChar: '\\', 'serialization.encoding': 'windows-1252' });
    expect(raw.Parameters['skip.header.line.count']).toBe('1');
    expect(table('crm_raw', 'events').StorageDescriptor.SerdeInfo.Parameters).toEqual({ 'ignore.malformed.json': 'true', 'mapping.event_id': 'Event ID' });
    const clean = table('crm_clean', 'customers');
    expect(clean.PartitionKeys).toEqual([{ Name: 'arrival_date', Type: 'date' }]);
    expect(clean.StorageDescriptor.Columns.map((c: any) => c.Name)).toEqual(['customer_id', 'name', 'contact_phone']);
    expect(JSON.parse(clean.Parameters[CONTRACT_PARAMETER])).toMatchObject({ partitionBy: 'arrival', partitionName: 'arrival_date', csv: { delimiter: ';' }, encoding: 'windows-1252' });
    expect(table('crm_clean', 'events').PartitionKeys).toEqual([{ Name: 'received_on', Type: 'date' }]);
    // Only the dataset with rules gets a ruleset (notes and events have none).
    t.resourceCountIs('AWS::Glue::DataQualityRuleset', 1);
  });
});
