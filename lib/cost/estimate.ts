/**
 * The 12-month cost estimate of one environment: per domain and zone (S3) or service, month by
 * month, from the datasets' declared volume, the models' `@estimate`, the zones' lifecycle, the
 * resources each stack synthesized (alarms, dashboards, keys, queues, secrets, catalog objects) and
 * the prices (prices.ts). Pure: `estimateCost(inputs)` returns lines; nothing here reads a file.
 *
 * Work grows linearly with domains: a dataset's storage is simulated once per distinct stream and
 * lifecycle (memoized), and every other line is arithmetic on the declarations.
 */
import { ZoneLifecycle } from '../../constructs/zones/lifecycle';
import { ArrivalFormat, DatasetVolume } from '../../lambda/shared/dataset';
import type { ModelEstimate } from '../../lambda/shared/models';
import { ZONE_POLICIES, ZoneName } from '../../lambda/shared/zones';
import { CostAssumptions, DEFAULT_ASSUMPTIONS } from './assumptions';
import { BYTES_PER_GB, BYTES_PER_TB, PriceTable } from './prices';
import { billStorage, DAYS_PER_MONTH, MONTHS, Retention, StorageBill, WriteStream } from './storage';

export type CostService = 'S3' | 'Lambda' | 'Athena' | 'KMS' | 'Step Functions' | 'SQS' | 'EventBridge' | 'CloudWatch' | 'Secrets Manager' | 'Glue';

/** The environment's own line (the Platform stack and account-level items). */
export const ENVIRONMENT_LINE = '(environment)';

/** One cost line: 12 monthly amounts in the price table's currency. */
export interface CostLine {
  /** A domain name, or {@link ENVIRONMENT_LINE}. */
  readonly domain: string;
  /** For S3 lines: the zone. */
  readonly zone?: ZoneName;
  readonly service: CostService;
  readonly item: string;
  readonly monthly: readonly number[];
  /** What would lower it. */
  readonly lower: string;
}

/** Resources a stack synthesized that have a monthly price. */
export interface StackResources {
  /** Metrics read by the stack's alarms (a simple alarm reads 1). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  readonly glueDatabases: number;
  readonly glueTables: number;
  /** KMS-encrypted SQS queues. */
  readonly encryptedQueues: number;
}

export interface DatasetCostInput {
  readonly name: string;
  readonly format: ArrivalFormat;
  readonly gzip: boolean;
  readonly volume?: DatasetVolume;
  /** Memory of the dataset's transform function (MB). */
  readonly transformMemoryMb: number;
}

export interface ModelCostInput {
  readonly name: string;
  /** Datasets of the domain it reads. */
  readonly inputs: readonly string[];
  /** Assertions (each one Athena query per run). */
  readonly assertions: number;
  readonly estimate?: Omit<ModelEstimate, 'line'>;
}

export interface DomainCostInput {
  readonly name: string;
  readonly datasets: readonly DatasetCostInput[];
  readonly models: readonly ModelCostInput[];
  readonly runnerMemoryMb: number;
  readonly bigFileMemoryMb: number;
  readonly resources: StackResources;
  readonly monthlyBudgetUsd?: number;
}

export interface CostInputs {
  readonly environment: string;
  readonly prices: PriceTable;
  readonly assumptions?: CostAssumptions;
  readonly lifecycle: Readonly<Record<ZoneName, ZoneLifecycle>>;
  readonly rawObjectLockDays: number;
  readonly logRetentionDays: number;
  readonly bigFileThresholdBytes: number;
  readonly domains: readonly DomainCostInput[];
  /** The Platform stack's resources and its janitor function's memory. */
  readonly platform: { readonly resources: StackResources; readonly janitorMemoryMb: number };
}

/** A domain's monthly totals. */
export interface DomainCost {
  readonly domain: string;
  readonly monthly: readonly number[];
  readonly total: number;
  readonly monthlyBudgetUsd?: number;
  /** Datasets without a declared volume (their data costs are not estimated). */
  readonly undeclared: readonly string[];
  /** The domain's lines. */
  readonly lines: readonly CostLine[];
}

