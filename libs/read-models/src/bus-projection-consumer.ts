import { infrastructureRetry, RetryPolicy } from '@lp/eventsourcing';
import { BusConsumer, EventBus, SubscriptionStatus } from '@lp/messaging';
import { BackgroundIndexes } from './background-indexes';
import { ensureProjectionIndexes, prepareProjectionIndexes, Projection } from './projection';
import { ReadStore } from './read-store';
import { ProjectionStatus, RebuildInProgressError, RebuildProgress } from './projection-runner';

export interface BusProjectionConsumerOptions {
  bus: EventBus;
  readStore: ReadStore;
  projection: Projection;
  /** Consumer group of version 0: its committed offsets are this projection's progress. */
  groupId: string;
  topics: string[];
  /** Its name in logs, readiness, metrics and /ops (default the projection's name). */
  name?: string;
  /**
   * The bus saves consumer offsets only after committing this read store (the embedded runtime's
   * InProcessEventBus with beforeOffsetsSaved): then no message needs its own commit. Default false:
   * a bus such as Kafka commits the offset once the handler returns, so the handler commits first.
   */
  offsetsSavedAfterReadStore?: boolean;
  /** How a first fill's indexes wait out a store that is down (default: for ever, with back-off). */
  retryPolicy?: RetryPolicy;
}

/**
 * A bus projection's progress is its group's offsets, so the read store's checkpoint slot of the
 * projection (versioned with it, dropped by reset) only records that this version's first fill got
 * its indexes. Absent: a first fill (a new read database, or one dropped), indexed once caught up.
 */
const INDEXED = 0;

/** Each version of a projection reads the topics with a group of its own (version 0 keeps the plain name). */
const groupOfVersion = (groupId: string, version: number) => (version === 0 ? groupId : `${groupId}.v${version}`);

/**
 * Runs a projection off the integration-event bus (read models of another service's events): a
 * BusConsumer whose handler applies the event. No checkpoint is saved in the read store: the bus
 * commits the group's offset once the handler succeeded, and a message redelivered after a crash
 * before that commit is skipped by the documents' version guard. The handler flushes the read store
 * before it returns, so a store that groups writes into transactions never has the bus offset saved
 * ahead of the documents (which would skip those events for good); unless the bus itself commits
 * the read store before it saves any offset (offsetsSavedAfterReadStore).
 *
 * rebuild() is blue/green like ProjectionRunner's: version n+1 reads every topic from its beginning
 * with a new consumer group into collections of its own while version n keeps answering; once it
 * has caught up, n stops, n+1 is promoted, and the live consumer continues on n+1's group.
 */
export class BusProjectionConsumer {
  readonly status: SubscriptionStatus;
  private live?: BusConsumer;
  private rebuilding?: RebuildProgress;
  /** The indexes its start began: a first fill's once it has caught up, else what was missing. */
  private indexing?: BackgroundIndexes;

  constructor(private readonly options: BusProjectionConsumerOptions) {
    const { groupId, topics } = options;
    this.status = new SubscriptionStatus(this.name, 'projection', { groupId, topics });
  }

  get name(): string {
    return this.options.name ?? this.options.projection.name;
  }

  async start(): Promise<void> {
    if (this.live) return;
    const { readStore, projection } = this.options;
    // A first fill is indexed once it has caught up, as ProjectionRunner's is: built over the filled
    // collections at once, indexes cost a fraction of keeping them up to date row by row. A start with
    // a checkpoint consumes at once and makes meanwhile what is declared and missing.
    const firstFill = (await readStore.loadCheckpoint(projection.name)) === undefined;
    if (firstFill) await prepareProjectionIndexes(projection, readStore);
    const version = await readStore.liveVersion(projection.name);
    const live = this.consumer(readStore, version, this.status);
    await live.start();
    this.live = live;
    this.indexing = new BackgroundIndexes({
      ...(firstFill
        ? { caughtUp: () => live.caughtUp(), make: (working) => this.markIndexed(readStore, working), what: 'making the indexes of a first fill' }
        : { make: (working) => ensureProjectionIndexes(projection, readStore, working), what: 'making the indexes the start found missing' }),
      retryPolicy: this.options.retryPolicy ?? infrastructureRetry,
      status: this.status,
      onFailure: (error) => this.status.failed(error),
    });
  }

