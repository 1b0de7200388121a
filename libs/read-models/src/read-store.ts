/** A Mongo-style query filter (`{ status: 'APPLIED', orderDate: { $gte: '2026-05-01' } }`). */
export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

export interface FindOptions {
  filter?: Filter;
  sort?: Sort;
  skip?: number;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Which event a change comes from. A document remembers, per source stream, the last revision
 * applied to it, so a redelivered or replayed event is skipped without transactions.
 */
export interface SourceVersion {
  streamId: string;
  revision: number;
}

/** A read-model document: plain JSON with a string id. */
export interface ReadDocument {
  id: string;
}

export interface ReadCollection<T extends ReadDocument> {
  get(id: string): Promise<T | undefined>;
  find(options?: FindOptions): Promise<Page<T>>;
  /**
   * Applies `change` to the document `id` once per source event: returns false (and writes nothing)
   * when the document already holds `source.revision` of `source.streamId` or a later one.
   * `change` receives undefined when the document does not exist yet, and returns the whole new document.
   */
  apply(id: string, source: SourceVersion, change: (current: T | undefined) => T): Promise<boolean>;
}

/** A first fill whose writes the store holds (ReadStore.holdFirstFill): end() writes them and writes through from then on. */
export interface HeldFirstFill {
  end(): Promise<void>;
}

/** How a text index is made (ReadStore.ensureTextIndex). */
export interface TextIndexOptions {
  /**
   * The index holds only the documents that match this filter, like MongoDB's partialFilterExpression:
   * what a list screen never shows without asking (deleted orders) stays out, so the index alone tells
   * how many documents a common word finds. A search whose filter does not imply it is answered
   * without the index; the answers are the same either way.
   */
  partialFilter?: Filter;
}

/** Where projections keep their documents and, beside them, their checkpoints. */
export interface ReadStore {
  /**
   * Chosen when the store's database is created, kept for its life (absent for a store that lives
   * only as long as its process). The consumer groups of the projections of other services' events
   * are named after it: they resume from their offsets while this database holds their documents,
   * and start again from the beginning of each topic when the database is new (dropped, or another
   * one), instead of skipping what it never received.
   */
  readonly instanceId?: string;
  collection<T extends ReadDocument>(name: string): ReadCollection<T>;
  /** Global store position (or bus offset) a projection has processed, kept with its data. */
  loadCheckpoint(projection: string): Promise<number | undefined>;
  saveCheckpoint(projection: string, position: number): Promise<void>;
  /** Empties a projection's (live) collections and drops its checkpoint, for a rebuild in place from position 0. */
  reset(projection: string, collections: string[]): Promise<void>;
  /**
   * Blue/green rebuilds: the version of a projection's collections the read side reads, 0 until a
   * rebuild promoted another one. Version n > 0 keeps collection `c` as `c@v<n>` and its checkpoint
   * as `<projection>@v<n>`, beside the live version.
   */
  liveVersion(projection: string): Promise<number>;
  /**
   * The store as version `version` of `projection` sees it: its collections and checkpoint are that
   * version's, every other collection and checkpoint is the live one. A rebuild writes here while the
   * read side keeps answering from the live version. `holdWrites`: its writes may be held in memory
   * until it is read, indexed or promoted (SqliteReadStore), for a writer whose progress is the
   * checkpoint it saves here (ProjectionRunner), never one whose progress is kept elsewhere (a bus
   * offset), which flush() and sync() do not cover then.
   */
  atVersion(projection: string, collections: string[], version: number, options?: { holdWrites?: boolean }): ReadStore;
  /**
   * Switches the read side to `version` (collection handles taken earlier included) and drops the
   * version it replaces, collections and checkpoint. Remembered across restarts where the store is durable.
   */
  promote(projection: string, collections: string[], version: number): Promise<void>;
  /**
   * Optional: the live version of `projection` is filled from the start (a first fill: no checkpoint
   * yet, such as a new read database). The store may hold its writes in memory as it holds those of a
   * version being rebuilt (atVersion's holdWrites), reads seeing them, until end() (the fill caught up
   * and indexed, or stopped). Only for a writer that saves its checkpoint here (ProjectionRunner).
   */
  holdFirstFill?(projection: string, collections: string[]): HeldFirstFill;
  /**
   * Optional: creates the indexes a collection's list screens need, one per combination of filters
   * and sort they use (`{ status: 1, orderDate: -1 }`), `id` being appended as the tie-breaker find()
   * sorts by. Idempotent, so a service may call it at every start. Stores that scan (the in-memory
   * one) make it a no-op.
   */
  ensureIndexes?(collection: string, indexes: Sort[]): Promise<void>;
  /**
   * Optional: makes now what those indexes will be made on when every write must keep it (the SQLite
   * store's key columns), so a fill indexed once it has caught up writes it row by row as it goes,
   * instead of reading every row again at ensureIndexes. Cheap on an empty collection; idempotent.
   */
  prepareIndexes?(collection: string, indexes: Sort[]): Promise<void>;
  /**
   * Optional: a text index on the fields a collection's list screens search with textSearch(), so a
   * new search term does not read every row. Idempotent (built from the documents when missing);
   * stores that scan, or have no such index yet (MongoDB), make it a no-op.
   */
  ensureTextIndex?(collection: string, fields: string[], options?: TextIndexOptions): Promise<void>;
  /**
   * Optional: keeps the total of `filter` from now on (counted once, unless the store saved it), so
   * the list that asks it first does not wait for a count: a list's default filter. Stores that
   * count on every ask (in memory, MongoDB with its indexes) make it a no-op.
   */
  ensureCount?(collection: string, filter: Filter): Promise<void>;
  /**
   * Optional: resolves once every write made so far is committed, for stores that group writes into
   * transactions (SQLite). A consumer whose progress is kept elsewhere (a bus offset) calls it before
   * that progress is saved, so the progress is never ahead of the documents.
   */
  flush?(): Promise<void>;
  close(): Promise<void>;
}
