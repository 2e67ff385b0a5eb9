/**
 * The zone model: the one place that names the lakehouse's storage zones and states their policy.
 *
 * Read by the zones construct (infrastructure), the DataOps nag rules, the governance proof, the
 * README table test and the local runner. It imports nothing from CDK or the AWS SDK so that
 * infrastructure and function code can share it.
 */

/** The storage zones, in data-flow order for the flow zones. */
export const ZONE_NAMES = [
  'landing',
  'raw',
  'clean',
  'curated',
  'sandbox',
  'quarantine',
  'query-results',
  'access-logs',
] as const;

export type ZoneName = (typeof ZONE_NAMES)[number];

/** The one-way flow: data moves only from left to right. */
export const FLOW_ORDER: readonly ZoneName[] = ['landing', 'raw', 'clean', 'curated'];

/** Zones whose writes are reserved for pipeline roles (default-deny bucket policy). */
export const PRODUCTION_ZONES: readonly ZoneName[] = ['clean', 'curated'];

/**
 * Zones that hold personal data in clear: files as delivered, and quarantined original lines. Their
 * bucket policies deny object reads to every principal that is not a pipeline role of the
 * environment or a steward role (clean and curated hold PII only as keyed tokens).
 */
export const CLEAR_DATA_ZONES: readonly ZoneName[] = ['landing', 'raw', 'quarantine'];

/**
 * The Athena workgroup the pipelines query through. Its results prefix in query-results
 * (`<name>/`) holds clear data too: the big-file route's staging records and the rows its
 * quarantine query returns. The query-results zone lets only pipeline roles read it.
 */
export function pipelinesWorkgroupName(environmentName: string): string {
  return `lakehouse-${environmentName}-pipelines`;
}

/** Zones whose objects always expire (ad-hoc or derived data). */
export const EXPIRING_ZONES: readonly ZoneName[] = ['sandbox', 'quarantine', 'query-results', 'access-logs'];

/** Who may write each zone, in plain words (the README table is generated from this). */
export type ZoneWriter = 'ingest' | 'pipeline' | 'analyst' | 's3-logging' | 'athena';

export interface ZonePolicy {
  readonly name: ZoneName;
  /** One line: what the zone holds. */
  readonly purpose: string;
  /** Whether versioning is on (where data matters). */
  readonly versioned: boolean;
  /** `kms` = the lake's customer-managed key; `s3` = SSE-S3 (server access logs require it). */
  readonly encryption: 'kms' | 's3';
  /** Lifecycle style. */
  readonly lifecycle: 'tier' | 'expire';
  /** The principals that may write it. */
  readonly writers: readonly ZoneWriter[];
}

export const ZONE_POLICIES: Readonly<Record<ZoneName, ZonePolicy>> = {
  landing: {
    name: 'landing',
    purpose: 'Files as delivered by source systems and partners, before they are accepted.',
    versioned: true,
    encryption: 'kms',
    lifecycle: 'tier',
    writers: ['ingest'],
  },
  raw: {
    name: 'raw',
    purpose: 'Immutable copy of every accepted input (Object Lock); the replay source.',
    versioned: true,
    encryption: 'kms',
    lifecycle: 'tier',
    writers: ['ingest'],
  },
  clean: {
    name: 'clean',
    purpose: 'Validated, typed, partitioned Parquet written by the transform.',
    versioned: true,
    encryption: 'kms',
    lifecycle: 'tier',
    writers: ['pipeline'],
  },
  curated: {
    name: 'curated',
    purpose: 'Production data products read by analysts and applications.',
    versioned: true,
    encryption: 'kms',
    lifecycle: 'tier',
    writers: ['pipeline'],
  },
  sandbox: {
    name: 'sandbox',
    purpose: 'Per-team/user ad-hoc workspaces; deleted after a period of disuse.',
    versioned: false,
    encryption: 'kms',
    lifecycle: 'expire',
    writers: ['analyst'],
  },
  quarantine: {
    name: 'quarantine',
    purpose: 'Rejected records with their line numbers and reasons, for triage.',
    versioned: false,
    encryption: 'kms',
    lifecycle: 'expire',
    writers: ['pipeline'],
  },
  'query-results': {
    name: 'query-results',
    purpose: 'Athena query results, one prefix per workgroup.',
    versioned: false,
    encryption: 'kms',
    lifecycle: 'expire',
    writers: ['athena'],
  },
  'access-logs': {
    name: 'access-logs',
    purpose: 'S3 server access logs of every other zone.',
    versioned: false,
    encryption: 's3',
    lifecycle: 'expire',
    writers: ['s3-logging'],
  },
};

/** Tag keys the platform sets and the nag pack and proof read. */
export const TAG_KEYS = {
  environment: 'lakehouse:environment',
  owner: 'lakehouse:owner',
  costCenter: 'lakehouse:cost-center',
  zone: 'lakehouse:zone',
  domain: 'lakehouse:domain',
  role: 'lakehouse:role',
  /** An ingest role's source system: its key prefix in landing and raw. */
  source: 'lakehouse:source',
  /** A pipeline role's stage: `clean` (the transform and the big-file route) or `curated` (SQL models). */
  stage: 'lakehouse:stage',
  /** What a secret is: `pii-token-key` for the environment's PII token key (the proof judges who reads it). */
  secret: 'lakehouse:secret',
} as const;

/** The `lakehouse:secret` value of the environment's PII token key. */
export const PII_TOKEN_KEY_SECRET = 'pii-token-key';

/** The cost-allocation tags every taggable resource carries. */
export const COST_ALLOCATION_TAG_KEYS: readonly string[] = [TAG_KEYS.environment, TAG_KEYS.owner, TAG_KEYS.costCenter];

/**
 * Role kinds (`lakehouse:role` tag values). `janitor` is platform automation that may only list and
 * delete sandbox objects; `steward` is a person of a domain who triages its raw and quarantined data.
 */
export type RoleKind = 'pipeline' | 'ingest' | 'analyst' | 'operator' | 'janitor' | 'steward';

export function isZoneName(value: string): value is ZoneName {
  return (ZONE_NAMES as readonly string[]).includes(value);
}
