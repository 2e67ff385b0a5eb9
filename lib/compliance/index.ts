/** Compliance checks beyond cdk-nag: AWS Control Tower's proactive controls, run with cfn-guard. */
export { CONTROL_TOWER_PACK_NAME, ControlTowerChecks, isAcknowledged } from './control-tower';
export type { ControlTowerChecksProps } from './control-tower';
export { runGuardBatched } from './guard-batch';
export type { GuardBatchOptions, GuardBatchResult, GuardBatchStats, GuardFinding, TemplateInput } from './guard-batch';
export { defaultGuardBinary, defaultRulesDir, loadGuardRules, parseGuardRule } from './guard-rules';
export type { GuardRule } from './guard-rules';
