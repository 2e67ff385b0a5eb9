/**
 * `cost-estimate.jsonl` in the cloud assembly: a header line (environment, prices, totals,
 * assumptions), one line per domain with its lines, and a last line with the environment's own
 * lines. Written a line at a time and read a line at a time, so neither side builds one string of
 * the whole estimate.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readLinesSync } from '../report/lines';
import { CostEstimate, CostLine, DomainCost, ENVIRONMENT_LINE } from './estimate';

export const COST_ESTIMATE_FILE = 'cost-estimate.jsonl';

export interface CostEstimateHeader {
  readonly kind: 'header';
  readonly version: 1;
  readonly environment: string;
  readonly region: string;
  readonly currency: string;
  readonly pricesAsOf: string;
  readonly monthly: readonly number[];
  readonly total: number;
  readonly assumptions: readonly string[];
  readonly notEstimated: readonly string[];
}

/** Writes the estimate, one line per domain. */
export function writeCostEstimate(outdir: string, estimate: CostEstimate, assumptions: readonly string[], notEstimated: readonly string[]): string {
  const file = path.join(outdir, COST_ESTIMATE_FILE);
  const fd = fs.openSync(file, 'w');
  try {
    const header: CostEstimateHeader = {
      kind: 'header',
      version: 1,
      environment: estimate.environment,
      region: estimate.region,
      currency: estimate.currency,
      pricesAsOf: estimate.pricesAsOf,
      monthly: estimate.monthly,
      total: estimate.total,
      assumptions,
      notEstimated,
    };
    fs.writeSync(fd, `${JSON.stringify(header)}\n`);
    for (const d of estimate.domains) fs.writeSync(fd, `${JSON.stringify({ kind: 'domain', ...d })}\n`);
    fs.writeSync(fd, `${JSON.stringify({ kind: 'environment', lines: estimate.lines.filter((l) => l.domain === ENVIRONMENT_LINE) })}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

export interface CostEstimateRead extends CostEstimate {
  readonly assumptions: readonly string[];
  readonly notEstimated: readonly string[];
}

/** Reads `cost-estimate.jsonl` back; undefined when absent. Throws on a malformed file. */
export function readCostEstimate(dir: string): CostEstimateRead | undefined {
  const file = path.join(dir, COST_ESTIMATE_FILE);
  if (!fs.existsSync(file)) return undefined;
  let header: CostEstimateHeader | undefined;
  const domains: DomainCost[] = [];
  const lines: CostLine[] = [];
  for (const text of readLinesSync(file)) {
    if (!text.trim()) continue;
    const entry = JSON.parse(text) as { kind: string };
    if (entry.kind === 'header') header = entry as CostEstimateHeader;
    else if (entry.kind === 'domain') {
      const d = entry as unknown as DomainCost;
      domains.push(d);
      lines.push(...d.lines);
    } else if (entry.kind === 'environment') lines.push(...(entry as unknown as { lines: CostLine[] }).lines);
  }
  if (!header) throw new Error(`${COST_ESTIMATE_FILE} has no header line`);
  return { ...header, domains, lines };
}
