import { isDeepStrictEqual } from 'util';
import Database from 'better-sqlite3';
import { isScalar, predicateOf } from '../in-memory/native-query';
import { Filter } from '../read-store';
import { PathKinds } from './path-kinds';
import { fieldSql, TextIndexRef, translateFilter } from './sql-filter';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The FTS5 table of a collection's text index (beside its `docs:` table). */
export const textTableOf = (physicalName: string) => `text:${physicalName}`;

/**
 * What the index holds of a field: its value when it is a string, ASCII letters lowered (SQLite's
 * lower() without ICU, as JavaScript's `i` folds them), else nothing (a regex never matches a number).
 */
function columnSql(field: string): string {
  const path = fieldSql(field);
  if (!path || field === 'id') throw new Error(`Cannot text-index "${field}": only plain dotted field names of the document can be`);
  return `CASE WHEN json_type(doc, '$.${field}') = 'text' THEN lower(${path}) END`;
}

/** Where each text index's partial filter is kept (an FTS5 table has no room for it); created with the store's other tables. */
export const TEXT_INDEX_DEFINITIONS_SCHEMA = 'CREATE TABLE IF NOT EXISTS read_text_indexes (name TEXT PRIMARY KEY, partial_filter TEXT)';

/**
 * A trigram index (FTS5) on the fields a collection's list screens search, keyed by the rowid of the
 * document's row: a search for a new term of ≥ 3 characters reads the rows that contain it instead of
 * every row. Contentless (the documents hold the text) with contentless_delete, so a row is replaced
 * by its rowid alone. The tokenizer is case-sensitive on purpose: the text is folded before it goes
 * in (columnSql) and the query likewise (sql-filter.ts), exactly as far as JavaScript's `i` folds, where
 * the tokenizer's own folding would also fold letters a JavaScript `i` regex keeps apart (ſ and s).
 * Kept in step by apply() in the same transaction as the document.
 *
 * With a partial filter it holds only the documents that match it (ReadStore's TextIndexOptions), and
 * serves only the searches whose other conditions imply that filter.
 */
export class TextIndex {
  readonly ref: TextIndexRef;
  private readonly remove: Database.Statement<[string]>;
  private readonly insert: Database.Statement<[string]>;
  private readonly matching: Database.Statement<[string], { n: number }>;
  private readonly holds: (doc: Record<string, unknown>) => boolean;

