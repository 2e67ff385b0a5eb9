import { Stack } from 'aws-cdk-lib';
import { ENVIRONMENTS, EnvironmentConfig, environmentConfig, validateEnvironmentConfig } from '../../lib/config';
import { testApp } from '../helpers/app';

const dev = ENVIRONMENTS.dev;
function check(overrides: Partial<EnvironmentConfig>): () => void {
  const stack = new Stack(testApp(), 'Cfg');
  return () => validateEnvironmentConfig(stack, { ...dev, ...overrides });
}

describe('environment configuration', () => {
  test.each(Object.keys(ENVIRONMENTS))('%s is valid', (name) => {
    expect(check(ENVIRONMENTS[name])).not.toThrow();
  });

  test('prod runs every compliance pack, dev none', () => {
    expect(ENVIRONMENTS.prod.compliancePacks).toEqual(['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
    expect(ENVIRONMENTS.dev.compliancePacks).toBeUndefined();
  });

  test('dev uses governance-mode Object Lock, prod compliance', () => {
    expect(ENVIRONMENTS.dev.rawObjectLock.mode).toBe('GOVERNANCE');
    expect(ENVIRONMENTS.prod.rawObjectLock.mode).toBe('COMPLIANCE');
  });

  test('fails if the environment name is unknown, listing the known ones', () => {
    expect(() => environmentConfig('staging')).toThrow(/\[LH001\] context env: unknown environment \(got "staging"\)\. Fix: pass -c env=<dev\|prod>/);
  });

  test.each<[string, Partial<EnvironmentConfig>, RegExp]>([
    ['the name has upper case', { name: 'Dev' }, /LH002.*Cfg config\.name.*"Dev"/],
    ['the account is not 12 digits', { account: '1234' }, /LH003.*config\.account.*"1234".*Fix: set account/],
    ['the region is malformed', { region: 'europe' }, /LH004.*config\.region.*"europe"/],
    ['the owner is empty', { owner: '' }, /LH005.*config\.owner/],
    ['the cost center has bad characters', { costCenter: 'cc#1' }, /LH005.*config\.costCenter.*"cc#1"/],
    ['there is no alarm e-mail', { alarmEmails: [] }, /LH006.*config\.alarmEmails/],
    ['an alarm e-mail is malformed', { alarmEmails: ['oncall'] }, /LH006.*config\.alarmEmails\[0\].*"oncall"/],
    ['log retention is not a CloudWatch value', { logRetentionDays: 10 }, /LH007.*config\.logRetentionDays.*10.*Fix: use one of 1, 3, 5/],
    ['log retention exceeds the maximum', { logRetentionDays: 365 }, /LH007.*exceeds maxLogRetentionDays \(90\)/],
    ['the scan cutoff is below Athena minimum', { athena: { ...dev.athena, bytesScannedCutoffPerQuery: 1000 } }, /LH008.*athena\.bytesScannedCutoffPerQuery.*1000/],
    ['the scan cutoff exceeds the maximum', { athena: { ...dev.athena, bytesScannedCutoffPerQuery: dev.athena.maxBytesScannedCutoffPerQuery + 1 } }, /LH008.*exceeds athena\.maxBytesScannedCutoffPerQuery/],
    ['the daily scan budget is zero', { athena: { ...dev.athena, dailyScanBudgetBytes: 0 } }, /LH008.*dailyScanBudgetBytes/],
    ['the Object Lock mode is unknown', { rawObjectLock: { mode: 'LEGAL' as any, days: 30 } }, /LH009.*rawObjectLock\.mode.*"LEGAL"/],
    ['Object Lock days are zero', { rawObjectLock: { mode: 'GOVERNANCE', days: 0 } }, /LH009.*rawObjectLock\.days/],
    ['raw expires before its retention', { rawObjectLock: { mode: 'GOVERNANCE', days: 400 }, lifecycle: { ...dev.lifecycle, raw: { ...dev.lifecycle.raw, deepArchiveAfterDays: undefined, expireAfterDays: 200 } } }, /LH009.*lifecycle\.raw\.expireAfterDays.*200/],
    ['the sandbox idle time is not below the hard cap', { sandbox: { ...dev.sandbox, idleDays: 30 } }, /LH010.*sandbox\.idleDays.*30.*hard cap/],
    ['an analyst team name is invalid', { sandbox: { ...dev.sandbox, analystTeams: ['Team A'] } }, /LH010.*sandbox\.analystTeams\[0\].*"Team A"/],
    ['analyst teams repeat', { sandbox: { ...dev.sandbox, analystTeams: ['a', 'a'] } }, /LH010.*sandbox\.analystTeams.*unique/],
    ['the big-file threshold is below 1 MiB', { bigFiles: { thresholdBytes: 1000 } }, /LH013.*bigFiles\.thresholdBytes.*from 1048576 \(1 MiB\).*\(got 1000\)/],
    ['the big-file threshold is more than the function holds', { bigFiles: { thresholdBytes: 2 * 1024 ** 3 } }, /LH013.*bigFiles\.thresholdBytes.*1\.5 GiB.*\(got 2147483648\)/],
    ['the big-file threshold is fractional', { bigFiles: { thresholdBytes: 1.5 * 1024 ** 2 + 0.5 } }, /LH013/],
    ['the bootstrap qualifier is malformed', { bootstrapQualifier: 'Has-Dash' }, /LH011.*bootstrapQualifier/],
    ['a compliance pack is unknown', { compliancePacks: ['SOC2' as any] }, /LH014.*config\.compliancePacks\[0\].*"SOC2".*Fix: use some of NIST\.800\.53\.R5, HIPAA\.Security, PCI\.DSS\.321/],
    ['a compliance pack is listed twice', { compliancePacks: ['HIPAA.Security', 'HIPAA.Security'] }, /LH014.*config\.compliancePacks.*twice/],
    ['Standard-IA comes before 30 days', { lifecycle: { ...dev.lifecycle, landing: { ...dev.lifecycle.landing, infrequentAccessAfterDays: 10 } } }, /LH012.*lifecycle\.landing\.infrequentAccessAfterDays.*30 days in Standard.*\(got 10\)/],
    ['Glacier IR comes less than 30 days after Standard-IA', { lifecycle: { ...dev.lifecycle, landing: { ...dev.lifecycle.landing, glacierInstantRetrievalAfterDays: 45 } } }, /LH012.*glacierInstantRetrievalAfterDays.*45.*use 60 or more/],
    ['Deep Archive comes less than 90 days after Glacier IR', { lifecycle: { ...dev.lifecycle, raw: { ...dev.lifecycle.raw, deepArchiveAfterDays: 120 } } }, /LH012.*deepArchiveAfterDays.*120.*use 180 or more/],
    ['a zone has both Standard-IA and Intelligent-Tiering', { lifecycle: { ...dev.lifecycle, clean: { ...dev.lifecycle.clean, infrequentAccessAfterDays: 30 } } }, /LH012.*lifecycle\.clean\.intelligentTieringAfterDays/],
    ['expiration comes before the last transition', { lifecycle: { ...dev.lifecycle, landing: { ...dev.lifecycle.landing, expireAfterDays: 60 } } }, /LH012.*lifecycle\.landing\.expireAfterDays.*after their last transition \(day 90\) \(got 60\)/],
    ['an expiring zone has no expiration', { lifecycle: { ...dev.lifecycle, quarantine: {} } }, /LH012.*lifecycle\.quarantine\.expireAfterDays.*must expire/],
    ['a versioned zone keeps noncurrent versions forever', { lifecycle: { ...dev.lifecycle, curated: { intelligentTieringAfterDays: 0 } } }, /LH012.*lifecycle\.curated\.noncurrentExpireAfterDays.*versioned/],
    ['an unversioned zone sets noncurrent expiration', { lifecycle: { ...dev.lifecycle, sandbox: { expireAfterDays: 30, noncurrentExpireAfterDays: 5 } } }, /LH012.*lifecycle\.sandbox\.noncurrentExpireAfterDays.*not versioned/],
    ['lifecycle days are fractional', { lifecycle: { ...dev.lifecycle, quarantine: { expireAfterDays: 1.5 } } }, /LH012.*whole numbers/],
    ['a zone has no lifecycle', { lifecycle: { ...dev.lifecycle, 'query-results': undefined as any } }, /LH012.*lifecycle\.query-results/],
  ])('fails if %s', (_name, overrides, error) => {
    expect(check(overrides)).toThrow(error);
  });
});
