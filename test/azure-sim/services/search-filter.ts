/**
 * OData `$filter` subset of Azure AI Search: comparisons (eq ne gt ge lt le), and / or / not,
 * parentheses, literals (strings, numbers, booleans, null, ISO date-times), field paths with
 * `/`, `search.in(field, 'a,b' [, 'delimiters'])`, `search.ismatch('text' [, 'fields'])`, and
 * collection lambdas `field/any(x: …)`, `field/all(x: …)`, `field/any()`.
 */
import type { FieldInfo } from './search-index-schema';

export class FilterError extends Error {}

type Value = string | number | boolean | null | Date | Value[] | { [key: string]: Value } | undefined;
type Scope = Readonly<Record<string, Value>>;
/** Compiled filter: true when the document (its values) matches. */
export type FilterPredicate = (doc: Readonly<Record<string, unknown>>) => boolean;
/** For search.ismatch: does the document match the text query on those fields? */
export type TextMatcher = (
  doc: Readonly<Record<string, unknown>>,
  query: string,
  fields: string[] | undefined,
) => boolean;

type Tok =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'date'; value: Date }
  | { kind: 'ident'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' | ':' };

function lex(text: string): Tok[] {
  const tokens: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let j = 1;
      let value = '';
      for (;;) {
        if (j >= rest.length) throw new FilterError('Invalid expression: unterminated string literal.');
        if (rest[j] === "'") {
          if (rest[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += rest[j];
        j += 1;
      }
      tokens.push({ kind: 'string', value });
      i += j + 1;
      continue;
    }
    const date = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})/.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', value: new Date(date[0]) });
      i += date[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0] });
      i += ident[0].length;
      continue;
    }
    const punct = rest[0];
    if (punct === '(' || punct === ')' || punct === ',' || punct === ':') {
      tokens.push({ kind: 'punct', value: punct });
      i += 1;
      continue;
    }
    throw new FilterError(`Invalid expression: Syntax error at position ${i} in '${text}'.`);
  }
  return tokens;
}

type Node = (doc: Readonly<Record<string, unknown>>, scope: Scope) => Value;

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function comparable(value: Value): number | string | boolean | null | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const time = Date.parse(value);
    if (Number.isFinite(time)) return time;
  }
  if (value === undefined || typeof value === 'object') return value === undefined ? null : undefined;
  return value;
}

