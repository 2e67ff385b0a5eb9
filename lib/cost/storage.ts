/**
 * S3 storage month by month under a zone's lifecycle: every day's writes are a cohort that ages
 * through the zone's storage classes, and each month is billed for the GB-days each cohort spends
 * in each class, its transitions, the minimum storage durations it does not reach, the
 * Intelligent-Tiering monitoring fee and Deep Archive's per-object overhead.
 *
 * Months are 30 days (a year is 12 of them, 360 days); a month's GB-months are its GB-days / 30.
 * Pure and deterministic; its cost grows with the days simulated (360) × the classes, never with
 * the number of domains (the estimate memoizes identical streams).
 */
import { ZoneLifecycle } from '../../constructs/zones/lifecycle';
import { BYTES_PER_GB, S3Prices, StorageClass } from './prices';

export const DAYS_PER_MONTH = 30;
export const MONTHS = 12;
export const HORIZON_DAYS = DAYS_PER_MONTH * MONTHS;

/** Intelligent-Tiering moves an object not accessed for 30 days to its infrequent tier, for 90 days to archive instant access. */
export const INT_INFREQUENT_AFTER_DAYS = 30;
export const INT_ARCHIVE_INSTANT_AFTER_DAYS = 90;

/** What one zone receives: per month, the objects written each day and their average size. */
export interface WriteStream {
  /** Objects written per day, for each of the 12 months. */
  readonly objectsPerDay: readonly number[];
  /** Bytes written per day, for each of the 12 months. */
  readonly bytesPerDay: readonly number[];
}

/** How long a zone keeps what it receives. */
export interface Retention {
  readonly lifecycle: ZoneLifecycle;
  /** Versioning on: an expired object stays as a noncurrent version for `noncurrentExpireAfterDays`. */
  readonly versioned: boolean;
  /** Object Lock default retention (raw): no version goes before this age. @default 0 */
  readonly objectLockDays?: number;
  /**
   * Objects smaller than this are not transitioned by the lifecycle (S3's default
   * `TransitionDefaultMinimumObjectSize`, all_storage_classes_128K, which the zones keep).
   * @default DEFAULT_TRANSITION_MIN_OBJECT_BYTES
   */
  readonly transitionMinObjectBytes?: number;
}

/** S3 lifecycle's default: objects under 128 KB stay where they are. */
export const DEFAULT_TRANSITION_MIN_OBJECT_BYTES = 128 * 1024;

/** One stretch of an object's life in one class, in days of age [from, to). */
export interface ClassSegment {
  readonly storageClass: StorageClass;
  readonly from: number;
  readonly to: number;
}

/** The storage bill of one stream in one zone, month by month (USD). */
export interface StorageBill {
  readonly storage: number[];
  readonly transitions: number[];
  readonly minimumDuration: number[];
  readonly monitoring: number[];
  /** GB-months billed per class (for the report's assumptions), by month. */
  readonly gbMonths: Array<Partial<Record<StorageClass, number>>>;
  /** Bytes stored at the end of each month. */
  readonly bytesAtMonthEnd: number[];
}

const zeros = (): number[] => new Array<number>(MONTHS).fill(0);

/**
 * The classes an object passes through, by age, until it is gone: the lifecycle's transitions
 * (Intelligent-Tiering split into its access tiers, assuming an object is read only in the days
 * after it is written), up to the end of its life (expiry; plus the noncurrent days on a versioned
 * zone; never before Object Lock's retention). `Infinity` when nothing deletes it.
 */
