/**
 * Differential tests over the fixture apps: every matrix cell (S3 and KMS) the proof computes is
 * asked again of @cloud-copilot/iam-simulate (a devDependency oracle), with the same policies and
 * the same request context.
 */
import { AccessRequest, analyseGovernance, buildTemplateModel, FOREIGN_PROBE_KEY, hypotheticalPrincipals, kmsContext, MATRIX_COLUMNS, s3Context, secretContext, secretKmsContext } from '../../lib/governance';
import { buildFixtureApp, FixtureOptions } from './fixtures';
import { oracleDecision } from './oracle';

describe('differential: fixture policies', () => {
  async function compareFixture(options: FixtureOptions): Promise<{ compared: number; mismatches: string[]; secretDecisions: Set<string> }> {
    const { stacks } = buildFixtureApp(options);
    const result = analyseGovernance(stacks);
    const model = buildTemplateModel(stacks);
    const principals = [...model.principals, ...hypotheticalPrincipals(model.environment, 'hnb659fds')];
    const mismatches: string[] = [];
    const secretDecisions = new Set<string>();
    let compared = 0;
    for (const zone of model.zones) {
      const bucketPolicy = zone.bucketPolicy.map((s) => s.statement);
      for (const p of principals) {
        const identity = p.identityStatements.map((s) => s.statement);
        for (const column of MATRIX_COLUMNS) {
          const cell = result.matrix.find((c) => c.principal === p.id && c.bucket === zone.id && c.action === column.action && c.variant === column.variant)!;
          // One probe per distinct decision in the cell (the oracle takes ~15 ms a question), plus the foreign key.
          const probes = cell.probes.filter((probe, i, all) => probe.key === FOREIGN_PROBE_KEY || all.findIndex((q) => q.decision === probe.decision) === i);
          for (const probe of probes) {
            const request: AccessRequest = { principalArn: p.arn, principalAccount: model.environment.account, action: column.action, resource: probe.resource, context: s3Context(p, zone, column.action, column.variant, model.environment) };
            const oracle = await oracleDecision(request, identity, bucketPolicy);
            compared++;
            if (oracle !== probe.decision) mismatches.push(`${p.id} ${column.label} ${probe.resource}: ours ${probe.decision}, oracle ${JSON.stringify(oracle)}`);
          }
        }
        const kms = result.kms.find((k) => k.principal === p.id && k.bucket === zone.id);
        if (kms && zone.key) {
          const request: AccessRequest = { principalArn: p.arn, principalAccount: model.environment.account, action: 'kms:GenerateDataKey', resource: zone.key.arn, context: kmsContext(p, model.environment) };
          const oracle = await oracleDecision(request, identity, zone.key.keyPolicy.map((s) => s.statement));
          compared++;
          if (oracle !== kms.decision) mismatches.push(`${p.id} kms:GenerateDataKey ${zone.key.arn}: ours ${kms.decision}, oracle ${JSON.stringify(oracle)}`);
        }
      }
    }
    // The PII token key: GetSecretValue (identity and the secret's resource policy) and KMS Decrypt through Secrets Manager.
    for (const secret of model.secrets) {
      for (const p of principals) {
        const identity = p.identityStatements.map((st) => st.statement);
        const mine = result.secretCells.find((c) => c.principal === p.id && c.secret === secret.id)!;
        const request: AccessRequest = { principalArn: p.arn, principalAccount: model.environment.account, action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: secretContext(p, model.environment) };
        const oracle = await oracleDecision(request, identity, secret.resourcePolicy.map((st) => st.statement));
        compared++;
        secretDecisions.add(`${mine.decision}/${mine.kms.decision}`);
        if (oracle !== mine.decision) mismatches.push(`${p.id} GetSecretValue ${secret.arn}: ours ${mine.decision}, oracle ${JSON.stringify(oracle)}`);
        if (secret.key) {
          const decrypt: AccessRequest = { principalArn: p.arn, principalAccount: model.environment.account, action: 'kms:Decrypt', resource: secret.key.arn, context: secretKmsContext(p, model.environment, secret.arn) };
          const kmsOracle = await oracleDecision(decrypt, identity, secret.key.keyPolicy.map((st) => st.statement));
          compared++;
          if (kmsOracle !== mine.kms.decision) mismatches.push(`${p.id} kms:Decrypt via Secrets Manager ${secret.key.arn}: ours ${mine.kms.decision}, oracle ${JSON.stringify(kmsOracle)}`);
        }
      }
    }
    return { compared, mismatches, secretDecisions };
  }

  test.each<[string, FixtureOptions]>([
    ['compliant', {}],
    [
      'faulty (curated and raw without their denies; analyst writing curated; bypass-governance operator; wildcard role)',
      { curatedWithoutDeny: true, analystWritesCurated: true, rawWithoutDestructiveDeny: true, rawWithoutOverwriteDeny: true, bypassGovernanceRole: true, wildcardRole: true },
    ],
    [
      'faulty reads (analyst reading raw and the PII token key; steward reading another domain; partner writing another source)',
      { analystReadsRaw: true, analystReadsSecret: true, stewardReadsOtherDomain: true, partnerWritesOtherSource: true },
    ],
    ['open clear data (no clear-data read deny, no key policy)', { clearZonesWithoutReadDeny: true, secretWithoutDeny: true, analystReadsSecret: true, wildcardRole: true }],
  ])('every matrix cell of the %s fixture matches the oracle', async (_name, options) => {
    const { compared, mismatches, secretDecisions } = await compareFixture(options);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(250);
    // Not vacuous: the secret is read by someone, and both of its policies decide for someone.
    expect(secretDecisions.has('allow/allow')).toBe(true);
    expect([...secretDecisions].some((d) => !d.startsWith('allow/')) && [...secretDecisions].some((d) => d.endsWith('/implicit-deny'))).toBe(true);
  });
});
