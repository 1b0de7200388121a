import { Filter, FindOptions, HeldFirstFill, Page, ReadCollection, ReadDocument, ReadStore, Sort, SourceVersion, TextIndexOptions } from './read-store';

/** Where version `version` of a collection (or a checkpoint) lives: the plain name for 0, else `<name>@v<version>`. */
export function versionedName(name: string, version: number): string {
  return version === 0 ? name : `${name}@v${version}`;
}

/** Which version of a projection the read side reads, and the collections that version has. */
export interface LiveVersion {
  version: number;
  collections: string[];
}

/**
 * A handle that finds its physical collection at every call, so a handle a service took at start
 * reads the new version as soon as a blue/green rebuild promotes it.
 */
class LateBoundCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(private readonly resolve: () => ReadCollection<T>) {}

  get(id: string): Promise<T | undefined> {
    return this.resolve().get(id);
  }

  find(options?: FindOptions): Promise<Page<T>> {
    return this.resolve().find(options);
  }

  apply(id: string, source: SourceVersion, change: (current: T | undefined) => T): Promise<boolean> {
    return this.resolve().apply(id, source, change);
  }
}

/**
 * The versioning both adapters share (Marten's blue/green rebuilds, Emmett's versioned collections):
 * callers name collections and checkpoints logically, this class maps them to the live version's
 * physical names, and an adapter only provides the physical operations below.
 */
export abstract class VersionedReadStore implements ReadStore {
  private readonly live = new Map<string, LiveVersion>();
  /** Live version by logical collection name, for collection() on the hot path. */
  private readonly versionOfCollection = new Map<string, number>();
  private readonly handles = new Map<string, ReadCollection<ReadDocument>>();

  protected abstract physicalCollection<T extends ReadDocument>(physicalName: string): ReadCollection<T>;
  protected abstract loadPosition(key: string): Promise<number | undefined>;
  protected abstract savePosition(key: string, position: number): Promise<void>;
  protected abstract deletePosition(key: string): Promise<void>;
  /** Empties a collection and keeps its indexes (a rebuild in place refills it at once). */
  protected abstract clearCollection(physicalName: string): Promise<void>;
  /** Removes a collection for good (a replaced version). */
  protected abstract dropCollection(physicalName: string): Promise<void>;
  protected abstract persistLiveVersion(projection: string, live: LiveVersion): Promise<void>;
  abstract close(): Promise<void>;

  protected async ensurePhysicalIndexes(_physicalName: string, _indexes: Sort[]): Promise<void> {
    // Stores that scan have none to create.
  }

  protected async preparePhysicalIndexes(_physicalName: string, _indexes: Sort[]): Promise<void> {
    // Only stores whose indexes need something written with each row.
  }

  protected async ensurePhysicalTextIndex(_physicalName: string, _fields: string[], _options?: TextIndexOptions): Promise<void> {
    // Only stores that have a text index create one.
  }

  protected async ensurePhysicalCount(_physicalName: string, _filter: Filter): Promise<void> {
    // Only stores that keep totals keep one.
  }

  /**
   * A version nobody reads yet is about to be filled (atVersion with holdWrites, of a version that is
   * not live): an adapter may hold its writes in memory until it is read, indexed or promoted (SqliteReadStore).
   */
  protected beginFill(_checkpointKey: string, _physicalNames: string[]): void {
    // Written through by default.
  }

  /** The fill begun with `checkpointKey` is over: what it holds is written, and written through from now on. */
  protected async endFill(_checkpointKey: string): Promise<void> {
    // Nothing held by default.
  }

  holdFirstFill(projection: string, collections: string[]): HeldFirstFill {
    const version = this.versionOf(projection);
    const key = versionedName(projection, version);
    this.beginFill(key, collections.map((name) => versionedName(name, version)));
    return { end: () => this.endFill(key) };
  }

  /** Called by adapters that load the live versions persisted by an earlier process. */
  protected rememberLiveVersion(projection: string, live: LiveVersion): void {
    const previous = this.live.get(projection);
    for (const name of previous?.collections ?? []) this.versionOfCollection.delete(name);
    this.live.set(projection, { version: live.version, collections: [...live.collections] });
    for (const name of live.collections) this.versionOfCollection.set(name, live.version);
  }

  /** Adapters refuse names they keep for themselves (at once, not at the first read). */
  protected assertCollectionName(_name: string): void {
    // Any name will do by default.
  }

  collection<T extends ReadDocument>(name: string): ReadCollection<T> {
    this.assertCollectionName(name);
    return new LateBoundCollection<T>(() => this.physical<T>(versionedName(name, this.versionOfCollection.get(name) ?? 0)));
  }

