import { isDeepStrictEqual } from 'util';
import Database from 'better-sqlite3';
import { isScalar, predicateOf } from '../in-memory/native-query';
import { Filter } from '../read-store';
import { PathKinds } from './path-kinds';
import { fieldSql, TextIndexRef, translateFilter } from './sql-filter';
import { valueAt } from './key-columns';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The FTS5 table of a collection's text index (beside its `docs:` table). */
export const textTableOf = (physicalName: string) => `text:${physicalName}`;
/** Where a text index is filled until it holds every document: a start never takes a half-filled one for made. */
const fillingTableOf = (physicalName: string) => `${textTableOf(physicalName)}~filling`;
const tableExists = (db: Database.Database, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * Rows of the documents' table read per statement while a text index is filled: ~30 ms of the event
 * loop for 注文一覧's rows. Each statement's entries become a segment of their own when the grouped
 * transaction commits at the next turn; with fewer rows, the many segments cost more to merge than
 * the statement saves (1,000 rows: twice the time of one statement over 100,000 orders).
 */
const FILL_ROWS = 5_000;
/** Pages merged per statement once filled (FTS5's 'merge' command): a few ms each. */
const MERGE_PAGES = 200;
/** FTS5's own default, set back once filled: merging while the fill runs would merge the same rows again and again. */
const AUTOMERGE = 4;
const EVERY_ROW = Number.MAX_SAFE_INTEGER;

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
  protected readonly insert: Database.Statement<[string]>;
  /** How many rows a MATCH expression (its one parameter) finds: the index alone, ~15–85 ms for a word in a fifth of 1M rows. */
  readonly countSql: string;
  private readonly holds: (doc: Record<string, unknown>) => boolean;
  /** While the index is filled (TextIndexFill), the rowids it holds so far; every row once made. */
  protected filledUpTo = EVERY_ROW;

  protected constructor(
    protected readonly db: Database.Database,
    protected readonly docsTable: string,
    protected readonly physicalName: string,
    readonly fields: string[],
    readonly partialFilter: Filter | undefined,
    tableName = textTableOf(physicalName),
  ) {
    const table = quote(tableName);
    this.ref = { table, fields };
    this.remove = db.prepare(`DELETE FROM ${table} WHERE rowid = (SELECT rowid FROM ${docsTable} WHERE id = ?)`);
    this.countSql = `SELECT COUNT(*) AS n FROM ${table} WHERE ${table} MATCH ?`;
    this.insert = db.prepare(`INSERT INTO ${table} (rowid, ${fields.map(quote).join(', ')}) SELECT rowid, ${fields.map(columnSql).join(', ')} FROM ${docsTable} WHERE id = ?`);
    this.holds = partialFilter ? predicateOf(partialFilter) : () => true;
  }

  /** The index an earlier process created for this collection, if any (its columns are the fields). */
  static existing(db: Database.Database, docsTable: string, physicalName: string): TextIndex | undefined {
    const name = textTableOf(physicalName);
    if (!tableExists(db, name)) return undefined;
    const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(name);
    // An index made before partial filters existed has no definition: it holds every document.
    const partial = db.prepare<[string], string | null>('SELECT partial_filter FROM read_text_indexes WHERE name = ?').pluck().get(name);
    return new TextIndex(db, docsTable, physicalName, columns.map((column) => column.name), partial ? (JSON.parse(partial) as Filter) : undefined);
  }

  /**
   * (Re)makes the index on `fields` over the documents already there that match the partial filter:
   * an empty index filled by TextIndexFill a range of rows at a time, then put in place; `kinds` are
   * what the collection's paths held so far. Searches meanwhile go without it.
   */
  static begin(db: Database.Database, docsTable: string, physicalName: string, fields: string[], partialFilter: Filter | undefined, kinds: PathKinds, rowsPerStatement = FILL_ROWS): TextIndexFill {
    TextIndex.drop(db, physicalName);
    const filling = quote(fillingTableOf(physicalName));
    db.exec(`CREATE VIRTUAL TABLE ${filling} USING fts5(${fields.map(quote).join(', ')}, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1)`);
    db.exec(`INSERT INTO ${filling} (${filling}, rank) VALUES ('automerge', 0)`);
    return new TextIndexFill(db, docsTable, physicalName, fields, partialFilter, kinds, rowsPerStatement);
  }

  /** The index under its own name, whole (TextIndexFill.complete()). */
  protected static made(db: Database.Database, docsTable: string, physicalName: string, fields: string[], partialFilter: Filter | undefined): TextIndex {
    return new TextIndex(db, docsTable, physicalName, fields, partialFilter);
  }

  static drop(db: Database.Database, physicalName: string): void {
    const name = textTableOf(physicalName);
    db.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
    TextIndex.dropUnfinishedFill(db, physicalName);
    db.prepare('DELETE FROM read_text_indexes WHERE name = ?').run(name);
  }

  /** Whether the file holds a fill of this collection's index (TextIndexFill): at a start, one a crash cut short. */
  static unfinishedFill(db: Database.Database, physicalName: string): boolean {
    return tableExists(db, fillingTableOf(physicalName));
  }

  static dropUnfinishedFill(db: Database.Database, physicalName: string): void {
    db.exec(`DROP TABLE IF EXISTS ${quote(fillingTableOf(physicalName))}`);
  }

  /** Whether this index is the one declared with these fields and partial filter. */
  isDeclaredAs(fields: string[], partialFilter: Filter | undefined): boolean {
    return this.fields.join('\n') === fields.join('\n') && isDeepStrictEqual(this.partialFilter, partialFilter);
  }

  /** What the index holds of a document (undefined: none, or it does not hold the document): taken before and after a write. */
  heldOf(doc: Record<string, unknown> | undefined): unknown[] | undefined {
    return doc && this.holds(doc) ? this.fields.map((field) => heldValueAt(doc, field)) : undefined;
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
    return this.filledUpTo === EVERY_ROW && (!this.partialFilter || implies(conditions, this.partialFilter, kinds));
  }

  /** Whether the documents matching `conditions` are exactly the ones the index holds, so its count of a search is the total. */
  holdsExactly(conditions: Filter): boolean {
    return isDeepStrictEqual(conditions, this.partialFilter ?? {});
  }

  clear(): void {
    this.db.exec(`INSERT INTO ${this.ref.table} (${this.ref.table}) VALUES ('delete-all')`);
  }
}

