import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnProperties, flattenValue, isObject, logicalIdOf, referencedLogicalId, stackResourcesOfType } from '../../cfn';
import { actionsOf, isAllow, PolicyStatement, statementsOf } from '../../documents';

/** The encryption-context key CloudWatch Logs sends (the log group's ARN), lower case. */
const LOGS_CONTEXT_KEY = 'kms:encryptioncontext:aws:logs:arn';
/** What CloudWatch Logs calls on the key. */
const LOGS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'];
/** The regional CloudWatch Logs service principal (`logs.<region>.<url suffix>`), flattened. */
const REGIONAL_LOGS_PRINCIPAL = /^logs\.(?!amazonaws\.)[^.]+\.\S+$/;

/**
 * Log groups are encrypted with a KMS key (`KmsKeyId`) that CloudWatch Logs can use. `KmsKeyId` is a
 * literal key ARN, or a `Ref`/`Fn::GetAtt` of an `AWS::KMS::Key` in the same stack — the forms AWS
 * Control Tower's CT.CLOUDWATCH.PR.3 accepts (a cross-stack reference is neither) — and then that
 * key's policy must allow the CloudWatch Logs principal of the region (`logs.<region>.<suffix>`) to
 * encrypt, decrypt and generate data keys under a condition on `kms:EncryptionContext:aws:logs:arn`,
 * or CloudWatch Logs rejects the log group at deploy time.
 * @param node the CfnResource to check
 */
export function LogGroupKmsEncryption(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const keyId = cfnProperties(node).KmsKeyId;
  if (keyId === undefined || keyId === null) return NagRuleCompliance.NON_COMPLIANT;
  if (typeof keyId === 'string') return keyId.trim() === '' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  const logicalId = referencedLogicalId(node, keyId);
  const key = logicalId === undefined ? undefined : stackResourcesOfType(node, 'AWS::KMS::Key').find((k) => logicalIdOf(k) === logicalId);
  if (!key) return NagRuleCompliance.NON_COMPLIANT;
  return statementsOf(cfnProperties(key).KeyPolicy).some(allowsCloudWatchLogs) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function allowsCloudWatchLogs(statement: PolicyStatement): boolean {
  if (!isAllow(statement) || !isObject(statement.Principal)) return false;
  if (!asList(statement.Principal.Service).some((s) => REGIONAL_LOGS_PRINCIPAL.test(flattenValue(s)))) return false;
  const actions = actionsOf(statement);
  if (!LOGS_KEY_ACTIONS.every((needed) => actions.some((pattern) => actionPatternMatches(pattern, needed)))) return false;
  const condition = statement.Condition;
  if (!isObject(condition)) return false;
  return Object.values(condition).some((block) => isObject(block) && Object.keys(block).some((k) => k.toLowerCase() === LOGS_CONTEXT_KEY));
}

/** IAM action matching: `*` any run of characters, `?` one, case-insensitive. */
function actionPatternMatches(pattern: string, action: string): boolean {
  const body = pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'i').test(action);
}
