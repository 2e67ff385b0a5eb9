import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EXPIRING_ZONES, ZONE_NAMES, ZONE_POLICIES, ZoneName } from '../../lambda/shared/zones';

/**
 * Lifecycle of one zone, in days since an object was written (or, for `noncurrent…`, since a
 * version stopped being current). A transition that is unset does not happen.
 */
export interface ZoneLifecycle {
  /** Move to S3 Standard-IA (S3 minimum: 30). */
  readonly infrequentAccessAfterDays?: number;
  /** Move to S3 Intelligent-Tiering (S3 minimum: 0). */
  readonly intelligentTieringAfterDays?: number;
  /** Move to S3 Glacier Instant Retrieval (≥ 30 days after a Standard-IA transition). */
  readonly glacierInstantRetrievalAfterDays?: number;
  /** Move to S3 Glacier Deep Archive (≥ 90 days after a Glacier Instant Retrieval transition). */
  readonly deepArchiveAfterDays?: number;
  /** Delete current objects. Required for sandbox, quarantine, query-results and access-logs. */
  readonly expireAfterDays?: number;
  /** Delete versions once they are this many days noncurrent. Required for versioned zones. */
  readonly noncurrentExpireAfterDays?: number;
}

/** Incomplete multipart uploads are aborted after this many days, in every zone. */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;

type Report = (zone: ZoneName, key: keyof ZoneLifecycle, value: unknown, problem: string, fix: string) => never;

/**
 * Checks every zone's lifecycle against S3's minimums and the zone policy. Calls `report` (which
 * throws) on the first problem.
 */
export function validateZoneLifecycles(lifecycles: Readonly<Record<ZoneName, ZoneLifecycle>>, report: Report): void {
  for (const zone of ZONE_NAMES) {
    const l = lifecycles[zone];
    if (!l) report(zone, 'expireAfterDays', undefined, 'no lifecycle configured for this zone', 'add the zone to the lifecycle configuration');
    validateZoneLifecycle(zone, l, report);
  }
}

function validateZoneLifecycle(zone: ZoneName, l: ZoneLifecycle, report: Report): void {
  for (const [key, value] of Object.entries(l) as [keyof ZoneLifecycle, number | undefined][]) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      report(zone, key, value, 'lifecycle days must be whole numbers ≥ 0', 'use a whole number of days');
    }
  }
  const ia = l.infrequentAccessAfterDays;
  const it = l.intelligentTieringAfterDays;
  const gir = l.glacierInstantRetrievalAfterDays;
  const da = l.deepArchiveAfterDays;
  if (ia !== undefined && ia < 30) {
    report(zone, 'infrequentAccessAfterDays', ia, 'S3 requires objects to stay 30 days in Standard before moving to Standard-IA', 'use 30 or more');
  }
  if (ia !== undefined && it !== undefined) {
    report(zone, 'intelligentTieringAfterDays', it, 'choose either Standard-IA or Intelligent-Tiering for a zone, not both', 'remove one of the two transitions');
  }
  if (gir !== undefined && ia !== undefined && gir < ia + 30) {
    report(zone, 'glacierInstantRetrievalAfterDays', gir, `S3 requires 30 days in Standard-IA (transition at day ${ia}) before Glacier Instant Retrieval`, `use ${ia + 30} or more`);
  }
  if (da !== undefined && gir !== undefined && da < gir + 90) {
    report(zone, 'deepArchiveAfterDays', da, `Glacier Instant Retrieval has a 90-day minimum storage duration (transition at day ${gir})`, `use ${gir + 90} or more`);
  }
  if (da !== undefined && ia !== undefined && gir === undefined && da < ia + 30) {
    report(zone, 'deepArchiveAfterDays', da, `S3 requires 30 days in Standard-IA (transition at day ${ia}) before Deep Archive`, `use ${ia + 30} or more`);
  }
  const lastTransition = Math.max(-1, ...[ia, it, gir, da].filter((d): d is number => d !== undefined));
  if (l.expireAfterDays !== undefined && l.expireAfterDays <= lastTransition) {
    report(zone, 'expireAfterDays', l.expireAfterDays, `objects must expire after their last transition (day ${lastTransition})`, `use more than ${lastTransition}, or drop the transition`);
  }
  if (l.expireAfterDays !== undefined && l.expireAfterDays < 1) {
    report(zone, 'expireAfterDays', l.expireAfterDays, 'S3 expiration needs at least 1 day', 'use 1 or more');
  }
  if (EXPIRING_ZONES.includes(zone) && l.expireAfterDays === undefined) {
    report(zone, 'expireAfterDays', undefined, `the ${zone} zone must expire its objects`, 'set expireAfterDays');
  }
  if (ZONE_POLICIES[zone].versioned) {
    if (l.noncurrentExpireAfterDays === undefined) {
      report(zone, 'noncurrentExpireAfterDays', undefined, `the ${zone} zone is versioned and must expire noncurrent versions`, 'set noncurrentExpireAfterDays');
    } else if (l.noncurrentExpireAfterDays < 1) {
      report(zone, 'noncurrentExpireAfterDays', l.noncurrentExpireAfterDays, 'noncurrent versions need at least 1 day', 'use 1 or more');
    }
  } else if (l.noncurrentExpireAfterDays !== undefined) {
    report(zone, 'noncurrentExpireAfterDays', l.noncurrentExpireAfterDays, `the ${zone} zone is not versioned`, 'remove noncurrentExpireAfterDays');
  }
}

/** The S3 lifecycle rules for a zone: data temperature transitions, expirations and the multipart abort. */
export function lifecycleRulesFor(zone: ZoneName, l: ZoneLifecycle): s3.LifecycleRule[] {
  const transitions: s3.Transition[] = [];
  const add = (days: number | undefined, storageClass: s3.StorageClass) => {
    if (days !== undefined) transitions.push({ storageClass, transitionAfter: Duration.days(days) });
  };
  add(l.infrequentAccessAfterDays, s3.StorageClass.INFREQUENT_ACCESS);
  add(l.intelligentTieringAfterDays, s3.StorageClass.INTELLIGENT_TIERING);
  add(l.glacierInstantRetrievalAfterDays, s3.StorageClass.GLACIER_INSTANT_RETRIEVAL);
  add(l.deepArchiveAfterDays, s3.StorageClass.DEEP_ARCHIVE);
  return [
    {
      id: `${zone}-lifecycle`,
      enabled: true,
      abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS),
      transitions: transitions.length > 0 ? transitions : undefined,
      expiration: l.expireAfterDays !== undefined ? Duration.days(l.expireAfterDays) : undefined,
      noncurrentVersionExpiration:
        l.noncurrentExpireAfterDays !== undefined ? Duration.days(l.noncurrentExpireAfterDays) : undefined,
      // Delete markers left behind once every noncurrent version has expired.
      expiredObjectDeleteMarker: ZONE_POLICIES[zone].versioned && l.expireAfterDays === undefined ? true : undefined,
    },
  ];
}
