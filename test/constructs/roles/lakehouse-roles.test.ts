import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AnalystRole, IngestRole, OperatorRole, PipelineRole, StewardRole } from '../../../constructs/roles';
import { testApp } from '../../helpers/app';

const lambdaPrincipal = new iam.ServicePrincipal('lambda.amazonaws.com');

describe('lakehouse roles', () => {
  test('a pipeline role lives at the environment pipeline path, tagged with kind, domain and stage', () => {
    const stack = new Stack(testApp(), 'T');
    const role = new PipelineRole(stack, 'P', { environmentName: 'dev', domain: 'sales', stage: 'clean', assumedBy: lambdaPrincipal, description: 'd' });
    expect(PipelineRole.isPipelineRole(role)).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Path: '/lakehouse/dev/pipeline/',
      Tags: Match.arrayWith([
        { Key: 'lakehouse:domain', Value: 'sales' },
        { Key: 'lakehouse:role', Value: 'pipeline' },
        { Key: 'lakehouse:stage', Value: 'clean' },
      ]),
    });
  });

  test.each([
    ['ingest', (s: Stack) => new IngestRole(s, 'R', { environmentName: 'prod', source: 'partner-a', assumedBy: new iam.AccountRootPrincipal(), description: 'd' }), '/lakehouse/prod/ingest/'],
    ['analyst', (s: Stack) => new AnalystRole(s, 'R', { environmentName: 'prod', team: 'analytics', assumedBy: new iam.AccountRootPrincipal(), description: 'd' }), '/lakehouse/prod/analyst/'],
    ['operator', (s: Stack) => new OperatorRole(s, 'R', { environmentName: 'prod', bootstrapQualifier: 'hnb659fds', assumedBy: new iam.AccountRootPrincipal(), description: 'd' }), '/lakehouse/prod/operator/'],
    ['steward', (s: Stack) => new StewardRole(s, 'R', { environmentName: 'prod', domain: 'sales', assumedBy: [new iam.AccountRootPrincipal()], description: 'd' }), '/lakehouse/prod/steward/'],
  ] as const)('%s roles live outside the pipeline path and carry their kind tag', (kind, make, path) => {
    const stack = new Stack(testApp(), 'T');
    const role = make(stack);
    expect(PipelineRole.isPipelineRole(role)).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Path: path, Tags: Match.arrayWith([{ Key: 'lakehouse:role', Value: kind }]) });
  });

  test('the operator may only assume the CDK bootstrap deployment roles', () => {
    const stack = new Stack(testApp(), 'T');
    new OperatorRole(stack, 'R', { environmentName: 'dev', bootstrapQualifier: 'abc123', assumedBy: new iam.AccountRootPrincipal(), description: 'd' });
    const policy: any = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    const resources = JSON.stringify(statements[0].Resource);
    for (const kind of ['deploy', 'file-publishing', 'lookup']) expect(resources).toContain(`:role/cdk-abc123-${kind}-role-`);
    expect(resources).not.toContain('*');
  });

  test.each([['Sales'], ['sales/x'], ['']])('fails if a pipeline domain is %j', (domain) => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new PipelineRole(stack, 'P', { environmentName: 'dev', domain, stage: 'clean', assumedBy: lambdaPrincipal, description: 'd' })).toThrow(/LH050.*T\/P.*domain/);
  });

  test('fails if an ingest source is invalid', () => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new IngestRole(stack, 'I', { environmentName: 'dev', source: '../x', assumedBy: lambdaPrincipal, description: 'd' })).toThrow(/LH051.*"\.\.\/x"/);
  });

  test("an ingest role's source tag is its prefix: the source name, or the prefix it is given", () => {
    const stack = new Stack(testApp(), 'T');
    new IngestRole(stack, 'I', { environmentName: 'dev', source: 'marketplace', prefix: 'sales/marketplace', assumedBy: lambdaPrincipal, description: 'd' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'lakehouse:source', Value: 'sales/marketplace' }]) });
    expect(() => new IngestRole(stack, 'J', { environmentName: 'dev', source: 'x', prefix: 'sales/', assumedBy: lambdaPrincipal, description: 'd' })).toThrow(/LH051.*"sales\/"/);
  });

  test('a steward role requires MFA of every principal that may assume it', () => {
    const stack = new Stack(testApp(), 'T');
    new StewardRole(stack, 'S', { environmentName: 'dev', domain: 'sales', assumedBy: [new iam.ArnPrincipal('arn:aws:iam::123456789012:role/a'), new iam.ArnPrincipal('arn:aws:iam::123456789012:user/b')], description: 'd' });
    const role: any = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    // One statement (cdk.json minimizes policies): every principal, and MFA.
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((st: any) => [[st.Principal.AWS].flat(), st.Condition])).toEqual([
      [['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:user/b'], { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }],
    ]);
    expect(() => new StewardRole(stack, 'None', { environmentName: 'dev', domain: 'sales', assumedBy: [], description: 'd' })).toThrow(/LH053.*T\/None.*at least one principal/);
  });

  test("a steward role without named principals trusts only this account's principals tagged as the domain's stewards", () => {
    const stack = new Stack(testApp(), 'T');
    new StewardRole(stack, 'S', { environmentName: 'dev', domain: 'sales', description: 'd' });
    const role: any = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:PrincipalTag/lakehouse:steward:sales': 'true' } },
      }),
    ]);
  });

  test('fails if an analyst team is invalid', () => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new AnalystRole(stack, 'A', { environmentName: 'dev', team: 'Team', assumedBy: lambdaPrincipal, description: 'd' })).toThrow(/LH052/);
  });
});
