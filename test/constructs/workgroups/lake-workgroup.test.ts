import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LakeWorkgroup } from '../../../constructs/workgroups';
import { zonesStack } from '../../helpers/stacks';

function build(cutoff?: number) {
  const { stack, zones } = zonesStack();
  const wg = new LakeWorkgroup(stack, 'Wg', {
    workgroupName: 'lakehouse-dev-analysts',
    description: 'analysts',
    resultsZone: zones.zones['query-results'],
    encryptionKey: zones.key,
    bytesScannedCutoffPerQuery: cutoff,
  });
  return { stack, zones, wg };
}

describe('LakeWorkgroup', () => {
  test('engine v3, enforced configuration, KMS results under its own prefix, metrics on, default cutoff', () => {
    const { stack, zones } = build();
    const resultsId = stack.getLogicalId(zones.zones['query-results'].bucket.node.defaultChild as any);
    const keyId = stack.getLogicalId(zones.key.node.defaultChild as any);
    Template.fromStack(stack).hasResource('AWS::Athena::WorkGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        Name: 'lakehouse-dev-analysts',
        State: 'ENABLED',
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: resultsId }, '/lakehouse-dev-analysts/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] } },
          },
        },
      },
    });
  });

  test('the cutoff is configurable', () => {
    const { stack } = build(20 * 1024 ** 3);
    Template.fromStack(stack).hasResourceProperties('AWS::Athena::WorkGroup', { WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 20 * 1024 ** 3 }) });
  });

  test('grantQuery: Athena on this workgroup only, results prefix write with the key', () => {
    const { stack, wg } = build();
    wg.grantQuery(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: Match.arrayWith(['athena:StartQueryExecution']), Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':workgroup/lakehouse-dev-analysts']] } }),
        Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']), Resource: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/lakehouse-dev-analysts/*'])]) })]) }),
      ]) },
    });
  });

  test.each([[0], [1024], [10.5 * 1024 ** 2 + 0.5]])('fails if the cutoff is %d', (cutoff) => {
    expect(() => build(cutoff)).toThrow(/LH042.*Test\/Wg.*Athena's minimum/);
  });

  test('fails if results are not in the query-results zone', () => {
    const { stack, zones } = zonesStack();
    expect(() => new LakeWorkgroup(stack, 'Wg', { workgroupName: 'x', description: 'd', resultsZone: zones.zones.curated, encryptionKey: zones.key })).toThrow(/LH041.*"curated"/);
  });

  test('fails if the name is invalid', () => {
    const { stack, zones } = zonesStack();
    expect(() => new LakeWorkgroup(stack, 'Wg', { workgroupName: 'bad name', description: 'd', resultsZone: zones.zones['query-results'], encryptionKey: zones.key })).toThrow(/LH040/);
  });
});
