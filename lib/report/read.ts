/**
 * Reads the report inputs from a cloud assembly directory. Missing files are `undefined`;
 * unreadable or misshapen files are recorded as problems (and treated as missing).
 */
import * as fs from 'fs';
import * as path from 'path';
import { COST_ESTIMATE_FILE, readCostEstimate } from '../cost/files';
import { readDataFlowInputs } from './data-flow';
import { diffSynthOutputs } from './diff';
import { Acknowledgements, InputProblem, REPORT_FILES, ReportInputs, ValidationReport } from './types';

export interface ReadOptions {
  /** The base's cloud assembly directory, to compare with. @default - no comparison */
  readonly base?: string;
}

export function readReportInputs(cdkOut: string, options: ReadOptions = {}): ReportInputs {
  const problems: InputProblem[] = [];
  const file = (name: string) => path.join(cdkOut, name);

  const validationReport = readJson<ValidationReport>(file(REPORT_FILES.validationReport), REPORT_FILES.validationReport, problems, checkValidationReport);
  const acknowledgements = readJson<Acknowledgements>(file(REPORT_FILES.acknowledgements), REPORT_FILES.acknowledgements, problems, checkAcknowledgements);
  const accessMatrixMarkdown = readText(file(REPORT_FILES.accessMatrixMarkdown), REPORT_FILES.accessMatrixMarkdown, problems);

  let cost: ReportInputs['cost'];
  try {
    cost = readCostEstimate(cdkOut);
  } catch (e) {
    problems.push({ file: COST_ESTIMATE_FILE, problem: (e as Error).message });
  }
  let dataFlow: ReportInputs['dataFlow'];
  try {
    dataFlow = readDataFlowInputs(cdkOut);
  } catch (e) {
    problems.push({ file: 'templates and access matrix (data flow)', problem: (e as Error).message });
  }
  let diff: ReportInputs['diff'];
  let baseNote: string | undefined;
  if (options.base !== undefined) {
    // A base that was not synthesized (its synth failed or was skipped) is said, not a failure of this change.
    if (!fs.existsSync(options.base)) baseNote = `Not compared with a base: \`${options.base}\` does not exist (the base's synth failed or did not run).`;
    else {
      try {
        diff = diffSynthOutputs(options.base, cdkOut);
      } catch (e) {
        problems.push({ file: `--base ${options.base}`, problem: (e as Error).message });
      }
    }
  }
  return {
    cdkOut,
    cost,
    dataFlow,
    diff,
    baseNote,
    validationReport,
    acknowledgements,
    accessMatrixMarkdown,
    accessMatrixJsonPresent: fs.existsSync(file(REPORT_FILES.accessMatrixJson)),
    problems,
  };
}

function readText(file: string, name: string, problems: InputProblem[]): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ file: name, problem: (e as Error).message });
    return undefined;
  }
}

/** A JSON file checked by `check`; undefined when absent, and a problem recorded when unreadable or misshapen. */
export function readJson<T>(file: string, name: string, problems: InputProblem[], check: (v: unknown) => string | undefined): T | undefined {
  const text = readText(file, name, problems);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    problems.push({ file: name, problem: `not JSON: ${(e as Error).message}` });
    return undefined;
  }
  const wrong = check(value);
  if (wrong) {
    problems.push({ file: name, problem: wrong });
    return undefined;
  }
  return value as T;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns what is wrong with a validation report, or undefined. Checks what the renderer relies on. */
export function checkValidationReport(v: unknown): string | undefined {
  if (!isObject(v) || !Array.isArray(v.pluginReports)) return 'expected an object with a "pluginReports" array';
  for (const [i, r] of (v.pluginReports as unknown[]).entries()) {
    if (!isObject(r) || typeof r.pluginName !== 'string' || !Array.isArray(r.violations)) {
      return `pluginReports[${i}] lacks "pluginName" or a "violations" array`;
    }
    const all = [...(r.violations as unknown[]), ...(Array.isArray(r.suppressedViolations) ? r.suppressedViolations : [])];
    for (const viol of all) {
      if (!isObject(viol) || typeof viol.ruleName !== 'string' || !Array.isArray(viol.violatingConstructs)) {
        return `a violation of ${r.pluginName} lacks "ruleName" or a "violatingConstructs" array`;
      }
    }
  }
  return undefined;
}

/** Returns what is wrong with acknowledgements.json, or undefined. */
export function checkAcknowledgements(v: unknown): string | undefined {
  if (!isObject(v)) return 'expected an object with "entries", "counts" and "budget"';
  if (!Array.isArray(v.entries)) return '"entries" must be an array';
  for (const [i, e] of (v.entries as unknown[]).entries()) {
    if (!isObject(e) || !['pack', 'rule', 'path', 'reason', 'source'].every((k) => typeof e[k] === 'string')) {
      return `entries[${i}] must have string "pack", "rule", "path", "reason" and "source"`;
    }
  }
  if (!isObject(v.counts) || !Object.values(v.counts).every((rules) => isObject(rules) && Object.values(rules).every((n) => typeof n === 'number'))) {
    return '"counts" must map pack → rule → number';
  }
  if (typeof v.budget !== 'number' || !Number.isFinite(v.budget)) return '"budget" must be a number';
  return undefined;
}
