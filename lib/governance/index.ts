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
export type { ModelEnvironment, ModelKey, ModelOptions, ModelPrincipal, ModelZone, PrincipalKind, StackTemplate, TemplateModel } from './template-model';
export {
  analyseGovernance,
  accessMatrixDocument,
  renderMatrixMarkdown,
  renderViolations,
  PROOF_ACTIONS,
  DATA_WRITE_ACTIONS,
  BUCKET_CONFIGURATION_ACTIONS,
  MATRIX_COLUMNS,
  GOVERNANCE_RULES,
  HYPOTHETICAL_PRINCIPALS,
  FOREIGN_PROBE_KEY,
  hypotheticalPrincipals,
  s3Context,
  kmsContext,
} from './proof';
export type {
  AccessMatrixDocument,
  CellOutcome,
  GovernanceRule,
  GovernanceViolation,
  KmsCell,
  MatrixCell,
  MatrixColumn,
  PrincipalSummary,
  ProbeResult,
  ProofAction,
  ProofOptions,
  ProofResult,
  PutVariant,
  ZoneSummary,
} from './proof';
export { GovernanceProof, ACCESS_MATRIX_JSON, ACCESS_MATRIX_MARKDOWN, EVALUATION_ERROR_RULE } from './plugin';
export type { GovernanceProofProps } from './plugin';
