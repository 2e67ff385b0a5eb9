/**
 * Where a source object's outputs go. Keys are derived from the source object's identity
 * (bucket, key, version — or its ETag when the bucket is not versioned), so a redelivered event
 * rewrites the same objects instead of adding rows:
 * - clean:      `<domain>/<dataset>/<partitionName>=<value>/<sourceId>.parquet` (one per partition value)
 * - quarantine: `<domain>/<dataset>/<sourceId>.ndjson`
 */
import { createHash } from 'node:crypto';
import type { DatasetContract } from '../dataset';

export interface SourceRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** Used in the identity only when there is no version id. */
  readonly eTag?: string;
}

/** A stable 32-hex-digit id of one version of one source object. */
export function sourceId(src: SourceRef): string {
  const version = src.versionId ? `v:${src.versionId}` : src.eTag ? `e:${src.eTag.replace(/"/g, '')}` : '-';
  return createHash('sha256').update(`${src.bucket}\n${src.key}\n${version}`).digest('hex').slice(0, 32);
}

/** `s3://bucket/key?versionId=…`: how quarantine lines name their source. */
export function sourceUri(src: SourceRef): string {
  return `s3://${src.bucket}/${src.key}${src.versionId ? `?versionId=${encodeURIComponent(src.versionId)}` : ''}`;
}

/**
 * `sourceUri` as S3 user metadata can carry it: US-ASCII only (SDK v3 signs header values as they
 * are), so the key is percent-encoded as a URI path (`Bestellungen März.csv` → `Bestellungen%20M%C3%A4rz.csv`).
 */
export function sourceMetadataValue(src: SourceRef): string {
  return sourceUri({ ...src, key: encodeURI(src.key) });
}

/** Content types of the outputs (both routes). */
export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

export function cleanKey(contract: DatasetContract, partitionValue: string, id: string): string {
  return `${contract.domain}/${contract.dataset}/${contract.partitionName}=${partitionValue}/${id}.parquet`;
}

export function quarantineKey(contract: DatasetContract, id: string): string {
  return `${contract.domain}/${contract.dataset}/${id}.ndjson`;
}

/** Decodes a key as S3 event notifications carry it (form-encoded: `+` is a space). */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The partition value of a dataset partitioned by arrival: the UTC date (`YYYY-MM-DD`) of the
 * object's event time (the S3 event's `eventTime`, the EventBridge event's `time`), the same on
 * both routes and for every redelivery of the event.
 */
export function arrivalDateOf(eventTime: string | Date): string {
  const t = typeof eventTime === 'string' ? new Date(eventTime) : eventTime;
  if (Number.isNaN(t.getTime())) throw new Error(`the event time ${JSON.stringify(String(eventTime))} is not a date and time`);
  return t.toISOString().slice(0, 10);
}
