import { Filter, FindOptions, Page, ReadCollection, ReadDocument, Sort, SourceVersion } from '../read-store';
import { assertSafeStreamId } from '../source-version';
import { predicateOf, scalarComparator, sortedByMingo } from '../in-memory/native-query';
import { orderBySql, translateFilter, withIdLast } from './sql-filter';
import { TextIndex } from './text-index';
import { KeyValuesBefore, NO_ROW } from './key-columns';
import { HeldDocument, Versions } from './held-fill';
import { rowCount, Table } from './table';
// A type only: the store makes its collections, and they call back into it.
import type { SqliteReadStore } from './sqlite-read-store';

/**
 * Rows the probe of find() reads in sort order: up to PROBE_FACTOR times the rows up to the page's
 * end (enough when the filter keeps one row in PROBE_FACTOR or more: one reseller of twenty and a
 * word of one row in five), never more than PROBE_ROWS. Reading them costs ~1 µs each, so a more
 * selective filter (one customer) loses a few ms before the planner's query answers.
 */
const PROBE_FACTOR = 200;
const PROBE_ROWS = 16_000;
/**
 * Matches up to which the text index answers a page of a text search. Its total (counted with the
 * index the first time, kept afterwards) tells: the index finds rows wherever they are, but it looks up
 * and sorts every match (~1 s for a common word's fifth of 1M rows), where a common word's page comes
 * sooner from rows read in sort order and checked one by one (one in five: page 1 after ~150 rows).
 */
const TEXT_LOOKUP_ROWS = 2_000;

/**
 * About how many rows a page's statement reads, ending at `end`, for where it runs (SqliteWorker), never
 * what it answers: `end` without a filter; before the filter's total (`matching`) is kept, every row;
 * read in sort order over the whole table (`scans`), as many more than `end` as its matches are rare
 * (spread evenly, as far as can be known); else about its matches, which an index narrows it to.
 */
function rowsToReach(end: number, matching: number | undefined, table: Table, { filtered, scans }: { filtered: boolean; scans: boolean }): number {
  if (!filtered) return end;
  if (!matching) return Infinity;
  return scans ? Math.ceil((end * table.rowsAbout()) / matching) : matching;
}

/**
 * A collection of the SQLite read store: its rows read, counted and paged in SQL over the indexes
 * (the probe and the scan worker where they pay), and apply() with the version guard, held while a
 * fill holds its documents (HeldFill).
 */