export function classSchedule(retention: Retention, objectBytes: number, prices: S3Prices): ClassSegment[] {
  const l = retention.lifecycle;
  const points: Array<[number, StorageClass]> = [[0, 'STANDARD']];
  if (objectBytes < (retention.transitionMinObjectBytes ?? DEFAULT_TRANSITION_MIN_OBJECT_BYTES)) {
    // Too small to transition: Standard until it is gone.
  } else if (l.intelligentTieringAfterDays !== undefined) {
    const t = l.intelligentTieringAfterDays;
    points.push([t, 'INT_FREQUENT']);
    // Objects below the monitored size (when they are transitioned at all) stay in the frequent tier.
    if (objectBytes >= prices.intelligentTieringMinMonitoredBytes) {
      points.push([t + INT_INFREQUENT_AFTER_DAYS, 'INT_INFREQUENT'], [t + INT_ARCHIVE_INSTANT_AFTER_DAYS, 'INT_ARCHIVE_INSTANT']);
    }
  } else {
    if (l.infrequentAccessAfterDays !== undefined) points.push([l.infrequentAccessAfterDays, 'STANDARD_IA']);
    if (l.glacierInstantRetrievalAfterDays !== undefined) points.push([l.glacierInstantRetrievalAfterDays, 'GLACIER_IR']);
    if (l.deepArchiveAfterDays !== undefined) points.push([l.deepArchiveAfterDays, 'DEEP_ARCHIVE']);
  }
  const end = lifeEnd(retention);
  const sorted = points.filter(([at]) => at < end).sort((a, b) => a[0] - b[0]);
  // A transition at day 0 replaces Standard.
  const segments: ClassSegment[] = [];
  sorted.forEach(([from, storageClass], i) => {
    const to = i + 1 < sorted.length ? sorted[i + 1][0] : end;
    if (to > from) segments.push({ storageClass, from, to });
  });
  return segments;
}

/** The age at which an object's last version is gone (Infinity: kept). */
export function lifeEnd(retention: Retention): number {
  const l = retention.lifecycle;
  if (l.expireAfterDays === undefined) return Infinity;
  const expiry = Math.max(l.expireAfterDays, retention.objectLockDays ?? 0);
  const noncurrent = retention.versioned ? (l.noncurrentExpireAfterDays ?? Infinity) : 0;
  return Math.max(expiry + noncurrent, retention.objectLockDays ?? 0);
}

const TRANSITION_KEY: Partial<Record<StorageClass, keyof S3Prices['transitionPer1000']>> = {
  STANDARD_IA: 'STANDARD_IA',
  GLACIER_IR: 'GLACIER_IR',
  DEEP_ARCHIVE: 'DEEP_ARCHIVE',
  INT_FREQUENT: 'INTELLIGENT_TIERING',
};

const INT_CLASSES: ReadonlySet<StorageClass> = new Set(['INT_FREQUENT', 'INT_INFREQUENT', 'INT_ARCHIVE_INSTANT']);

/** Days of [from, to) that fall in month m (days [30m, 30m + 30)). */
function overlap(from: number, to: number, m: number): number {
  const start = Math.max(from, m * DAYS_PER_MONTH);
  const end = Math.min(to, (m + 1) * DAYS_PER_MONTH);
  return end > start ? end - start : 0;
}

/** The month a day falls in, or -1 past the horizon. */
function monthOf(day: number): number {
  return day < HORIZON_DAYS ? Math.floor(day / DAYS_PER_MONTH) : -1;
}

/**
 * Bills one write stream in one zone for 12 months. Each day d's objects live [d, d + life) and
 * spend each schedule segment in its class; a segment shorter than its class's minimum storage
 * duration is billed the rest when the object leaves it (transition or deletion, inside the
 * horizon); each transition into IA, Glacier IR, Deep Archive or Intelligent-Tiering is a request.
 */
export function billStorage(stream: WriteStream, retention: Retention, prices: S3Prices): StorageBill {
  const bill: StorageBill = { storage: zeros(), transitions: zeros(), minimumDuration: zeros(), monitoring: zeros(), gbMonths: Array.from({ length: MONTHS }, () => ({})), bytesAtMonthEnd: zeros() };
  for (let month = 0; month < MONTHS; month++) {
    const objects = stream.objectsPerDay[month] ?? 0;
    const bytes = stream.bytesPerDay[month] ?? 0;
    if (objects <= 0 && bytes <= 0) continue;
    const objectBytes = objects > 0 ? bytes / objects : bytes;
    const schedule = classSchedule(retention, objectBytes, prices);
    for (let d = month * DAYS_PER_MONTH; d < (month + 1) * DAYS_PER_MONTH; d++) {
      addCohort(bill, d, objects, bytes, objectBytes, schedule, prices);
    }
  }
  return bill;
}

