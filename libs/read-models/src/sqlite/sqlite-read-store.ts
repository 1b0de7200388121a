import { randomUUID } from 'crypto';
import Database from 'better-sqlite3';
import { openSqliteDatabase, SqliteSynchronous, WAL_AUTOCHECKPOINT_PAGES, WalSync, walSyncOf } from '@lp/eventsourcing/sqlite';
import { EventLoopShare } from '@lp/eventsourcing';
import { Filter, ReadCollection, ReadDocument, Sort, TextIndexOptions } from '../read-store';
import { LiveVersion, VersionedReadStore, versionedName } from '../versioned-read-store';
import { Kind } from './path-kinds';
import { fieldSql, withIdLast } from './sql-filter';
import { TEXT_INDEX_DEFINITIONS_SCHEMA, TextIndex, TextIndexFill } from './text-index';
import { WriteCounter } from './write-counter';
import { NO_ROW, ROW_UNREAD } from './key-columns';
import { SqliteWorker } from './sqlite-worker';
import { HeldDocument, HeldFill, HeldFillOptions, Versions } from './held-fill';
import { quote, rowEstimateSql, Table, tableOf } from './table';
import { ANALYSIS_LIMIT, OffTheLoop, ReadTable } from './off-the-loop';
import { WalCheckpointer } from './wal-checkpointer';
import { RowBefore, rowBefore, SqliteCollection } from './sqlite-collection';

/** A table's size for OffTheLoop, without opening it as a collection. */
const unopened = (db: Database.Database, name: string): ReadTable => ({
  rowsAbout: () => db.prepare<[], { rows: number | null }>(rowEstimateSql(name)).get()?.rows ?? 0,
  forgetPlans: () => undefined,
});

const isInMemory = (filename: string) => filename === ':memory:' || filename === '' || filename.startsWith('file::memory:');

export interface SqliteReadStoreOptions {
  filename: string;
  /**
   * 'NORMAL' (the default) may lose the last commits on power loss, never on a process crash. That
   * is fine for projections off the own event store: their checkpoint is committed with their data,
   * so whatever is lost is replayed. A projection fed by a bus whose offsets live in another file
   * needs sync() before the bus saves them (see InProcessEventBusOptions.beforeOffsetsSaved).
   */
  synchronous?: SqliteSynchronous;
  /** Writes after which a grouped transaction commits without waiting for the end of the tick (default 5000). */
  maxWritesPerCommit?: number;
  /**
   * How long a grouped transaction stays open after its first write (default 0: until the end of
   * the tick). Each commit writes every page it changed to the WAL again, and under load a page (an
   * index's last leaf) changes in every tick: a few milliseconds more gather those into one write.
   * Reads on this connection see the writes at once; flush(), sync() and close() commit at once.
   */
  commitDelayMs?: number;
  /**
   * Rows from which a statement runs in the scan worker (SqliteWorker; default 20,000, ~20 ms of reading
   * here): a count, or a page that reads about that many rows of a table at least that big. Fewer
   * are read at once: the worker's round trip would cost more. A database in memory is always read at
   * once (no other connection sees it). A table this big also gets a missing index made in a worker.
   */
  offThreadRows?: number;
  /** How a version being filled (a blue/green rebuild's, a first fill) holds its documents between writes (HeldFill). */
  heldFill?: HeldFillOptions;
  /** How long after a commit the WAL is copied into the file, in a worker (WalCheckpointer; default 1,000 ms). */
  checkpointIntervalMs?: number;
  /** Pages in the WAL from which a checkpoint also has it start over (WalCheckpointer; default WAL_AUTOCHECKPOINT_PAGES). */
  checkpointRestartPages?: number;
  /** A text index made over documents already there: rows read per statement [5,000], and how long it holds the event loop at most [EVENT_LOOP_SLICE_MS]. */
  textIndexFill?: { rowsPerStatement?: number; sliceMs?: number };
}

/** How the names of a collection's sort indexes begin; the keys follow (`orderDate-,id+`). They are made on key columns (KeyColumns). */
const indexPrefix = (physicalName: string) => `keys:${physicalName}:`;
/** The names earlier releases gave their indexes on the document's expressions: dropped once the ones on key columns exist. */
const expressionIndexPrefix = (physicalName: string) => `index:${physicalName}:`;
/**
 * Rows per statement of a new key column's fill (KeyColumns.beginFill): ~10 µs a row at 1M orders,
 * so a statement run on the event loop (a table under offThreadRows) holds it ~20 ms, and writes
 * wait about as long for a statement run in the worker.
 */
