/**
 * Make a cdk-nag 3 pack fail synthesis on ERROR-level findings only.
 *
 * cdk-nag 3's `NagPack.validateScope` reports `success: violations.length === 0`, and CDK fails synthesis
 * when any plugin report is unsuccessful — so a single WARN finding fails `cdk synth`. (CDK recomputes
 * `success` as "no error" only when the app contains at least one acknowledgement, which makes the
 * outcome depend on an unrelated acknowledgement elsewhere.) The mixin below recomputes `success` from the
 * violations' severities and changes nothing else: the findings, their severities and the plugin name
 * are kept, so warnings are still printed by CDK and written to `cdk.out/validation-report.json`.
 */
import type { PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { withPatternAcknowledgements } from '../../constructs/acknowledge';

/** Severities that fail synthesis. */
export const FAILING_SEVERITIES: readonly string[] = ['error', 'fatal'];

/** Whether a violation fails synthesis (ERROR level). */
export function isFailingViolation(violation: PolicyViolation): boolean {
  return violation.severity !== undefined && FAILING_SEVERITIES.includes(violation.severity.toLowerCase());
}

/** A report whose `success` is true unless it holds an ERROR-level violation. */
export function errorsOnlyReport(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
  return { ...report, success: !report.violations.some(isFailingViolation) };
}

export type { NagPackClass } from '../../constructs/acknowledge';
import type { NagPackClass } from '../../constructs/acknowledge';

/**
 * Mixin: the given pack class, with `validateScope` (and therefore `validate`, which CDK calls) reporting
 * success unless an ERROR-level finding remains.
 *
 * @example
 * class ErrorsOnlyHIPAASecurityChecks extends errorsOnly(HIPAASecurityChecks) {}
 * Validations.of(app).addPlugins(new ErrorsOnlyHIPAASecurityChecks(app));
 */
export function errorsOnly<TBase extends NagPackClass>(Base: TBase) {
  abstract class ErrorsOnly extends Base {
    public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
      return errorsOnlyReport(super.validateScope(scope));
    }
  }
  return ErrorsOnly;
}

/**
 * cdk-nag's AwsSolutions pack; synthesis fails on its ERROR findings only (warnings are printed), and
 * pattern acknowledgements (`acknowledgeFindings`) apply.
 */
export class ErrorsOnlyAwsSolutionsChecks extends errorsOnly(withPatternAcknowledgements(AwsSolutionsChecks)) {}

/** cdk-nag's Serverless pack; synthesis fails on its ERROR findings only, and pattern acknowledgements apply. */
export class ErrorsOnlyServerlessChecks extends errorsOnly(withPatternAcknowledgements(ServerlessChecks)) {}

/** cdk-nag's NIST 800-53 rev 5 pack (`NIST.800.53.R5-*`); synthesis fails on its ERROR findings only. */
export class ErrorsOnlyNIST80053R5Checks extends errorsOnly(withPatternAcknowledgements(NIST80053R5Checks)) {}

/** cdk-nag's HIPAA Security pack (`HIPAA.Security-*`); synthesis fails on its ERROR findings only. */
export class ErrorsOnlyHIPAASecurityChecks extends errorsOnly(withPatternAcknowledgements(HIPAASecurityChecks)) {}

/** cdk-nag's PCI DSS 3.2.1 pack (`PCI.DSS.321-*`); synthesis fails on its ERROR findings only. */
export class ErrorsOnlyPCIDSS321Checks extends errorsOnly(withPatternAcknowledgements(PCIDSS321Checks)) {}
