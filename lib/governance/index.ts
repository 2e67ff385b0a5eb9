/** The synth-time governance proof: who can do what to which zone, judged against the lakehouse's rules. */
export {
  GovernanceEvaluationError,
  UnresolvedValue,
  compileStatement,
  evaluateSameAccount,
  evaluateKms,
  statementApplies,
  globMatch,
  arnMatch,
  actionMatch,
} from './policy-eval';
export type { AccessRequest, CompiledStatement, Decision, DecisionKind, LabeledStatement, PolicyKind, RequestContext } from './policy-eval';
export { buildTemplateModel, IntrinsicResolver, AWS_MANAGED_POLICIES, DEFAULT_ENVIRONMENT, SOURCE_TAG_KEY } from './template-model';
export type { ModelEnvironment, ModelKey, ModelOptions, ModelPrincipal, ModelSecret, ModelZone, PrincipalKind, StackTemplate, TemplateModel } from './template-model';
export {
  analyseGovernance,
  runGovernanceProof,
  describeAction,
  PROOF_ACTIONS,
  DATA_WRITE_ACTIONS,
  BUCKET_CONFIGURATION_ACTIONS,
  MATRIX_COLUMNS,
  GOVERNANCE_RULES,
  HYPOTHETICAL_PRINCIPALS,
  hypotheticalPrincipals,
  s3Context,
  kmsContext,
  secretContext,
  secretKmsContext,
  SECRET_READ_ACTION,
  SECRET_TARGET,
} from './proof';
export type {
  GovernanceRule,
  GovernanceViolation,
  KeyMode,
  KmsCell,
  MatrixCell,
  MatrixColumn,
  PrincipalCells,
  PrincipalSummary,
  ProbeResult,
  ProofAction,
  ProofOptions,
  ProofResult,
  ProofStats,
  ProofSummary,
  PutVariant,
  SecretCell,
  ZoneSummary,
} from './proof';
export { FOREIGN_PROBE_KEY, KeyUniverse, patternReach, representativeKeys } from './probe-keys';
export type { PatternReach } from './probe-keys';
export { ACTION_LETTERS, accessLegend, accessLetters, groupOf, renderAccessTable, renderClearDataTable, stageOf } from './access-summary';
export type { FlowStage, ZoneAccess } from './access-summary';
export { renderMatrixMarkdown, renderViolations, MARKDOWN_DETAIL_MARKER, CLEAR_DATA_LEGEND } from './render';
export { AccessMatrixWriter, cellOutcomes, readAccessMatrixFile, readAccessMatrixIndex, ACCESS_MATRIX_DIR, ACCESS_MATRIX_JSON, ACCESS_MATRIX_MARKDOWN } from './matrix-files';
export type { AccessMatrixIndex, AccessMatrixStackFile, CellOutcome, WrittenCell } from './matrix-files';
export { GovernanceProof, EVALUATION_ERROR_RULE } from './plugin';
export type { GovernanceProofProps } from './plugin';
