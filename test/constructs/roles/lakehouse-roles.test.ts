import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AnalystRole, IngestRole, OperatorRole, PipelineRole } from '../../../constructs/roles';
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

  test('fails if an analyst team is invalid', () => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new AnalystRole(stack, 'A', { environmentName: 'dev', team: 'Team', assumedBy: lambdaPrincipal, description: 'd' })).toThrow(/LH052/);
  });
});
