/**
 * Counts the widgets of a CloudWatch dashboard from its synthesized `DashboardBody`.
 *
 * CDK renders the body as one JSON string, or as an `Fn::Join` of string fragments around intrinsics
 * (alarm ARNs, the region) when the widgets refer to resources. The fragments are spliced back into one
 * text with a placeholder for each intrinsic — `x` inside a JSON string, `0` outside one (the splice
 * tracks whether it is inside a string) — and the text is parsed: the widget count is the length of
 * `widgets`. Should the text still not parse, the count of `"type":` keys is returned, an upper bound
 * (every widget has a type). Linear in the length of the body.
 */

/** The widget count of one dashboard; `exact: false` when it is the upper bound. */
export interface WidgetCount {
  readonly widgets: number;
  readonly exact: boolean;
}

/** The widgets in a `DashboardBody` (a string, `Fn::Join` or `Fn::Sub`). */
export function countDashboardWidgets(body: unknown): WidgetCount {
  const splice = new Splice();
  splice.add(body);
  const text = splice.text();
  try {
    const parsed: unknown = JSON.parse(text);
    const widgets = typeof parsed === 'object' && parsed !== null ? (parsed as { widgets?: unknown }).widgets : undefined;
    if (Array.isArray(widgets)) return { widgets: widgets.length, exact: true };
  } catch {
    // Not JSON after splicing: fall back to counting widget types below.
  }
  return { widgets: text.match(/"type"\s*:/g)?.length ?? 0, exact: false };
}

/** Joins fragments into one text, tracking whether the end of the text is inside a JSON string. */
class Splice {
  private readonly parts: string[] = [];
  private inString = false;
  private escaped = false;

  public add(value: unknown): void {
    if (typeof value === 'string') return this.literal(value);
    const join = fnArgs(value, 'Fn::Join');
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      join[1].forEach((part: unknown, i: number) => {
        if (i > 0) this.literal(join[0]);
        this.add(part);
      });
      return;
    }
    const sub = fnArgs(value, 'Fn::Sub');
    const template = Array.isArray(sub) ? sub[0] : sub;
    if (typeof template === 'string') {
      template.split(/\$\{[^}]*\}/).forEach((literal, i) => {
        if (i > 0) this.placeholder();
        this.literal(literal);
      });
      return;
    }
    this.placeholder();
  }

  public text(): string {
    return this.parts.join('');
  }

  private placeholder(): void {
    this.parts.push(this.inString ? 'x' : '0');
    this.escaped = false;
  }

  private literal(text: string): void {
    this.parts.push(text);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c /* \ */) this.escaped = this.inString;
      else if (c === 0x22 /* " */) this.inString = !this.inString;
    }
  }
}

function fnArgs(value: unknown, fn: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === fn ? (value as Record<string, unknown>)[fn] : undefined;
}
