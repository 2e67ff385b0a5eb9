/**
 * A checker for DQDL documents, written from AWS's grammar (github.com/awslabs/dqdl:
 * configuration/dqdl/DataQualityDefinitionLanguage.g4 and CommonLexerRules.g4) and rule-type table
 * (configuration/rules/rules-config.json), for the tests of the rulesets we generate. It covers
 * the `Rules = [...]` section with composite rules, parameters, the number, string and date
 * conditions and `where` clauses; anything else (labels, analyzers, variables, `with threshold`)
 * is reported as unsupported rather than accepted. It is stricter than Glue, never looser.
 */

type Token = { kind: string; text: string; at: number };

/** Lexer rules in the grammar's order (ANTLR: longest match, then the first rule). */
const LEXER: [string, RegExp][] = [
  ['DATE', /^"[0-9]{4}-[0-9]{2}-[0-9]{2}"/],
  ['QUOTED_STRING', /^"(?:\\"|\\\\|[^"\\]|\\(?!["\\]))*?"/],
  ['DECIMAL', /^[0-9]+\.[0-9]+/],
  ['INT', /^[0-9]+/],
  ['IDENTIFIER', /^[a-zA-Z0-9_.]+/],
];
const KEYWORDS: Record<string, string> = {
  and: 'AND', AND: 'AND', or: 'OR', OR: 'OR', null: 'NULL', NULL: 'NULL', empty: 'EMPTY', EMPTY: 'EMPTY',
  whitespaces_only: 'WHITESPACES_ONLY', WHITESPACES_ONLY: 'WHITESPACES_ONLY', between: 'BETWEEN', in: 'IN', not: 'NOT',
  Rules: 'RULES', where: 'WHERE', with: 'WITH', labels: 'LABELS', matches: 'MATCHES',
};
const PUNCTUATION = ['>=', '<=', '>', '<', '=', '!', '(', ')', '[', ']', ',', '-', '$', '{', '}', ':'];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ws = /^[ \t\n]+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    if (rest.startsWith('#')) {
      const nl = rest.indexOf('\n');
      i += nl < 0 ? rest.length : nl + 1;
      continue;
    }
    // Longest match; on a tie the earlier rule (keywords are literals, defined first).
    let best: Token | undefined;
    for (const [kind, re] of LEXER) {
      const m = re.exec(rest);
      if (m && (!best || m[0].length > best.text.length)) best = { kind, text: m[0], at: i };
    }
    if (best && best.kind === 'IDENTIFIER' && KEYWORDS[best.text]) best = { ...best, kind: KEYWORDS[best.text] };
    const punct = PUNCTUATION.find((p) => rest.startsWith(p));
    if (punct && (!best || punct.length >= best.text.length)) best = { kind: punct, text: punct, at: i };
    if (!best) throw new DqdlError(`unexpected character ${JSON.stringify(rest[0])} at ${i}`);
    out.push(best);
    i += best.text.length;
  }
  return out;
}

export class DqdlError extends Error {}

