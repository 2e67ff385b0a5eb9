/**
 * What the cost estimate assumes beyond the prices and the declarations, as data: each figure with
 * where it comes from. The report prints every one of them (`describeAssumptions`).
 */
import { ArrivalFormat } from '../../lambda/shared/dataset';

export interface CostAssumptions {
  /** Uncompressed bytes per stored byte of a gzip file (README "Benchmark": CSV 93.0 → 23.7 MB, NDJSON 212.5 → 27.7 MB). */
  readonly gzipRatio: Readonly<Record<ArrivalFormat, number>>;
  /** Clean Parquet bytes per uncompressed input byte of the good rows (`npx tsx test/bench/clean-bytes.ts`: 200,000 generated orders rows over 60 days). */
  readonly cleanBytesPerInputByte: Readonly<Record<ArrivalFormat, number>>;
  /** Quarantine NDJSON bytes per uncompressed input byte of a rejected row (the same run). */
  readonly quarantineBytesPerInputByte: Readonly<Record<ArrivalFormat, number>>;
  /** Share of rows rejected (the benchmark's files have 1 %). */
  readonly badRowFraction: number;
  /** Transform seconds per million rows, by format and gzip (README "Benchmark", medians on 2 vCPUs). */
  readonly transformSecondsPerMillionRows: Readonly<Record<'csv' | 'csv-gzip' | 'ndjson' | 'ndjson-gzip', number>>;
  /** Seconds each invocation adds (start-up, catalog read, S3 round trips). */
  readonly invocationOverheadSeconds: number;
  /** Big-file route: prepare step, uncompressed MB per second (README "Benchmark": 11.0 CSV, 13.0 NDJSON). */
  readonly bigFilePrepareMBps: Readonly<Record<ArrivalFormat, number>>;
  /** Big-file route: staging bytes Athena scans per uncompressed input byte (README "Benchmark": 0.66 CSV, 0.35 NDJSON). */
  readonly bigFileStagingPerInputByte: Readonly<Record<ArrivalFormat, number>>;
  /** Big-file route: state transitions and Athena queries of one successful execution. */
  readonly bigFileStateTransitions: number;
  readonly bigFileAthenaQueries: number;
  /** Seconds a model run's function waits (its queries run on Athena). */
  readonly modelRunSeconds: number;
  /** Scheduled runs a day per model (the hourly schedule); each clean object of its inputs adds one. */
  readonly scheduledModelRunsPerDay: number;
  /** A model's published partition, as a share of what it scans, unless `@estimate writes` says. */
  readonly modelWriteFractionOfScan: number;
  /** Partitions each arriving file touches (one day per file). */
  readonly partitionsPerFile: number;
  /** Requests per SQS message (send, receive, delete). */
  readonly sqsRequestsPerMessage: number;
  /** KMS requests per S3 request on an SSE-KMS zone with S3 Bucket Keys ("up to 99 %" fewer). */
  readonly kmsRequestsPerS3Request: number;
  /** KMS requests a day per KMS-encrypted queue (data keys reused for 300 s: GenerateDataKey + Decrypt). */
  readonly kmsRequestsPerQueueDay: number;
  /** Log bytes ingested per function invocation (START/END/REPORT, a few JSON lines, the EMF metrics). */
  readonly logBytesPerInvocation: number;
  /** Log bytes per Step Functions state transition (logging level ALL). */
  readonly logBytesPerStateTransition: number;
  /** Server access log bytes per S3 request, and requests per delivered log object. */
  readonly accessLogBytesPerRequest: number;
  readonly accessLogRequestsPerObject: number;
  /** Glue catalog requests per transform invocation and per model run. */
  readonly glueRequestsPerInvocation: number;
  readonly glueRequestsPerModelRun: number;
  /** Custom metrics per dataset (RowsIn, RowsOut, RowsQuarantined, BytesIn, DriftColumns) and of the janitor. */
  readonly customMetricsPerDataset: number;
  readonly customMetricsJanitor: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  gzipRatio: { csv: 93.0 / 23.7, ndjson: 212.5 / 27.7 },
  cleanBytesPerInputByte: { csv: 0.1698, ndjson: 0.0743 },
  quarantineBytesPerInputByte: { csv: 2.63, ndjson: 1.85 },
  badRowFraction: 0.01,
  transformSecondsPerMillionRows: { csv: 3.37, 'csv-gzip': 3.94, ndjson: 5.35, 'ndjson-gzip': 4.66 },
  invocationOverheadSeconds: 1,
  bigFilePrepareMBps: { csv: 11.0, ndjson: 13.0 },
  bigFileStagingPerInputByte: { csv: 0.66, ndjson: 0.35 },
  bigFileStateTransitions: 12,
  bigFileAthenaQueries: 6,
  modelRunSeconds: 30,
  scheduledModelRunsPerDay: 24,
  modelWriteFractionOfScan: 0.01,
  partitionsPerFile: 1,
  sqsRequestsPerMessage: 3,
  kmsRequestsPerS3Request: 0.01,
  kmsRequestsPerQueueDay: 576,
  logBytesPerInvocation: 2048,
  logBytesPerStateTransition: 1024,
  accessLogBytesPerRequest: 400,
  accessLogRequestsPerObject: 100,
  glueRequestsPerInvocation: 1,
  glueRequestsPerModelRun: 5,
  customMetricsPerDataset: 5,
  customMetricsJanitor: 4,
};

