/** Is this a JSON object (not null, not an array)? The one such test of the function code. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
