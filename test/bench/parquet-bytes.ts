/**
 * What a query engine must read from one Parquet file for a query that needs some of its columns:
 * the footer (the last 8 bytes give its length; a reader fetches it first) and, in every row
 * group, the column chunks of those columns (`total_compressed_size` from DuckDB's
 * `parquet_metadata()`: dictionary and data pages with their headers). Nothing else of the file
 * is needed, so this is the reader's minimum, the figure Athena's "data scanned" approaches.
 */
import { open } from 'node:fs/promises';
import type { Engine } from '../../lambda/transform/core/engine';
import { sqlString } from '../../lambda/shared/pipeline/rules';

/** The columns of the benchmark's analyst query: `SELECT order_id, quantity, amount … WHERE order_date = <day>`. */
export const QUERY_COLUMNS = ['order_id', 'quantity', 'amount'] as const;

export interface ParquetBytes {
  /** Size of the whole file. */
  readonly fileBytes: number;
  /** Footer (Thrift metadata) plus its 8-byte trailer. */
  readonly footerBytes: number;
  /** The column chunks of the wanted columns, all row groups. */
  readonly columnBytes: number;
  /** footerBytes + columnBytes. */
  readonly readBytes: number;
}

export async function queryBytes(engine: Engine, path: string, columns: readonly string[]): Promise<ParquetBytes> {
  const fh = await open(path, 'r');
  let fileBytes: number;
  let footerBytes: number;
  try {
    fileBytes = (await fh.stat()).size;
    const tail = Buffer.alloc(8);
    await fh.read(tail, 0, 8, fileBytes - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${path} is not a Parquet file`);
    footerBytes = tail.readUInt32LE(0) + 8;
  } finally {
    await fh.close();
  }
  const columnBytes = await engine.withConnection(async (conn) => {
    const r = await conn.runAndReadAll(
      `SELECT coalesce(sum(total_compressed_size), 0), count(DISTINCT path_in_schema) FROM parquet_metadata(${sqlString(path)}) ` +
        `WHERE path_in_schema IN (${columns.map(sqlString).join(', ')})`,
    );
    const [bytes, found] = r.getRows()[0].map(Number);
    if (found !== columns.length) throw new Error(`${path} has ${found} of the columns ${columns.join(', ')}`);
    return bytes;
  });
  return { fileBytes, footerBytes, columnBytes, readBytes: footerBytes + columnBytes };
}
