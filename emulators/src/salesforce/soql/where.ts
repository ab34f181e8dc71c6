import type { Condition, WhereClause } from '@jetstreamapp/soql-parser-js';
import { normaliseId } from '../ids.ts';
import type { OrgData, SObjectRecord } from '../org-data.ts';
import type { SObjectDef } from '../schema/types.ts';
import { isValidDate, parseDateTime } from '../values.ts';
import { dateLiteralRange } from './date-literals.ts';
import type { DateRange } from './date-literals.ts';
import { isLongText, readPath, resolvePath } from './field-paths.ts';
import type { ResolvedPath } from './field-paths.ts';
import { queryError } from './query-errors.ts';

// soql-parser-js gives WHERE as a chain of conditions with parenthesis counts. It is flattened to tokens
// and re-parsed with SOQL precedence (NOT, then AND, then OR) into a predicate.

export type Predicate = (record: SObjectRecord) => boolean;

type Token =
  { kind: '(' } | { kind: ')' } | { kind: 'AND' | 'OR' | 'NOT' } | { kind: 'cond'; cond: Condition };

function tokens(where: WhereClause | undefined, out: Token[] = []): Token[] {
  if (!where) return out;
  const left = where.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ kind: '(' });
    if ('field' in left || 'fn' in left) out.push({ kind: 'cond', cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push({ kind: ')' });
  }
  const op = (where as { operator?: 'AND' | 'OR' | 'NOT' }).operator;
  if (op) out.push({ kind: op });
  return tokens((where as { right?: WhereClause }).right, out);
}

type Comparable = string | number | boolean | null;
type Literal = { kind: 'value'; value: Comparable } | { kind: 'range'; range: DateRange };

interface Ctx {
  data: OrgData;
  root: SObjectDef;
  soql: string;
  alias?: string;
}

