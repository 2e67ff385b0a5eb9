import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asList, cfnProperties, CfnValue, isObject } from '../../cfn';
import { PolicyStatement, statementsOf } from '../../documents';

/** The two condition keys of the statement, lower case: grant for an AWS resource, caller an AWS service. */
const GRANT_CONDITION_KEYS = ['kms:grantisforawsresource', 'aws:principalisawsservice'];

/**
 * KMS key policies limit grant creation to AWS services: a statement that denies `kms:CreateGrant`
 * to every principal on `*` when `kms:GrantIsForAWSResource` and `aws:PrincipalIsAWSService` are both
 * `"false"` (`BoolIfExists`, and no other condition) — the statement AWS Control Tower's CT.KMS.PR.3
 * looks for, in the shape it accepts.
 * @param node the CfnResource to check
 */
export function KMSGrantsForAwsServicesOnly(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
  return statementsOf(cfnProperties(node).KeyPolicy).some(limitsGrantsToAwsServices)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

function limitsGrantsToAwsServices(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Deny' || statement.NotAction !== undefined || statement.NotResource !== undefined || statement.NotPrincipal !== undefined) return false;
  const actions = asList(statement.Action);
  if (actions.length === 0 || !actions.every((a) => typeof a === 'string' && a.toLowerCase() === 'kms:creategrant')) return false;
  const resources = asList(statement.Resource);
  if (resources.length === 0 || !resources.every((r) => r === '*')) return false;
  if (!isEveryone(statement.Principal)) return false;
  const condition = statement.Condition;
  if (!isObject(condition) || Object.keys(condition).length !== 1 || !isObject(condition.BoolIfExists)) return false;
  const entries = Object.entries(condition.BoolIfExists).map(([k, v]) => [k.toLowerCase(), v] as const);
  return (
    entries.length === GRANT_CONDITION_KEYS.length &&
    GRANT_CONDITION_KEYS.every((key) => entries.some(([k, v]) => k === key && v === 'false'))
  );
}

function isEveryone(principal: CfnValue): boolean {
  if (principal === '*') return true;
  return isObject(principal) && Object.keys(principal).length === 1 && principal.AWS === '*';
}