const KEY_FILL_ROWS = 2_000;
/**
 * Rows per statement when a version is emptied for a rebuild that starts over (clearCollection):
 * ~12 µs a row at 1M orders (each row's indexes, text and write-counter trigger), so the writes of
 * every other projection of the store wait ~60 ms at most for a statement run in the worker.
 */
const CLEAR_ROWS = 5_000;

/** The fields a collection's indexes are made on; only plain dotted names can be (fieldSql). */
function indexedPaths(physicalName: string, indexes: Sort[]): string[] {
  const paths = indexes.flatMap((index) => Object.keys(index));
  const unsafe = paths.find((path) => !fieldSql(path));
  if (unsafe) throw new Error(`Cannot index "${unsafe}" of ${physicalName}: only plain dotted field names can be indexed`);
  return paths;
}

/**
 * The name and `CREATE INDEX` of one sort's index, on the key columns (KeyColumns) find() orders and
 * filters by; IF NOT EXISTS, as two stores on one file may both make it.
 */
function indexDefinition(physicalName: string, table: Table, index: Sort): [name: string, sql: string] {
  const keys = Object.entries(withIdLast(index));
  const columns = keys.map(([path, direction]) => {
    // indexedPaths(), in preparePhysicalIndexes, refused any path fieldSql has no SQL for.
    const field = fieldSql(path, table.keys)!;
    return `${field} ${direction === -1 ? 'DESC' : 'ASC'}`;
  });
  const name = `${indexPrefix(physicalName)}${keys.map(([path, direction]) => `${path}${direction === -1 ? '-' : '+'}`).join(',')}`;
  return [name, `CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${table.name} (${columns.join(', ')})`];
}


/**
 * ReadStore in one SQLite file, for the embedded runtime: a table per physical collection (id, the
 * document as JSONB, the per-stream versions apply() guards with, a key column per indexed field),
 * indexes on those columns for the list screens' sorts (KeyColumns), `read_checkpoints` beside them
 * and `read_live_versions` for blue/green rebuilds.
 *
 * Writes are grouped: the first write opens a transaction, which commits at the end of the tick
 * (setImmediate) or `commitDelayMs` later, after `maxWritesPerCommit` writes, at flush(), sync() or close(). A projection writes its
 * documents before its checkpoint on this one connection, so whatever a crash keeps of that order is
 * a prefix: a checkpoint is never on disk without the documents before it, and events after the last
 * committed checkpoint are simply applied again (the version guard makes that harmless). Reads on the
 * same connection see the uncommitted writes, so a projection reads its own writes.
 *
 * find() turns the filters list screens use into SQL that the indexes serve (see sql-filter.ts) and
 * leaves the rest to mingo, on the rows SQL narrowed down.
 */
export class SqliteReadStore extends VersionedReadStore {
  /**
   * Chosen when the file is created, kept for its life: consumer groups named after it resume from
   * their offsets while this file holds their documents, and start again from the beginning of each
   * topic when the file is new (deleted, or moved away), instead of skipping what it never received.
   */
  readonly instanceId: string;
  private readonly db: Database.Database;
  private readonly walSync?: WalSync;
  /** Checkpoints the WAL in a worker; absent (a database in memory): nothing to checkpoint. */
  private readonly checkpointer?: WalCheckpointer;
  private readonly scanWorker?: SqliteWorker;
  /** Where statements that read a whole table run: an index worker for a big one (writeTurn). */
  private readonly offTheLoop: OffTheLoop;
  private readonly offThreadRows: number;
  private readonly textIndexFill: SqliteReadStoreOptions['textIndexFill'];
  private readonly tables = new Map<string, Table>();
  private readonly held: HeldFill;
  private readonly writeCounter: WriteCounter;
  private readonly maxWritesPerCommit: number;
  private writes = 0;
  private writesSinceAnalyze = 0;
  private analyzeAfterWrites = 2000;
  private commitScheduled = false;
  private commitTimer?: ReturnType<typeof setTimeout>;
  private readonly commitDelayMs: number;
  private readonly statements: {
    loadPosition: Database.Statement<[string], { position: number }>;
    savePosition: Database.Statement<[string, number]>;
    deletePosition: Database.Statement<[string]>;
    saveKind: Database.Statement<[string, string, string]>;
    forgetKinds: Database.Statement<[string]>;
    tableExists: Database.Statement<[string]>;
    loadCounts: Database.Statement<[string], { filter: string; total: number }>;
    saveCount: Database.Statement<[string, string, number]>;
    forgetCount: Database.Statement<[string, string]>;
    forgetCounts: Database.Statement<[string]>;
    totalChanges: Database.Statement<[], number>;
  };