  async stop(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    await this.indexing?.stop();
    await live?.stop();
  }

  /** Resolves once every message published before the call has been projected (and a first fill indexed). */
  async caughtUp(): Promise<void> {
    if (!this.live) throw new Error(`Projection ${this.name} is not consuming`);
    await this.live.caughtUp();
    await this.indexing?.caughtUp;
  }

  /** Resolves once the indexes its start began are made (or given up: the status says why). */
  async indexesMade(): Promise<void> {
    await this.indexing?.done;
  }

  /** The consumer group the live version reads with (ops read its lag from the bus). */
  async liveGroup(): Promise<{ groupId: string; topics: string[] }> {
    const version = await this.options.readStore.liveVersion(this.options.projection.name);
    return { groupId: groupOfVersion(this.options.groupId, version), topics: this.options.topics };
  }

  async projectionStatus(): Promise<ProjectionStatus> {
    const snapshot = this.status.snapshot();
    return {
      name: this.name,
      state: this.rebuilding ? 'rebuilding' : snapshot.state === 'failed' ? 'failed' : this.live ? 'running' : 'stopped',
      version: await this.options.readStore.liveVersion(this.options.projection.name),
      checkpoint: snapshot.checkpoint ?? 0,
      ...(snapshot.lastError && { lastError: snapshot.lastError }),
      ...(this.rebuilding && { rebuild: { ...this.rebuilding } }),
      ...(snapshot.indexing && { indexing: snapshot.indexing }),
    };
  }

  /** Rebuilds beside the live version and swaps when caught up (see the class comment). */
  async rebuild(): Promise<void> {
    if (this.rebuilding) throw new RebuildInProgressError(this.name);
    const { readStore, projection } = this.options;
    const version = (await readStore.liveVersion(projection.name)) + 1;
    const progress: RebuildProgress = { version, step: 'clearing', done: 0, startedAt: new Date().toISOString() };
    this.rebuilding = progress;
    try {
      const target = readStore.atVersion(projection.name, projection.collections, version);
      // Whatever an interrupted rebuild left in this version goes first, and its group starts over.
      await target.reset(projection.name, projection.collections);
      progress.step = 'filling';
      await prepareProjectionIndexes(projection, target);
      const rebuilt = this.consumer(target, version, new SubscriptionStatus(`${this.name}@v${version}`, 'projection'), () => progress.done++);
      await this.forgetGroup(version);
      await rebuilt.start();
      try {
        await rebuilt.caughtUp();
        // Indexed once filled, as ProjectionRunner's rebuild is.
        progress.step = 'indexing';
        await this.markIndexed(target, (collection) => (progress.collection = collection));
        progress.step = 'promoting';
        delete progress.collection;
        await this.stop();
        await rebuilt.caughtUp();
      } finally {
        await rebuilt.stop();
      }
      await readStore.promote(projection.name, projection.collections, version);
      await this.start();
    } finally {
      this.rebuilding = undefined;
    }
  }

  private async markIndexed(store: ReadStore, working: (collection: string) => void): Promise<void> {
    await ensureProjectionIndexes(this.options.projection, store, working);
    await store.saveCheckpoint(this.options.projection.name, INDEXED);
  }

  private consumer(store: ReadStore, version: number, status: SubscriptionStatus, applied?: () => void): BusConsumer {
    const { bus, projection, groupId, topics } = this.options;
    return new BusConsumer({
      name: status.name,
      kind: 'projection',
      bus,
      groupId: groupOfVersion(groupId, version),
      topics,
      eventTypes: projection.handles,
      status,
      handle: async (event) => {
        await projection.apply(event, store);
        // The bus saves the offset once this returns: the documents go first.
        if (!this.options.offsetsSavedAfterReadStore) await store.flush?.();
        applied?.();
      },
    });
  }

  /** A group left by an interrupted rebuild of this version is moved back to the beginning. */
  private async forgetGroup(version: number): Promise<void> {
    const offsets = this.options.bus.consumerGroupOffsets?.();
    if (!offsets) return;
    const groupId = groupOfVersion(this.options.groupId, version);
    await offsets.apply(groupId, await offsets.plan(groupId, this.options.topics, { offset: 0 }));
  }
}
