/**
 * A Glue Data Quality ruleset on one Glue table (`AWS::Glue::DataQualityRuleset`): the rules in
 * DQDL (dqdl.ts), named `lakehouse-<env>-<database>.<table>`, so the table's rules show in the
 * Glue console and can be evaluated there. Rulesets are configuration, not data: removed with
 * their stack.
 */
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { LakeDatabase } from '../catalog';
import { LakehouseError } from '../errors';
import { MAX_RULESET_CHARS, renderRuleset, type DqdlRules } from './dqdl';

/** Glue's limit on a ruleset description. */
export const MAX_RULESET_DESCRIPTION_CHARS = 2048;

export interface LakeDataQualityRulesetProps {
  /** The environment's name: rulesets are named per account and region. */
  readonly environmentName: string;
  /** The database of the table the rules are for. */
  readonly database: LakeDatabase;
  /** The table the rules are for (it must exist first). */
  readonly table: glue.CfnTable;
  /** The table's name in `database`. */
  readonly tableName: string;
  /** The rules (at least one) and what they leave out. */
  readonly rules: DqdlRules;
  /** Where the rules come from, e.g. `lib/domains/sales.ts dataset orders`. */
  readonly source: string;
}

/**
 * Why `rules` cannot be a Glue ruleset (none, or too long), or undefined: the construct's check,
 * which the CLI runs too (lib/domain-checks.ts).
 */
export function rulesetProblem(rules: DqdlRules, source: string): { value: unknown; problem: string; fix: string } | undefined {
  if (rules.rules.length === 0) {
    return { value: source, problem: 'a Glue Data Quality ruleset needs at least one rule', fix: 'create a ruleset only for a table with rules (required, allowed values, ranges, unique keys or assertions)' };
  }
  const length = renderRuleset(rules.rules).length;
  if (length > MAX_RULESET_CHARS) {
    return {
      value: length,
      problem: `the Glue Data Quality rules of ${source} take ${length} characters of DQDL, over Glue's ${MAX_RULESET_CHARS}`,
      fix: 'declare fewer allowed values (a long list of codes is better checked against a reference table), or split the dataset',
    };
  }
  return undefined;
}

export class LakeDataQualityRuleset extends Construct {
  public readonly ruleset: glue.CfnDataQualityRuleset;
  /** `lakehouse-<env>-<database>.<table>` */
  public readonly rulesetName: string;
  /** The DQDL document. */
  public readonly dqdl: string;

  constructor(scope: Construct, id: string, props: LakeDataQualityRulesetProps) {
    super(scope, id);
    const problem = rulesetProblem(props.rules, props.source);
    if (problem) throw new LakehouseError({ code: 'LH115', scope: this, ...problem });
    this.dqdl = renderRuleset(props.rules.rules);
    this.rulesetName = `lakehouse-${props.environmentName}-${props.database.databaseName}.${props.tableName}`;
    const description = `Generated at synth from ${props.source}. Not expressed in DQDL (checked by the pipeline): ${props.rules.notExpressed.join('; ')}`;
    this.ruleset = new glue.CfnDataQualityRuleset(this, 'Resource', {
      name: this.rulesetName,
      description: description.length > MAX_RULESET_DESCRIPTION_CHARS ? `${description.slice(0, MAX_RULESET_DESCRIPTION_CHARS - 1)}…` : description,
      ruleset: this.dqdl,
      targetTable: { databaseName: props.database.databaseName, tableName: props.tableName },
    });
    this.ruleset.addResourceDependency(props.table);
  }
}