function unquote(raw: string): string {
  const inner = raw.replace(/^'/, '').replace(/'$/, '');
  return inner.replace(
    /\\(.)/g,
    (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c,
  );
}

function typeName(path: ResolvedPath): string {
  const t = path.field?.type ?? 'string';
  if (t === 'reference') return 'id';
  return t === 'datetime' ? 'dateTime' : t === 'currency' || t === 'percent' ? 'double' : t;
}

function literal(
  ctx: Ctx,
  path: ResolvedPath,
  raw: string,
  literalType: string,
  n: number | undefined,
): Literal {
  const t = path.field?.type ?? 'string';
  const mismatch = (quoted: boolean) =>
    queryError(
      'INVALID_QUERY_FILTER_OPERATOR',
      ctx.soql,
      raw,
      `value of filter criterion for field '${path.fieldName}' must be of type ${typeName(path)} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  const isDate = t === 'date' || t === 'datetime';
  const isNumber = ['double', 'currency', 'percent', 'int'].includes(t);
  switch (literalType) {
    case 'NULL':
      return { kind: 'value', value: null };
    case 'STRING': {
      if (isDate || isNumber || t === 'boolean') throw mismatch(false);
      const value = unquote(raw);
      if (t === 'id' || t === 'reference') {
        const id = normaliseId(value);
        if (!id)
          throw queryError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, raw, `invalid ID field: ${value}`);
        return { kind: 'value', value: id };
      }
      return { kind: 'value', value };
    }
    case 'INTEGER':
    case 'DECIMAL':
      if (!isNumber) throw mismatch(!isDate && t !== 'boolean');
      return { kind: 'value', value: Number(raw) };
    case 'BOOLEAN':
      if (t !== 'boolean') throw mismatch(!isDate && !isNumber);
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
      if (t !== 'date') throw mismatch(!isDate && !isNumber);
      if (!isValidDate(raw))
        throw queryError(
          'MALFORMED_QUERY',
          ctx.soql,
          raw,
          `line 1:0 no viable alternative at character '${raw}'`,
        );
      return { kind: 'value', value: Date.parse(`${raw}T00:00:00Z`) };
    case 'DATETIME': {
      if (t !== 'datetime') throw mismatch(!isDate && !isNumber);
      const d = parseDateTime(raw);
      if (!d)
        throw queryError(
          'MALFORMED_QUERY',
          ctx.soql,
          raw,
          `line 1:0 no viable alternative at character '${raw}'`,
        );
      return { kind: 'value', value: d.getTime() };
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL': {
      if (!isDate) throw mismatch(!isNumber && t !== 'boolean');
      const name = raw.split(':')[0]!;
      const range = dateLiteralRange(name, n);
      if (!range) throw queryError('MALFORMED_QUERY', ctx.soql, raw, `unexpected token: '${raw}'`);
      return { kind: 'range', range };
    }
    default:
      throw queryError(
        'MALFORMED_QUERY',
        ctx.soql,
        raw,
        `the Salesforce stand-in does not support ${literalType} values`,
      );
  }
}

/** A record value in comparable form: dates and datetimes as epoch millis, ids as 18 characters. */
function comparable(path: ResolvedPath, value: unknown): Comparable {
  if (value === null || value === undefined) return null;
  const t = path.field?.type;
  if (t === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  if (t === 'datetime') return parseDateTime(String(value))?.getTime() ?? null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

const fold = (v: Comparable): Comparable => (typeof v === 'string' ? v.toLowerCase() : v);

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

function compare(op: string, actual: Comparable, lit: Literal): boolean {
  if (lit.kind === 'range') {
    if (actual === null || typeof actual !== 'number') return false;
    const { start, end } = lit.range;
    switch (op) {
      case '=':
        return actual >= start && actual < end;
      case '!=':
        return actual < start || actual >= end;
      case '<':
        return actual < start;
      case '<=':
        return actual < end;
      case '>':
        return actual >= end;
      case '>=':
        return actual >= start;
      default:
        return false;
    }
  }
  const expected = lit.value;
  if (op === '=') return expected === null ? actual === null : fold(actual) === fold(expected);
  if (op === '!=') return expected === null ? actual !== null : fold(actual) !== fold(expected);
  if (actual === null || expected === null) return false;
  const a = fold(actual)!;
  const b = fold(expected)!;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case 'LIKE':
      return likeToRegExp(String(expected)).test(String(actual));
    default:
      return false;
  }
}

function conditionPredicate(ctx: Ctx, cond: Condition): Predicate {
  if (!('field' in cond))
    throw queryError(
      'MALFORMED_QUERY',
      ctx.soql,
      '',
      'the Salesforce stand-in does not support functions in WHERE',
    );
  if ('valueQuery' in cond)
    throw queryError(
      'MALFORMED_QUERY',
      ctx.soql,
      cond.field,
      'the Salesforce stand-in does not support semi-join subqueries',
    );
  const path = resolvePath(ctx.data, ctx.root, cond.field, ctx.soql, ctx.alias);
  if (isLongText(path)) {
    throw queryError(
      'INVALID_FIELD',
      ctx.soql,
      cond.field,
      `field '${path.fieldName}' can not be filtered in a query call`,
    );
  }
  const op = cond.operator.toUpperCase();
  const raws = Array.isArray(cond.value) ? cond.value : [cond.value];
  const types = Array.isArray(cond.literalType)
    ? cond.literalType
    : raws.map(() => cond.literalType ?? 'STRING');
  const ns = 'dateLiteralVariable' in cond ? cond.dateLiteralVariable : undefined;
  const lits = raws.map((raw, i) =>
    literal(ctx, path, String(raw), String(types[i] ?? types[0] ?? 'STRING'), Array.isArray(ns) ? ns[i] : ns),
  );
  if (
    op === 'LIKE' &&
    !['string', 'textarea', 'email', 'url', 'phone', 'picklist', 'combobox'].includes(
      path.field?.type ?? 'string',
    )
  ) {
    throw queryError(
      'INVALID_QUERY_FILTER_OPERATOR',
      ctx.soql,
      cond.field,
      `invalid operator on ${path.field?.type ?? 'id'} field: LIKE`,
    );
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') {
    return (r) => {
      const have = String(readPath(ctx.data, r, path) ?? '')
        .toLowerCase()
        .split(';');
      const any = lits.some(
        (l) =>
          l.kind === 'value' &&
          String(l.value ?? '')
            .toLowerCase()
            .split(';')
            .every((v) => have.includes(v)),
      );
      return op === 'INCLUDES' ? any : !any;
    };
  }
  return (r) => {
    const actual = comparable(path, readPath(ctx.data, r, path));
    if (op === 'IN') return lits.some((l) => compare('=', actual, l));
    if (op === 'NOT IN') return actual !== null && lits.every((l) => compare('!=', actual, l));
    return compare(op, actual, lits[0]!);
  };
}

export function buildWhere(
  data: OrgData,
  root: SObjectDef,
  where: WhereClause | undefined,
  soql: string,
  alias?: string,
): Predicate {
  if (!where) return () => true;
  const ctx: Ctx = { data, root, soql, alias };
  const toks = tokens(where);
  let pos = 0;
  const peek = () => toks[pos];
  const fail = () => queryError('MALFORMED_QUERY', soql, 'WHERE', 'unexpected token in WHERE clause');
  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (peek()?.kind === 'OR') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((p) => p(r));
  };
  const parseAnd = (): Predicate => {
    const parts = [parseNot()];
    while (peek()?.kind === 'AND') {
      pos++;
      parts.push(parseNot());
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((p) => p(r));
  };
  const parseNot = (): Predicate => {
    if (peek()?.kind === 'NOT') {
      pos++;
      const inner = parseNot();
      return (r) => !inner(r);
    }
    return parsePrimary();
  };
  const parsePrimary = (): Predicate => {
    const t = toks[pos++];
    if (!t) throw fail();
    if (t.kind === '(') {
      const inner = parseOr();
      if (toks[pos++]?.kind !== ')') throw fail();
      return inner;
    }
    if (t.kind === 'cond') return conditionPredicate(ctx, t.cond);
    throw fail();
  };
  const predicate = parseOr();
  if (pos !== toks.length) throw fail();
  return predicate;
}