/** A QUOTED_STRING's value: its two escapes, `\\"` and `\\\\`, undone. */
const unquote = (quoted: string) => quoted.slice(1, -1).replace(/\\(["\\])/g, '$1');

/** What a rule type takes and returns (rules-config.json; the types we generate, and a few others). */
export const RULE_TYPES: Record<string, { params: number | 'var'; returns: 'BOOLEAN' | 'NUMBER' | 'VALUES'; where: boolean }> = {
  RowCount: { params: 0, returns: 'NUMBER', where: true },
  ColumnCount: { params: 0, returns: 'NUMBER', where: false },
  IsComplete: { params: 1, returns: 'BOOLEAN', where: true },
  Completeness: { params: 1, returns: 'NUMBER', where: true },
  IsUnique: { params: 'var', returns: 'BOOLEAN', where: true },
  Uniqueness: { params: 'var', returns: 'NUMBER', where: true },
  IsPrimaryKey: { params: 'var', returns: 'BOOLEAN', where: true },
  ColumnValues: { params: 1, returns: 'VALUES', where: true },
  ColumnLength: { params: 1, returns: 'NUMBER', where: true },
  CustomSql: { params: 1, returns: 'NUMBER', where: false },
};

export interface ParsedRule {
  readonly type: string;
  readonly params: readonly string[];
  /** `number`, `string`, `date` (the condition's kind), or undefined. */
  readonly condition?: 'number' | 'string' | 'date';
  readonly where?: string;
}

/** Parses a DQDL document; throws DqdlError naming what is wrong. Returns the rules, composites flattened. */
export function parseDqdl(text: string): ParsedRule[] {
  const t = tokenize(text);
  let p = 0;
  const peek = (k = 0) => t[p + k];
  const fail = (what: string): never => {
    const tok = peek();
    throw new DqdlError(`${what} at ${tok ? `${JSON.stringify(tok.text)} (offset ${tok.at})` : 'the end'}`);
  };
  const expect = (kind: string) => (peek()?.kind === kind ? t[p++] : fail(`expected ${kind}`));
  const rules: ParsedRule[] = [];

  const number = (): void => {
    if (peek()?.kind === 'NULL') {
      p++;
      return;
    }
    if (peek()?.kind === '-') p++;
    if (!['INT', 'DECIMAL'].includes(peek()?.kind)) fail('expected a number');
    p++;
  };
  const stringValue = () => (['QUOTED_STRING', 'DATE', 'NULL', 'EMPTY', 'WHITESPACES_ONLY'].includes(peek()?.kind) ? p++ : fail('expected a string'));
  const dateValue = () => (['DATE', 'NULL'].includes(peek()?.kind) ? p++ : fail('expected a date'));
  const list = (item: () => unknown) => {
    expect('[');
    item();
    while (peek()?.kind === ',') {
      p++;
      item();
    }
    expect(']');
  };
  const kindOfList = (): 'number' | 'string' | 'date' => {
    // Decide by the first non-NULL item, then parse every item as that kind.
    let k = p + 1;
    while (t[k]?.kind === 'NULL' || t[k]?.kind === ',') k++;
    const first = t[k]?.kind;
    return first === 'DATE' ? 'date' : first === 'QUOTED_STRING' || first === 'EMPTY' || first === 'WHITESPACES_ONLY' ? 'string' : 'number';
  };

  const condition = (returns: 'NUMBER' | 'VALUES'): ParsedRule['condition'] => {
    const k = peek()?.kind;
    if (k === 'WITH' || k === 'LABELS' || k === '$') fail('unsupported by this checker');
    if (k === 'IN' || (k === 'NOT' && peek(1)?.kind === 'IN')) {
      if (k === 'NOT') p++;
      expect('IN');
      if (returns === 'NUMBER') return list(number), 'number';
      const kind = kindOfList();
      list(kind === 'number' ? number : kind === 'date' ? dateValue : stringValue);
      return kind;
    }
    if (k === 'BETWEEN' || (k === 'NOT' && peek(1)?.kind === 'BETWEEN')) {
      if (k === 'NOT') p++;
      expect('BETWEEN');
      if (peek()?.kind === 'DATE') {
        p++;
        expect('AND');
        dateValue();
        return 'date';
      }
      number();
      expect('AND');
      number();
      return 'number';
    }
    if (k === 'MATCHES') {
      if (returns !== 'VALUES') fail('matches applies to ColumnValues');
      p++;
      expect('QUOTED_STRING');
      return 'string';
    }
    if (['>=', '<=', '>', '<', '=', '!'].includes(k)) {
      if (k === '!') {
        p++;
        expect('=');
      } else p++;
      const v = peek()?.kind;
      if (v === 'DATE') return p++, 'date';
      if (v === 'QUOTED_STRING' || v === 'EMPTY' || v === 'WHITESPACES_ONLY') {
        if (returns === 'NUMBER') fail('expected a number');
        return p++, 'string';
      }
      number();
      return 'number';
    }
    return fail('expected a condition');
  };

  const dqRule = () => {
    const type = expect('IDENTIFIER').text;
    const spec = RULE_TYPES[type];
    if (!spec) fail(`unknown rule type ${type}`);
    const params: string[] = [];
    while (peek()?.kind === 'QUOTED_STRING' || peek()?.kind === 'DATE') params.push(unquote(t[p++].text));
    if (spec.params === 'var' ? params.length === 0 : params.length !== spec.params) fail(`${type} takes ${spec.params === 'var' ? 'one or more' : spec.params} parameter(s), got ${params.length}`);
    let cond: ParsedRule['condition'];
    const next = peek()?.kind;
    const hasCondition = next !== undefined && ![',', ']', ')', 'AND', 'OR', 'WHERE'].includes(next);
    if (spec.returns === 'BOOLEAN') {
      if (hasCondition) fail(`${type} returns a Boolean and takes no condition`);
    } else {
      if (!hasCondition) fail(`${type} needs a condition`);
      cond = condition(spec.returns);
    }
    let where: string | undefined;
    if (peek()?.kind === 'WHERE') {
      if (!spec.where) fail(`${type} takes no where clause`);
      p++;
      where = unquote(expect('QUOTED_STRING').text);
    }
    rules.push({ type, params, condition: cond, where });
  };

  const topLevelRule = (): void => {
    if (peek()?.kind === '(') {
      p++;
      topLevelRule();
      expect(')');
    } else dqRule();
    while (peek()?.kind === 'AND' || peek()?.kind === 'OR') {
      p++;
      if (peek()?.kind !== '(') fail('a rule joined with and/or must be in parentheses');
      topLevelRule();
    }
  };

  expect('RULES');
  expect('=');
  expect('[');
  if (peek()?.kind !== ']') {
    topLevelRule();
    while (peek()?.kind === ',') {
      p++;
      topLevelRule();
    }
  }
  expect(']');
  if (p !== t.length) fail('expected the end of the document');
  return rules;
}
