/**
 * The lakehouse's cdk-nag setup: the DataOps pack, errors-only variants of cdk-nag's packs, and
 * acknowledgements with provenance.
 */
export {
  ATHENA_MIN_BYTES_SCANNED_CUTOFF,
  baseRuleId,
  DATAOPS_PACK_NAME,
  DATAOPS_RULES,
  DataOpsChecks,
  dataOpsRuleId,
} from './dataops-checks';
export type { DataOpsChecksProps, DataOpsRule, DataOpsRuleLevel, DataOpsRuleOptions } from './dataops-checks';
export {
  errorsOnly,
  errorsOnlyReport,
  ErrorsOnlyAwsSolutionsChecks,
  ErrorsOnlyHIPAASecurityChecks,
  ErrorsOnlyNIST80053R5Checks,
  ErrorsOnlyPCIDSS321Checks,
  ErrorsOnlyServerlessChecks,
  FAILING_SEVERITIES,
  isFailingViolation,
} from './errors-only';
export type { NagPackClass } from './errors-only';
export {
  acknowledge,
  ACKNOWLEDGEMENT_BUDGET,
  acknowledgementSummary,
  COMPLIANCE_ACKNOWLEDGEMENT_BUDGET,
  COMPLIANCE_PACKS,
  inCompliancePacks,
  assertAcknowledgementBudget,
  MIN_REASON_LENGTH,
  renderAcknowledgementSummary,
} from '../../constructs/acknowledge';
export type { AcknowledgementEntry, AcknowledgementSummary, AcknowledgementSummaryOptions, CompliancePack, NagAcknowledgement } from '../../constructs/acknowledge';
export { acknowledgeFindings, applyPatternAcknowledgements, patternAcknowledgements, withPatternAcknowledgements } from '../../constructs/acknowledge';
export type { FindingPatternAcknowledgement, PatternAcknowledgementEntry } from '../../constructs/acknowledge';
export * as dataOpsRules from './rules';
