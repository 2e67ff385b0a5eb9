/**
 * Dataset contracts and curated-model assertions written in DQDL, the language of AWS Glue Data
 * Quality (https://docs.aws.amazon.com/glue/latest/dg/dqdl.html; grammar: github.com/awslabs/dqdl),
 * so that they show in the Glue console on the clean and curated tables and can be evaluated
 * there. Pure: no CDK.
 *
 * What is translated, and how (the docs' rules that decide it):
 * - required → `IsComplete "c"`;
 * - allowed values → `ColumnValues "c" in [...]` (strings quoted, numbers and dates as DQDL
 *   writes them); an optional column adds `NULL` to the list, since "NULL rows fail every
 *   ColumnValues rule other than != and not in";
 * - a range → `ColumnValues "c" >= min` and `<= max` (DQDL's `between` is exclusive; ours is
 *   inclusive); an optional column adds `where "c IS NOT NULL"` (a Spark SQL filter);
 * - a dataset's `uniqueKey` and a model's `unique` → `IsUnique "a" "b"`;
 * - a model's `not_null` → `IsComplete`, `accepted_values` → `ColumnValues ... in [..., NULL]`,
 *   `min_rows n` → `RowCount >= n`.
 * What DQDL cannot express stays with the transform and the model runner, and is listed per
 * ruleset in `notExpressed` (and in the README).
 */
import { decimalOf, type ColumnDefinition, type ColumnType, type DatasetDefinition } from '../../lambda/shared/dataset';
import type { ModelSpec } from '../../lambda/shared/models';
import { piiTreatment } from '../../lambda/shared/pipeline/tokens';

/** Glue's limit on a ruleset's DQDL text (CreateDataQualityRuleset `Ruleset`). */
export const MAX_RULESET_CHARS = 65_536;

export interface DqdlRules {
  /** One DQDL rule each, in the order declared. */
  readonly rules: readonly string[];
  /** What the source declares that these rules do not check, one line each. */
  readonly notExpressed: readonly string[];
}

/** A DQDL string: quotes and backslashes escaped (the grammar's only escapes). */
export const dqdlString = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * A number as DQDL writes it (`-12.5`, `1000`: digits, an optional fraction, no exponent, no
 * plus sign), from a number's text or value; undefined for what is no finite number.
 */
export function dqdlNumber(value: string | number): string | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const negative = m[1] === '-';
  let digits = m[2] + (m[3] ?? '');
  let point = m[2].length + Number(m[4] ?? 0); // where the decimal point goes in `digits`
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fraction = digits.slice(point).replace(/0+$/, '');
  const out = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

const NUMERIC = new Set(['int', 'bigint', 'double']);
const isNumeric = (type: ColumnType) => NUMERIC.has(type) || decimalOf(type) !== undefined;

/** `in [...]` of a column's allowed values, or undefined when its type has no DQDL literal. */
function allowedList(type: ColumnType, values: readonly string[], optional: boolean): string | undefined {
  let items: string[];
  if (type === 'string') items = values.map((v) => dqdlString(v.trim()));
  else if (isNumeric(type)) {
    const numbers = values.map((v) => dqdlNumber(v));
    if (numbers.some((n) => n === undefined)) return undefined;
    items = [...new Set(numbers as string[])];
  } else if (type === 'date') items = values.map((v) => dqdlString(v.trim()));
  else return undefined; // boolean, timestamp
  return `[${[...items, ...(optional ? ['NULL'] : [])].join(', ')}]`;
}

/** A column for Spark SQL (a `where` clause): backquoted. */
const sparkColumn = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The rules of one column of a dataset contract. */
function columnRules(col: ColumnDefinition, required: boolean, at: string, notExpressed: string[]): string[] {
  const rules: string[] = [];
  const c = dqdlString(col.name);
  if (required) rules.push(`IsComplete ${c}`);
  if (col.allowedValues) {
    const list = allowedList(col.type, col.allowedValues, !required);
    if (list) rules.push(`ColumnValues ${c} in ${list}`);
    else notExpressed.push(`${at} ${col.name}: allowed values of a ${col.type} column (DQDL lists strings, numbers and dates)`);
  }
  if (col.range) {
    const where = required ? '' : ` where ${dqdlString(`${sparkColumn(col.name)} IS NOT NULL`)}`;
    for (const [op, bound] of [['>=', col.range.min], ['<=', col.range.max]] as const) {
      if (bound === undefined) continue;
      const n = dqdlNumber(bound);
      if (n === undefined) notExpressed.push(`${at} ${col.name}: range bound ${bound}`);
      else rules.push(`ColumnValues ${c} ${op} ${n}${where}`);
    }
  }
  return rules;
}

