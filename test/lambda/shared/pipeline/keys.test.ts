import { sourceMetadataValue, sourceUri } from '../../../../lambda/shared/pipeline/keys';

describe('sourceMetadataValue', () => {
  test('is US-ASCII whatever the key, as S3 user metadata must be', () => {
    const src = { bucket: 'raw', key: 'sales/acme/orders/Bestellungen  März €.csv', versionId: 'v.1_a' };
    const value = sourceMetadataValue(src);
    expect(value).toBe('s3://raw/sales/acme/orders/Bestellungen%20%20M%C3%A4rz%20%E2%82%AC.csv?versionId=v.1_a');
    expect(/^[\x20-\x7e]*$/.test(value)).toBe(true);
    // Decoding it gives back the source's URI.
    expect(decodeURI(value)).toBe(sourceUri(src));
  });

  test('leaves an ASCII key as sourceUri writes it', () => {
    const src = { bucket: 'raw', key: 'sales/orders/2024-03-01.csv' };
    expect(sourceMetadataValue(src)).toBe(sourceUri(src));
  });
});
