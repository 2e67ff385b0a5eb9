/**
 * A CSV dataset's dialect (delimiter, quote, escape, header) as both routes read it: resolved to
 * bytes for the first pass (scan.ts, csv.ts), spelled for DuckDB's reader (plan.ts), and the
 * words the reasons use. Also what a header that does not match its declaration looks like
 * (another delimiter, another encoding).
 */
import { CSV_DELIMITERS, sourceNameOf, type CsvDialect, type DatasetContract } from '../dataset';
import { parseCsvFields } from './csv';

/** A CSV dialect resolved to bytes. */
export interface CsvFormat {
  readonly delimiter: number;
  readonly quote: number;
  /** Equal to `quote`: a quote is doubled (RFC 4180). */
  readonly escape: number;
  /** The first line is a header. */
  readonly header: boolean;
}

/** RFC 4180 with a header: the default. */
export const RFC_4180: CsvFormat = { delimiter: 0x2c, quote: 0x22, escape: 0x22, header: true };

/** The byte values of a dialect (validated at synthesis and by the CLI: single ASCII characters). */
export function csvFormatOf(dialect: CsvDialect | undefined): CsvFormat {
  if (!dialect) return RFC_4180;
  const quote = (dialect.quote ?? '"').charCodeAt(0);
  return {
    delimiter: (dialect.delimiter ?? ',').charCodeAt(0),
    quote,
    escape: dialect.escape === undefined ? quote : dialect.escape.charCodeAt(0),
    header: dialect.header ?? true,
  };
}

/** How messages show a character: `';'`, `'\t'` (tab). */
export function showChar(c: string | number): string {
  const s = typeof c === 'number' ? String.fromCharCode(c) : c;
  return s === '\t' ? `'\\t' (tab)` : `'${s}'`;
}

const sql = (byte: number) => `'${String.fromCharCode(byte).replace(/'/g, "''")}'`;

/** DuckDB `read_csv` options for the dialect. */
export function duckDbDialect(f: CsvFormat): string {
  return `delim=${sql(f.delimiter)}, quote=${sql(f.quote)}, escape=${sql(f.escape)}`;
}

/** Why a record with the wrong number of fields is quarantined (both routes, the same words). */
export function fieldCountReason(found: number | string, expected: number, header: boolean): string {
  return `malformed CSV: ${found} fields, ${header ? `the header has ${expected}` : `the dataset declares ${expected} columns (no header)`}`;
}

/** The text of fieldCountReason around the number found, for SQL: `prefix || n || suffix`. */
export function fieldCountReasonParts(expected: number, header: boolean): { prefix: string; suffix: string } {
  const [prefix, suffix] = fieldCountReason('\u0000', expected, header).split('\u0000');
  return { prefix, suffix };
}

/**
 * What the header line suggests when it does not match the contract: another delimiter that
 * splits it into known columns, or text that is not UTF-8. Undefined when nothing stands out.
 */
export function headerHint(contract: DatasetContract, text: string, f: CsvFormat): string | undefined {
  if (text.includes('\ufffd')) {
    return "the header is not valid UTF-8: if the file is Windows-1252 or Latin-1, declare encoding: 'windows-1252' or 'latin-1'";
  }
  const known = new Set(contract.columns.map((c) => sourceNameOf(c).trim().toLowerCase()));
  const matches = (fields: string[]) => fields.filter((n) => known.has(n.trim().toLowerCase())).length;
  const split = (delimiter: number): string[] | undefined => {
    try {
      return parseCsvFields(text, String.fromCharCode(delimiter), String.fromCharCode(f.quote), String.fromCharCode(f.escape));
    } catch {
      return undefined;
    }
  };
  const current = split(f.delimiter);
  const currentMatches = current ? matches(current) : 0;
  let best: { delimiter: string; fields: number; matches: number } | undefined;
  for (const d of CSV_DELIMITERS) {
    if (d.charCodeAt(0) === f.delimiter) continue;
    const fields = split(d.charCodeAt(0));
    if (!fields || fields.length < 2) continue;
    const m = matches(fields);
    if (m > currentMatches && (!best || m > best.matches)) best = { delimiter: d, fields: fields.length, matches: m };
  }
  if (!best) return undefined;
  return `the header looks ${showChar(best.delimiter)}-separated (${best.matches} of its ${best.fields} fields are columns of the dataset): declare csv: { delimiter: ${JSON.stringify(best.delimiter)} }`;
}
