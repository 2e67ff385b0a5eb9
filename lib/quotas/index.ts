/** Stack and per-resource quotas checked at synth (`DataOps-StackQuotas`), and their figures. */
export { QUOTAS, QUOTA_BY_ID, QUOTA_THRESHOLD_FRACTION, STACK_QUOTAS_RULE, STACK_QUOTAS_RULE_ID, quotaThreshold } from './quotas';
export type { Quota, QuotaId } from './quotas';
export {
  bucketPolicySizes,
  computeStackQuotas,
  dashboardWidgetCounts,
  keyPolicySizes,
  measuredStack,
  outputCount,
  parameterCount,
  QUOTA_MEASURES,
  quotaFindings,
  resourceCount,
  stackFigures,
  stackQuotaReport,
  templateBytes,
} from './figures';
export type { LargestFigure, MeasuredStack, QuotaFigure, QuotaFinding, StackFigures, StackQuotaInput, StackQuotaReport, Template } from './figures';
export { countDashboardWidgets } from './dashboard-widgets';
export type { WidgetCount } from './dashboard-widgets';
export { ASSUMED_LENGTH, PSEUDO_PARAMETER_LENGTH, RESOURCE_SHAPES, arnLength, lengthContext, resolvedJsonBytes, resolvedLength } from './resolved-length';
export type { LengthContext, LengthEstimate } from './resolved-length';
export { StackQuotas, STACK_QUOTAS_JSON } from './plugin';
export type { StackQuotasProps } from './plugin';
