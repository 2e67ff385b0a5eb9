/**
 * A function's environment as a typed contract between its construct and its handler: one module
 * per function (`<function>-env.ts`) declares each variable once — its name, type, and how its
 * text is read and written — and both sides import it:
 *
 * - the construct builds `environment` with `contract.environment({ … })`: the keys are checked by
 *   `tsc`, so a missing, misspelt or renamed variable breaks the build, not the deployment;
 * - the handler reads `process.env` once with `contract.parse(process.env)`, which returns the
 *   typed configuration or throws one `EnvError` naming every bad variable, what it must be, and
 *   the fix.
 *
 * A variable is unset when it is absent or only blanks. `optional` ones may be left out by the
 * construct and are `undefined` in the configuration; `withDefault` ones may be left out and take
 * the default.
 */

/** How a variable must be present: set by the construct, or not. */
type Presence = 'required' | 'optional' | 'defaulted';

/** One environment variable. */
export interface EnvVar<T, P extends Presence = Presence> {
  readonly name: string;
  readonly presence: P;
  /** The value for an unset `defaulted` variable. */
  readonly fallback?: T;
  /** The value of the trimmed, non-empty text; or, as `{ problem }`, what the text must be and an example fix. */
  read(text: string): T | { readonly problem: string; readonly fix: string };
  /** The text the construct sets (CDK tokens are strings and pass through). */
  write(value: T): string;
}

/** A function's configuration is bad: every problem, one per line. */
export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'EnvError';
  }
}

/** Any variable (`write` is a method, so its parameter is checked bivariantly: `EnvVar<string>` is one). */
type AnyVar = EnvVar<unknown, Presence>;
type ValueOf<V> = V extends EnvVar<infer T, Presence> ? T : never;
type KeysWhere<S, P extends Presence> = { [K in keyof S]: S[K] extends EnvVar<unknown, P> ? K : never }[keyof S];

/** What the construct passes: every required variable, the others when it sets them. */
export type EnvValues<S extends Record<string, AnyVar>> = { readonly [K in KeysWhere<S, 'required'>]: ValueOf<S[K]> } & {
  readonly [K in KeysWhere<S, 'optional' | 'defaulted'>]?: ValueOf<S[K]>;
};

/** What the handler gets: every variable's value; an unset optional one is absent. */
export type EnvConfig<S extends Record<string, AnyVar>> = { readonly [K in KeysWhere<S, 'required' | 'defaulted'>]: ValueOf<S[K]> } & {
  readonly [K in KeysWhere<S, 'optional'>]?: ValueOf<S[K]>;
};

export interface EnvContract<S extends Record<string, AnyVar>> {
  /** The variables, by configuration key, in the order the construct sets them. */
  readonly vars: S;
  /** The construct's side: the function's `environment`. */
  environment(values: EnvValues<S>): Record<string, string>;
  /** The handler's side: the typed configuration; throws an `EnvError` naming every bad variable. */
  parse(env: Readonly<Record<string, string | undefined>>): EnvConfig<S>;
}

/**
 * The contract of one function. `construct` names the construct that sets the environment, for
 * the fix of an unset variable.
 */
export function envContract<S extends Record<string, AnyVar>>(construct: string, vars: S): EnvContract<S> {
  return {
    vars,
    environment(values) {
      const out: Record<string, string> = {};
      for (const [key, v] of Object.entries(vars)) {
        const value = (values as Record<string, unknown>)[key];
        if (value !== undefined) out[v.name] = (v as EnvVar<unknown>).write(value);
      }
      return out;
    },
    parse(env) {
      const config: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const [key, v] of Object.entries(vars) as [string, EnvVar<unknown>][]) {
        const text = env[v.name]?.trim();
        if (!text) {
          if (v.presence === 'required') problems.push(`${v.name} is not set. Fix: set it in the function's environment (the ${construct} construct does).`);
          else config[key] = v.fallback;
          continue;
        }
        const read = v.read(text);
        if (isProblem(read)) problems.push(`${v.name} must be ${read.problem} (got ${JSON.stringify(env[v.name])}). Fix: ${read.fix}.`);
        else config[key] = read;
      }
      if (problems.length > 0) throw new EnvError(problems);
      return config as EnvConfig<S>;
    },
  };
}

function isProblem(value: unknown): value is { problem: string; fix: string } {
  return typeof value === 'object' && value !== null && 'problem' in value && 'fix' in value;
}

/** A string (a name, an ARN), as set. */
export function text(name: string): EnvVar<string, 'required'> {
  return { name, presence: 'required', read: (t) => t, write: (v) => v };
}

/** An S3 key prefix; a missing trailing `/` is added. */
export function keyPrefix(name: string): EnvVar<string, 'required'> {
  return { name, presence: 'required', read: (t) => (t.endsWith('/') ? t : `${t}/`), write: (v) => v };
}

/** A comma-separated list of names (blanks around each ignored, empty items dropped). */
export function list(name: string): EnvVar<readonly string[], 'required'> {
  return {
    name,
    presence: 'required',
    read: (t) => t.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    write: (v) => v.join(','),
  };
}

/** A whole number of `unit` (digits only) from `min`, up to `max` when given. */
export function wholeNumber(name: string, o: { readonly unit: string; readonly min: number; readonly max?: number; readonly example: number }): EnvVar<number, 'required'> {
  const what = o.max !== undefined ? `a whole number of ${o.unit}, ${o.min}-${o.max}` : o.min === 1 ? `a positive whole number of ${o.unit}` : `a whole number of ${o.unit}, at least ${o.min}`;
  return {
    name,
    presence: 'required',
    read: (t) => {
      const n = Number(t);
      return /^\d+$/.test(t) && n >= o.min && (o.max === undefined || n <= o.max) ? n : { problem: what, fix: `set e.g. ${name}=${o.example}` };
    },
    write: (v) => String(v),
  };
}

/** `true` or `false`, in any case; anything else is an error (a mistyped flag must not act). */
export function flag(name: string): EnvVar<boolean, 'required'> {
  return {
    name,
    presence: 'required',
    read: (t) => (t.toLowerCase() === 'true' ? true : t.toLowerCase() === 'false' ? false : { problem: '"true" or "false"', fix: `set ${name}=true or ${name}=false` }),
    write: (v) => String(v),
  };
}

/** The variable may be unset: the construct may leave it out, the handler gets `undefined`. */
export function optional<T>(v: EnvVar<T, 'required'>): EnvVar<T, 'optional'> {
  return { ...v, presence: 'optional' };
}

/** The variable may be unset: the construct may leave it out, the handler gets `fallback`. */
export function withDefault<T>(v: EnvVar<T, 'required'>, fallback: T): EnvVar<T, 'defaulted'> {
  return { ...v, presence: 'defaulted', fallback };
}