  async loadCheckpoint(projection: string): Promise<number | undefined> {
    return this.loadPosition(versionedName(projection, this.versionOf(projection)));
  }

  async saveCheckpoint(projection: string, position: number): Promise<void> {
    await this.savePosition(versionedName(projection, this.versionOf(projection)), position);
  }

  async reset(projection: string, collections: string[]): Promise<void> {
    await this.resetVersion(projection, collections, this.versionOf(projection));
  }

  async ensureIndexes(collection: string, indexes: Sort[]): Promise<void> {
    await this.ensurePhysicalIndexes(versionedName(collection, this.versionOfCollection.get(collection) ?? 0), indexes);
  }

  async prepareIndexes(collection: string, indexes: Sort[]): Promise<void> {
    await this.preparePhysicalIndexes(versionedName(collection, this.versionOfCollection.get(collection) ?? 0), indexes);
  }

  async ensureTextIndex(collection: string, fields: string[], options?: TextIndexOptions): Promise<void> {
    await this.ensurePhysicalTextIndex(versionedName(collection, this.versionOfCollection.get(collection) ?? 0), fields, options);
  }

  async ensureCount(collection: string, filter: Filter): Promise<void> {
    await this.ensurePhysicalCount(versionedName(collection, this.versionOfCollection.get(collection) ?? 0), filter);
  }

  async liveVersion(projection: string): Promise<number> {
    return this.versionOf(projection);
  }

  atVersion(projection: string, collections: string[], version: number, options: { holdWrites?: boolean } = {}): ReadStore {
    const owned = new Set(collections);
    if (options.holdWrites && version !== this.versionOf(projection)) this.beginFill(versionedName(projection, version), collections.map((name) => versionedName(name, version)));
    const root: ReadStore = this;
    const view: ReadStore = {
      collection: <T extends ReadDocument>(name: string) =>
        owned.has(name) ? this.physical<T>(versionedName(name, version)) : root.collection<T>(name),
      loadCheckpoint: (name) => (name === projection ? this.loadPosition(versionedName(name, version)) : root.loadCheckpoint(name)),
      saveCheckpoint: (name, position) =>
        name === projection ? this.savePosition(versionedName(name, version), position) : root.saveCheckpoint(name, position),
      reset: (name, names) => (name === projection ? this.resetVersion(name, names, version) : root.reset(name, names)),
      ensureIndexes: (name, indexes) =>
        owned.has(name) ? this.ensurePhysicalIndexes(versionedName(name, version), indexes) : root.ensureIndexes!(name, indexes),
      prepareIndexes: (name, indexes) =>
        owned.has(name) ? this.preparePhysicalIndexes(versionedName(name, version), indexes) : root.prepareIndexes!(name, indexes),
      ensureTextIndex: (name, fields, options) =>
        owned.has(name) ? this.ensurePhysicalTextIndex(versionedName(name, version), fields, options) : root.ensureTextIndex!(name, fields, options),
      ensureCount: (name, filter) => (owned.has(name) ? this.ensurePhysicalCount(versionedName(name, version), filter) : root.ensureCount!(name, filter)),
      liveVersion: (name) => root.liveVersion(name),
      atVersion: (name, names, other, options) => root.atVersion(name, names, other, options),
      promote: (name, names, other) => root.promote(name, names, other),
      // One connection: a bus projection's rebuild commits its writes before the bus saves its offset.
      ...(root.flush && { flush: () => root.flush!() }),
      // The view borrows the store's connection; closing it is the store owner's business.
      close: async () => undefined,
    };
    return view;
  }

  async promote(projection: string, collections: string[], version: number): Promise<void> {
    const replaced = this.live.get(projection) ?? { version: 0, collections };
    if (replaced.version === version) return;
    // Persisted first: a crash after this line leaves the old version as garbage, never the read side on it.
    await this.persistLiveVersion(projection, { version, collections });
    this.rememberLiveVersion(projection, { version, collections });
    for (const name of replaced.collections) {
      const physical = versionedName(name, replaced.version);
      this.handles.delete(physical);
      await this.dropCollection(physical);
    }
    await this.deletePosition(versionedName(projection, replaced.version));
  }

  private versionOf(projection: string): number {
    return this.live.get(projection)?.version ?? 0;
  }

  private async resetVersion(projection: string, collections: string[], version: number): Promise<void> {
    for (const name of collections) await this.clearCollection(versionedName(name, version));
    await this.deletePosition(versionedName(projection, version));
  }

  private physical<T extends ReadDocument>(physicalName: string): ReadCollection<T> {
    let handle = this.handles.get(physicalName);
    if (!handle) this.handles.set(physicalName, (handle = this.physicalCollection(physicalName)));
    return handle as unknown as ReadCollection<T>;
  }
}
