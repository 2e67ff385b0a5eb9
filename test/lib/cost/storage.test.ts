/**
 * S3 storage month by month, hand-computed. One 1 GiB object written each day (1 GB-day a day);
 * a month is 30 days, so a month's GB-months are its GB-days / 30. Cohort d (written on day d)
 * lives [d, d + life); Σ_{d=0}^{29} (30 − d) = 465 and Σ_{d=0}^{29} d = 435.
 */
import { US_EAST_1_PRICES } from '../../../lib/cost/prices';
import { billStorage, classSchedule, MONTHS, WriteStream } from '../../../lib/cost/storage';

const GIB = 1024 ** 3;
const s3 = US_EAST_1_PRICES.s3;
const oneGibADay: WriteStream = { objectsPerDay: new Array(MONTHS).fill(1), bytesPerDay: new Array(MONTHS).fill(GIB) };
const toCents = (xs: readonly number[]) => xs.map((x) => Math.round(x * 100) / 100);

test('Standard-IA at 30 days, expiry at 60: month by month to the cent', () => {
  const bill = billStorage(oneGibADay, { lifecycle: { infrequentAccessAfterDays: 30, expireAfterDays: 60 }, versioned: false }, s3);
  // Month 1: Standard 465 GB-days = 15.5 GB-months × $0.023 = $0.3565.
  // Month 2: Standard Σd + Σ(60 − d) = 435 + 465 = 900 GB-days = 30 × $0.023 = $0.69; IA 465 GB-days = 15.5 × $0.0125 = $0.19375.
  // Month 3 on: Standard 900 (cohorts of the month and the one before), IA 435 + 465 = 900: $0.69 + $0.375 = $1.065.
  const expected = [0.3565, 0.88375, ...new Array(10).fill(1.065)];
  bill.storage.forEach((x, m) => expect(x).toBeCloseTo(expected[m], 2));
  expect(toCents(bill.storage)).toEqual([0.36, 0.88, ...new Array(10).fill(1.07)]);
  // 30 transitions into IA a month from month 2, at $0.01 per 1,000; IA stays its 30-day minimum: no charge.
  expect(bill.transitions[0]).toBe(0);
  bill.transitions.slice(1).forEach((x) => expect(x).toBeCloseTo(0.0003, 6));
  expect(bill.minimumDuration.every((x) => x === 0)).toBe(true);
});

test('expiry before the IA minimum bills the rest of the 30 days when the object goes', () => {
  const bill = billStorage(oneGibADay, { lifecycle: { infrequentAccessAfterDays: 30, expireAfterDays: 45 }, versioned: false }, s3);
  // Each cohort stays 15 days in IA and is billed 15 more at expiry (day d + 45).
  // Month 2: cohorts 0–14 expire: 15 × 15 = 225 GB-days = 7.5 GB-months × $0.0125 = $0.09375; then 30 × 15 = 450 → $0.1875.
  expect(bill.minimumDuration[0]).toBe(0);
  expect(bill.minimumDuration[1]).toBeCloseTo(0.09375, 4);
  bill.minimumDuration.slice(2).forEach((x) => expect(x).toBeCloseTo(0.1875, 4));
});

test('IA and Glacier IR bill at least 128 KB per object; Deep Archive adds 8 KB at Standard and 32 KB at its own price', () => {
  const small: WriteStream = { objectsPerDay: new Array(MONTHS).fill(1_000_000), bytesPerDay: new Array(MONTHS).fill(1_000_000 * 1024) };
  // 1,000,000 objects of 1 KB in IA from day 0 (a zone that starts there is not allowed by S3, but the price rule is the point):
  // billed as 128 KB each → 122.07 GiB a day; month 1: 465 days × 122.07 / 30 × $0.0125.
  const ia = billStorage(small, { lifecycle: { infrequentAccessAfterDays: 0, expireAfterDays: 1000 }, versioned: false, transitionMinObjectBytes: 0 }, s3);
  const billedGib = (1_000_000 * 128 * 1024) / GIB;
  expect(ia.storage[0]).toBeCloseTo(((465 * billedGib) / 30) * 0.0125, 2);
  const da = billStorage(small, { lifecycle: { deepArchiveAfterDays: 0 }, versioned: false, transitionMinObjectBytes: 0 }, s3);
  const dataGib = (1_000_000 * 1024) / GIB;
  const perDay = dataGib * 0.00099 + ((1_000_000 * 32 * 1024) / GIB) * 0.00099 + ((1_000_000 * 8 * 1024) / GIB) * 0.023;
  expect(da.storage[0]).toBeCloseTo((465 * perDay) / 30, 2);
});

