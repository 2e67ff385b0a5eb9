/**
 * Named action lists for zone grants and zone bucket policies. One place, so grants, policies,
 * the governance proof and reviewers all read the same lists.
 */

/** Read objects (and their versions). */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];

/** List a prefix (granted with an `s3:prefix` condition). */
export const BUCKET_LIST_ACTIONS = ['s3:ListBucket'];

/** Write new objects, including multipart uploads. */
export const OBJECT_PUT_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload'];

/** Delete current objects (a pipeline replacing a partition it owns). */
export const OBJECT_DELETE_ACTIONS = ['s3:DeleteObject'];

/** KMS actions needed to write an SSE-KMS object. */
export const KEY_ENCRYPT_ACTIONS = ['kms:GenerateDataKey', 'kms:Encrypt'];

/** KMS actions needed to read an SSE-KMS object. */
export const KEY_DECRYPT_ACTIONS = ['kms:Decrypt'];

/**
 * Every action that changes production data: denied on clean and curated to anyone but the
 * environment's pipeline roles.
 */
export const PRODUCTION_WRITE_ACTIONS = [
  's3:PutObject*',
  's3:DeleteObject*',
  's3:RestoreObject',
  's3:BypassGovernanceRetention',
  's3:ReplicateObject',
  's3:ReplicateDelete',
];

/**
 * Every read of an object (content, versions, attributes, tags, replication reads): denied on the
 * clear-data zones (landing, raw, quarantine) to anyone but the environment's pipeline and steward roles.
 */
export const CLEAR_DATA_READ_ACTIONS = ['s3:GetObject*'];

/** Actions that would destroy or shorten the retention of raw data: denied to everyone. */
export const RAW_DESTRUCTIVE_ACTIONS = ['s3:DeleteObject*', 's3:PutObjectRetention', 's3:BypassGovernanceRetention'];

/** Changes to a zone's rules: allowed only to the CloudFormation execution role (a reviewed deployment). */
export const BUCKET_CONFIGURATION_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
];

/** Athena actions to run and read queries in one workgroup. */
export const ATHENA_QUERY_ACTIONS = [
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'athena:GetWorkGroup',
  'athena:BatchGetQueryExecution',
  'athena:ListQueryExecutions',
];

/** Glue catalog actions to read table definitions and partitions. */
export const GLUE_READ_ACTIONS = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];

/** Glue catalog actions a pipeline needs to register partitions and publish tables. */
export const GLUE_WRITE_ACTIONS = [
  'glue:BatchCreatePartition',
  'glue:CreatePartition',
  'glue:UpdatePartition',
  'glue:DeletePartition',
  'glue:BatchDeletePartition',
  'glue:CreateTable',
  'glue:UpdateTable',
  'glue:DeleteTable',
];
