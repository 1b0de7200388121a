import type * as Mingo from 'mingo';
import { Filter, Sort } from '../read-store';

type Doc = Record<string, unknown>;

const valueAt = (doc: Doc, path: string): unknown => {
  if (!path.includes('.')) return doc[path];
  let value: unknown = doc;
  for (const key of path.split('.')) value = value == null ? undefined : (value as Doc)[key];
  return value;
};

export const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

type Predicate = (doc: Doc) => boolean;

/** Equality as MongoDB means it: an array field matches when an element does; null also matches a missing field. */
function equals(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.includes(expected);
  return expected === null ? actual == null : actual === expected;
}

/** Range comparison only between values of the same type (MongoDB's type bracketing), never for null. */
function inRange(actual: unknown, bound: unknown, test: (order: number) => boolean): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => value !== null && value !== undefined && typeof value === typeof bound && test(compareValues(value, bound)));
}

const RANGE: Record<string, (order: number) => boolean> = {
  $gt: (order) => order > 0,
  $gte: (order) => order >= 0,
  $lt: (order) => order < 0,
  $lte: (order) => order <= 0,
};

/** `{ $ne, $in, $nin, $gt(e), $lt(e), $regex(+$options) }` on scalars; undefined for anything else. */
function operatorPredicate(path: string, spec: Record<string, unknown>): Predicate | undefined {
  const tests: Predicate[] = [];
  for (const [operator, operand] of Object.entries(spec)) {
    if (operator === '$options') continue;
    if (operator === '$ne' && isScalar(operand)) tests.push((doc) => !equals(valueAt(doc, path), operand));
    else if ((operator === '$in' || operator === '$nin') && Array.isArray(operand) && operand.every(isScalar)) {
      const matches = (doc: Doc) => operand.some((expected) => equals(valueAt(doc, path), expected));
      tests.push(operator === '$in' ? matches : (doc) => !matches(doc));
    } else if (RANGE[operator] && (typeof operand === 'string' || typeof operand === 'number')) {
      tests.push((doc) => inRange(valueAt(doc, path), operand, RANGE[operator]));
    } else if (operator === '$regex' && typeof operand === 'string') {
      const options = spec.$options;
      if (options !== undefined && (typeof options !== 'string' || !/^[imsu]*$/.test(options))) return undefined;
      const regex = new RegExp(operand, options as string | undefined);
      tests.push((doc) => {
        const value = valueAt(doc, path);
        return (Array.isArray(value) ? value : [value]).some((item) => typeof item === 'string' && regex.test(item));
      });
    } else return undefined;
  }
  return tests.length ? (doc) => tests.every((test) => test(doc)) : undefined;
}

/**
 * A predicate for what list screens filter by — equality, `$ne` (e.g. status not DELETED), `$in`,
 * date ranges, the text search's `$or` of `$regex` — without mingo: mingo compiles and walks a query
 * object per document, the cost of a list page over 100k rows. Undefined for anything else, which
 * mingo then answers; native-query.spec checks both agree.
 */
export function nativePredicate(filter: Filter): Predicate | undefined {
  const tests: Predicate[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      const parts = value.map((part) => (part && typeof part === 'object' && !Array.isArray(part) ? nativePredicate(part as Filter) : undefined));
      if (parts.some((part) => !part)) return undefined;
      const all = parts as Predicate[];
      tests.push(key === '$or' ? (doc) => all.some((part) => part(doc)) : (doc) => all.every((part) => part(doc)));
    } else if (key.startsWith('$')) return undefined;
    else if (isScalar(value)) tests.push((doc) => equals(valueAt(doc, key), value));
    else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => k.startsWith('$'))) {
      const test = operatorPredicate(key, value as Record<string, unknown>);
      if (!test) return undefined;
      tests.push(test);
    } else return undefined;
  }
  return (doc) => tests.every((test) => test(doc));
}

let loadedMingo: typeof Mingo | undefined;
/**
 * mingo, loaded the first time a filter or sort needs it: its entry point loads every operator it
 * has (~0.1 s of each start), and the filters and sorts of list screens are answered natively.
 */
function mingo(): typeof Mingo {
  return (loadedMingo ??= require('mingo') as typeof Mingo);
}

/** The filter as a test of one document: natively where it can be, else with mingo (the same answers). */
export function predicateOf(filter: Filter): Predicate {
  const native = nativePredicate(filter);
  if (native) return native;
  const query = new (mingo().Query)(filter);
  return (doc) => query.test(doc);
}

/** The documents in MongoDB's order of `sort`, by mingo: for values scalarComparator does not compare (arrays). */
export function sortedByMingo<D extends object>(docs: D[], sort: Sort): D[] {
  return mingo().find(docs, {}).sort(sort).all() as D[];
}

/** MongoDB's order across the types read models hold: null/missing < numbers < strings < others. */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  return 3;
}

function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 1 || rankA === 2) return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
  return 0;
}

/**
 * A comparator for sorts on scalar fields, much cheaper than mingo's cursor on 100k documents.
 * Returns undefined when a sorted value is neither scalar nor missing (e.g. an array), which mingo then sorts.
 */
export function scalarComparator(sort: Sort, docs: Doc[]): ((a: Doc, b: Doc) => number) | undefined {
  const keys = Object.entries(sort);
  const sortable = docs.every((doc) => keys.every(([path]) => {
    const value = valueAt(doc, path);
    return value === undefined || isScalar(value);
  }));
  if (!sortable) return undefined;
  return (a, b) => {
    for (const [path, direction] of keys) {
      const order = compareValues(valueAt(a, path), valueAt(b, path));
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}
