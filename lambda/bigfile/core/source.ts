/** A raw object's bytes as a stream, gunzipped when they start with the gzip magic bytes (as the function does). */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export async function decompressed(body: AsyncIterable<Buffer | Uint8Array>): Promise<{ stream: AsyncIterable<Buffer>; gzip: boolean }> {
  const it = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < 2 && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else {
      head.push(Buffer.from(r.value));
      size += r.value.length;
    }
  }
  const first = Buffer.concat(head);
  const rest = async function* () {
    if (first.length > 0) yield first;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  };
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  if (!gzip) return { stream: rest(), gzip };
  const source = Readable.from(rest());
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  source.on('error', (e) => gunzip.destroy(e));
  return { stream: source.pipe(gunzip), gzip };
}
