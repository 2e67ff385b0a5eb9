/**
 * Differential tests over seeded generated cases: our evaluator against @cloud-copilot/iam-simulate (a devDependency oracle).
 *
 * Known, documented disagreement (the oracle is wrong per AWS docs): a Deny with `NotPrincipal`
 * listing the account root but not the requesting role. The IAM User Guide's NotPrincipal example
 * ("all principals except the user named Bob ... are explicitly denied", with NotPrincipal = [Bob,
 * Bob's account root]) says other principals of that account are still denied; the oracle treats
 * the listed account root as exempting every principal of the account.
 */
import { compileStatement, DecisionKind, evaluateSameAccount, GovernanceEvaluationError } from '../../lib/governance';
import { generateCase, GeneratedCase, ROLE, ROOT } from './generator';
import { oracleDecision, seededRandom } from './oracle';

/** The documented oracle error: Deny + NotPrincipal naming the account root but not the role. */
function isNotPrincipalAccountCase(c: GeneratedCase): boolean {
  return c.resource.some((s) => {
    const aws = (s.NotPrincipal as { AWS?: string | string[] } | undefined)?.AWS;
    const list = aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
    return list.includes(ROOT) && !list.includes(ROLE);
  });
}

describe('differential: generated cases', () => {
  const CASES = 2000;
  const tally = { agree: 0, refused: 0, oracleRejected: 0, knownOracleError: 0, decisions: {} as Record<DecisionKind, number>, operators: new Set<string>() };
  const unexplained: string[] = [];

  beforeAll(async () => {
    const random = seededRandom(20240601);
    for (let i = 0; i < CASES; i++) {
      const c = generateCase(random, i);
      c.operators.forEach((op) => tally.operators.add(op));
      let mine: DecisionKind;
      try {
        mine = evaluateSameAccount(
          c.request,
          c.identity.map((statement, j) => compileStatement({ id: `Gen${i}/Identity#${j}`, statement }, 'identity')),
          c.resource.map((statement, j) => compileStatement({ id: `Gen${i}/Bucket#${j}`, statement }, 'resource')),
        ).decision;
      } catch (e) {
        if (!(e instanceof GovernanceEvaluationError)) throw e;
        tally.refused++;
        continue;
      }
      const oracle = await oracleDecision(c.request, c.identity, c.resource);
      if (typeof oracle !== 'string') {
        tally.oracleRejected++;
        continue;
      }
      tally.decisions[mine] = (tally.decisions[mine] ?? 0) + 1;
      if (oracle === mine) tally.agree++;
      else if (isNotPrincipalAccountCase(c) && mine === 'explicit-deny' && oracle === 'implicit-deny') tally.knownOracleError++;
      else unexplained.push(JSON.stringify({ case: i, mine, oracle, request: c.request, identity: c.identity, resource: c.resource }));
    }
  });

  test('agrees with the oracle on every case except the documented NotPrincipal one', () => {
    expect(unexplained).toEqual([]);
    // Print the measured figures with the test run.
    console.log(`differential (generated): ${JSON.stringify({ cases: CASES, ...tally, operators: tally.operators.size })}`);
    expect(tally.agree + tally.knownOracleError + tally.refused + tally.oracleRejected).toBe(CASES);
  });

  test('the generated cases exercise every decision and every operator family', () => {
    expect(tally.decisions.allow).toBeGreaterThan(200);
    expect(tally.decisions['explicit-deny']).toBeGreaterThan(200);
    expect(tally.decisions['implicit-deny']).toBeGreaterThan(200);
    for (const op of ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike', 'ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike', 'Bool', 'Null', 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'StringNotEqualsIfExists', 'ArnNotLikeIfExists', 'NumericLessThanIfExists', 'BoolIfExists']) {
      expect(tally.operators).toContain(op);
    }
    expect([...tally.operators].some((op) => op.startsWith('ForAnyValue:'))).toBe(true);
    expect([...tally.operators].some((op) => op.startsWith('ForAllValues:'))).toBe(true);
    // Refusals are the ambiguous NotPrincipal shape (role without its account): rare, and never silent.
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.refused).toBeLessThan(CASES * 0.05);
  });
});

