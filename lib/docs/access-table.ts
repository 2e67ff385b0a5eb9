/**
 * The README's principal × zone × action table and its "who can read clear PII" table, computed by
 * the governance proof from the synthesized templates of the default app (so the documentation is
 * the proof's own answer). Print with `npx tsx lib/docs/print-access-table.ts`; a test keeps the
 * README equal to them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EnvironmentConfig } from '../config';
import { ProofSummary, runGovernanceProof } from '../governance';
import { buildLakehouse } from '../lakehouse-app';
import { pipelinesWorkgroupName } from '../../lambda/shared/zones';

export { accessLegend, renderAccessTable, renderClearDataTable, CLEAR_DATA_LEGEND } from '../governance';

/**
 * The context the docs app synthesizes with: cdk.json's, then what the docs need — no bundling,
 * no asset staging, no CloudFormation validator (cdk.json turns it on; the docs read only the
 * templates' policies). The overrides come last so cdk.json cannot turn them back on.
 */
export function docsAppContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true, '@aws-cdk/core:validateAgainstDefaultRules': false };
}

export function proveDefaultApp(config: EnvironmentConfig): ProofSummary {
  const app = new App({ context: docsAppContext(), builtinCloudFormationValidation: false });
  buildLakehouse(app, { config, checks: false });
  const assembly = app.synth();
  return runGovernanceProof(assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template })), { bootstrapQualifier: config.bootstrapQualifier, pipelineResultsPrefix: `${pipelinesWorkgroupName(config.name)}/` });
}