/**
 * A text index being made over a collection that holds documents. One statement over 100,000 orders
 * held the event loop (every request of every embedded service) ~0.6 s; a range of FILL_ROWS rowids
 * at a time hands it over in between (the caller's EventLoopShare). Writes meanwhile keep the index
 * in step as always; a row written before its range is read goes in again with the same text, which
 * FTS5 holds as one entry (its rowid). Searches go without the index until it is whole.
 * It is filled under a name of its own and renamed once whole, so a crash leaves nothing a start
 * would take for a made index.
 */
export class TextIndexFill extends TextIndex {
  private readonly lastRow: Database.Statement<[], number | null>;
  private readonly fillRange: (after: number, upTo: number) => void;
  /** The range's statement and its parameters after the range's two, when SQL alone decides which documents go in. */
  private readonly rangeSql?: { sql: string; params: unknown[] };
  private readonly mergeSql: string;
  private readonly merge: Database.Statement<[]>;
  private readonly changes: Database.Statement<[], number>;
  private merged = false;

  constructor(
    db: Database.Database,
    docsTable: string,
    physicalName: string,
    fields: string[],
    partialFilter: Filter | undefined,
    kinds: PathKinds,
    private readonly rowsPerStatement = FILL_ROWS,
  ) {
    super(db, docsTable, physicalName, fields, partialFilter, fillingTableOf(physicalName));
    this.filledUpTo = 0;
    this.lastRow = db.prepare<[], number | null>(`SELECT max(rowid) FROM ${docsTable}`).pluck();
    const table = this.ref.table;
    this.mergeSql = `INSERT INTO ${table} (${table}, rank) VALUES ('merge', ${MERGE_PAGES})`;
    this.merge = db.prepare(this.mergeSql);
    this.changes = db.prepare<[], number>('SELECT total_changes()').pluck();
    const fill = `INSERT INTO ${table} (rowid, ${fields.map(quote).join(', ')}) SELECT rowid, ${fields.map(columnSql).join(', ')} FROM ${docsTable} WHERE rowid > ? AND rowid <= ?`;
    const held = partialFilter ? translateFilter(partialFilter, kinds) : { where: '1', params: [] };
    if (!held.residual) {
      this.rangeSql = { sql: `${fill} AND (${held.where})`, params: held.params };
      const statement = db.prepare(this.rangeSql.sql);
      this.fillRange = (after, upTo) => statement.run(after, upTo, ...held.params);
    } else {
      // What SQL cannot decide as mingo does is decided here, document by document.
      const docs = db.prepare<[number, number], { id: string; doc: string }>(`SELECT id, json(doc) AS doc FROM ${docsTable} WHERE rowid > ? AND rowid <= ?`);
      this.fillRange = (after, upTo) => {
        for (const { id, doc } of docs.all(after, upTo)) if (this.heldOf(JSON.parse(doc) as Record<string, unknown>)) this.insert.run(id);
      };
    }
  }

