/**
 * A handler's Powertools logger and metrics: those its dependencies give (tests), or one pair per
 * process, created on first use, for the service name (namespace `GovernedLakehouse`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DatasetContract } from './dataset';
import { METRICS_NAMESPACE } from './metrics';

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function observabilityFor(serviceName: string): (deps: { readonly logger?: Logger; readonly metrics?: Metrics }) => Observability {
  let defaults: Observability | undefined;
  return (deps) => {
    defaults ??= { logger: new Logger({ serviceName }), metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }) };
    return { logger: deps.logger ?? defaults.logger, metrics: deps.metrics ?? defaults.metrics };
  };
}

/**
 * A schema-drift log line's fields. A header that matched no column of the contract may be a line
 * of data (a header-less file, another delimiter): its fields are then counted, never logged.
 */
export function schemaDriftLogFields(contract: DatasetContract, extra: readonly string[], missing: readonly string[]): Record<string, unknown> {
  const headerMatched = missing.length < contract.columns.length;
  return headerMatched ? { extraColumns: extra, missingColumns: missing } : { extraColumnCount: extra.length, missingColumns: missing };
}