  private constructor(options: SqliteReadStoreOptions) {
    super();
    this.maxWritesPerCommit = options.maxWritesPerCommit ?? 5000;
    this.commitDelayMs = options.commitDelayMs ?? 0;
    const synchronous = options.synchronous ?? 'NORMAL';
    this.db = openSqliteDatabase(options.filename, synchronous);
    this.walSync = walSyncOf(options.filename);
    this.offThreadRows = options.offThreadRows ?? 20_000;
    this.textIndexFill = options.textIndexFill;
    this.held = new HeldFill(
      {
        writeDocument: (document) => this.writeHeldDocument(document),
        savePosition: (key, position) => this.write(() => this.statements.savePosition.run(key, position)),
        writeTurn: () => this.writeTurn(),
      },
      options.heldFill,
    );
    if (!isInMemory(options.filename)) {
      this.scanWorker = new SqliteWorker(options.filename, { pragmas: ['busy_timeout = 5000'] });
      // No checkpoint inside a commit here: the checkpointer copies the WAL off the event loop.
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer(options.filename, {
        synchronous,
        intervalMs: options.checkpointIntervalMs,
        restartPages: options.checkpointRestartPages ?? WAL_AUTOCHECKPOINT_PAGES,
        whileWritesWait: (work) => this.offTheLoop.whileWritesWait(work),
        onFailure: (error) => {
          process.emitWarning(`Read store ${options.filename}: its WAL is checkpointed in its commits again, the worker failed: ${error instanceof Error ? error.message : String(error)}`);
          // Back to what openSqliteDatabase set: the WAL stays bounded.
          if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
        },
      });
    }
    this.offTheLoop = new OffTheLoop({
      // A database in memory: no other connection sees it.
      worker: isInMemory(options.filename) ? undefined : { filename: options.filename, synchronous },
      offThreadRows: this.offThreadRows,
      runHere: (sql, params) =>
        this.write(() => {
          const before = this.statements.totalChanges.get()!;
          if (params) this.db.prepare(sql).run(...params);
          else this.db.exec(sql);
          return this.statements.totalChanges.get()! - before;
        }),
      commit: () => this.commit(),
    });
    // A bigger page cache than the event store's: list pages are read from indexes of the big collections.
    this.db.pragma('cache_size = -131072');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS read_checkpoints (key TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS read_live_versions (projection TEXT PRIMARY KEY, version INTEGER NOT NULL, collections TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS read_path_kinds (collection TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (collection, path, kind));
      CREATE TABLE IF NOT EXISTS read_store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS read_counts (collection TEXT NOT NULL, filter TEXT NOT NULL, total INTEGER NOT NULL, PRIMARY KEY (collection, filter));
      ${TEXT_INDEX_DEFINITIONS_SCHEMA};
      ${WriteCounter.SCHEMA};`);
    this.writeCounter = new WriteCounter(this.db);
    const instance = this.db.prepare<[], { value: string }>("SELECT value FROM read_store_meta WHERE key = 'instance'");
    if (!instance.get()) this.db.prepare("INSERT OR IGNORE INTO read_store_meta (key, value) VALUES ('instance', ?)").run(randomUUID());
    this.instanceId = instance.get()!.value;
    this.statements = {
      loadPosition: this.db.prepare('SELECT position FROM read_checkpoints WHERE key = ?'),
      savePosition: this.db.prepare('INSERT INTO read_checkpoints (key, position) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET position = excluded.position'),
      deletePosition: this.db.prepare('DELETE FROM read_checkpoints WHERE key = ?'),
      saveKind: this.db.prepare('INSERT OR IGNORE INTO read_path_kinds (collection, path, kind) VALUES (?, ?, ?)'),
      forgetKinds: this.db.prepare('DELETE FROM read_path_kinds WHERE collection = ?'),
      tableExists: this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"),
      loadCounts: this.db.prepare('SELECT filter, total FROM read_counts WHERE collection = ?'),
      saveCount: this.db.prepare('INSERT INTO read_counts (collection, filter, total) VALUES (?, ?, ?) ON CONFLICT (collection, filter) DO UPDATE SET total = excluded.total'),
      forgetCount: this.db.prepare('DELETE FROM read_counts WHERE collection = ? AND filter = ?'),
      forgetCounts: this.db.prepare('DELETE FROM read_counts WHERE collection = ?'),
      totalChanges: this.db.prepare<[], number>('SELECT total_changes()').pluck(),
    };
    // Statistics let the planner pick between the indexes of a filter (a customer's orders: the
    // reseller+customer index with a skip-scan, not the date order); sampled, so cheap on big tables.
    this.db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
    if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs:%' LIMIT 1").get()) this.optimizeUnlessBusy();
    const live = this.db.prepare<[], { projection: string; version: number; collections: string }>('SELECT * FROM read_live_versions').all();
    for (const row of live) this.rememberLiveVersion(row.projection, { version: row.version, collections: JSON.parse(row.collections) });
  }

  /** Opens (or creates) the file; the live versions a previous process promoted are read at once. */
  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    return new SqliteReadStore(options);
  }

  /**
   * Commits the writes made so far. A projection fed by a bus calls it before its handler returns:
   * the bus saves its offset in another file, which must never be ahead of these documents.
   */
  async flush(): Promise<void> {
    // What a fill holds is not for it: a held fill's checkpoint is kept here, with its documents.
    this.commit();
  }

  /**
   * Makes every write so far durable (one fsync, in the thread pool). A bus whose offsets live in
   * another file awaits it before saving them durably, so that after a power loss no offset is past
   * documents this file lost.
   */
  async sync(): Promise<void> {
    if (!this.db.open) return;
    this.commit();
    await this.walSync?.sync();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // A checkpoint under way is finished first (it may wait for a turn of OffTheLoop), and no other begun.
    await this.checkpointer?.close();
    // An index a worker is making is finished first (its connection holds the write lock), and no other begun.
    await this.offTheLoop.stop();
    await this.held.flush();
    this.held.close();
    // Totals first counted by reads since the last write: saved too, so the next process has them.
    if ([...this.tables.values()].some((table) => table.counts.hasUnsaved)) this.write(() => undefined);
    clearTimeout(this.commitTimer);
    this.commit();
    await this.scanWorker?.close();
    // The checkpointer's connection is closed above: the store's, as the file's last, checkpoints what is left.
    await this.walSync?.close();
    this.db.close();
  }

  protected physicalCollection<T extends ReadDocument>(physicalName: string): ReadCollection<T> {
    return new SqliteCollection<T>(this, physicalName);
  }

  /**
   * One index per sort, on the key columns (KeyColumns) find() orders and filters by, `id` last as
   * find() sorts unless the sort places it (keys after `id` never change the order: they let a filter
   * on them be answered from the index, without reading the row); IF NOT EXISTS makes it cheap at
   * every start. A field no key column holds yet gets one first, filled from every row. The indexes
   * this store made for the collection that are no longer declared (an earlier release's on the
   * documents' expressions among them) are dropped once the declared ones exist: each would cost
   * every write and could still be chosen.
   */
  protected override async ensurePhysicalIndexes(physicalName: string, indexes: Sort[]): Promise<void> {
    await this.writeHeldOf(physicalName);
    await this.preparePhysicalIndexes(physicalName, indexes);
    const table = this.table(physicalName);
    const made = new Set(this.indexesOf(physicalName));
    const declared = new Map(indexes.map((index) => indexDefinition(physicalName, table, index)));
    const missing = [...declared].filter(([name]) => !made.has(name)).map(([, sql]) => sql);
    // An index made over rows already there (a first fill's, a rebuild's, a new declaration) has no
    // statistics until the table doubles: without them the planner never skip-scans an index past its
    // reseller for distributor staff's filters (a customer's rows) and reads every row instead. Sampled
    // (analysis_limit), yet ~130 ms at 1M orders: made where the indexes are, then read here.
    await this.offTheLoop.runEach(table, missing.length > 0 ? [...missing, `ANALYZE ${table.name}`] : []);
    await this.writeTurn();
    if (missing.length > 0) {
      // Loads what the worker's ANALYZE wrote: a connection otherwise loads statistics with its schema only.
      this.db.exec('ANALYZE sqlite_schema');
      table.forgetPlans();
    }
    const undeclared = this.indexesOf(physicalName).filter((name) => !declared.has(name));
    for (const name of undeclared) this.write(() => this.db.exec(`DROP INDEX IF EXISTS ${quote(name)}`));
  }

  /**
   * @internal Undefined when this connection may write now; else settles when it may: a worker is
   * making an index and holds the file's one write lock (OffTheLoop). Every async path that writes
   * awaits it before its writes; a write that did not would block the event loop until the index is
   * made (busy_timeout), as it did when indexes were made here.
   */
  writeTurn(): Promise<void> | undefined {
    return this.offTheLoop.writeTurn();
  }

  /**
   * The key columns of the indexes (before a fill that is indexed once caught up: its rows are written
   * with them). A field that has none yet gets one, filled from the rows there a range at a time
   * (KeyColumns.beginFill) off the event loop as an index is made, and read once filled.
   */
  protected override async preparePhysicalIndexes(physicalName: string, indexes: Sort[]): Promise<void> {
    const paths = indexedPaths(physicalName, indexes);
    // One fill of a collection's columns at a time: a second would fill columns the first renames.
    for (;;) {
      await this.writeTurn();
      const running = this.table(physicalName).keysFilled;
      if (!running) break;
      await running.catch(() => undefined);
    }
    const table = this.table(physicalName);
    const fill = this.write(() => table.keys.beginFill(paths, KEY_FILL_ROWS));
    if (!fill) return;
    const filled = (async () => {
      await this.offTheLoop.runEach(table, fill.statements);
      await this.writeTurn();
      this.write(() => table.keys.completeFill(fill.paths));
      table.forgetPlans();
    })();
    table.keysFilled = filled;
    try {
      await filled;
    } finally {
      if (table.keysFilled === filled) table.keysFilled = undefined;
    }
  }

  /** The indexes ensurePhysicalIndexes made for a collection (named by indexPrefix), and those of earlier releases. */
  private indexesOf(physicalName: string): string[] {
    const prefixes = [indexPrefix(physicalName), expressionIndexPrefix(physicalName)];
    return this.db
      .prepare<[string], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`)
      .all(`docs:${physicalName}`)
      .map((row) => row.name)
      .filter((name) => prefixes.some((prefix) => name.startsWith(prefix)));
  }

  /** The trigram index of a collection's searched fields (text-index.ts), built from its documents when missing or declared otherwise, a range of rows at a time. */
  protected override async ensurePhysicalTextIndex(physicalName: string, fields: string[], options: TextIndexOptions = {}): Promise<void> {
    await this.writeHeldOf(physicalName);
    await this.writeTurn();
    const table = this.table(physicalName);
    // The same index already there, or being filled by an earlier call: done when that fill is.
    if (table.text?.isDeclaredAs(fields, options.partialFilter)) return table.textFilled;
    const fill = this.write(() => TextIndex.begin(this.db, table.name, physicalName, fields, options.partialFilter, table.kinds, this.textIndexFill?.rowsPerStatement));
    table.text = fill;
    table.forgetPlans();
    const filled = this.fillTextIndex(physicalName, table, fill);
    table.textFilled = filled;
    try {
      await filled;
    } finally {
      if (table.textFilled === filled) table.textFilled = undefined;
    }
  }

  /**
   * A range of rows at a time (TextIndexFill), off the event loop as an index is made (OffTheLoop):
   * at 1M orders a range's commit held the loop ~70 ms here, ~210 ms with a WAL checkpoint in it.
   * A fill whose documents JavaScript picks (a partial filter SQL cannot decide) stays here, the
   * loop handed over between ranges. Then it serves searches.
   */
  private async fillTextIndex(physicalName: string, table: Table, fill: TextIndexFill): Promise<void> {
    const stillThis = () => this.tables.get(physicalName)?.text === fill;
    const statements = fill.statements();
    if (statements) {
      await this.offTheLoop.run(
        table,
        async (run) => {
          for (const range of statements.ranges) {
            if (!stillThis()) return;
            await run(range.sql, range.params);
          }
          // FTS5 tells that a merge step found nothing to do by changing fewer than two rows.
          while (stillThis() && (await run(statements.merge, [])) >= 2);
        },
        this.textIndexFill?.sliceMs,
      );
    } else {
      const share = new EventLoopShare(this.textIndexFill?.sliceMs);
      for (;;) {
        await this.writeTurn();
        if (!stillThis() || !this.write(() => fill.fillNext())) break;
        await share.handOverIfDue();
      }
    }
    await this.writeTurn();
    // The collection dropped, or its index declared otherwise meanwhile (a fill of its own): not this one's to finish.
    if (!stillThis()) return;
    table.text = this.write(() => fill.complete());
    table.forgetPlans();
  }

  /** A list's default total, counted now if not saved, and never forgotten to make room (LiveCounts.pin). */
  protected override async ensurePhysicalCount(physicalName: string, filter: Filter): Promise<void> {
    await this.physicalCollection(physicalName).find({ filter, limit: 0 });
    this.table(physicalName).counts.pin(filter);
  }

  protected async loadPosition(key: string): Promise<number | undefined> {
    return this.held.checkpoint(key) ?? this.statements.loadPosition.get(key)?.position;
  }

  protected async savePosition(key: string, position: number): Promise<void> {
    await this.writeTurn();
    if (this.held.holdsCheckpoint(key)) this.held.saveCheckpoint(key, position);
    else this.write(() => this.statements.savePosition.run(key, position));
  }

  protected async deletePosition(key: string): Promise<void> {
    await this.writeTurn();
    this.held.forgetCheckpoint(key);
    this.write(() => this.statements.deletePosition.run(key));
  }

  protected override beginFill(checkpointKey: string, physicalNames: string[]): void {
    this.held.begin(checkpointKey, physicalNames);
  }

  protected override async endFill(checkpointKey: string): Promise<void> {
    await this.held.end(checkpointKey);
  }

  /**
   * The rows of a version a rebuild starts over in (an interrupted rebuild's), then what was kept of
   * them. The rows go off the event loop for a big table (OffTheLoop), a range of CLEAR_ROWS rowids per
   * statement: one statement over 1M of 注文一覧's rows held the loop 8.9 s, and in the worker it would
   * hold every other projection's writes as long. A crash between the two leaves a text index and
   * totals of rows that are gone, in a version nobody reads; the rebuild that starts over clears it
   * again first.
   */
  protected async clearCollection(physicalName: string): Promise<void> {
    await this.writeTurn();
    this.held.forget(physicalName);
    const table = this.table(physicalName);
    const ranges: string[] = [];
    const lastRow = table.rowsAbout();
    for (let upTo = CLEAR_ROWS; upTo < lastRow; upTo += CLEAR_ROWS) ranges.push(`DELETE FROM ${table.name} WHERE rowid <= ${upTo}`);
    // The last one without a bound: whatever lies past the ranges.
    await this.offTheLoop.runEach(table, [...ranges, `DELETE FROM ${table.name}`]);
    await this.writeTurn();
    this.write(() => {
      table.text?.clear();
      this.statements.forgetKinds.run(physicalName);
      this.statements.forgetCounts.run(physicalName);
      table.counts.clear();
    });
    table.kinds.clear();
  }

  /**
   * A replaced version's collection, once promote() has moved the read side off it (a crash between
   * leaves it as garbage, never read). Its rows go last, off the event loop for a big table (OffTheLoop):
   * the drop of 注文一覧's 100,000 rows held the loop 58 ms, the longest hold left of a rebuild.
   */
  protected async dropCollection(physicalName: string): Promise<void> {
    await this.writeTurn();
    this.held.forget(physicalName);
    // Not opened for that (opening may write): only its size is needed.
    const name = tableOf(physicalName);
    const table = this.tables.get(physicalName) ?? (this.statements.tableExists.get(`docs:${physicalName}`) ? unopened(this.db, name) : undefined);
    this.write(() => {
      TextIndex.drop(this.db, physicalName);
      this.writeCounter.forget(physicalName);
      this.statements.forgetKinds.run(physicalName);
      this.statements.forgetCounts.run(physicalName);
    });
    this.tables.delete(physicalName);
    if (table) await this.offTheLoop.runEach(table, [`DROP TABLE IF EXISTS ${name}`]);
    // Opened meanwhile (nothing reads a replaced version, but a stray read would): its statements are gone with it.
    this.tables.delete(physicalName);
  }

  protected async persistLiveVersion(projection: string, live: LiveVersion): Promise<void> {
    // Promoted: read from now on, so written through from now on.
    await this.held.end(versionedName(projection, live.version));
    await this.writeTurn();
    this.write(() =>
      this.db
        .prepare('INSERT INTO read_live_versions (projection, version, collections) VALUES (?, ?, ?) ON CONFLICT (projection) DO UPDATE SET version = excluded.version, collections = excluded.collections')
        .run(projection, live.version, JSON.stringify(live.collections)),
    );
    // An operator was told the rebuild is live: committed now, with the rebuilt data written before it.
    this.commit();
  }

  /**
   * @internal table(), for a path that has not waited for its write turn: opening a collection for the
   * first time may write (its table created, or its key columns renamed to be filled again), which
   * would hold the event loop while a worker makes an index (writeTurn). Callers take an open one at
   * once (opened), so a read still starts in the call that asked it.
   */
  async openTable(physicalName: string): Promise<Table> {
    await this.writeTurn();
    return this.table(physicalName);
  }

  /** @internal The collection's table when it is open already. */
  opened(physicalName: string): Table | undefined {
    return this.tables.get(physicalName);
  }

  /** @internal The collection's table, created on first use, with what its paths held so far. */
  table(physicalName: string): Table {
    let table = this.tables.get(physicalName);
    if (!table) {
      const name = tableOf(physicalName);
      // Only a missing table, or one other code wrote, costs a write: reading a collection must not take the write lock.
      let otherCodeWrote = false;
      if (!this.statements.tableExists.get(`docs:${physicalName}`)) {
        this.write(() => {
          this.db.exec(`CREATE TABLE IF NOT EXISTS ${name} (id TEXT PRIMARY KEY, doc BLOB NOT NULL, versions TEXT NOT NULL)`);
          this.writeCounter.startCounting(physicalName, `docs:${physicalName}`);
        });
      } else if (!this.writeCounter.onlyThisCodeWrote(physicalName, `docs:${physicalName}`)) {
        // Other code wrote the documents (or made the table) without keeping what is kept beside
        // them: the saved totals are counted again when asked, the text index made again when
        // ensured, the key columns filled again from the documents when ensured (below; unread until
        // then).
        otherCodeWrote = true;
        this.write(() => {
          this.writeCounter.startCounting(physicalName, `docs:${physicalName}`);
          this.statements.forgetCounts.run(physicalName);
          TextIndex.drop(this.db, physicalName);
        });
      }
      table = new Table(this.db, name, `docs:${physicalName}`);
      const keys = table.keys;
      if (otherCodeWrote) this.write(() => keys.fillAgain());
      table.text = TextIndex.existing(this.db, name, physicalName);
      // A fill an earlier process did not finish (it crashed, or closed mid-fill): never read, so not kept.
      if (TextIndex.unfinishedFill(this.db, physicalName)) this.write(() => TextIndex.dropUnfinishedFill(this.db, physicalName));
      const known = this.db.prepare<[string], { path: string; kind: Kind }>('SELECT path, kind FROM read_path_kinds WHERE collection = ?').all(physicalName);
      for (const { path, kind } of known) table.kinds.add(path, kind);
      for (const { filter, total } of this.statements.loadCounts.all(physicalName)) table.counts.restore(filter, total);
      this.tables.set(physicalName, table);
    }
    return table;
  }

  /**
   * @internal The scan worker, for a statement that reads about `readsAbout` rows of `table`, when
   * both are offThreadRows or more; the writes so far committed first, so the worker reads them.
   * Undefined: read it here, at once.
   */
  scanWorkerFor(table: Table, readsAbout: number): SqliteWorker | undefined {
    if (!this.scanWorker || readsAbout < this.offThreadRows || table.rowsAbout() < this.offThreadRows) return undefined;
    this.commit();
    return this.scanWorker;
  }

  /** @internal The held documents of a collection being filled (HeldFill); undefined when it is written through. */
  heldDocuments(physicalName: string): Map<string, HeldDocument> | undefined {
    return this.held.documents(physicalName);
  }

  /** @internal A held document changed: written with a later flush; the older half of what is held now, when enough are waiting. */
  async heldChanged(document: HeldDocument): Promise<void> {
    this.held.changed(document);
    if (this.held.due) await this.held.flushOlderHalf();
  }

  /** @internal Before a read or an index sees a collection being filled: what it holds is written. */
  async writeHeldOf(physicalName: string): Promise<void> {
    if (this.held.documents(physicalName)) await this.held.flush();
  }

  /**
   * @internal Writes a document's row, and what is kept beside it (its text index entry, its paths'
   * kinds, the totals), in the grouped transaction. `before`: what they counted of the row before.
   */
  writeRow(physicalName: string, table: Table, id: string, json: string, versions: Versions, before: RowBefore): Record<string, unknown> {
    const stored = JSON.parse(json) as Record<string, unknown>;
    const textAfter = table.text?.heldOf(stored);
    this.write(() => {
      table.keys.put(id, json, JSON.stringify(versions), before.keys, stored);
      table.text?.rewrite(id, before.text, textAfter);
      this.learnKinds(physicalName, table, stored);
      // Before the write may commit: the totals saved with a commit count the documents in it.
      table.counts.after(before.counted, stored);
    });
    return stored;
  }

  private writeHeldDocument(document: HeldDocument): void {
    const table = this.table(document.collection);
    // The row as written last is read only when something kept beside it (a total, the text index) counted it:
    // a rebuild makes those once filled.
    const counted = document.written && (table.counts.keepsAny || table.text !== undefined);
    const row = counted ? table.get.get(document.id) : undefined;
    const doc = row && (JSON.parse(row.doc) as Record<string, unknown>);
    // Not read: every key column is set (a rebuild writes most rows once).
    const keys = doc ? table.keys.valuesOf(doc) : document.written ? ROW_UNREAD : NO_ROW;
    const before = rowBefore(table, doc, keys);
    // From now on the held document is the store's own copy, no longer the object a change returned.
    document.doc = this.writeRow(document.collection, table, document.id, JSON.stringify(document.doc), document.versions, before);
    document.written = true;
  }

  /** @internal Records the kinds a written document brought that its collection never held before. */
  learnKinds(physicalName: string, table: Table, doc: Record<string, unknown>): void {
    for (const [path, kind] of table.kinds.learn(doc)) this.statements.saveKind.run(physicalName, path, kind);
  }

  /** @internal Runs a write inside the current grouped transaction, opening one if needed. */
  write<R>(work: () => R): R {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.writes = 0;
      if (!this.commitScheduled) {
        this.commitScheduled = true;
        const commit = () => {
          this.commitScheduled = false;
          this.commit();
        };
        if (this.commitDelayMs > 0) this.commitTimer = setTimeout(commit, this.commitDelayMs);
        else setImmediate(commit);
      }
    }
    const result = work();
    if (++this.writes >= this.maxWritesPerCommit) this.commit();
    return result;
  }

