/**
 * What the app does after synthesis: check the acknowledgement budget, print the summary, and
 * write `acknowledgements.json` into the cloud assembly for `npm run report`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { CostEstimateCheck } from './cost/plugin';
import { renderCostSynthText } from './cost/render';
import { lakehouseChecks } from './lakehouse-app';
import { DATA_FLOW_FILE, writeDataFlow } from './report/data-flow';
import { ACKNOWLEDGEMENT_BUDGET, AcknowledgementSummary, assertAcknowledgementBudget, renderAcknowledgementSummary } from './nag';

export const ACKNOWLEDGEMENTS_FILE = 'acknowledgements.json';

/**
 * Runs after `app.synth()`: throws over budget; otherwise writes the report file and returns the
 * printable summary. The budget and the packs whose acknowledgements count are those `buildLakehouse`
 * registered for the environment (15 decisions; 25 with the compliance packs on).
 */
export function reportAcknowledgements(app: App, outdir: string = app.outdir): { summary: AcknowledgementSummary; text: string } {
  const checks = lakehouseChecks(app);
  const budget = checks?.budget ?? ACKNOWLEDGEMENT_BUDGET;
  const summary = assertAcknowledgementBudget(app, budget, { packs: checks?.packs });
  const counts: Record<string, Record<string, number>> = {};
  for (const d of summary.decisions) {
    counts[d.pack] ??= {};
    counts[d.pack][d.rule] = (counts[d.pack][d.rule] ?? 0) + 1;
  }
  const file = {
    budget,
    environment: checks?.environment,
    packs: checks?.packs,
    counts,
    entries: summary.decisions.map((d) => ({
      pack: d.pack,
      rule: d.rule,
      rules: d.rules,
      path: d.instances.map((i) => i.split(' ')[0]).filter((p, i, all) => all.indexOf(p) === i).join(', '),
      reason: d.reason,
      source: d.source ?? 'unknown',
      instances: d.instances,
    })),
  };
  fs.writeFileSync(path.join(outdir, ACKNOWLEDGEMENTS_FILE), `${JSON.stringify(file, null, 2)}\n`);
  return { summary, text: renderAcknowledgementSummary(summary, budget, checks?.environment) };
}

/** The cost estimate's lines for the synth output (one per domain, the top ones), or undefined without the check. */
export function reportCost(app: App): string | undefined {
  const check = lakehouseChecks(app)?.plugins.find((p): p is CostEstimateCheck => p instanceof CostEstimateCheck);
  return check?.lastEstimate ? renderCostSynthText(check.lastEstimate) : undefined;
}

/** Writes `data-flow.md` from the synthesized templates and the access matrix; returns the line synth prints. */
export function reportDataFlow(app: App, outdir: string = app.outdir): string {
  const domains = writeDataFlow(outdir);
  return `Data flow: the overview and ${domains} domain diagram(s) in ${path.join(path.relative(process.cwd(), outdir) || '.', DATA_FLOW_FILE)} (npx lakehouse diagram [<domain>])`;
}
