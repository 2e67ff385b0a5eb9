import { IConstruct } from 'constructs';

/**
 * The one error type governed-lakehouse throws for bad input.
 *
 * The message always carries a stable code, the construct path, the bad value and the fix:
 *
 *   [LH012] LakehousePlatform/Zones/raw: lifecycle.raw.glacierAfterDays = 10 — ... Fix: ...
 */
export class LakehouseError extends Error {
  /** Stable machine-readable code, e.g. `LH012`. */
  public readonly code: string;
  /** The construct path (or the configuration key) that holds the bad value. */
  public readonly path: string;

  constructor(props: { code: string; scope?: IConstruct; path?: string; value: unknown; problem: string; fix: string }) {
    const path = props.scope ? props.scope.node.path : props.path ?? '(app)';
    super(`[${props.code}] ${path}: ${props.problem} (got ${render(props.value)}). Fix: ${props.fix}`);
    this.name = 'LakehouseError';
    this.code = props.code;
    this.path = path;
  }
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
