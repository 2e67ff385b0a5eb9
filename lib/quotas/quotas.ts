/**
 * The service quotas a stack must stay well inside of, as data: each limit with its source, how the
 * figure is counted, and what to do when a stack comes near it. `DataOps-StackQuotas` fails synth when a
 * figure passes {@link QUOTA_THRESHOLD_FRACTION} of its limit; RULES.md renders this table and a test
 * keeps the two equal.
 *
 * Sources (checked on 2026-12-07):
 * - CloudFormation, "Understand CloudFormation quotas"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
 *   Resources 500, Outputs 200, Parameters 200 per template; "Template body size in an Amazon S3
 *   object" 1 MB. The CDK CLI deploys every template through the bootstrap bucket (the template is a
 *   file asset, `stackTemplateAssetObjectUrl`), so the S3 limit is the one that applies, and the bytes
 *   CloudFormation counts are the bytes of the `.template.json` file as synthesized. aws-cdk-lib uses
 *   the same figures (`MAX_RESOURCES = 500`, `TEMPLATE_BODY_MAXIMUM_SIZE = 1e6` in core/lib/stack.js);
 *   1 MB is read as 1,000,000 bytes, the smaller reading.
 * - S3, "Bucket policies and user policies"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html): "Bucket policies
 *   are limited to 20 KB in size." Read as 20,480 bytes, the way the KMS guide spells out its KB.
 * - KMS, "Creating a key policy" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html):
 *   "Up to 32 kilobytes (32,768 bytes)"; the PutKeyPolicy API says the same (32 KiB).
 * - CloudWatch, "Dashboard Body Structure and Syntax"
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 *   a DashboardBody holds "an array of between 0 and 500 widget objects".
 */

/** A figure above this fraction of its limit fails synth. */
export const QUOTA_THRESHOLD_FRACTION = 0.8;

/** The rule id of the quota check (a CDK policy-validation plugin, not a cdk-nag rule). */
export const STACK_QUOTAS_RULE_ID = 'DataOps-StackQuotas';

/** The rule as RULES.md lists it next to the pack's rules. */
export const STACK_QUOTAS_RULE = {
  id: STACK_QUOTAS_RULE_ID,
  level: 'Error',
  info:
    'A stack passes 80% of a service quota: resources, template bytes, outputs or parameters per stack, or the size of a bucket policy, a key policy or a dashboard in it (the finding names the stack, the resource, the figure, the limit and the threshold).',
  explanation:
    'Split the stack or move per-domain things out of the platform stack; use path-based conditions instead of listing principals, and SEARCH expressions instead of per-domain widgets. The finding gives the fix for its quota (table "Stack quotas" in RULES.md).',
} as const;

export type QuotaId =
  | 'resources'
  | 'templateBytes'
  | 'outputs'
  | 'parameters'
  | 'bucketPolicyBytes'
  | 'keyPolicyBytes'
  | 'dashboardWidgets';

/** One quota: the limit, where it is documented, how this check counts it, and the fix. */
export interface Quota {
  readonly id: QuotaId;
  /** What is limited, e.g. "Resources per stack". */
  readonly title: string;
  /** `stack`: one figure per template; `resource`: one figure per resource of `resourceTypes`. */
  readonly scope: 'stack' | 'resource';
  /** The resource types a per-resource quota measures. */
  readonly resourceTypes?: readonly string[];
  readonly limit: number;
  /** The unit of the figure and the limit, e.g. "bytes". */
  readonly unit: string;
  /** The documentation page that states the limit. */
  readonly source: string;
  /** How the figure is counted from the synthesized template, and its error bound. */
  readonly counted: string;
  /** What to do when a stack comes near the limit. */
  readonly fix: string;
}

const CFN_QUOTAS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html';