/** Every assumption as one line of text, for the report. */
export function describeAssumptions(a: CostAssumptions): string[] {
  const pct = (x: number) => `${+(x * 100).toFixed(2)} %`;
  return [
    `Months are 30 days; month 1 starts with empty zones; a dataset's daily volume grows by its \`monthlyGrowth\` once a month.`,
    `Every delivered file is stored in landing and in raw (the ingest role writes both); gzip files expand ${a.gzipRatio.csv.toFixed(2)}× (CSV) and ${a.gzipRatio.ndjson.toFixed(2)}× (NDJSON) (README "Benchmark").`,
    `Clean Parquet is ${a.cleanBytesPerInputByte.csv}× the uncompressed CSV and ${a.cleanBytesPerInputByte.ndjson}× the NDJSON; ${pct(a.badRowFraction)} of rows are quarantined at ${a.quarantineBytesPerInputByte.csv}× (CSV) / ${a.quarantineBytesPerInputByte.ndjson}× (NDJSON) their input bytes (\`npx tsx test/bench/clean-bytes.ts\`: 200,000 generated orders rows).`,
    `Each file touches ${a.partitionsPerFile} partition(s): a Parquet object and a partition marker in clean, and a quarantine file when it has rejected rows.`,
    `Lifecycle transitions skip objects under 128 KB (S3's default minimum transition size, which the zones keep): they stay in Standard.`,
    `Intelligent-Tiering: objects are read in their first days only, so they move to its infrequent tier after 30 days and to archive instant access after 90.`,
    `Versioned zones keep an expired object as a noncurrent version for \`noncurrentExpireAfterDays\`; raw keeps every version at least its Object Lock retention; files are never overwritten in landing, raw or clean.`,
    `Transform: ${a.transformSecondsPerMillionRows.csv} / ${a.transformSecondsPerMillionRows['csv-gzip']} / ${a.transformSecondsPerMillionRows.ndjson} / ${a.transformSecondsPerMillionRows['ndjson-gzip']} s per million rows (CSV, CSV gzip, NDJSON, NDJSON gzip; README "Benchmark", 2 vCPUs) plus ${a.invocationOverheadSeconds} s per file, at the function's memory on arm64; one invocation per file.`,
    `Files above \`bigFiles.thresholdBytes\` (by the dataset's average file size) take the big-file route: prepare at ${a.bigFilePrepareMBps.csv} / ${a.bigFilePrepareMBps.ndjson} MB/s, Athena scans ${a.bigFileStagingPerInputByte.csv} / ${a.bigFileStagingPerInputByte.ndjson}× the input as staging, ${a.bigFileStateTransitions} state transitions and ${a.bigFileAthenaQueries} queries per file.`,
    `Curated models: without \`@estimate\`, ${a.scheduledModelRunsPerDay} scheduled runs a day plus one per clean object of their inputs, each scanning one day of its inputs' clean data and publishing ${pct(a.modelWriteFractionOfScan)} of it; every run also runs one query per assertion and a row count (at least 10 MB each), and waits ${a.modelRunSeconds} s.`,
    `SQS: ${a.sqsRequestsPerMessage} requests per message; KMS: S3 Bucket Keys leave ${a.kmsRequestsPerS3Request} KMS request per S3 request, and each encrypted queue ${a.kmsRequestsPerQueueDay} a day.`,
    `CloudWatch Logs: ${a.logBytesPerInvocation} B per invocation and ${a.logBytesPerStateTransition} B per state transition, stored uncompressed for \`logRetentionDays\`; S3 server access logs: ${a.accessLogBytesPerRequest} B per request, ${a.accessLogRequestsPerObject} requests per log object.`,
    `Custom metrics: ${a.customMetricsPerDataset} per dataset and ${a.customMetricsJanitor} for the janitor; alarms pay per metric they read.`,
    `Glue: ${a.glueRequestsPerInvocation} catalog request per transform invocation and ${a.glueRequestsPerModelRun} per model run; partition projection keeps partitions out of the catalog.`,
  ];
}

/** What the estimate leaves out, said in the report. */
export const NOT_ESTIMATED: readonly string[] = [
  'Analysts: their Athena queries, sandbox workspaces and query results depend on people, not on the declarations (the workgroups\' scan cutoff and daily budget alarm bound them).',
  'Data transfer out of the region, S3 retrievals from Standard-IA and Glacier (nothing reads aged data on purpose), SNS e-mail notifications (free tier), X-Ray traces.',
  'Taxes, Savings Plans, Reserved Capacity and account-level free tiers other than Glue\'s catalog and EventBridge Scheduler\'s.',
];
