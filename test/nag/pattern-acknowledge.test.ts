import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings, acknowledgementSummary, ErrorsOnlyAwsSolutionsChecks } from '../../lib/nag';

const REASON = 'Prefix-scoped object access needs a trailing wildcard.';

function build() {
  const app = new App();
  const stack = new Stack(app, 'Test');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::lake-raw/sales/*', 'arn:aws:s3:::lake-raw/*'] }));
  return { app, stack, role };
}

function iam5(app: App): string[] {
  return new ErrorsOnlyAwsSolutionsChecks(undefined)
    .validateScope(app)
    .violations.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5'))
    .map((v) => v.ruleName)
    .sort();
}

describe('pattern acknowledgements', () => {
  test('Noncompliance: without one, each wildcard resource is a finding', () => {
    const { app } = build();
    expect(iam5(app)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::lake-raw/*]', 'AwsSolutions-IAM5[Resource::arn:aws:s3:::lake-raw/sales/*]']);
  });

  test('Compliance: covers only the findings matching the pattern, and counts them', () => {
    const { app, role } = build();
    acknowledgeFindings(role, { id: 'AwsSolutions-IAM5', findings: /^Resource::arn:aws:s3:::lake-raw\/sales\/\*$/, reason: REASON });
    expect(iam5(app)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::lake-raw/*]']);
    const summary = acknowledgementSummary(app);
    expect(summary.total).toBe(1);
    expect(summary.patterns[0].instances).toEqual(['Test/Role/DefaultPolicy/Resource Resource::arn:aws:s3:::lake-raw/sales/*']);
    expect(summary.patterns[0].source).toMatch(/^test\/nag\/pattern-acknowledge\.test\.ts:\d+$/);
  });

  test('does not reach constructs outside its scope', () => {
    const { app, stack } = build();
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    acknowledgeFindings(other, { id: 'AwsSolutions-IAM5', findings: /^Resource::.*$/, reason: REASON });
    expect(iam5(app)).toHaveLength(2);
  });

  test('fails if the scope is a stack', () => {
    const { stack } = build();
    expect(() => acknowledgeFindings(stack, { id: 'AwsSolutions-IAM5', findings: /^x$/, reason: REASON })).toThrow(/LH915/);
  });

  test('fails if the pattern is not anchored', () => {
    const { role } = build();
    expect(() => acknowledgeFindings(role, { id: 'AwsSolutions-IAM5', findings: /sales/, reason: REASON })).toThrow(/LH916/);
  });

  test('fails if the reason is too short', () => {
    const { role } = build();
    expect(() => acknowledgeFindings(role, { id: 'AwsSolutions-IAM5', findings: /^x$/, reason: 'ok' })).toThrow(/LH912/);
  });

  test('exact acknowledgements made with Validations.of still count, each as its own decision', () => {
    const { app, role } = build();
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::lake-raw/*]', reason: 'made directly' });
    expect(acknowledgementSummary(app).total).toBe(1);
  });
});
