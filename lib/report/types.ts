/**
 * The inputs of the PR report, as they appear in `cdk.out/`.
 *
 * `ValidationReport` mirrors the part of `PolicyValidationReportJson`
 * (`@aws-cdk/cloud-assembly-schema`, lib/cloud-assembly/validation-report-schema.d.ts) that the
 * report reads. aws-cdk-lib 2.276 writes it to `cdk.out/validation-report.json` on every synth
 * that runs validation plugins (cdk-nag 3 packs, the built-in CloudFormation validator, the
 * construct-annotations plugin). test/report/types.test.ts checks at compile time that the schema's
 * type still fits this one.
 */

import type { CostEstimateRead } from '../cost/files';
import type { DataFlowInputs } from './data-flow';
import type { ReportDiff } from './diff';

/** The file names the report reads from the cloud assembly directory. */
export const REPORT_FILES = {
  validationReport: 'validation-report.json',
  accessMatrixJson: 'access-matrix.json',
  accessMatrixMarkdown: 'access-matrix.md',
  acknowledgements: 'acknowledgements.json',
} as const;

export type ViolationSeverity = 'fatal' | 'error' | 'warning' | 'info' | 'custom';

export interface ValidationReport {
  readonly version: string;
  readonly title?: string;
  readonly pluginReports: readonly PluginReport[];
}

export interface PluginReport {
  readonly pluginName: string;
  readonly pluginVersion?: string;
  readonly conclusion: 'success' | 'failure';
  readonly metadata?: { readonly [key: string]: string };
  readonly preamble?: string;
  readonly violations: readonly Violation[];
  readonly suppressedViolations?: readonly SuppressedViolation[];
}

export interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly suggestedFix?: string;
  readonly severity: ViolationSeverity;
  readonly customSeverity?: string;
  readonly ruleMetadata?: { readonly [key: string]: string };
  readonly violatingConstructs: readonly ViolatingConstruct[];
}

export interface ViolatingConstruct {
  readonly constructPath: string;
  readonly constructFqn?: string;
  readonly cloudFormationResource?: {
    readonly templatePath: string;
    readonly logicalId: string;
    readonly propertyPaths?: readonly string[];
  };
}

export interface SuppressedViolation extends Violation {
  readonly acknowledgedId: string;
  readonly reason?: string;
  readonly acknowledgedAt?: string;
}

/** `cdk.out/acknowledgements.json`: the acknowledgements the app made, written at synth. */
export interface Acknowledgements {
  readonly entries: readonly AcknowledgementEntry[];
  /** Acknowledgements per pack and rule. */
  readonly counts: { readonly [pack: string]: { readonly [rule: string]: number } };
  /** How many acknowledgements the project allows in total. */
  readonly budget: number;
}

export interface AcknowledgementEntry {
  readonly pack: string;
  readonly rule: string;
  /** The construct path the acknowledgement was made on. */
  readonly path: string;
  readonly reason: string;
  /** Where in the code it was made (e.g. `lib/platform-stack.ts:42`). */
  readonly source: string;
}

/** Everything the renderer needs; `undefined` means the file was absent. */
export interface ReportInputs {
  /** `cost-estimate.jsonl`, read back. */
  readonly cost?: CostEstimateRead;
  /** What the data-flow diagrams draw (templates and access matrix). */
  readonly dataFlow?: DataFlowInputs;
  /** The comparison with the base's synth output (`--base`). */
  readonly diff?: ReportDiff;
  /** Why a requested comparison did not happen. */
  readonly baseNote?: string;
  /** The cloud assembly directory, as the reader was given it (shown in the report). */
  readonly cdkOut: string;
  readonly validationReport?: ValidationReport;
  readonly acknowledgements?: Acknowledgements;
  /** access-matrix.md, verbatim. */
  readonly accessMatrixMarkdown?: string;
  readonly accessMatrixJsonPresent: boolean;
  /** Files that exist but could not be read or do not have the expected shape. */
  readonly problems: readonly InputProblem[];
}

export interface InputProblem {
  readonly file: string;
  readonly problem: string;
}
