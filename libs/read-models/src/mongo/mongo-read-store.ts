import { randomUUID } from 'crypto';
import mongoose, { Connection, mongo } from 'mongoose';
import { Filter, FindOptions, Page, ReadCollection, ReadDocument, SourceVersion, Sort } from '../read-store';
import { LiveVersion, VersionedReadStore } from '../versioned-read-store';
import { assertSafeStreamId, VERSIONS_FIELD } from '../source-version';
import { ensureDeclaredIndexes } from './declared-indexes';
import { INDEX_CLAIMS, IndexClaims, IndexClaimsOptions } from './index-claims';

/** A document as stored: the caller's JSON with `id` moved to `_id`, plus the hidden versions per source stream. */
type Stored = { _id: string; [VERSIONS_FIELD]?: Record<string, number>; [field: string]: unknown };

const CHECKPOINTS = 'checkpoints';
const VERSIONS = 'projection_versions';
const META = 'read_store_meta';
const RESERVED = [CHECKPOINTS, VERSIONS, META, INDEX_CLAIMS];
const DUPLICATE_KEY = 11000;
/** Each lost race means another writer succeeded, so this only trips on a runaway retry loop. */
const MAX_ATTEMPTS = 100;
const WITHOUT_VERSIONS = { projection: { [VERSIONS_FIELD]: 0 } };

/** JSON round trip: the store keeps only plain JSON (as the in-memory adapter does), never a caller's live object. */
const jsonClone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function fromStored<T extends ReadDocument>(stored: Stored): T {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _id, [VERSIONS_FIELD]: versions, ...fields } = stored;
  return { id: _id, ...fields } as unknown as T;
}

function toStored(doc: ReadDocument, versions: Record<string, number>): Stored {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { id, ...fields } = jsonClone(doc);
  return { _id: doc.id, ...fields, [VERSIONS_FIELD]: versions };
}

/** Callers say `id`; the server keeps it as `_id`. Rewrites field names in a filter, through $and/$or/$nor. */
function toMongoFilter(filter: Filter): mongo.Filter<Stored> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((branch: Filter) => toMongoFilter(branch));
    } else {
      out[key === 'id' ? '_id' : key] = value;
    }
  }
  return out as mongo.Filter<Stored>;
}

/** The sort find() uses and ensureIndexes() indexes: the caller's keys, then `_id` so pages neither overlap nor miss. */
function toMongoSort(sort: Sort = {}): Record<string, 1 | -1> {
  const out: Record<string, 1 | -1> = {};
  for (const [key, direction] of Object.entries({ ...sort, id: sort.id ?? 1 })) out[key === 'id' ? '_id' : key] = direction;
  return out;
}

/**
 * ReadCollection over one MongoDB collection. apply() is the optimistic version guard described on
 * the in-memory adapter: one conditional write per document, no transactions (mongo-java-server and
 * FerretDB have none, and a standalone mongod neither).
 */
class MongoCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(private readonly docs: mongo.Collection<Stored>) {}

  async get(id: string): Promise<T | undefined> {
    const stored = await this.docs.findOne({ _id: id }, WITHOUT_VERSIONS);
    return stored ? fromStored<T>(stored) : undefined;
  }

  async find(options: FindOptions = {}): Promise<Page<T>> {
    const filter = toMongoFilter(options.filter ?? {});
    // limit 0 means "no limit" to the server but "nothing" to callers (and to the in-memory adapter).
    const items =
      options.limit === 0
        ? Promise.resolve([])
        : this.docs
            .find(filter, { ...WITHOUT_VERSIONS, sort: toMongoSort(options.sort), skip: options.skip, limit: options.limit })
            .toArray();
    const [found, total] = await Promise.all([items, this.docs.countDocuments(filter)]);
    return { items: found.map((stored) => fromStored<T>(stored)), total };
  }

  async apply(id: string, source: SourceVersion, change: (current: T | undefined) => T): Promise<boolean> {
    assertSafeStreamId(source.streamId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.docs.findOne({ _id: id });
      const versions = stored?.[VERSIONS_FIELD];
      const applied = versions?.[source.streamId];
      if (applied !== undefined && applied >= source.revision) return false;

      // change may run again after a lost race, on the newer document: it must be a pure function.
      const next = change(stored ? fromStored<T>(stored) : undefined);
      if (next.id !== id) throw new Error(`Read model change for "${id}" returned a document with id "${String(next.id)}"`);
      const replacement = toStored(next, { ...versions, [source.streamId]: source.revision });

      if (await this.write(stored, replacement)) return true;
      // Lost the race: loop to re-read; the winner may have applied this very event.
    }
    throw new Error(`Read model "${this.docs.collectionName}/${id}": gave up after ${MAX_ATTEMPTS} conflicting concurrent writes`);
  }

  /** Writes `replacement` only if the document is still as read; false when another writer got in between. */
  private async write(asRead: Stored | null, replacement: Stored): Promise<boolean> {
    if (!asRead) {
      try {
        await this.docs.insertOne(replacement);
        return true;
      } catch (error) {
        if (error instanceof mongo.MongoServerError && error.code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    // The whole `_versions` as read, not only this stream's entry: a concurrent event of another stream
    // also changes it, and must not be overwritten. The object comes back in the order it was stored
    // (documents are only ever written here, from JS objects), so the server's ordered comparison matches.
    const stillAsRead = { _id: asRead._id, [VERSIONS_FIELD]: asRead[VERSIONS_FIELD] ?? null } as mongo.Filter<Stored>;
    const result = await this.docs.replaceOne(stillAsRead, replacement);
    return result.matchedCount === 1;
  }
}

export interface MongoReadStoreOptions {
  /** What an operator should know and act on (an index left by an earlier release), each once; default: a process warning. */
  notice?: (message: string) => void;
  /**
   * How often the declared indexes are made again where missing and this replica's claims on them
   * renewed (default every minute), and when another replica's claim is stale (IndexClaims).
   */
  indexRefresh?: IndexClaimsOptions & { intervalMs?: number };
}

/**
 * ReadStore on MongoDB (or a Mongo-wire server): one collection per read model (`<name>@v<n>` for a
 * version a blue/green rebuild promoted), checkpoints in `checkpoints`, the live version of each
 * rebuilt projection in `projection_versions` (read at connect: a process sharing the database
 * sees another one's promotion after its own restart).
 */
export class MongoReadStore extends VersionedReadStore {
  /** The indexes each collection's projections declare, made again by the refresh. */
  private readonly declaredIndexes = new Map<string, Record<string, 1 | -1>[]>();
  private readonly noticed = new Set<string>();
  private readonly refreshEveryMs: number;
  private refreshTimer?: ReturnType<typeof setInterval>;
  private refreshing: Promise<void> = Promise.resolve();
  private refreshFailing = false;
  private readonly indexClaims: IndexClaims;

  private constructor(
    private readonly connection: Connection,
    /** See ReadStore.instanceId: kept in `read_store_meta`, so a dropped database gets a new one. */
    readonly instanceId: string,
    private readonly options: MongoReadStoreOptions,
  ) {
    super();
    this.refreshEveryMs = options.indexRefresh?.intervalMs ?? 60_000;
    this.indexClaims = new IndexClaims(connection.db!.collection(INDEX_CLAIMS), randomUUID(), options.indexRefresh);
  }

  static async connect(url: string, dbName: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const connection = await mongoose.createConnection(url, { dbName }).asPromise();
    const meta = connection.db!.collection<{ _id: string; value: string }>(META);
    // The first process to open the database chooses it; every later one (or a second replica) reads it.
    await meta.updateOne({ _id: 'instance' }, { $setOnInsert: { value: randomUUID() } }, { upsert: true });
    const store = new MongoReadStore(connection, (await meta.findOne({ _id: 'instance' }))!.value, options);
    for (const live of await store.versions().find().toArray()) {
      store.rememberLiveVersion(live._id, { version: live.version, collections: live.collections });
    }
    return store;
  }

  protected override assertCollectionName(name: string): void {
    if (RESERVED.includes(name)) throw new Error(`"${name}" is where the read store keeps its own records; pick another read-model name`);
  }

  protected physicalCollection<T extends ReadDocument>(physicalName: string): ReadCollection<T> {
    return new MongoCollection<T>(this.native(physicalName));
  }

  /**
   * One index per list-screen sort or filter combination, each followed by `_id` as find() sorts, so
   * a page is read from the index instead of sorting the collection; the ones this store made and no
   * running replica declares any more are dropped (ensureDeclaredIndexes). Services call this at
   * every start; the refresh runs it again every minute while the store is open.
   */
  protected override async ensurePhysicalIndexes(physicalName: string, indexes: Sort[]): Promise<void> {
    const declared = indexes.map(toMongoSort);
    this.declaredIndexes.set(physicalName, declared);
    await ensureDeclaredIndexes(this.native(physicalName), declared, { notice: this.noticeOnce, claims: this.indexClaims });
    this.refreshTimer ??= setInterval(() => void this.refreshIndexes(), this.refreshEveryMs).unref();
  }

  /**
   * @internal (the timer's; tests call it) Makes the declared indexes again where another replica
   * dropped them, renews this replica's claims, and drops what no running replica declares any more.
   * An outage is told once and tried again at the next refresh.
   */
  refreshIndexes(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      try {
        for (const [physicalName, declared] of this.declaredIndexes) {
          await ensureDeclaredIndexes(this.native(physicalName), declared, { notice: this.noticeOnce, claims: this.indexClaims, onlyIfExists: true });
        }
        this.refreshFailing = false;
      } catch (error) {
        if (!this.refreshFailing) this.notice(`Could not refresh the read store's indexes (trying again every ${this.refreshEveryMs} ms): ${String(error)}`);
        this.refreshFailing = true;
      }
    });
    return this.refreshing;
  }

  private notice(message: string): void {
    (this.options.notice ?? ((text: string) => process.emitWarning(text)))(message);
  }

  /** The refresh finds the same leftovers every minute: each is told once per process. */
  private readonly noticeOnce = (message: string): void => {
    if (this.noticed.has(message)) return;
    this.noticed.add(message);
    this.notice(message);
  };

  protected async loadPosition(key: string): Promise<number | undefined> {
    const checkpoint = await this.checkpoints().findOne({ _id: key });
    return checkpoint?.position;
  }

  protected async savePosition(key: string, position: number): Promise<void> {
    await this.checkpoints().updateOne({ _id: key }, { $set: { position } }, { upsert: true });
  }

  protected async deletePosition(key: string): Promise<void> {
    await this.checkpoints().deleteOne({ _id: key });
  }

  protected async clearCollection(physicalName: string): Promise<void> {
    // deleteMany rather than drop: the collection keeps its indexes for the rebuild.
    await this.native(physicalName).deleteMany({});
  }

  protected async dropCollection(physicalName: string): Promise<void> {
    this.declaredIndexes.delete(physicalName);
    await this.refreshing;
    await this.indexClaims.release(physicalName);
    // Dropping a collection that was never written is no error (some servers answer "ns not found").
    await this.native(physicalName)
      .drop()
      .catch(() => this.native(physicalName).deleteMany({}));
  }

  protected async persistLiveVersion(projection: string, live: LiveVersion): Promise<void> {
    await this.versions().updateOne({ _id: projection }, { $set: { version: live.version, collections: live.collections } }, { upsert: true });
  }

  async close(): Promise<void> {
    clearInterval(this.refreshTimer);
    this.declaredIndexes.clear();
    await this.refreshing;
    // Its claims stay until they are stale: a replica restarting keeps its release's indexes through
    // its restart, where the other release's refresh would otherwise drop them in between.
    await this.connection.close();
  }

  private native(name: string): mongo.Collection<Stored> {
    return this.connection.db!.collection<Stored>(name);
  }

  private checkpoints(): mongo.Collection<{ _id: string; position: number }> {
    return this.connection.db!.collection<{ _id: string; position: number }>(CHECKPOINTS);
  }

  private versions(): mongo.Collection<{ _id: string } & LiveVersion> {
    return this.connection.db!.collection<{ _id: string } & LiveVersion>(VERSIONS);
  }
}
