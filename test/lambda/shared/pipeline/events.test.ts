import { MessageError, parseMessage } from '../../../../lambda/shared/pipeline/events';
import { arrivalDateOf, cleanKey, decodeEventKey, quarantineKey, sourceId, sourceUri } from '../../../../lambda/shared/pipeline/keys';
import { ORDERS } from '../../transform/helpers';

const s3Event = (key: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'raw-bucket' }, object: { key, size: 10, eTag: 'abc', versionId: 'v7', ...extra } },
      },
    ],
  });

describe('parseMessage', () => {
  test('reads an S3 event notification and decodes its key (+ is a space)', () => {
    expect(parseMessage(s3Event('sales/orders/march+2024%2B%C3%A9.csv'))).toEqual({
      kind: 'objects',
      objects: [{ bucket: 'raw-bucket', key: 'sales/orders/march 2024+é.csv', versionId: 'v7', eTag: 'abc', size: 10 }],
      ignored: 0,
    });
  });

  test('recognises the s3:TestEvent', () => {
    expect(parseMessage(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'raw-bucket' }))).toEqual({ kind: 'test-event' });
  });

  test('ignores records of other event types', () => {
    const body = JSON.stringify({ Records: [{ eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] });
    expect(parseMessage(body)).toEqual({ kind: 'objects', objects: [], ignored: 1 });
  });

  test('reads an EventBridge "Object Created" event, key as given', () => {
    const body = JSON.stringify({
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'raw-bucket' }, object: { key: 'sales/orders/a b.csv', size: 5, etag: 'e1', 'version-id': 'v1' } },
    });
    expect(parseMessage(body)).toEqual({
      kind: 'objects',
      objects: [{ bucket: 'raw-bucket', key: 'sales/orders/a b.csv', versionId: 'v1', eTag: 'e1', size: 5 }],
      ignored: 0,
    });
  });

  test('unwraps an SNS notification', () => {
    const body = JSON.stringify({ Type: 'Notification', Message: s3Event('sales/orders/x.csv') });
    expect(parseMessage(body)).toMatchObject({ kind: 'objects', objects: [{ key: 'sales/orders/x.csv' }] });
  });

  test('throws on bodies it cannot use', () => {
    expect(() => parseMessage('not json')).toThrow(MessageError);
    expect(() => parseMessage('{"hello":1}')).toThrow(/neither an S3 event notification nor an EventBridge/);
    expect(() => parseMessage('{"Records":[{"eventName":"ObjectCreated:Put"}]}')).toThrow(/without s3.bucket/);
  });
});

describe('keys', () => {
  test('sourceId is stable per bucket, key and version, and uses the ETag only without a version', () => {
    const a = sourceId({ bucket: 'b', key: 'k', versionId: 'v1', eTag: 'x' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(sourceId({ bucket: 'b', key: 'k', versionId: 'v1', eTag: 'y' })).toBe(a);
    expect(sourceId({ bucket: 'b', key: 'k', versionId: 'v2' })).not.toBe(a);
    expect(sourceId({ bucket: 'b', key: 'k2', versionId: 'v1' })).not.toBe(a);
    expect(sourceId({ bucket: 'b', key: 'k', eTag: '"e1"' })).toBe(sourceId({ bucket: 'b', key: 'k', eTag: 'e1' }));
    expect(sourceId({ bucket: 'b', key: 'k', eTag: 'e1' })).not.toBe(sourceId({ bucket: 'b', key: 'k', eTag: 'e2' }));
  });

  test('output keys follow the zone layout', () => {
    expect(cleanKey(ORDERS, '2024-03-15', 'abc')).toBe('sales/orders/ordered_at_date=2024-03-15/abc.parquet');
    expect(quarantineKey(ORDERS, 'abc')).toBe('sales/orders/abc.ndjson');
    expect(sourceUri({ bucket: 'b', key: 'sales/orders/a b.csv', versionId: 'v+1' })).toBe('s3://b/sales/orders/a b.csv?versionId=v%2B1');
    expect(sourceUri({ bucket: 'b', key: 'k' })).toBe('s3://b/k');
  });

  test('decodeEventKey', () => {
    expect(decodeEventKey('a+b%2Bc')).toBe('a b+c');
  });

  test('the arrival date is the UTC date of the event time, carried by both event kinds', () => {
    const s3 = parseMessage(JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put', eventTime: '2026-03-01T23:30:00.000Z', s3: { bucket: { name: 'b' }, object: { key: 'sales/orders/a.csv' } } }] }));
    const eb = parseMessage(JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', time: '2026-03-01T23:30:00-02:00', detail: { bucket: { name: 'b' }, object: { key: 'sales/orders/a.csv' } } }));
    if (s3.kind !== 'objects' || eb.kind !== 'objects') throw new Error('objects expected');
    expect(arrivalDateOf(s3.objects[0].eventTime!)).toBe('2026-03-01');
    expect(arrivalDateOf(eb.objects[0].eventTime!)).toBe('2026-03-02');
    expect(() => arrivalDateOf('yesterday')).toThrow('the event time "yesterday" is not a date and time');
  });
});
