import { Filter, Sort } from '../read-store';

type Doc = Record<string, unknown>;

const valueAt = (doc: Doc, path: string): unknown => {
  if (!path.includes('.')) return doc[path];
  let value: unknown = doc;
  for (const key of path.split('.')) value = value == null ? undefined : (value as Doc)[key];
  return value;
};

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * A predicate for the filters list screens use most (`{ field: scalar, … }` on top-level or dotted
 * fields), without mingo: compiling a mingo query costs more than scanning a small collection.
 * Returns undefined for anything else (operators, arrays), which mingo then handles.
 */
export function simpleEqualityPredicate(filter: Filter): ((doc: Doc) => boolean) | undefined {
  const entries = Object.entries(filter);
  if (!entries.every(([key, value]) => !key.startsWith('$') && isScalar(value))) return undefined;
  // Mongo: `{ field: null }` also matches a missing field; arrays would need element matching.
  return (doc) =>
    entries.every(([path, expected]) => {
      const actual = valueAt(doc, path);
      if (Array.isArray(actual)) return actual.includes(expected);
      return expected === null ? actual == null : actual === expected;
    });
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
