/**
 * AWS-managed policies cannot be read offline. Each entry restates the policy's S3 and KMS
 * statements exactly (from the AWS Managed Policy Reference); statements for other services are
 * abridged, since the proof asks only S3 and KMS questions. Unknown AWS-managed policies throw.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, { readonly summary: string; readonly statements: readonly unknown[] }>> = {
  'service-role/AWSLambdaBasicExecutionRole': {
    summary: 'CloudWatch Logs only; no S3 or KMS',
    statements: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
  'service-role/AWSLambdaVPCAccessExecutionRole': {
    summary: 'CloudWatch Logs and EC2 network interfaces; no S3 or KMS',
    statements: [
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: '*',
      },
    ],
  },
  'service-role/AWSGlueServiceRole': {
    summary: 'Glue, bucket listing on *, object read/write on aws-glue-* buckets and */*aws-glue-*/* keys',
    statements: [
      {
        Effect: 'Allow',
        Action: ['glue:*', 's3:GetBucketLocation', 's3:ListBucket', 's3:ListAllMyBuckets', 's3:GetBucketAcl', 'ec2:Describe*', 'iam:ListRolePolicies', 'iam:GetRole', 'iam:GetRolePolicy', 'cloudwatch:PutMetricData'],
        Resource: ['*'],
      },
      { Effect: 'Allow', Action: ['s3:CreateBucket'], Resource: ['arn:aws:s3:::aws-glue-*'] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: ['arn:aws:s3:::aws-glue-*/*', 'arn:aws:s3:::*/*aws-glue-*/*'] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::crawler-public*', 'arn:aws:s3:::aws-glue-*'] },
      { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: ['arn:aws:logs:*:*:*:/aws-glue/*'] },
    ],
  },
};
