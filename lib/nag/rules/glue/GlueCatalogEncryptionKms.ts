import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/** Catalog encryption-at-rest modes that use a KMS key. */
export const KMS_CATALOG_ENCRYPTION_MODES: readonly string[] = ['SSE-KMS', 'SSE-KMS-WITH-SERVICE-ROLE'];

/**
 * Glue Data Catalog encryption settings encrypt metadata at rest with a KMS key (mode SSE-KMS, with
 * `SseAwsKmsKeyId`) and return connection passwords encrypted (`ReturnConnectionPasswordEncrypted` true,
 * with `KmsKeyId`).
 * @param node the CfnResource to check
 */
export function GlueCatalogEncryptionKms(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Glue::DataCatalogEncryptionSettings') return NagRuleCompliance.NOT_APPLICABLE;
  const settings = getPath(cfnProperties(node), 'DataCatalogEncryptionSettings');
  const mode = getPath(settings, 'EncryptionAtRest', 'CatalogEncryptionMode');
  const atRest =
    typeof mode === 'string' &&
    KMS_CATALOG_ENCRYPTION_MODES.includes(mode) &&
    present(getPath(settings, 'EncryptionAtRest', 'SseAwsKmsKeyId'));
  const passwords =
    getPath(settings, 'ConnectionPasswordEncryption', 'ReturnConnectionPasswordEncrypted') === true &&
    present(getPath(settings, 'ConnectionPasswordEncryption', 'KmsKeyId'));
  return atRest && passwords ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
