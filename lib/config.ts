/**
 * Typed per-environment configuration.
 *
 * `bin/app.ts` selects an environment with `-c env=<name>` (default `dev`) and passes the typed
 * object down as props; nothing below `bin/` reads context or `process.env`.
 * `validateEnvironmentConfig` runs at construction and throws a `LakehouseError` that names the
 * configuration key, the bad value and the fix.
 */
import { IConstruct } from 'constructs';
import { COMPLIANCE_PACKS, CompliancePack } from '../constructs/acknowledge/packs';
import { LakehouseError } from '../constructs/errors';
import { MonitoringThresholds, validateMonitoringThresholds } from '../constructs/monitoring/thresholds';
import { ZoneLifecycle, validateZoneLifecycles } from '../constructs/zones/lifecycle';
import { ZoneName } from '../lambda/shared/zones';
import type { CostAssumptions } from './cost/assumptions';
import type { PriceOverrides } from './cost/prices';

export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface AthenaConfig {
  /** Default per-query scan cutoff for every workgroup, in bytes (never unlimited). */
  readonly bytesScannedCutoffPerQuery: number;
  /** The largest cutoff any workgroup may set (the DataOps nag rule enforces it). */
  readonly maxBytesScannedCutoffPerQuery: number;
  /** Budget of bytes scanned per workgroup per day; the monitoring alarm fires above it. */
  readonly dailyScanBudgetBytes: number;
}

export interface RawObjectLockConfig {
  /** GOVERNANCE (privileged users could bypass, but no role is granted the bypass) or COMPLIANCE (nobody, not even root). */
  readonly mode: ObjectLockMode;
  /** Default retention of every raw object version, in days. */
  readonly days: number;
}

export interface SandboxConfig {
  /** Analyst teams; each gets an analyst role and a sandbox workspace `<team>/`. */
  readonly analystTeams: readonly string[];
  /** A workspace with no write for this many days is deleted by the janitor. */
  readonly idleDays: number;
}

/** The largest raw object the transform function takes (its 4 GiB of ephemeral storage hold the file, its intermediate copy and the outputs). */
export const MAX_BIG_FILE_THRESHOLD_BYTES = 1536 * 1024 ** 2;
/** The smallest threshold: below it Athena's fixed cost per file outweighs the function. */
export const MIN_BIG_FILE_THRESHOLD_BYTES = 1024 ** 2;
/** @see BigFileRouteConfig.thresholdBytes */
export const DEFAULT_BIG_FILE_THRESHOLD_BYTES = 512 * 1024 ** 2;

export interface BigFileRouteConfig {
  /**
   * Raw objects larger than this (bytes, as stored: a gzip file by its compressed size) skip the
   * transform function and are checked and converted by Athena with the same rules and the same
   * quarantine output. Between MIN_BIG_FILE_THRESHOLD_BYTES and MAX_BIG_FILE_THRESHOLD_BYTES.
   * @default DEFAULT_BIG_FILE_THRESHOLD_BYTES (512 MiB)
   */
  readonly thresholdBytes?: number;
}

export interface EnvironmentConfig {
  /** Environment name: lower case letters and digits, ≤ 10 characters (it appears in resource names and IAM paths). */
  readonly name: string;
  /** AWS account; unset = environment-agnostic synthesis. */
  readonly account?: string;
  /** AWS region; unset = environment-agnostic synthesis. */
  readonly region?: string;
  /** Owning team (tag `lakehouse:owner`). */
  readonly owner: string;
  /** Cost center (tag `lakehouse:cost-center`). */
  readonly costCenter: string;
  /** E-mail addresses subscribed to the alarm topic. */
  readonly alarmEmails: readonly string[];
  /** Lifecycle days per zone. */
  readonly lifecycle: Readonly<Record<ZoneName, ZoneLifecycle>>;
  /** Retention of every log group, in days (must be a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** The maximum log retention any log group may have (the DataOps nag rule enforces it). */
  readonly maxLogRetentionDays: number;
  readonly athena: AthenaConfig;
  readonly rawObjectLock: RawObjectLockConfig;
  readonly sandbox: SandboxConfig;
  /** Where raw files too big for the transform function go (Athena). @default - the defaults of BigFileRouteConfig */
  readonly bigFiles?: BigFileRouteConfig;
  /**
   * Alarm thresholds (constructs/monitoring/README.md lists each alarm).
   * @default DEFAULT_MONITORING_THRESHOLDS
   */
  readonly monitoring?: MonitoringThresholds;
  /**
   * Qualifier of the CDK bootstrap stack; its CloudFormation execution role is the only principal
   * allowed to change zone bucket policies and lifecycle rules.
   */
  readonly bootstrapQualifier: string;
  /**
   * cdk-nag compliance packs synthesis also runs (errors only), next to AwsSolutions, Serverless,
   * DataOps, Control Tower and the governance proof. With any of them on, the acknowledgement budget
   * is COMPLIANCE_ACKNOWLEDGEMENT_BUDGET (25) instead of 15.
   * @default - none
   */
  readonly compliancePacks?: readonly CompliancePack[];
  /**
   * Who may assume each domain's steward role (which reads the domain's raw and quarantined data,
   * clear PII included): per domain name, IAM role, user or account-root ARNs; MFA is always required.
   * @default - for every domain, the principals of this account tagged `lakehouse:steward:<domain>` = `true`, with MFA
   */
  readonly stewards?: Readonly<Record<string, readonly string[]>>;
  /**
   * Generation of the PII token key. Raise it by one to rotate the key: CloudFormation generates a
   * new one and every token in clean changes (README, "Rotating the token key").
   * @default 1
   */
  readonly piiTokenKeyGeneration?: number;
  /**
   * The cost estimate's prices and assumptions (lib/cost): any figure replaced, service by service.
   * @default - us-east-1 list prices (US_EAST_1_PRICES) and DEFAULT_ASSUMPTIONS
   */
  readonly cost?: CostConfig;
}