export const QUOTAS: readonly Quota[] = [
  {
    id: 'resources',
    title: 'Resources per stack',
    scope: 'stack',
    limit: 500,
    unit: 'resources',
    source: CFN_QUOTAS,
    counted: 'Keys of the template\'s Resources section. Exact.',
    fix:
      'Split the stack: move per-domain resources out of the platform stack into the domain stacks, or group a part into a stack of its own. The finding lists the most numerous resource types.',
  },
  {
    id: 'templateBytes',
    title: 'Template body (uploaded via S3)',
    scope: 'stack',
    limit: 1_000_000,
    unit: 'bytes',
    source: CFN_QUOTAS,
    counted:
      'Bytes of the synthesized .template.json file, which the CDK CLI uploads as is to the bootstrap bucket (a template given as an object: JSON with one-space indent, as aws-cdk-lib writes it). Exact.',
    fix:
      'Split the stack, or move per-domain things out of the platform stack (one dashboard widget, statement or resource per domain is the usual cause; the finding names the largest resources). Use SEARCH expressions instead of per-domain widgets, path-based conditions instead of per-domain statements. suppressTemplateIndentation only buys time.',
  },
  {
    id: 'outputs',
    title: 'Outputs per stack',
    scope: 'stack',
    limit: 200,
    unit: 'outputs',
    source: CFN_QUOTAS,
    counted: 'Keys of the template\'s Outputs section (cross-stack references add one per referenced attribute). Exact.',
    fix:
      'Reference fewer distinct attributes across stacks (each one becomes an output of the producing stack): pass one attribute and derive the others (a bucket ARN from its name), name shared things by convention, or split the producing stack.',
  },
  {
    id: 'parameters',
    title: 'Parameters per stack',
    scope: 'stack',
    limit: 200,
    unit: 'parameters',
    source: CFN_QUOTAS,
    counted: 'Keys of the template\'s Parameters section (the bootstrap version parameter included). Exact.',
    fix:
      'Pass configuration as typed props at synth time instead of CloudFormation parameters, group values into one list parameter, or split the stack.',
  },
  {
    id: 'bucketPolicyBytes',
    title: 'S3 bucket policy size',
    scope: 'resource',
    resourceTypes: ['AWS::S3::BucketPolicy'],
    limit: 20_480,
    unit: 'bytes',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html',
    counted:
      'Bytes of PolicyDocument as minified JSON, each intrinsic replaced by the longest value it can resolve to (see "How policy sizes are estimated"). An upper bound, except for intrinsics of unknown shape (256 characters assumed each; the figure says how many).',
    fix:
      'Use path-based conditions (aws:PrincipalArn like arn:…:role/lakehouse/<env>/pipeline/*) instead of listing principals or adding a statement per domain; grant in the principals\' identity policies; or give each domain its own S3 access point.',
  },
  {
    id: 'keyPolicyBytes',
    title: 'KMS key policy size',
    scope: 'resource',
    resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
    limit: 32_768,
    unit: 'bytes',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
    counted:
      'Bytes of KeyPolicy as minified JSON, estimated like bucket policies. A key without KeyPolicy gets the small default policy and is not counted.',
    fix:
      'Let the key policy delegate to the account (the root principal) and grant through IAM policies or KMS grants instead of listing principals; use path-based conditions (aws:PrincipalArn) instead of one statement per role or domain.',
  },
  {
    id: 'dashboardWidgets',
    title: 'Widgets per CloudWatch dashboard',
    scope: 'resource',
    resourceTypes: ['AWS::CloudWatch::Dashboard'],
    limit: 500,
    unit: 'widgets',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html',
    counted:
      'Length of the widgets array of DashboardBody, parsed after joining its Fn::Join/Fn::Sub fragments with placeholders for intrinsics. Exact; if the body cannot be parsed, the count of "type" keys (an upper bound).',
    fix:
      'Show every domain through SEARCH expressions or metric math over the GovernedLakehouse namespace (and one alarm-status view) instead of widgets per domain, or shard the dashboard (each domain has its own).',
  },
];

/** The quotas by id. */
export const QUOTA_BY_ID = Object.fromEntries(QUOTAS.map((q) => [q.id, q])) as Readonly<Record<QuotaId, Quota>>;

/** The figure above which synth fails: {@link QUOTA_THRESHOLD_FRACTION} of the limit. */
export function quotaThreshold(q: Quota): number {
  return q.limit * QUOTA_THRESHOLD_FRACTION;
}