export interface CostEstimate {
  readonly environment: string;
  readonly region: string;
  readonly currency: string;
  readonly pricesAsOf: string;
  readonly lines: readonly CostLine[];
  readonly domains: readonly DomainCost[];
  /** Every line's monthly amounts summed. */
  readonly monthly: readonly number[];
  readonly total: number;
}

const zeros = (): number[] => new Array<number>(MONTHS).fill(0);
const constant = (value: number): number[] => new Array<number>(MONTHS).fill(value);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Per month, `perDay(m) × 30` (a daily figure made monthly). */
const monthly = (perDay: (m: number) => number): number[] => Array.from({ length: MONTHS }, (_, m) => perDay(m) * DAYS_PER_MONTH);

const LOWER = {
  storage: (zone: ZoneName) =>
    zone === 'raw' || zone === 'landing'
      ? `move ${zone} to colder classes earlier (lifecycle.${zone}: infrequentAccessAfterDays, glacierInstantRetrievalAfterDays, deepArchiveAfterDays)${zone === 'landing' ? ' or expire it sooner (expireAfterDays)' : ''}, or compress the files (gzip)`
      : zone === 'clean' || zone === 'curated'
        ? `shorten lifecycle.${zone}.noncurrentExpireAfterDays, or publish fewer and smaller partitions`
        : `expire ${zone} sooner (lifecycle.${zone}.expireAfterDays)`,
  requests: 'deliver fewer, larger files (filesPerDay)',
  transitions: 'deliver fewer, larger files: each object pays per transition',
  minimum: (zone: ZoneName) => `keep objects in each class at least its minimum duration (lifecycle.${zone}: no expiry or transition before 30 days in Standard-IA, 90 in Glacier IR, 180 in Deep Archive)`,
  monitoring: 'deliver fewer, larger files (Intelligent-Tiering charges per object ≥ 128 KB)',
  lambda: 'deliver gzip files or fewer rows, or lower the transform memory',
  athena: 'declare partition filters so models scan less (`@estimate scans`), or run them less often (`@estimate runs`)',
  alarms: 'fewer datasets or monitored resources per domain',
} as const;