/** What a dataset contract checks that no DQDL rule on the clean table does (the same for every dataset). */
export const DATASET_NOT_EXPRESSED = [
  'the strict text rules of each type (an int rejects 12.5, a timestamp needs an offset, a decimal keeps its scale): the clean table is typed, so they hold there by construction',
  'the file-level checks: the header (required columns, drift), quoting, encoding, unreadable files, line numbers and the quarantine',
] as const;

/** The DQDL rules of a dataset contract, for its clean table. */
export function datasetRules(dataset: DatasetDefinition): DqdlRules {
  const notExpressed: string[] = [...DATASET_NOT_EXPRESSED];
  const rules: string[] = [];
  const partitionColumn = dataset.partition.arrival ? undefined : dataset.partition.column;
  const dropped = new Set<string>();
  dataset.columns.forEach((col, i) => {
    // The partition column is required whatever it declares (plan.ts effectiveColumns).
    const required = col.required === true || col.name === partitionColumn;
    const at = `columns[${i}]`;
    switch (piiTreatment(col)) {
      case 'drop':
        // Not in the clean table: a rule on it would fail to evaluate.
        dropped.add(col.name);
        notExpressed.push(`${at} ${col.name}: pii 'drop', not in the clean table (the transform checks it, then leaves it out)`);
        return;
      case 'token':
        // The clean table holds a token: completeness (and uniqueness, tokens being deterministic) carry over; values do not.
        if (required) rules.push(`IsComplete ${dqdlString(col.name)}`);
        if (col.allowedValues || col.range) notExpressed.push(`${at} ${col.name}: allowed values and ranges of a pii column (the clean table holds its token; the transform checks the clear value)`);
        return;
      default:
        rules.push(...columnRules(col, required, at, notExpressed));
    }
  });
  if (dataset.uniqueKey && dataset.uniqueKey.length > 0) {
    const left = dataset.uniqueKey.filter((c) => dropped.has(c));
    if (left.length > 0) notExpressed.push(`uniqueKey: ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} pii 'drop', not in the clean table`);
    else rules.push(`IsUnique ${dataset.uniqueKey.map(dqdlString).join(' ')}`);
  }
  return { rules, notExpressed };
}

/** The DQDL rules of a curated model's assertions, for its curated table. */
export function modelRules(spec: ModelSpec): DqdlRules {
  const rules: string[] = [];
  const notExpressed: string[] = [
    'assertions hold per partition as the runner publishes it; on Glue they are evaluated over what the evaluation run reads (the whole table unless it filters partitions)',
  ];
  if (spec.minRows > 0) rules.push(`RowCount >= ${spec.minRows}`);
  for (const a of spec.assertions) {
    const where = `line ${a.line}`;
    switch (a.kind) {
      case 'not_null':
        rules.push(...a.columns.map((c) => `IsComplete ${dqdlString(c)}`));
        break;
      case 'unique':
        rules.push(`IsUnique ${a.columns.map(dqdlString).join(' ')}`);
        break;
      case 'accepted_values': {
        const type = spec.columns.find((c) => c.name === a.column)?.type ?? 'string';
        const list = allowedList(type, a.values, true);
        if (list) rules.push(`ColumnValues ${dqdlString(a.column)} in ${list}`);
        else notExpressed.push(`${where}: accepted_values on the ${type} column ${a.column}`);
        break;
      }
      case 'sql':
        notExpressed.push(`${where}: sql ${a.name} (Athena SQL over {{ this }}; DQDL's CustomSql runs Spark SQL over "primary")`);
        break;
    }
  }
  return { rules, notExpressed };
}

/** The DQDL document: `Rules = [ ... ]`, one rule a line. */
export function renderRuleset(rules: readonly string[]): string {
  return rules.length === 0 ? 'Rules = [ ]' : `Rules = [\n  ${rules.join(',\n  ')}\n]`;
}
