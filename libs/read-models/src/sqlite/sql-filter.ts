import { isScalar } from '../in-memory/native-query';
import { Filter, Sort } from '../read-store';
import { PathKinds } from './path-kinds';

/** The part of a filter SQL answers (`where`, with `params`) and what is left for mingo (`residual`). */
export interface SqlFilter {
  where: string;
  params: unknown[];
  residual?: Filter;
}

/** A collection's trigram index (text-index.ts): its FTS5 table and the fields it holds, as its columns. */
export interface TextIndexRef {
  table: string;
  fields: string[];
}

const SAFE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The columns that hold some fields of the document (KeyColumns): read instead of the document where there. */
export interface FieldColumns {
  column(path: string): string | undefined;
}

/**
 * The SQL of a field: the `id` column, its key column (key-columns.ts, which the indexes are made on),
 * or `json_extract(doc, '$.a.b')`, which a key column equals. Undefined for paths that would need
 * quoting, array positions included (`lines.0`): those are mingo's.
 */
export function fieldSql(path: string, columns?: FieldColumns): string | undefined {
  if (path === 'id') return 'id';
  if (!SAFE_PATH.test(path)) return undefined;
  return columns?.column(path) ?? `json_extract(doc, '$.${path}')`;
}

const typeSql = (path: string) => (path === 'id' ? `'text'` : `json_type(doc, '$.${path}')`);

type Term = { sql: string; params: unknown[] };

/** A condition that is never NULL, so NOT(...) of it means "does not match". */
const not = (term: Term): Term => ({ sql: `NOT coalesce(${term.sql}, 0)`, params: term.params });

/** MongoDB equality on a scalar field (the caller checked it never held an array or object). */
function equals(path: string, field: string, value: unknown, kinds: PathKinds): Term {
  if (value === null) return { sql: `${field} IS NULL`, params: [] };
  // Booleans extract as 1/0: told apart from numbers by their JSON type.
  if (typeof value === 'boolean') return { sql: `${typeSql(path)} = '${value}'`, params: [] };
  const guard = typeof value === 'number' && kinds.has(path, 'boolean') ? ` AND ${typeSql(path)} NOT IN ('true', 'false')` : '';
  return { sql: `(${field} = ?${guard})`, params: [value] };
}

function anyOf(path: string, field: string, values: unknown[], kinds: PathKinds): Term {
  if (values.length === 0) return { sql: '0', params: [] };
  const strings = values.filter((value) => typeof value === 'string');
  const terms = values.filter((value) => typeof value !== 'string').map((value) => equals(path, field, value, kinds));
  // One IN list for the strings, so SQLite can look each of them up in an index.
  if (strings.length) terms.unshift({ sql: `${field} IN (${strings.map(() => '?').join(', ')})`, params: strings });
  return { sql: `(${terms.map((term) => term.sql).join(' OR ')})`, params: terms.flatMap((term) => term.params) };
}

const RANGE: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/** MongoDB compares only values of the bound's type (type bracketing); SQL orders numbers before text. */
function inRange(path: string, field: string, operator: string, bound: string | number, kinds: PathKinds): Term {
  const otherKinds = typeof bound === 'string' ? ['number', 'boolean'] : ['string', 'boolean'];
  const types = typeof bound === 'string' ? `= 'text'` : `IN ('integer', 'real')`;
  const guard = otherKinds.some((kind) => kinds.has(path, kind as 'number')) ? ` AND ${typeSql(path)} ${types}` : '';
  return { sql: `(${field} ${RANGE[operator]} ?${guard})`, params: [bound] };
}

/**
 * The literal a regex source stands for, when it is one (as textSearch() escapes them); undefined for
 * anything with a regex meaning (classes, anchors, quantifiers, `\d`...).
 */
function literalOf(source: string): string | undefined {
  let literal = '';
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      const next = source[++i];
      if (next === undefined || !/[.*+?^${}()|[\]\\/-]/.test(next)) return undefined;
      literal += next;
    } else if (/[.*+?^${}()|[\]]/.test(char)) return undefined;
    else literal += char;
  }
  return literal;
}