  /** The totals that changed, in the transaction that holds the documents they count. */
  private saveCounts(): void {
    for (const [physicalName, table] of this.tables) {
      const { changed, forgotten } = table.counts.unsaved();
      for (const [filter, total] of changed) this.statements.saveCount.run(physicalName, filter, total);
      for (const filter of forgotten) this.statements.forgetCount.run(physicalName, filter);
    }
  }

  /**
   * Statistics at open, as SQLite recommends for a connection that lives long: only the tables never
   * analyzed or grown much since (a full ANALYZE took 0.25-0.75 s at every start with 1M orders; this
   * ~10 ms). Another connection writing (a process still closing) is not worth waiting for: the next
   * growth analyzes.
   */
  private optimizeUnlessBusy(): void {
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.pragma('optimize = 0x10002');
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    } finally {
      this.db.pragma('busy_timeout = 5000');
    }
  }

  private commit(): void {
    if (!this.db.open || !this.db.inTransaction) return;
    this.saveCounts();
    for (const physicalName of this.tables.keys()) this.writeCounter.keep(physicalName);
    this.db.exec('COMMIT');
    if (this.checkpointer?.committed()) this.db.pragma('wal_checkpoint(PASSIVE)');
    this.writesSinceAnalyze += this.writes;
    // Statistics again each time the data may have doubled: a replay grows tables from nothing.
    if (this.writesSinceAnalyze >= this.analyzeAfterWrites) {
      this.db.exec('ANALYZE');
      for (const table of this.tables.values()) table.forgetPlans();
      this.writesSinceAnalyze = 0;
      this.analyzeAfterWrites = Math.min(this.analyzeAfterWrites * 2, 1_000_000);
    }
  }
}