export interface CostConfig {
  /** Prices replacing those of US_EAST_1_PRICES, e.g. `{ region: 'eu-west-1', asOf: '…', s3: { putPer1000: 0.0054 } }`. @default - none */
  readonly prices?: PriceOverrides;
  /** Assumptions replacing those of DEFAULT_ASSUMPTIONS. @default - none */
  readonly assumptions?: Partial<CostAssumptions>;
}

const GIB = 1024 ** 3;

/** Lifecycle shared by the environments unless overridden. */
const DEFAULT_LIFECYCLE: Record<ZoneName, ZoneLifecycle> = {
  landing: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 90, expireAfterDays: 365, noncurrentExpireAfterDays: 30 },
  raw: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 90, deepArchiveAfterDays: 365, noncurrentExpireAfterDays: 400 },
  clean: { intelligentTieringAfterDays: 0, noncurrentExpireAfterDays: 30 },
  curated: { intelligentTieringAfterDays: 0, noncurrentExpireAfterDays: 90 },
  sandbox: { expireAfterDays: 90 },
  quarantine: { expireAfterDays: 30 },
  'query-results': { expireAfterDays: 7 },
  'access-logs': { expireAfterDays: 365 },
};

export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = {
  dev: {
    name: 'dev',
    owner: 'data-platform',
    costCenter: 'cc-1000',
    alarmEmails: ['data-platform-alerts@example.com'],
    lifecycle: {
      ...DEFAULT_LIFECYCLE,
      sandbox: { expireAfterDays: 30 },
      'access-logs': { expireAfterDays: 90 },
    },
    logRetentionDays: 30,
    maxLogRetentionDays: 90,
    athena: {
      bytesScannedCutoffPerQuery: 10 * GIB,
      maxBytesScannedCutoffPerQuery: 100 * GIB,
      dailyScanBudgetBytes: 200 * GIB,
    },
    rawObjectLock: { mode: 'GOVERNANCE', days: 30 },
    sandbox: { idleDays: 14, analystTeams: ['analytics', 'data-science'] },
    bootstrapQualifier: 'hnb659fds',
  },
  prod: {
    name: 'prod',
    owner: 'data-platform',
    costCenter: 'cc-1000',
    alarmEmails: ['data-platform-oncall@example.com'],
    lifecycle: DEFAULT_LIFECYCLE,
    logRetentionDays: 90,
    maxLogRetentionDays: 365,
    athena: {
      bytesScannedCutoffPerQuery: 100 * GIB,
      maxBytesScannedCutoffPerQuery: 1024 * GIB,
      dailyScanBudgetBytes: 2048 * GIB,
    },
    rawObjectLock: { mode: 'COMPLIANCE', days: 365 },
    sandbox: { idleDays: 30, analystTeams: ['analytics'] },
    bootstrapQualifier: 'hnb659fds',
    compliancePacks: COMPLIANCE_PACKS,
  },
};

/** Returns the named environment, or throws with the list of known names. */
export function environmentConfig(name: string): EnvironmentConfig {
  const config = ENVIRONMENTS[name];
  if (!config) {
    throw new LakehouseError({
      code: 'LH001',
      path: 'context env',
      value: name,
      problem: 'unknown environment',
      fix: `pass -c env=<${Object.keys(ENVIRONMENTS).join('|')}> or add it to ENVIRONMENTS in lib/config.ts`,
    });
  }
  return config;
}

