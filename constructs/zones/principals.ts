import { ArnFormat, Stack } from 'aws-cdk-lib';

/** IAM path of an environment's pipeline roles. The production default-deny matches it. */
export function pipelineRolePath(environmentName: string): string {
  return `/lakehouse/${environmentName}/pipeline/`;
}

/** IAM path of the other lakehouse roles of an environment (ingest, analyst, operator, steward). */
export function rolePath(environmentName: string, kind: 'ingest' | 'analyst' | 'operator' | 'steward'): string {
  return `/lakehouse/${environmentName}/${kind}/`;
}

/** `arn:<partition>:iam::<account>:role<path>*`: every role at an IAM path. */
function roleArnPattern(stack: Stack, path: string): string {
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `${path.slice(1)}*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** `arn:<partition>:iam::<account>:role/lakehouse/<env>/pipeline/*` */
export function pipelineRoleArnPattern(stack: Stack, environmentName: string): string {
  return roleArnPattern(stack, pipelineRolePath(environmentName));
}

/** `arn:<partition>:iam::<account>:role/lakehouse/<env>/steward/*`: the clear-data zones let them read. */
export function stewardRoleArnPattern(stack: Stack, environmentName: string): string {
  return roleArnPattern(stack, rolePath(environmentName, 'steward'));
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