function compare(op: string, left: Value, right: Value): boolean {
  const dateSide = left instanceof Date || right instanceof Date;
  const a = dateSide ? comparable(left) : left instanceof Date ? left.getTime() : (left ?? null);
  const b = dateSide ? comparable(right) : right instanceof Date ? right.getTime() : (right ?? null);
  if (typeof a === 'object' && a !== null) return false;
  if (typeof b === 'object' && b !== null) return false;
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    default: {
      if (a === null || b === null || a === undefined || b === undefined) return false;
      if (op === 'gt') return a > b;
      if (op === 'ge') return a >= b;
      if (op === 'lt') return a < b;
      return a <= b;
    }
  }
}

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Tok[],
    private readonly fields: ReadonlyMap<string, FieldInfo>,
    private readonly textMatcher: TextMatcher,
    private readonly variables: Set<string> = new Set(),
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.position < this.tokens.length)
      throw new FilterError('Invalid expression: unexpected trailing tokens.');
    return node;
  }

  private peek(): Tok | undefined {
    return this.tokens[this.position];
  }

  private next(): Tok {
    const token = this.tokens[this.position];
    if (!token) throw new FilterError('Invalid expression: unexpected end of expression.');
    this.position += 1;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'ident' && token.value.toLowerCase() === word;
  }

  private expect(punct: '(' | ')' | ',' | ':'): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== punct)
      throw new FilterError(`Invalid expression: expected '${punct}'.`);
  }

  private or(): Node {
    let left = this.and();
    while (this.isWord('or')) {
      this.position += 1;
      const a = left;
      const b = this.and();
      left = (doc, scope) => a(doc, scope) === true || b(doc, scope) === true;
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isWord('and')) {
      this.position += 1;
      const a = left;
      const b = this.not();
      left = (doc, scope) => a(doc, scope) === true && b(doc, scope) === true;
    }
    return left;
  }

  private not(): Node {
    if (this.isWord('not')) {
      this.position += 1;
      const inner = this.not();
      return (doc, scope) => inner(doc, scope) !== true;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.operand();
    const token = this.peek();
    if (token?.kind === 'ident' && COMPARISONS.has(token.value.toLowerCase())) {
      this.position += 1;
      const right = this.operand();
      const op = token.value.toLowerCase();
      return (doc, scope) => compare(op, left(doc, scope), right(doc, scope));
    }
    return left;
  }

  private operand(): Node {
    const token = this.next();
    switch (token.kind) {
      case 'string':
      case 'number':
      case 'date': {
        const value = token.value;
        return () => value;
      }
      case 'punct': {
        if (token.value !== '(') throw new FilterError(`Invalid expression: unexpected '${token.value}'.`);
        const inner = this.or();
        this.expect(')');
        return inner;
      }
      case 'ident':
        return this.identifier(token.value);
    }
  }

  private identifier(name: string): Node {
    const lower = name.toLowerCase();
    if (lower === 'true' || lower === 'false') return () => lower === 'true';
    if (lower === 'null') return () => null;
    if (lower === 'search.in') return this.searchIn();
    if (lower === 'search.ismatch' || lower === 'search.ismatchscoring') return this.isMatch();
    const lambda = /^(.*)\/(any|all)$/.exec(name);
    if (lambda?.[1] && lambda[2] && this.peek()?.kind === 'punct')
      return this.lambda(lambda[1], lambda[2] as 'any' | 'all');
    return this.fieldPath(name);
  }

  private resolve(path: string): (doc: Readonly<Record<string, unknown>>, scope: Scope) => Value {
    const [head = '', ...rest] = path.split('/');
    if (this.variables.has(head)) {
      return (_doc, scope) =>
        rest.reduce<Value>(
          (v, part) =>
            v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? v[part] : undefined,
          scope[head],
        );
    }
    const field = this.fields.get(head);
    if (!field) {
      throw new FilterError(
        `Invalid expression: Could not find a property named '${head}' on type 'search.document'.`,
      );
    }
    if (!field.isComplex && !field.filterable) {
      throw new FilterError(
        `Invalid expression: '${head}' is not a filterable field. Only filterable fields can be used in filter expressions.`,
      );
    }
    return (doc) =>
      rest.reduce<Value>(
        (v, part) =>
          v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? v[part] : undefined,
        doc[head] as Value,
      );
  }

  private fieldPath(path: string): Node {
    return this.resolve(path);
  }

  private stringArgument(): string {
    const token = this.next();
    if (token.kind !== 'string') throw new FilterError('Invalid expression: expected a string literal.');
    return token.value;
  }

  private searchIn(): Node {
    this.expect('(');
    const nameToken = this.next();
    if (nameToken.kind !== 'ident') throw new FilterError('Invalid expression: search.in expects a field.');
    const value = this.resolve(nameToken.value);
    this.expect(',');
    const list = this.stringArgument();
    let delimiters = ' ,';
    if (this.peek()?.kind === 'punct' && this.peek()?.value === ',') {
      this.position += 1;
      delimiters = this.stringArgument();
    }
    this.expect(')');
    const splitter = new RegExp(`[${delimiters.replace(/[\]\\^-]/g, '\\$&')}]+`);
    const values = new Set(list.split(splitter).filter((v) => v !== ''));
    return (doc, scope) => {
      const v = value(doc, scope);
      return typeof v === 'string' && values.has(v);
    };
  }

  private isMatch(): Node {
    this.expect('(');
    const query = this.stringArgument();
    let fields: string[] | undefined;
    while (this.peek()?.kind === 'punct' && this.peek()?.value === ',') {
      this.position += 1;
      const argument = this.stringArgument();
      fields ??= argument.split(',').map((f) => f.trim());
    }
    this.expect(')');
    const matcher = this.textMatcher;
    return (doc) => matcher(doc, query, fields);
  }

  private lambda(path: string, kind: 'any' | 'all'): Node {
    const collection = this.resolve(path);
    this.expect('(');
    if (this.peek()?.kind === 'punct' && this.peek()?.value === ')') {
      this.position += 1;
      return (doc, scope) => {
        const items = collection(doc, scope);
        return Array.isArray(items) && items.length > 0;
      };
    }
    const variable = this.next();
    if (variable.kind !== 'ident') throw new FilterError('Invalid expression: expected a lambda variable.');
    this.expect(':');
    const inner = new Parser(
      this.tokens,
      this.fields,
      this.textMatcher,
      new Set([...this.variables, variable.value]),
    );
    inner.position = this.position;
    const body = inner.or();
    this.position = inner.position;
    this.expect(')');
    return (doc, scope) => {
      const items = collection(doc, scope);
      if (!Array.isArray(items)) return false;
      const test = (item: Value) => body(doc, { ...scope, [variable.value]: item }) === true;
      return kind === 'any' ? items.some(test) : items.every(test);
    };
  }
}

/** Compiles a `$filter`; throws FilterError with the service's wording when invalid. */
export function compileFilter(
  filter: string,
  fields: ReadonlyMap<string, FieldInfo>,
  textMatcher: TextMatcher,
): FilterPredicate {
  const node = new Parser(lex(filter), fields, textMatcher).parse();
  return (doc) => node(doc, {}) === true;
}
