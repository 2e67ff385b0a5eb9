/**
 * A handler's Powertools logger and metrics: those its dependencies give (tests), or one pair per
 * process, created on first use, for the service name (namespace `GovernedLakehouse`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
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
