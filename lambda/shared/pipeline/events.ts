/**
 * Reads an SQS message body into the objects it announces. Accepted bodies:
 * - an S3 event notification (`{"Records":[{"eventName":"ObjectCreated:Put","s3":{…}}]}`), whose
 *   keys are URL-encoded (`+` is a space): decoded here;
 * - the `s3:TestEvent` S3 sends when notifications are configured: nothing to do;
 * - an EventBridge "Object Created" event from S3 (`{"detail-type":"Object Created","detail":{…}}`),
 *   whose key is taken as it is (EventBridge documents no encoding);
 * - either of the above wrapped in an SNS notification (`{"Type":"Notification","Message":"…"}`).
 * Anything else throws: the message is then retried and ends in the dead-letter queue.
 */
import { isRecord, parseJson } from '../json-value';
import { decodeEventKey } from './keys';

export interface ObjectCreated {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly size?: number;
  /** When the object was created: the S3 event's `eventTime`, the EventBridge event's `time` (arrival-date partitions). */
  readonly eventTime?: string;
}

export type ParsedMessage =
  | { readonly kind: 'test-event' }
  /** `ignored`: records of other event types (e.g. ObjectRemoved). */
  | { readonly kind: 'objects'; readonly objects: ObjectCreated[]; readonly ignored: number };

/** An unusable message body. */
export class MessageError extends Error {}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

export function parseMessage(body: string): ParsedMessage {
  const value = parseJson(body, () => new MessageError(`message body is not JSON: ${body.slice(0, 200)}`));
  if (isRecord(value) && value.Type === 'Notification' && typeof value.Message === 'string') return parseMessage(value.Message);
  if (!isRecord(value)) throw new MessageError('message body is not a JSON object');
  if (value.Event === 's3:TestEvent') return { kind: 'test-event' };

  if (Array.isArray(value.Records)) {
    const objects: ObjectCreated[] = [];
    let ignored = 0;
    for (const r of value.Records) {
      if (!isRecord(r) || !isRecord(r.s3) || !isRecord(r.s3.bucket) || !isRecord(r.s3.object)) {
        throw new MessageError('S3 event record without s3.bucket / s3.object');
      }
      if (!String(r.eventName ?? '').startsWith('ObjectCreated:')) {
        ignored++;
        continue;
      }
      const bucket = str(r.s3.bucket.name);
      const key = str(r.s3.object.key);
      if (!bucket || !key) throw new MessageError('S3 event record without bucket name or object key');
      objects.push({
        bucket,
        key: decodeEventKey(key),
        versionId: str(r.s3.object.versionId),
        eTag: str(r.s3.object.eTag),
        size: num(r.s3.object.size),
        eventTime: str(r.eventTime),
      });
    }
    return { kind: 'objects', objects, ignored };
  }

  if (value.source === 'aws.s3' && typeof value['detail-type'] === 'string' && isRecord(value.detail)) {
    if (value['detail-type'] !== 'Object Created') return { kind: 'objects', objects: [], ignored: 1 };
    const d = value.detail;
    const bucket = isRecord(d.bucket) ? str(d.bucket.name) : undefined;
    const o = isRecord(d.object) ? d.object : undefined;
    const key = str(o?.key);
    if (!bucket || !o || !key) throw new MessageError('EventBridge S3 event without detail.bucket.name or detail.object.key');
    return { kind: 'objects', objects: [{ bucket, key, versionId: str(o['version-id']), eTag: str(o.etag), size: num(o.size), eventTime: str(value.time) }], ignored: 0 };
  }
  throw new MessageError('message is neither an S3 event notification nor an EventBridge S3 event');
}
