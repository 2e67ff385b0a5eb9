import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { resourcesInApp } from '../../cfn';

/**
 * Glue databases live in a catalog whose encryption the app declares: some stack of the app, in the same
 * account and region (or environment-agnostic), contains an AWS::Glue::DataCatalogEncryptionSettings.
 * The catalog setting is one per account and region, so it belongs in one (platform) stack, not in
 * every stack that declares a database; GlueCatalogEncryptionKms judges the settings themselves.
 * @param node the CfnResource to check
 */
export function GlueCatalogEncryptionDeclared(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Glue::Database') return NagRuleCompliance.NOT_APPLICABLE;
  const declared = resourcesInApp(node).some(
    (r) => r.cfnResourceType === 'AWS::Glue::DataCatalogEncryptionSettings' && sameEnvironment(Stack.of(node), Stack.of(r)),
  );
  return declared ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  return sameOrUnknown(a.account, b.account) && sameOrUnknown(a.region, b.region);
}

function sameOrUnknown(x: string, y: string): boolean {
  return Token.isUnresolved(x) || Token.isUnresolved(y) || x === y;
}