/**
 * A literal `$regex`: case-sensitive with instr(), `i` with LIKE. LIKE folds ASCII letters only, which
 * is what a JavaScript `i` regex does for an ASCII pattern; a pattern with other letters that have a
 * case (full-width Ａ, Cyrillic...) is left to mingo. Japanese has no case, so it stays in SQL.
 */
function regex(path: string, field: string, source: unknown, options: unknown, kinds: PathKinds): Term | undefined {
  if (typeof source !== 'string' || (options !== undefined && options !== '' && options !== 'i')) return undefined;
  const literal = literalOf(source);
  if (literal === undefined) return undefined;
  const guard = ['number', 'boolean'].some((kind) => kinds.has(path, kind as 'number')) ? ` AND ${typeSql(path)} = 'text'` : '';
  if (options !== 'i') return { sql: `(instr(${field}, ?) > 0${guard})`, params: [literal] };
  if ([...literal].some((char) => char > '\x7f' && char.toLowerCase() + char.toUpperCase() !== char + char)) return undefined;
  return { sql: `(${field} LIKE ? ESCAPE '\\'${guard})`, params: [`%${literal.replace(/[\\%_]/g, '\\$&')}%`] };
}

/** Trigrams: a shorter query has none, so it keeps the LIKE scan. */
const MIN_TEXT_QUERY = 3;

/**
 * textSearch()'s `$or` of one case-insensitive literal over indexed fields, as a lookup in the text
 * index: `{a b} : "literal"` finds the rows where one of those columns contains it. The index holds
 * the string values with ASCII letters lowered (as JavaScript's `i` folds them, see text-index.ts) and
 * matches case-sensitively, so it answers exactly what the LIKE terms would; the LIKE translation is
 * still made first, so every case it refuses (other cased letters, fields that held arrays) stays as today.
 */
function textLookup(parts: unknown[], kinds: PathKinds, text: TextIndexRef | undefined): Term | undefined {
  if (!text) return undefined;
  let source: unknown;
  const fields: string[] = [];
  for (const part of parts) {
    const entries = part && typeof part === 'object' && !Array.isArray(part) ? Object.entries(part) : [];
    if (entries.length !== 1) return undefined;
    const [field, spec] = entries[0];
    if (!text.fields.includes(field) || !spec || typeof spec !== 'object' || Object.keys(spec).length !== 2) return undefined;
    const { $regex, $options } = spec as Record<string, unknown>;
    if ($options !== 'i' || (fields.length && $regex !== source)) return undefined;
    source = $regex;
    fields.push(field);
  }
  const literal = typeof source === 'string' ? literalOf(source) : undefined;
  if (literal === undefined || [...literal].length < MIN_TEXT_QUERY) return undefined;
  if (fields.some((field) => !fieldSql(field) || !kinds.comparable(field) || !regex(field, fieldSql(field)!, source, 'i', kinds))) return undefined;
  const phrase = `"${asciiLower(literal).replace(/"/g, '""')}"`;
  const columns = fields.map((field) => `"${field}"`).join(' ');
  return { sql: `rowid IN (SELECT rowid FROM ${text.table} WHERE ${text.table} MATCH ?)`, params: [`{${columns}} : ${phrase}`] };
}