export class SqliteCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(
    private readonly store: SqliteReadStore,
    private readonly physicalName: string,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const held = this.store.heldDocuments(this.physicalName)?.get(id);
    // A copy, as a row read gives: the held document is the next change's.
    if (held) return held.doc && (JSON.parse(JSON.stringify(held.doc)) as T);
    const row = (this.store.opened(this.physicalName) ?? (await this.store.openTable(this.physicalName))).get.get(id);
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  async find(options: FindOptions = {}): Promise<Page<T>> {
    // Awaited only when there is something to write: a read otherwise starts at once, as it always did.
    if (this.store.heldDocuments(this.physicalName)) await this.store.writeHeldOf(this.physicalName);
    const table = this.store.opened(this.physicalName) ?? (await this.store.openTable(this.physicalName));
    // Writes until the rows are read (which may await the scan worker) make a total found here stale.
    const asOf = table.counts.writeCount;
    const filter = options.filter ?? {};
    // A text search is textSearch()'s `$or`; the index may serve it only as far as the rest allows.
    const { $or: search, ...conditions } = filter;
    const text = table.text?.serves(conditions, table.kinds) ? table.text : undefined;
    const { where, params, residual } = translateFilter(filter, table.kinds, text?.ref, table.keys);
    const orderBy = orderBySql(options.sort, table.kinds, table.keys);
    const skip = options.skip ?? 0;
    if (!residual && orderBy) {
      const searched = text !== undefined && where.includes(text.ref.table);
      const count = () => table.counts.total(filter, () => (searched ? this.countSearched(table, text, search, conditions, where, params) : this.countRows(table, where, params)));
      if (options.limit === 0) return { items: [], total: await count() };
      // A page past a kept total is empty: no row is read. A search without matches (or a short one
      // no index serves) otherwise scans every row again at each ask, seconds at 1M orders.
      const known = table.counts.known(filter);
      if (known !== undefined && skip >= known) return { items: [], total: known };
      const items =
        searched && (await count()) <= TEXT_LOOKUP_ROWS
          ? await this.page(table, filter, where, params, orderBy, skip, options.limit)
          : await this.pageInOrder(table, filter, searched ? translateFilter(filter, table.kinds, undefined, table.keys) : { where, params }, options.sort, orderBy, skip, options.limit);
      // A short page (not past the end) is the last one: its rows tell the total without counting.
      const last = options.limit === undefined || (items.length < options.limit && (items.length > 0 || skip === 0));
      // Nothing found is kept as a total of 0 (moved by later writes as any kept total), so asking
      // again reads no rows (above).
      if (last && skip + items.length === 0) table.counts.learn(filter, 0, asOf);
      return { items, total: last ? skip + items.length : await count() };
    }
    // SQL narrows down what it can (with its indexes), mingo answers the rest on those rows.
    const rows = await this.rows<{ doc: string }>(table, `SELECT json(doc) AS doc FROM ${table.name} WHERE ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''}`, params);
    let docs = rows.map((row) => JSON.parse(row.doc) as T & Record<string, unknown>);
    if (residual) docs = docs.filter(predicateOf(residual));
    if (!orderBy) {
      const sort = withIdLast(options.sort);
      const compare = scalarComparator(sort, docs);
      docs = compare ? docs.sort(compare) : sortedByMingo(docs, sort);
    }
    const end = options.limit !== undefined ? skip + options.limit : undefined;
    return { items: docs.slice(skip, end), total: docs.length };
  }

  /**
   * The rows of a query: in the scan worker when it may read many rows of a big table (SqliteWorker),
   * else here at once. `readsAbout`: how many rows it reads, as far as is known (a page's: rowsToReach);
   * a count reads every row it counts.
   */
  private rows<Row>(table: Table, sql: string, params: unknown[], readsAbout = Infinity): Promise<Row[]> | Row[] {
    return this.store.scanWorkerFor(table, readsAbout)?.all<Row>(sql, params) ?? table.all<Row>(sql, params);
  }

  private async countRows(table: Table, where: string, params: unknown[]): Promise<number> {
    return (await this.rows<{ n: number }>(table, `SELECT COUNT(*) AS n FROM ${table.name} WHERE ${where}`, params))[0].n;
  }

  /**
   * The total of a text search, counted from the smaller side: the rows the text index finds (each
   * then read for the other conditions), or the rows of the other conditions (their rowids met with
   * the index's). A common word among all orders is the first (a fifth of them), within one reseller
   * the second.
   * When the other conditions are exactly what the index holds (none, or its partial filter), the
   * index's own count is the total.
   */
  private async countSearched(table: Table, text: TextIndex, search: unknown, rest: Filter, where: string, params: unknown[]): Promise<number> {
    const lookup = translateFilter({ $or: search }, table.kinds, text.ref, table.keys);
    const others = translateFilter(rest, table.kinds, undefined, table.keys);
    if (lookup.residual || others.residual || !lookup.where.includes(text.ref.table)) return this.countRows(table, where, params);
    // In the scan worker for a big table: FTS5 counts a common word's 200,000 matches in 35–85 ms.
    const [{ n: found }] = await this.rows<{ n: number }>(table, text.countSql, [lookup.params[0]]);
    if (text.holdsExactly(rest)) return found;
    const kept = await table.counts.total(rest, () => this.countRows(table, others.where, others.params));
    if (found <= kept) return this.countRows(table, where, params);
    // Fewer rows than matches (a common word within one reseller): their rowids meet the index's in
    // SQL, read from the index that serves the other conditions, where LIKE would read every row
    // (1M orders: ~50–80 ms against 230–400).
    const matched = `SELECT rowid FROM ${text.ref.table} WHERE ${text.ref.table} MATCH ?`;
    const both = `SELECT COUNT(*) AS n FROM (SELECT rowid FROM ${table.name} WHERE ${others.where} INTERSECT ${matched})`;
    return (await this.rows<{ n: number }>(table, both, [...others.params, ...lookup.params]))[0].n;
  }

  /** A page of the planner's query (the LIMIT applied in SQL); `filter` is what `where` was made of. */
  private async page(table: Table, filter: Filter, where: string, params: unknown[], orderBy: string, skip: number, limit: number | undefined): Promise<T[]> {
    const sql = `SELECT json(doc) AS doc FROM ${table.name} WHERE ${where} ORDER BY ${orderBy} LIMIT ${rowCount(limit ?? -1)} OFFSET ${rowCount(skip)}`;
    const reads = limit === undefined ? Infinity : rowsToReach(skip + limit, table.counts.known(filter), table, { filtered: where !== '1', scans: table.scans(sql) });
    return (await this.rows<{ doc: string }>(table, sql, params, reads)).map((row) => JSON.parse(row.doc) as T);
  }

  /** A page from rows read in sort order: the probe, else the planner's query (without the text index). */
  private async pageInOrder(table: Table, filter: Filter, { where, params }: { where: string; params: unknown[] }, sort: Sort | undefined, orderBy: string, skip: number, limit: number | undefined): Promise<T[]> {
    return this.probe(table, where, params, sort, orderBy, skip, limit, table.counts.known(filter)) ?? this.page(table, filter, where, params, orderBy, skip, limit);
  }

  /**
   * An early page when the planner would sort: it picks the index of the equality filters (one
   * reseller's 50k orders at 1M) and sorts all their rows for the 30 of page 1, where reading the rows
   * in sort order from the sort's own index and keeping the matching ones stops after a few hundred.
   * SQLite does not weigh the LIMIT that way, so this tries it first, among the first PROBE_ROWS rows
   * in sort order: if the page is complete there, it is the page the full query would return (the
   * same order, id breaking ties); else the planner's query answers. Undefined when not tried or short.
   * Not tried when the filter's kept total (`matching`) says the rows it reads would hold too few
   * matches (one customer's among all resellers'), which only delayed the planner's answer.
   */
  private probe(table: Table, where: string, params: unknown[], sort: Sort | undefined, orderBy: string, skip: number, limit: number | undefined, matching: number | undefined): T[] | undefined {
    const wanted = skip + (limit ?? Infinity);
    if (wanted > PROBE_ROWS / 4 || where === '1') return undefined;
    const reads = Math.min(wanted * PROBE_FACTOR, PROBE_ROWS);
    if (matching !== undefined && matching * reads < wanted * table.rowsAbout()) return undefined;
    const full = `SELECT json(doc) AS doc FROM ${table.name} WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`;
    // Every column: the filter outside reads the key columns as well as the document.
    const inOrder = (rows: string) => `SELECT * FROM ${table.name} ORDER BY ${orderBy} LIMIT ${rows}`;
    if (!table.sorts(full) || table.sorts(inOrder('?'))) return undefined;
    // No ORDER BY outside: the subquery is read as it goes (in its index order), up to the page's end.
    const read = inOrder(rowCount(reads));
    const rows = table.all<{ doc: string }>(`SELECT json(doc) AS doc FROM (${read}) WHERE ${where} LIMIT ${rowCount(wanted)}`, params);
    if (rows.length < wanted) return undefined;
    const docs = rows.map((row) => JSON.parse(row.doc) as T & Record<string, unknown>);
    // SQL does not promise that order outside the subquery: checked, else the planner's query answers.
    const compare = scalarComparator(withIdLast(sort), docs);
    if (!compare || docs.some((doc, i) => i > 0 && compare(docs[i - 1], doc) > 0)) return undefined;
    return docs.slice(skip);
  }

  async apply(id: string, source: SourceVersion, change: (current: T | undefined) => T): Promise<boolean> {
    assertSafeStreamId(source.streamId);
    const held = this.store.heldDocuments(this.physicalName);
    if (held) return this.applyHeld(held, id, source, change);
    // Awaited only while a worker makes an index: a write otherwise goes at once, as it always did.
    const turn = this.store.writeTurn();
    if (turn) await turn;
    const table = this.store.table(this.physicalName);
    const row = table.get.get(id);
    const versions: Versions = row ? JSON.parse(row.versions) : {};
    const applied = versions[source.streamId];
    if (applied !== undefined && applied >= source.revision) return false;

    const current = row ? (JSON.parse(row.doc) as Record<string, unknown>) : undefined;
    // What the totals and the text index need of the document before change(), which may modify it.
    const before = rowBefore(table, current, current ? table.keys.valuesOf(current) : NO_ROW);
    const next = change(current as T | undefined);
    assertSameId(id, next);
    // The JSON text is the copy: a caller mutating `next` later changes nothing stored.
    this.store.writeRow(this.physicalName, table, id, JSON.stringify(next), { ...versions, [source.streamId]: source.revision }, before);
    return true;
  }

  /** apply() while the collection is being filled (HeldFill): the row is read once and written at the next flush. */
  private async applyHeld(held: Map<string, HeldDocument>, id: string, source: SourceVersion, change: (current: T | undefined) => T): Promise<boolean> {
    let document = held.get(id);
    if (!document) {
      const table = this.store.opened(this.physicalName) ?? (await this.store.openTable(this.physicalName));
      // Looked up again: another change of this document may have held it meanwhile.
      document = held.get(id) ?? this.hold(held, id, table);
    }
    const applied = document.versions[source.streamId];
    if (applied !== undefined && applied >= source.revision) return false;
    // A shallow copy: a change that sets fields of its `current` and then throws leaves the held one as it was.
    const next = change((document.doc && { ...document.doc }) as T | undefined);
    assertSameId(id, next);
    document.doc = next as unknown as Record<string, unknown>;
    document.versions[source.streamId] = source.revision;
    await this.store.heldChanged(document);
    return true;
  }

  private hold(held: Map<string, HeldDocument>, id: string, table: Table): HeldDocument {
    const row = table.get.get(id);
    const document: HeldDocument = {
      collection: this.physicalName,
      id,
      doc: row ? (JSON.parse(row.doc) as Record<string, unknown>) : undefined,
      versions: row ? (JSON.parse(row.versions) as Versions) : {},
      written: row !== undefined,
      dirty: false,
    };
    held.set(id, document);
    return document;
  }
}

function assertSameId(id: string, next: ReadDocument): void {
  if (next.id !== id) throw new Error(`Read model change for "${id}" returned a document with id "${String(next.id)}"`);
}

/** What the totals, the text index and the key columns counted of a document as its row held it. */
export interface RowBefore {
  counted: boolean[] | undefined;
  text: unknown[] | undefined;
  keys: KeyValuesBefore;
}

export function rowBefore(table: Table, doc: Record<string, unknown> | undefined, keys: KeyValuesBefore): RowBefore {
  return { counted: table.counts.before(doc), text: table.text?.heldOf(doc), keys };
}