  private constructor(
    db: Database.Database,
    docsTable: string,
    physicalName: string,
    readonly fields: string[],
    readonly partialFilter: Filter | undefined,
  ) {
    const table = quote(textTableOf(physicalName));
    this.ref = { table, fields };
    this.remove = db.prepare(`DELETE FROM ${table} WHERE rowid = (SELECT rowid FROM ${docsTable} WHERE id = ?)`);
    this.matching = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${table} MATCH ?`);
    this.insert = db.prepare(`INSERT INTO ${table} (rowid, ${fields.map(quote).join(', ')}) SELECT rowid, ${fields.map(columnSql).join(', ')} FROM ${docsTable} WHERE id = ?`);
    this.holds = partialFilter ? predicateOf(partialFilter) : () => true;
  }

  /** The index an earlier process created for this collection, if any (its columns are the fields). */
  static existing(db: Database.Database, docsTable: string, physicalName: string): TextIndex | undefined {
    const name = textTableOf(physicalName);
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)) return undefined;
    const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(name);
    // An index made before partial filters existed has no definition: it holds every document.
    const partial = db.prepare<[string], string | null>('SELECT partial_filter FROM read_text_indexes WHERE name = ?').pluck().get(name);
    return new TextIndex(db, docsTable, physicalName, columns.map((column) => column.name), partial ? (JSON.parse(partial) as Filter) : undefined);
  }

  /**
   * (Re)creates the index on `fields`, filled from the documents already there that match the partial
   * filter (a one-off at start); `kinds` are what the collection's paths held so far.
   */
  static create(db: Database.Database, docsTable: string, physicalName: string, fields: string[], partialFilter: Filter | undefined, kinds: PathKinds): TextIndex {
    const name = textTableOf(physicalName);
    const table = quote(name);
    db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec(`CREATE VIRTUAL TABLE ${table} USING fts5(${fields.map(quote).join(', ')}, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1)`);
    db.prepare('INSERT OR REPLACE INTO read_text_indexes (name, partial_filter) VALUES (?, ?)').run(name, partialFilter ? JSON.stringify(partialFilter) : null);
    const index = new TextIndex(db, docsTable, physicalName, fields, partialFilter);
    const fill = `INSERT INTO ${table} (rowid, ${fields.map(quote).join(', ')}) SELECT rowid, ${fields.map(columnSql).join(', ')} FROM ${docsTable}`;
    const held = partialFilter ? translateFilter(partialFilter, kinds) : { where: '1', params: [] };
    if (!held.residual) db.prepare(`${fill} WHERE ${held.where}`).run(...held.params);
    else {
      // What SQL cannot decide as mingo does is decided here, document by document.
      const docs = db.prepare<[], { id: string; doc: string }>(`SELECT id, json(doc) AS doc FROM ${docsTable}`).all();
      for (const { id, doc } of docs) if (index.holds(JSON.parse(doc) as Record<string, unknown>)) index.insert.run(id);
    }
    return index;
  }

  static drop(db: Database.Database, physicalName: string): void {
    const name = textTableOf(physicalName);
    db.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
    db.prepare('DELETE FROM read_text_indexes WHERE name = ?').run(name);
  }

  /** Whether this index is the one declared with these fields and partial filter. */
  isDeclaredAs(fields: string[], partialFilter: Filter | undefined): boolean {
    return this.fields.join('\n') === fields.join('\n') && isDeepStrictEqual(this.partialFilter, partialFilter);
  }

  /** What the index holds of a document (undefined: none, or it does not hold the document): taken before and after a write. */
  heldOf(doc: Record<string, unknown> | undefined): unknown[] | undefined {
    return doc && this.holds(doc) ? this.fields.map((field) => valueAt(doc, field)) : undefined;
  }

  /** After the document `id` was written (inside the same transaction): what the index held of it, and holds now (heldOf). */
  rewrite(id: string, before: unknown[] | undefined, after: unknown[] | undefined): void {
    if (before === after || (before && after && before.every((value, i) => value === after[i]))) return;
    if (before) this.remove.run(id);
    if (after) this.insert.run(id);
  }

  /**
   * Whether a search with these other conditions may use the index: every document they match is one
   * the index holds. Decided on the filter's shape, conservatively (see implies()).
   */
  serves(conditions: Filter, kinds: PathKinds): boolean {
    return !this.partialFilter || implies(conditions, this.partialFilter, kinds);
  }

  /** Whether the documents matching `conditions` are exactly the ones the index holds, so its count of a search is the total. */
  holdsExactly(conditions: Filter): boolean {
    return isDeepStrictEqual(conditions, this.partialFilter ?? {});
  }

  /** How many rows a MATCH expression finds (the index alone: ~15 ms for a word in a fifth of 1M rows). */
  matches(match: string): number {
    return this.matching.get(match)!.n;
  }

  clear(): void {
    this.remove.database.exec(`INSERT INTO ${this.ref.table} (${this.ref.table}) VALUES ('delete-all')`);
  }
}

/**
 * Whether every document matching `filter` matches `partial` as well, for a partial filter of
 * `field: value` and `field: { $ne: value }` conditions on scalar fields: `{ status: 'PLACED' }` and
 * `{ status: { $in: ['APPLIED', 'PLACED'] } }` imply `{ status: { $ne: 'DELETED' } }`. False whenever
 * it is not that simple, which only costs the search its index. A path that ever held an array is
 * never taken for implied: `{ status: 'PLACED' }` matches an array holding 'DELETED' too.
 */
function implies(filter: Filter, partial: Filter, kinds: PathKinds): boolean {
  return Object.entries(partial).every(([field, wanted]) => {
    if (field.startsWith('$') || !kinds.comparable(field) || !(field in filter)) return false;
    const given = filter[field];
    if (isDeepStrictEqual(given, wanted)) return true;
    const excluded = wanted && typeof wanted === 'object' && Object.keys(wanted).length === 1 ? (wanted as { $ne?: unknown }).$ne : undefined;
    if (excluded === undefined || !isScalar(excluded)) return false;
    const equalTo = (value: unknown) => isScalar(value) && value !== excluded;
    if (isScalar(given)) return equalTo(given);
    const spec = given && typeof given === 'object' ? (given as Record<string, unknown>) : {};
    if ('$eq' in spec && equalTo(spec.$eq)) return true;
    return Array.isArray(spec.$in) && spec.$in.every(equalTo);
  });
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  // Only strings are indexed; anything else compares as its JSON (an object changed in place is a change).
  return typeof value === 'string' || value === undefined ? value : JSON.stringify(value);
}