test('Intelligent-Tiering: tiers by days without access, and a monitoring fee only for objects of 128 KB or more', () => {
  const mib: WriteStream = { objectsPerDay: new Array(MONTHS).fill(100_000), bytesPerDay: new Array(MONTHS).fill(100_000 * 1024 ** 2) };
  const bill = billStorage(mib, { lifecycle: { intelligentTieringAfterDays: 0, noncurrentExpireAfterDays: 30 }, versioned: true }, s3);
  // Month 1: 100,000 objects × 15.5 object-months / 1,000 × $0.0025 = $3.875; from month 4 on, every object ever written pays.
  expect(bill.monitoring[0]).toBeCloseTo(3.875, 2);
  expect(bill.monitoring[4]).toBeCloseTo(((100_000 * (4 * 30 + 15.5)) / 1000) * 0.0025, 2);
  // Transitions into Intelligent-Tiering: 3,000,000 objects a month × $0.01 per 1,000.
  expect(bill.transitions[0]).toBeCloseTo(30, 2);
  expect(classSchedule({ lifecycle: { intelligentTieringAfterDays: 0 }, versioned: true, transitionMinObjectBytes: 0 }, 1024, s3).map((s) => s.storageClass)).toEqual(['INT_FREQUENT']);
  const tiny = billStorage({ objectsPerDay: new Array(MONTHS).fill(1000), bytesPerDay: new Array(MONTHS).fill(1000 * 1024) }, { lifecycle: { intelligentTieringAfterDays: 0 }, versioned: false, transitionMinObjectBytes: 0 }, s3);
  expect(tiny.monitoring.every((x) => x === 0)).toBe(true);
});

test('objects under 128 KB are not transitioned by default (S3 lifecycle): they stay in Standard, with no transition request', () => {
  const small: WriteStream = { objectsPerDay: new Array(MONTHS).fill(1000), bytesPerDay: new Array(MONTHS).fill(1000 * 64 * 1024) };
  const bill = billStorage(small, { lifecycle: { infrequentAccessAfterDays: 30, glacierInstantRetrievalAfterDays: 90 }, versioned: false }, s3);
  expect(bill.transitions.every((x) => x === 0)).toBe(true);
  expect(Object.keys(bill.gbMonths[11])).toEqual(['STANDARD']);
  expect(classSchedule({ lifecycle: { intelligentTieringAfterDays: 0 }, versioned: true }, 1024, s3).map((s) => s.storageClass)).toEqual(['STANDARD']);
});

test('Object Lock keeps raw versions at least their retention, and versioning keeps expired objects noncurrent', () => {
  const locked = classSchedule({ lifecycle: { expireAfterDays: 10 }, versioned: false, objectLockDays: 365 }, GIB, s3);
  expect(locked[locked.length - 1].to).toBe(365);
  const versioned = classSchedule({ lifecycle: { expireAfterDays: 60, noncurrentExpireAfterDays: 30 }, versioned: true }, GIB, s3);
  expect(versioned[versioned.length - 1].to).toBe(90);
  const kept = classSchedule({ lifecycle: { infrequentAccessAfterDays: 30 }, versioned: true }, GIB, s3);
  expect(kept[kept.length - 1].to).toBe(Infinity);
});
