import { ArnFormat, Stack } from 'aws-cdk-lib';

/** IAM path of an environment's pipeline roles. The production default-deny matches it. */
export function pipelineRolePath(environmentName: string): string {
  return `/lakehouse/${environmentName}/pipeline/`;
}

/** IAM path of the other lakehouse roles of an environment (ingest, analyst, operator). */
export function rolePath(environmentName: string, kind: 'ingest' | 'analyst' | 'operator'): string {
  return `/lakehouse/${environmentName}/${kind}/`;
}

/** `arn:<partition>:iam::<account>:role/lakehouse/<env>/pipeline/*` */
export function pipelineRoleArnPattern(stack: Stack, environmentName: string): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `${pipelineRolePath(environmentName).slice(1)}*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The CDK bootstrap's CloudFormation execution role: the only principal that may change zone rules. */
export function deploymentRoleArn(stack: Stack, qualifier: string): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
