import { Projection, textIndexOf } from './projection';
import { Filter, FindOptions, Sort } from './read-store';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Case-insensitive "contains" over several fields (the list screens' number / subject search). */
export function textSearch(q: string | undefined, fields: string[]): Filter {
  if (!q) return {};
  const pattern = { $regex: escapeRegex(q), $options: 'i' };
  return { $or: fields.map((field) => ({ [field]: pattern })) };
}

/**
 * textSearch over the fields the projection declares as searched for `collection` (its
 * `textIndexes`): one list serves the store's text index and the list's query, so they cannot drift.
 */
export function projectionSearch(projection: Projection, collection: string, q: string | undefined): Filter {
  const declared = projection.textIndexes?.[collection];
  if (!declared) throw new Error(`Projection ${projection.name} declares no searched fields (textIndexes) for ${collection}`);
  return textSearch(q, textIndexOf(declared).fields);
}

/** Inclusive range on a 'YYYY-MM-DD' field; ISO dates compare correctly as strings. */
export function dateRange(field: string, from?: string, to?: string): Filter {
  if (!from && !to) return {};
  return { [field]: { ...(from && { $gte: from }), ...(to && { $lte: to }) } };
}

/** A page of a list screen: page counts from 1. */
export function pageOf(filter: Filter, sort: Sort, page: number, pageSize: number): FindOptions {
  return { filter, sort, skip: (page - 1) * pageSize, limit: pageSize };
}