  /**
   * The fill as statements another connection may run, in order (undefined when JavaScript decides
   * which documents go in): each range of rowids up to the last row now (rows written later go in as
   * they are written), then the merge step, run again while it changes two rows or more.
   */
  statements(): { ranges: { sql: string; params: unknown[] }[]; merge: string } | undefined {
    if (!this.rangeSql) return undefined;
    const { sql, params } = this.rangeSql;
    const lastRow = this.lastRow.get() ?? 0;
    const ranges: { sql: string; params: unknown[] }[] = [];
    for (let after = this.filledUpTo; after < lastRow; after += this.rowsPerStatement) ranges.push({ sql, params: [after, after + this.rowsPerStatement, ...params] });
    return { ranges, merge: this.mergeSql };
  }

  /**
   * Fills the next range of rows, then merges a step, on this connection (inside the caller's
   * transaction; the store does so when statements() has none); false once every row is in and merged.
   */
  fillNext(): boolean {
    if (this.filledUpTo < (this.lastRow.get() ?? 0)) {
      const upTo = this.filledUpTo + this.rowsPerStatement;
      this.fillRange(this.filledUpTo, upTo);
      this.filledUpTo = upTo;
      return true;
    }
    if (this.merged) return false;
    // FTS5 tells that a merge found nothing to do by changing fewer than two rows.
    const before = this.changes.get()!;
    this.merge.run();
    this.merged = this.changes.get()! - before < 2;
    return true;
  }

  /** Once fillNext() is false: the index under its own name, recorded with its partial filter, serving searches. */
  complete(): TextIndex {
    const name = textTableOf(this.physicalName);
    this.db.exec(`INSERT INTO ${this.ref.table} (${this.ref.table}, rank) VALUES ('automerge', ${AUTOMERGE})`);
    this.db.exec(`ALTER TABLE ${this.ref.table} RENAME TO ${quote(name)}`);
    this.db.prepare('INSERT OR REPLACE INTO read_text_indexes (name, partial_filter) VALUES (?, ?)').run(name, this.partialFilter ? JSON.stringify(this.partialFilter) : null);
    return TextIndex.made(this.db, this.docsTable, this.physicalName, this.fields, this.partialFilter);
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

function heldValueAt(doc: Record<string, unknown>, path: string): unknown {
  const value = valueAt(doc, path);
  // Only strings are indexed; anything else compares as its JSON (an object changed in place is a change).
  return typeof value === 'string' || value === undefined ? value : JSON.stringify(value);
}
