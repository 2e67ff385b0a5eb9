/**
 * Test oracle: @cloud-copilot/iam-simulate (AGPL-3.0). Used only by the differential tests, never
 * imported from lib/. It fills no context keys, so every request passes the same keys our
 * evaluator sees.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AccessRequest, DecisionKind } from '../../lib/governance';

export type OracleDecision = DecisionKind | { error: string };

const RESULTS: Record<string, DecisionKind> = { Allowed: 'allow', ExplicitlyDenied: 'explicit-deny', ImplicitlyDenied: 'implicit-deny' };

/** Asks the oracle about one request, with identity statements and (optionally) a resource policy. */
export async function oracleDecision(request: AccessRequest, identity: readonly unknown[], resourcePolicy: readonly unknown[] | undefined): Promise<OracleDecision> {
  const contextVariables: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(request.context.values)) contextVariables[k] = typeof v === 'string' ? v : [...v];
  const response = await runSimulation(
    {
      request: {
        principal: request.principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: request.principalAccount },
        contextVariables,
      },
      identityPolicies: identity.length > 0 ? [{ name: 'identity', policy: { Version: '2012-10-17', Statement: identity } }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy && resourcePolicy.length > 0 ? { Version: '2012-10-17', Statement: resourcePolicy } : undefined,
    },
    {},
  );
  if (response.resultType === 'error') return { error: response.errors.message };
  const decision = RESULTS[response.overallResult];
  if (!decision) return { error: `unexpected result ${String(response.overallResult)}` };
  return decision;
}

export { seededRandom } from '../helpers/random';