/** Billed bytes of `objects` objects of `objectBytes` in a class (minimum object size, Deep Archive's overhead at its own price). */
function billedGb(storageClass: StorageClass, objects: number, bytes: number, objectBytes: number, prices: S3Prices): number {
  const min = prices.minimumObjectBytes[storageClass];
  const billed = min > 0 && objectBytes < min ? objects * min : bytes;
  return billed / BYTES_PER_GB;
}

/** The monthly price of one GB-day in a class, with Deep Archive's per-object overhead folded in per object. */
function costOfDays(storageClass: StorageClass, days: number, objects: number, bytes: number, objectBytes: number, prices: S3Prices): { cost: number; gbMonths: number } {
  const gbMonths = (billedGb(storageClass, objects, bytes, objectBytes, prices) * days) / DAYS_PER_MONTH;
  let cost = gbMonths * prices.storageGbMonth[storageClass];
  if (storageClass === 'DEEP_ARCHIVE') {
    const overhead = prices.deepArchiveOverheadBytes;
    cost += ((objects * overhead.deepArchive) / BYTES_PER_GB) * (days / DAYS_PER_MONTH) * prices.storageGbMonth.DEEP_ARCHIVE;
    cost += ((objects * overhead.standard) / BYTES_PER_GB) * (days / DAYS_PER_MONTH) * prices.storageGbMonth.STANDARD;
  }
  return { cost, gbMonths };
}

function addCohort(bill: StorageBill, day: number, objects: number, bytes: number, objectBytes: number, schedule: readonly ClassSegment[], prices: S3Prices): void {
  const monitored = objectBytes >= prices.intelligentTieringMinMonitoredBytes;
  for (const seg of schedule) {
    const from = day + seg.from;
    const to = day + seg.to;
    if (from >= HORIZON_DAYS) break;
    const firstMonth = monthOf(from);
    const lastMonth = Math.min(MONTHS - 1, Math.floor((Math.min(to, HORIZON_DAYS) - 1) / DAYS_PER_MONTH));
    for (let m = firstMonth; m <= lastMonth; m++) {
      const days = overlap(from, to, m);
      if (days <= 0) continue;
      const { cost, gbMonths } = costOfDays(seg.storageClass, days, objects, bytes, objectBytes, prices);
      bill.storage[m] += cost;
      bill.gbMonths[m][seg.storageClass] = (bill.gbMonths[m][seg.storageClass] ?? 0) + gbMonths;
      if (INT_CLASSES.has(seg.storageClass) && monitored) {
        bill.monitoring[m] += (objects / 1000) * prices.intelligentTieringMonitoringPer1000 * (days / DAYS_PER_MONTH);
      }
    }
    // Entering the class by a lifecycle transition.
    const transition = TRANSITION_KEY[seg.storageClass];
    if (transition) {
      const m = monthOf(from);
      if (m >= 0) bill.transitions[m] += (objects / 1000) * prices.transitionPer1000[transition];
    }
    // Leaving it before its minimum storage duration (the rest is billed when it leaves).
    const minimum = prices.minimumStorageDays[seg.storageClass];
    const stayed = seg.to - seg.from;
    if (minimum > 0 && stayed < minimum && Number.isFinite(to)) {
      const m = monthOf(to);
      if (m >= 0) bill.minimumDuration[m] += costOfDays(seg.storageClass, minimum - stayed, objects, bytes, objectBytes, prices).cost;
    }
  }
  // Stored at each month's end: the cohort is alive then.
  const end = day + (schedule.length > 0 ? schedule[schedule.length - 1].to : 0);
  for (let m = monthOf(day); m >= 0 && m < MONTHS; m++) {
    const monthEnd = (m + 1) * DAYS_PER_MONTH;
    if (end >= monthEnd) bill.bytesAtMonthEnd[m] += bytes;
  }
}
