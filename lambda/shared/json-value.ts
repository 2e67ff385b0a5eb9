/** Reading JSON values: the one JSON-object test and JSON parsing of the function code. */

/** Is this a JSON object (not null, not an array)? */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.parse(text)`; when the text is not JSON, throws the error `fail` makes of the parser's message. */
export function parseJson(text: string, fail: (reason: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw fail((e as Error).message);
  }
}