/** Estimates 12 months of the environment. */
export function estimateCost(inputs: CostInputs): CostEstimate {
  const a = inputs.assumptions ?? DEFAULT_ASSUMPTIONS;
  const p = inputs.prices;
  const lines: CostLine[] = [];
  const byDomain = new Map<string, CostLine[]>();
  const storageCache = new Map<string, StorageBill>();
  let glueObjects = inputs.platform.resources.glueDatabases + inputs.platform.resources.glueTables;
  const glueRequests = zeros();
  const schedulerInvocations = zeros();

  const retentionOf = (zone: ZoneName): Retention => ({
    lifecycle: inputs.lifecycle[zone],
    versioned: ZONE_POLICIES[zone].versioned,
    objectLockDays: zone === 'raw' ? inputs.rawObjectLockDays : 0,
  });
  const bill = (zone: ZoneName, stream: WriteStream): StorageBill => {
    const key = `${zone}|${stream.objectsPerDay.join(',')}|${stream.bytesPerDay.join(',')}`;
    let b = storageCache.get(key);
    if (!b) storageCache.set(key, (b = billStorage(stream, retentionOf(zone), p.s3)));
    return b;
  };

  for (const domain of inputs.domains) {
    const d = domain.name;
    const own: CostLine[] = [];
    byDomain.set(d, own);
    const add = (line: Omit<CostLine, 'domain'>) => {
      if (!line.monthly.some((x) => x !== 0)) return;
      const l = { domain: d, ...line };
      lines.push(l);
      own.push(l);
    };
    const streams = new Map<ZoneName, { objects: number[]; bytes: number[] }>();
    const stream = (zone: ZoneName) => {
      let s = streams.get(zone);
      if (!s) streams.set(zone, (s = { objects: zeros(), bytes: zeros() }));
      return s;
    };
    const puts = new Map<ZoneName, number[]>();
    const gets = new Map<ZoneName, number[]>();
    const count = (map: Map<ZoneName, number[]>, zone: ZoneName, m: number, n: number) => {
      let xs = map.get(zone);
      if (!xs) map.set(zone, (xs = zeros()));
      xs[m] += n;
    };
    const lambdaGbSeconds = zeros();
    const lambdaInvocations = zeros();
    const athenaBytes = zeros();
    const sqsStandard = zeros();
    const sqsFifo = zeros();
    const customEvents = zeros();
    const stateTransitions = zeros();
    const logBytes = zeros();
    const curatedNoncurrent = { objects: zeros(), bytes: zeros() };
    const cleanBytesPerDay = new Map<string, number[]>();
    const cleanObjectsPerDay = new Map<string, number[]>();

    for (const ds of domain.datasets) {
      const v = ds.volume;
      if (!v) continue;
      const cleanB = zeros();
      const cleanO = zeros();
      for (let m = 0; m < MONTHS; m++) {
        const g = (1 + (v.monthlyGrowth ?? 0)) ** m;
        const files = v.filesPerDay * g;
        const bytes = v.bytesPerDay * g;
        const rows = v.rowsPerDay * g;
        const input = ds.gzip ? bytes * a.gzipRatio[ds.format] : bytes;
        const big = files > 0 && bytes / files > inputs.bigFileThresholdBytes;
        // landing and raw: the file as delivered.
        for (const zone of ['landing', 'raw'] as const) {
          stream(zone).objects[m] += files;
          stream(zone).bytes[m] += bytes;
          count(puts, zone, m, files);
        }
        count(gets, 'raw', m, files);
        // clean: a Parquet object per partition (stored, tiered, monitored) and an empty partition marker (a PUT only:
        // below 128 KB, S3 neither transitions it nor monitors it).
        const parquet = input * (1 - a.badRowFraction) * a.cleanBytesPerInputByte[ds.format];
        cleanB[m] = parquet;
        cleanO[m] = files * a.partitionsPerFile;
        stream('clean').objects[m] += files * a.partitionsPerFile;
        stream('clean').bytes[m] += parquet;
        count(puts, 'clean', m, files * a.partitionsPerFile * 2);
        count(puts, 'clean', m, files * 2); // LIST before and after replacing a source's outputs
        // quarantine: one file per source file with rejected rows.
        if (a.badRowFraction > 0 && rows > 0) {
          stream('quarantine').objects[m] += files;
          stream('quarantine').bytes[m] += input * a.badRowFraction * a.quarantineBytesPerInputByte[ds.format];
          count(puts, 'quarantine', m, files);
        }
        customEvents[m] += files; // the raw object's event forwarded to the domain bus
        if (big) {
          // The day's input prepared at the measured rate, plus two invocations (prepare, convert) per file.
          const seconds = input / 1e6 / a.bigFilePrepareMBps[ds.format] + files * a.invocationOverheadSeconds * 2;
          lambdaGbSeconds[m] += seconds * (domain.bigFileMemoryMb / 1024);
          lambdaInvocations[m] += files * 2;
          stateTransitions[m] += files * a.bigFileStateTransitions;
          const staging = input * a.bigFileStagingPerInputByte[ds.format];
          athenaBytes[m] += files * a.bigFileAthenaQueries * p.athena.minimumBytesPerQuery + staging * 2;
          stream('query-results').objects[m] += files * 4;
          stream('query-results').bytes[m] += staging;
          count(puts, 'query-results', m, files * 4);
          logBytes[m] += files * (2 * a.logBytesPerInvocation + a.bigFileStateTransitions * a.logBytesPerStateTransition);
        } else {
          const key = `${ds.format}${ds.gzip ? '-gzip' : ''}` as keyof CostAssumptions['transformSecondsPerMillionRows'];
          const seconds = files * a.invocationOverheadSeconds + (rows / 1e6) * a.transformSecondsPerMillionRows[key];
          lambdaGbSeconds[m] += seconds * (ds.transformMemoryMb / 1024);
          lambdaInvocations[m] += files;
          sqsStandard[m] += files * a.sqsRequestsPerMessage;
          logBytes[m] += files * a.logBytesPerInvocation;
        }
        glueRequests[m] += files * a.glueRequestsPerInvocation * DAYS_PER_MONTH;
      }
      cleanBytesPerDay.set(ds.name, cleanB);
      cleanObjectsPerDay.set(ds.name, cleanO);
    }

    for (const model of domain.models) {
      const declaredInputs = model.inputs.filter((i) => cleanBytesPerDay.has(i));
      if (declaredInputs.length === 0 && model.estimate?.scanBytesPerRun === undefined) continue;
      for (let m = 0; m < MONTHS; m++) {
        const cleanObjects = sum(declaredInputs.map((i) => cleanObjectsPerDay.get(i)![m]));
        const runs = model.estimate?.runsPerDay ?? a.scheduledModelRunsPerDay + cleanObjects;
        const scan = model.estimate?.scanBytesPerRun ?? sum(declaredInputs.map((i) => cleanBytesPerDay.get(i)![m]));
        const writes = model.estimate?.writeBytesPerRun ?? scan * a.modelWriteFractionOfScan;
        const minQuery = p.athena.minimumBytesPerQuery;
        athenaBytes[m] += runs * (Math.max(scan, minQuery) + (model.assertions + 1) * Math.max(writes, minQuery));
        lambdaGbSeconds[m] += runs * a.modelRunSeconds * (domain.runnerMemoryMb / 1024);
        lambdaInvocations[m] += runs;
        sqsFifo[m] += runs * a.sqsRequestsPerMessage;
        customEvents[m] += cleanObjects; // clean objects' events forwarded to the domain bus
        logBytes[m] += runs * a.logBytesPerInvocation;
        glueRequests[m] += runs * a.glueRequestsPerModelRun * DAYS_PER_MONTH;
        // curated: one new partition a day; every further run that day rewrites it (a noncurrent version).
        stream('curated').objects[m] += 1;
        stream('curated').bytes[m] += writes;
        const overwrites = Math.max(0, runs - 1);
        curatedNoncurrent.objects[m] += overwrites;
        curatedNoncurrent.bytes[m] += overwrites * writes;
        count(puts, 'curated', m, runs * 2); // copy + list
        count(gets, 'clean', m, runs * Math.max(1, cleanObjects));
        // query-results: the staged partition and one result per query.
        stream('query-results').objects[m] += runs * (model.assertions + 2);
        stream('query-results').bytes[m] += runs * writes;
        count(puts, 'query-results', m, runs * (model.assertions + 2));
        count(gets, 'query-results', m, runs * (model.assertions + 1));
      }
    }
    if (domain.models.length > 0) for (let m = 0; m < MONTHS; m++) schedulerInvocations[m] += a.scheduledModelRunsPerDay * DAYS_PER_MONTH;

    // S3 per zone: storage (with minimum durations and monitoring), transitions, requests; KMS requests.
    const s3Requests = zeros();
    const accessLogStream = { objects: zeros(), bytes: zeros() };
    for (const zone of ['landing', 'raw', 'clean', 'curated', 'quarantine', 'query-results'] as const) {
      const s = streams.get(zone);
      if (s) {
        const b = bill(zone, { objectsPerDay: s.objects, bytesPerDay: s.bytes });
        add({ zone, service: 'S3', item: 'storage', monthly: b.storage, lower: LOWER.storage(zone) });
        add({ zone, service: 'S3', item: 'lifecycle transitions', monthly: b.transitions, lower: LOWER.transitions });
        add({ zone, service: 'S3', item: 'minimum storage duration', monthly: b.minimumDuration, lower: LOWER.minimum(zone) });
        add({ zone, service: 'S3', item: 'Intelligent-Tiering monitoring', monthly: b.monitoring, lower: LOWER.monitoring });
      }
      if (zone === 'curated' && curatedNoncurrent.bytes.some((x) => x > 0)) {
        {
          // A rewritten partition's old version lives noncurrentExpireAfterDays in S3 Standard: the zone's
          // transitions apply to current versions only, and a rerun replaces a version younger than a day.
          const lifetime = inputs.lifecycle.curated.noncurrentExpireAfterDays ?? 0;
          const b = billStorage({ objectsPerDay: curatedNoncurrent.objects, bytesPerDay: curatedNoncurrent.bytes }, { lifecycle: { expireAfterDays: lifetime }, versioned: false }, p.s3);
          add({ zone, service: 'S3', item: 'noncurrent versions (model reruns)', monthly: b.storage.map((x, m) => x + b.monitoring[m] + b.transitions[m]), lower: 'run models less often (`@estimate runs`) or shorten lifecycle.curated.noncurrentExpireAfterDays' });
        }
      }
      const put = puts.get(zone) ?? zeros();
      const get = gets.get(zone) ?? zeros();
      const requests = monthly((m) => (put[m] / 1000) * p.s3.putPer1000 + (get[m] / 1000) * p.s3.getPer1000);
      add({ zone, service: 'S3', item: 'requests', monthly: requests, lower: LOWER.requests });
      for (let m = 0; m < MONTHS; m++) {
        const n = put[m] + get[m];
        if (ZONE_POLICIES[zone].encryption === 'kms') s3Requests[m] += n;
        accessLogStream.objects[m] += n / a.accessLogRequestsPerObject;
        accessLogStream.bytes[m] += n * a.accessLogBytesPerRequest;
      }
    }
    if (accessLogStream.bytes.some((x) => x > 0)) {
      const b = bill('access-logs', { objectsPerDay: accessLogStream.objects, bytesPerDay: accessLogStream.bytes });
      add({ zone: 'access-logs', service: 'S3', item: 'storage', monthly: b.storage, lower: LOWER.storage('access-logs') });
      add({ zone: 'access-logs', service: 'S3', item: 'requests', monthly: monthly((m) => (accessLogStream.objects[m] / 1000) * p.s3.putPer1000), lower: LOWER.requests });
    }

    add({ service: 'Lambda', item: 'GB-seconds (arm64)', monthly: monthly((m) => lambdaGbSeconds[m] * p.lambda.arm64GbSecond), lower: LOWER.lambda });
    add({ service: 'Lambda', item: 'requests', monthly: monthly((m) => (lambdaInvocations[m] / 1e6) * p.lambda.requestsPerMillion), lower: LOWER.requests });
    add({ service: 'Athena', item: 'bytes scanned', monthly: monthly((m) => (athenaBytes[m] / BYTES_PER_TB) * p.athena.perTbScanned), lower: LOWER.athena });
    add({ service: 'Step Functions', item: 'state transitions', monthly: monthly((m) => (stateTransitions[m] / 1000) * p.stepFunctions.standardTransitionsPer1000), lower: 'raise bigFiles.thresholdBytes or deliver smaller files' });
    add({ service: 'SQS', item: 'requests', monthly: monthly((m) => (sqsStandard[m] / 1e6) * p.sqs.standardPerMillion + (sqsFifo[m] / 1e6) * p.sqs.fifoPerMillion), lower: LOWER.requests });
    add({ service: 'EventBridge', item: 'events forwarded to the domain bus', monthly: monthly((m) => (customEvents[m] / 1e6) * p.eventBridge.customEventsPerMillion), lower: LOWER.requests });
    const r = domain.resources;
    add({ service: 'KMS', item: 'keys', monthly: constant(r.kmsKeys * p.kms.keyMonth), lower: 'merge small domains (each domain stack has a queue key and a logs key)' });
    add({ service: 'KMS', item: 'requests (S3 Bucket Keys, queues)', monthly: monthly((m) => ((s3Requests[m] * a.kmsRequestsPerS3Request + r.encryptedQueues * a.kmsRequestsPerQueueDay) / 10000) * p.kms.requestsPer10000), lower: LOWER.requests });
    add({ service: 'CloudWatch', item: 'alarms', monthly: constant(r.alarmMetrics * p.cloudWatch.alarmMetricMonth), lower: LOWER.alarms });
    add({ service: 'CloudWatch', item: 'dashboards', monthly: constant(r.dashboards * p.cloudWatch.dashboardMonth), lower: 'merge small domains (one dashboard per domain)' });
    add({ service: 'CloudWatch', item: 'custom metrics', monthly: constant(domain.datasets.length * a.customMetricsPerDataset * p.cloudWatch.customMetricMonth), lower: 'fewer datasets' });
    add({ service: 'CloudWatch', item: 'log ingestion and storage', monthly: logCost(logBytes, inputs.logRetentionDays, p), lower: 'lower logRetentionDays, or log less per invocation' });
    add({ service: 'Secrets Manager', item: 'secrets', monthly: constant(r.secrets * p.secretsManager.secretMonth), lower: 'share secrets across domains' });
    glueObjects += r.glueDatabases + r.glueTables;
  }

  // The environment: the Platform stack and the account-level items.
  const env = (line: Omit<CostLine, 'domain'>) => {
    if (line.monthly.some((x) => x !== 0)) lines.push({ domain: ENVIRONMENT_LINE, ...line });
  };
  const pr = inputs.platform.resources;
  env({ service: 'KMS', item: 'keys', monthly: constant(pr.kmsKeys * p.kms.keyMonth), lower: 'none: the lake key, the alarm topic key and the logs key' });
  env({ service: 'CloudWatch', item: 'alarms', monthly: constant(pr.alarmMetrics * p.cloudWatch.alarmMetricMonth), lower: LOWER.alarms });
  env({ service: 'CloudWatch', item: 'dashboards', monthly: constant(pr.dashboards * p.cloudWatch.dashboardMonth), lower: 'none: one overview dashboard' });
  env({ service: 'CloudWatch', item: 'custom metrics', monthly: constant(a.customMetricsJanitor * p.cloudWatch.customMetricMonth), lower: 'none' });
  env({ service: 'Lambda', item: 'GB-seconds (arm64), janitor', monthly: constant(DAYS_PER_MONTH * a.modelRunSeconds * (inputs.platform.janitorMemoryMb / 1024) * p.lambda.arm64GbSecond), lower: 'none' });
  env({ service: 'Secrets Manager', item: 'secrets', monthly: constant(pr.secrets * p.secretsManager.secretMonth), lower: 'none' });
  env({ service: 'Glue', item: `catalog objects (${glueObjects}, free up to ${p.freeTiers.glueObjects.toLocaleString('en-US')})`, monthly: constant((Math.max(0, glueObjects - p.freeTiers.glueObjects) / 100_000) * p.glue.objectsPer100000Month), lower: 'none' });
  env({ service: 'Glue', item: 'catalog requests', monthly: glueRequests.map((n) => (Math.max(0, n - p.freeTiers.glueRequests) / 1e6) * p.glue.requestsPerMillion), lower: 'none' });
  env({ service: 'EventBridge', item: 'Scheduler invocations', monthly: schedulerInvocations.map((n) => (Math.max(0, n - p.freeTiers.schedulerInvocations) / 1e6) * p.eventBridge.schedulerInvocationsPerMillion), lower: 'none' });

  const domains: DomainCost[] = inputs.domains.map((domain) => {
    const own = byDomain.get(domain.name) ?? [];
    const m = zeros();
    for (const l of own) l.monthly.forEach((x, i) => (m[i] += x));
    return { domain: domain.name, monthly: m, total: sum(m), monthlyBudgetUsd: domain.monthlyBudgetUsd, undeclared: domain.datasets.filter((ds) => !ds.volume).map((ds) => ds.name), lines: own };
  });
  const all = zeros();
  for (const l of lines) l.monthly.forEach((x, i) => (all[i] += x));
  return { environment: inputs.environment, region: p.region, currency: p.currency, pricesAsOf: p.asOf, lines, domains, monthly: all, total: sum(all) };
}

/** Log ingestion in the month it arrives, and storage of what is kept (retention days) each day. */
function logCost(bytesPerDay: readonly number[], retentionDays: number, p: PriceTable): number[] {
  const out = zeros();
  const daily: number[] = [];
  for (let m = 0; m < MONTHS; m++) for (let d = 0; d < DAYS_PER_MONTH; d++) daily.push(bytesPerDay[m]);
  let stored = 0;
  for (let day = 0; day < daily.length; day++) {
    stored += daily[day];
    if (day >= retentionDays) stored -= daily[day - retentionDays];
    const m = Math.floor(day / DAYS_PER_MONTH);
    out[m] += (daily[day] / BYTES_PER_GB) * p.cloudWatch.logIngestionGb + (stored / BYTES_PER_GB / DAYS_PER_MONTH) * p.cloudWatch.logStorageGbMonth;
  }
  return out;
}

/** The biggest of a domain's lines in a month. */
export function biggestLine(lines: readonly CostLine[], month: number): CostLine | undefined {
  let best: CostLine | undefined;
  for (const l of lines) if (!best || l.monthly[month] > best.monthly[month]) best = l;
  return best;
}