/** What SQLite's lower() does without ICU, and the index stores: ASCII letters only. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (char) => char.toLowerCase());

function operators(path: string, field: string, spec: Record<string, unknown>, kinds: PathKinds): Term | undefined {
  const terms: Term[] = [];
  for (const [operator, operand] of Object.entries(spec)) {
    if (operator === '$options' && '$regex' in spec) continue;
    let term: Term | undefined;
    if ((operator === '$eq' || operator === '$ne') && isScalar(operand)) {
      term = equals(path, field, operand, kinds);
      if (operator === '$ne') term = not(term);
    } else if ((operator === '$in' || operator === '$nin') && Array.isArray(operand) && operand.every(isScalar)) {
      term = anyOf(path, field, operand, kinds);
      if (operator === '$nin') term = not(term);
    } else if (RANGE[operator] && (typeof operand === 'string' || typeof operand === 'number')) {
      term = inRange(path, field, operator, operand, kinds);
    } else if (operator === '$exists') {
      term = { sql: `${typeSql(path)} IS ${operand ? 'NOT ' : ''}NULL`, params: [] };
    } else if (operator === '$regex') {
      term = regex(path, field, operand, spec.$options, kinds);
    }
    if (!term) return undefined;
    terms.push(term);
  }
  if (terms.length === 0) return undefined;
  return { sql: terms.map((term) => term.sql).join(' AND '), params: terms.flatMap((term) => term.params) };
}

/** One `key: value` of a filter, or undefined when SQL would not answer it as MongoDB does. */
function condition(key: string, value: unknown, kinds: PathKinds, text: TextIndexRef | undefined, columns: FieldColumns | undefined): Term | undefined {
  if (key === '$or' || key === '$and') {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const lookup = key === '$or' ? textLookup(value, kinds, text) : undefined;
    if (lookup) return lookup;
    const parts = value.map((part) => (part && typeof part === 'object' && !Array.isArray(part) ? translateFilter(part as Filter, kinds, text, columns) : undefined));
    if (parts.some((part) => !part || part.residual)) return undefined;
    const joined = parts.map((part) => `(${part!.where})`).join(key === '$or' ? ' OR ' : ' AND ');
    return { sql: `(${joined})`, params: parts.flatMap((part) => part!.params) };
  }
  const field = fieldSql(key, columns);
  if (!field || !kinds.comparable(key)) return undefined;
  if (isScalar(value)) return equals(key, field, value, kinds);
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RegExp)) {
    const spec = value as Record<string, unknown>;
    if (Object.keys(spec).every((operator) => operator.startsWith('$'))) return operators(key, field, spec, kinds);
  }
  return undefined;
}

/**
 * Translates a Mongo-style filter into a WHERE clause, term by term: what SQL cannot answer exactly as
 * mingo does (unknown operators, paths that held arrays, subdocument equality...) becomes the
 * residual filter, which the caller evaluates with mingo on the rows SQL returned. With `text`, a
 * text search over the fields it indexes is looked up there instead of scanning with LIKE. With
 * `columns`, a field that has a key column is read from it.
 */
export function translateFilter(filter: Filter, kinds: PathKinds, text?: TextIndexRef, columns?: FieldColumns): SqlFilter {
  const terms: Term[] = [];
  const residual: Filter[] = [];
  for (const [key, value] of Object.entries(filter)) {
    const term = condition(key, value, kinds, text, columns);
    if (term) terms.push(term);
    else residual.push({ [key]: value });
  }
  return {
    where: terms.length ? terms.map((term) => term.sql).join(' AND ') : '1',
    params: terms.flatMap((term) => term.params),
    ...(residual.length && { residual: residual.length === 1 ? residual[0] : { $and: residual } }),
  };
}

/** The sort find() uses and the indexes follow: the caller's keys, then `id` so pages neither overlap nor miss. */
export function withIdLast(sort: Sort = {}): Sort {
  return { ...sort, id: sort.id ?? 1 };
}

/** ORDER BY for a sort (id appended), or undefined when a key is not a plain scalar path (mingo sorts those). */
export function orderBySql(sort: Sort | undefined, kinds: PathKinds, columns?: FieldColumns): string | undefined {
  const keys = Object.entries(withIdLast(sort));
  const parts: string[] = [];
  for (const [path, direction] of keys) {
    const field = fieldSql(path, columns);
    if (!field || !kinds.sortable(path)) return undefined;
    parts.push(`${field} ${direction === -1 ? 'DESC' : 'ASC'}`);
  }
  return parts.join(', ');
}
