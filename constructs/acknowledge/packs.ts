/**
 * The compliance packs an environment can turn on (cdk-nag's NIST 800-53 R5, HIPAA Security and
 * PCI DSS 3.2.1, by their pack names), and the helper that names one control in all three.
 */

/** The pack names of cdk-nag's compliance packs, as their rule ids start (`NIST.800.53.R5-…`). */
export const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;

export type CompliancePack = (typeof COMPLIANCE_PACKS)[number];

/** The same rule in every compliance pack: `inCompliancePacks('LambdaInsideVPC')` → `NIST.800.53.R5-LambdaInsideVPC`, … */
export function inCompliancePacks(rule: string): string[] {
  return COMPLIANCE_PACKS.map((pack) => `${pack}-${rule}`);
}