/** CloudWatch Logs' allowed retention values, in days. */
export const LOG_RETENTION_DAYS_ALLOWED = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Who may assume a steward role: an IAM role or user (any path), or an account's root. */
const STEWARD_PRINCIPAL_RE = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** Fails if the configuration names stewards for domains the app does not have (a typo would leave the real domain with the default). */
export function validateStewardDomains(scope: IConstruct, config: EnvironmentConfig, domains: readonly string[]): void {
  const unknown = Object.keys(config.stewards ?? {}).filter((d) => !domains.includes(d));
  if (unknown.length > 0) {
    throw new LakehouseError({ code: 'LH018', path: `${scope.node.path} config.stewards`, value: unknown, problem: 'stewards are named for domains that have no domain file', fix: `use domain names: ${domains.join(', ')}` });
  }
}

/** Validates a configuration; errors name `<scope path>/config.<key>`. */
export function validateEnvironmentConfig(scope: IConstruct, config: EnvironmentConfig): void {
  const fail = (code: string, key: string, value: unknown, problem: string, fix: string): never => {
    throw new LakehouseError({ code, path: `${scope.node.path} config.${key}`, value, problem, fix });
  };
  if (!/^[a-z][a-z0-9]{0,9}$/.test(config.name)) {
    fail('LH002', 'name', config.name, 'environment name must be 1-10 lower-case letters or digits, starting with a letter', 'rename the environment, e.g. "dev" or "prod"');
  }
  if (config.account !== undefined && !/^\d{12}$/.test(config.account)) {
    fail('LH003', 'account', config.account, 'an AWS account id has exactly 12 digits', 'set account to the 12-digit id, or leave it unset for environment-agnostic synthesis');
  }
  if (config.region !== undefined && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(config.region)) {
    fail('LH004', 'region', config.region, 'not an AWS region name', 'use a region such as "eu-west-1", or leave it unset');
  }
  for (const [key, value] of [['owner', config.owner], ['costCenter', config.costCenter]] as const) {
    if (!/^[\w.:/=+\-@ ]{1,256}$/.test(value)) {
      fail('LH005', key, value, 'must be a non-empty tag value (1-256 letters, digits, spaces or _.:/=+-@)', `set ${key} to the owning team or cost center`);
    }
  }
  if (config.alarmEmails.length === 0) {
    fail('LH006', 'alarmEmails', config.alarmEmails, 'at least one alarm e-mail address is required: alarms nobody receives are not monitoring', 'add the on-call address');
  }
  config.alarmEmails.forEach((email, i) => {
    if (!EMAIL_RE.test(email)) fail('LH006', `alarmEmails[${i}]`, email, 'not an e-mail address', 'use an address like team@example.com');
  });
  if (!(LOG_RETENTION_DAYS_ALLOWED as readonly number[]).includes(config.logRetentionDays)) {
    fail('LH007', 'logRetentionDays', config.logRetentionDays, 'not a CloudWatch Logs retention value', `use one of ${LOG_RETENTION_DAYS_ALLOWED.join(', ')}`);
  }
  if (config.logRetentionDays > config.maxLogRetentionDays) {
    fail('LH007', 'logRetentionDays', config.logRetentionDays, `exceeds maxLogRetentionDays (${config.maxLogRetentionDays})`, 'lower logRetentionDays or raise maxLogRetentionDays');
  }
  const a = config.athena;
  if (!Number.isInteger(a.bytesScannedCutoffPerQuery) || a.bytesScannedCutoffPerQuery < 10 * 1024 * 1024) {
    fail('LH008', 'athena.bytesScannedCutoffPerQuery', a.bytesScannedCutoffPerQuery, 'Athena requires a whole number of bytes ≥ 10 MB (10485760)', 'set a cutoff such as 10 GiB (10737418240)');
  }
  if (a.bytesScannedCutoffPerQuery > a.maxBytesScannedCutoffPerQuery) {
    fail('LH008', 'athena.bytesScannedCutoffPerQuery', a.bytesScannedCutoffPerQuery, `exceeds athena.maxBytesScannedCutoffPerQuery (${a.maxBytesScannedCutoffPerQuery})`, 'lower the cutoff or raise the maximum');
  }
  if (!(a.dailyScanBudgetBytes > 0)) {
    fail('LH008', 'athena.dailyScanBudgetBytes', a.dailyScanBudgetBytes, 'must be a positive number of bytes', 'set a daily budget such as 200 GiB');
  }
  if (!['GOVERNANCE', 'COMPLIANCE'].includes(config.rawObjectLock.mode)) {
    fail('LH009', 'rawObjectLock.mode', config.rawObjectLock.mode, 'unknown Object Lock mode', 'use "GOVERNANCE" or "COMPLIANCE"');
  }
  if (!Number.isInteger(config.rawObjectLock.days) || config.rawObjectLock.days < 1 || config.rawObjectLock.days > 36500) {
    fail('LH009', 'rawObjectLock.days', config.rawObjectLock.days, 'Object Lock retention must be 1-36500 whole days', 'set rawObjectLock.days, e.g. 30');
  }
  if (!Number.isInteger(config.sandbox.idleDays) || config.sandbox.idleDays < 1) {
    fail('LH010', 'sandbox.idleDays', config.sandbox.idleDays, 'must be a whole number of days ≥ 1', 'set sandbox.idleDays, e.g. 14');
  }
  config.sandbox.analystTeams.forEach((team, i) => {
    if (!/^[a-z][a-z0-9_-]{0,39}$/.test(team)) fail('LH010', `sandbox.analystTeams[${i}]`, team, 'a team name is lower case letters, digits, _ or -, ≤ 40 characters', 'rename the team');
  });
  if (new Set(config.sandbox.analystTeams).size !== config.sandbox.analystTeams.length) {
    fail('LH010', 'sandbox.analystTeams', config.sandbox.analystTeams, 'team names must be unique', 'remove the duplicate');
  }
  const sandboxCap = config.lifecycle.sandbox.expireAfterDays;
  if (sandboxCap !== undefined && config.sandbox.idleDays >= sandboxCap) {
    fail('LH010', 'sandbox.idleDays', config.sandbox.idleDays, `must be below the sandbox hard cap lifecycle.sandbox.expireAfterDays (${sandboxCap}), or the janitor never acts`, 'lower idleDays or raise the hard cap');
  }
  const rawLifecycle = config.lifecycle.raw;
  if (rawLifecycle.expireAfterDays !== undefined && rawLifecycle.expireAfterDays < config.rawObjectLock.days) {
    fail('LH009', 'lifecycle.raw.expireAfterDays', rawLifecycle.expireAfterDays, `raw objects cannot expire before their Object Lock retention (${config.rawObjectLock.days} days)`, 'raise expireAfterDays or lower rawObjectLock.days');
  }
  if (!/^[a-z0-9]{1,10}$/.test(config.bootstrapQualifier)) {
    fail('LH011', 'bootstrapQualifier', config.bootstrapQualifier, 'a CDK bootstrap qualifier is 1-10 lower-case letters or digits', 'use the qualifier you bootstrapped with (default hnb659fds)');
  }
  const threshold = config.bigFiles?.thresholdBytes;
  if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < MIN_BIG_FILE_THRESHOLD_BYTES || threshold > MAX_BIG_FILE_THRESHOLD_BYTES)) {
    fail('LH013', 'bigFiles.thresholdBytes', threshold, `must be a whole number of bytes from ${MIN_BIG_FILE_THRESHOLD_BYTES} (1 MiB) to ${MAX_BIG_FILE_THRESHOLD_BYTES} (1.5 GiB, what the transform function's storage holds)`, 'set it within range, or leave it unset for 512 MiB');
  }
  const packs = config.compliancePacks ?? [];
  packs.forEach((pack, i) => {
    if (!(COMPLIANCE_PACKS as readonly string[]).includes(pack)) fail('LH014', `compliancePacks[${i}]`, pack, 'not a compliance pack', `use some of ${COMPLIANCE_PACKS.join(', ')}`);
  });
  if (new Set(packs).size !== packs.length) fail('LH014', 'compliancePacks', packs, 'a pack is listed twice', 'remove the duplicate');
  for (const [domain, principals] of Object.entries(config.stewards ?? {})) {
    if (!Array.isArray(principals) || principals.length === 0) {
      fail('LH018', `stewards.${domain}`, principals, 'list at least one principal that may assume the steward role', 'name the people\'s role or user ARNs, or leave the domain out (then this account\'s principals tagged lakehouse:steward:<domain>=true may, with MFA)');
    }
    principals.forEach((arn, i) => {
      if (!STEWARD_PRINCIPAL_RE.test(arn)) {
        fail('LH018', `stewards.${domain}[${i}]`, arn, 'not an IAM role, user or account-root ARN', 'use e.g. arn:aws:iam::123456789012:role/data-stewards');
      }
    });
  }
  const generation = config.piiTokenKeyGeneration;
  if (generation !== undefined && (!Number.isInteger(generation) || generation < 1)) {
    fail('LH019', 'piiTokenKeyGeneration', generation, 'the PII token key generation is a whole number ≥ 1', 'leave it unset (1), or raise it by one to rotate the key');
  }
  const [monitoringProblem] = validateMonitoringThresholds(config.monitoring);
  if (monitoringProblem) {
    fail(monitoringProblem.code, `monitoring.${monitoringProblem.key}`, monitoringProblem.value, monitoringProblem.problem, monitoringProblem.fix);
  }
  validateZoneLifecycles(config.lifecycle, (zone, key, value, problem, fix) =>
    fail('LH012', `lifecycle.${zone}.${key}`, value, problem, fix),
  );
}
