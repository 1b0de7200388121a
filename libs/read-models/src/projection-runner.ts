import { CheckpointStore, EventStore, infrastructureRetry, RetryPolicy } from '@lp/eventsourcing';
import { CheckpointedSubscription, SubscriptionStatus } from '@lp/messaging';
import { countEvents } from './count-events';
import { BackgroundIndexes } from './background-indexes';
import { ensureProjectionIndexes, prepareProjectionIndexes, Projection } from './projection';
import { HeldFirstFill, ReadStore } from './read-store';

export interface ProjectionRunnerOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  projection: Projection;
  /** Waits while the read store is away (default the shared infrastructure policy); other errors stop the projection. */
  retryPolicy?: RetryPolicy;
}

export type ProjectionState = 'stopped' | 'running' | 'rebuilding' | 'failed';

/** How far a blue/green rebuild has got: events applied to the new version, out of those it must apply. */
export interface RebuildProgress {
  version: number;
  /**
   * Where it is: the new version first loses what an interrupted rebuild left in it (`clearing`:
   * seconds at 1M rows, nothing to do otherwise), takes every event (`filling`, `done` counts them), then gets its
   * indexes made over all its rows at once (`indexing`: 11–30 s at 1M orders, `done` no longer moves),
   * then takes the events appended meanwhile and is promoted (`promoting`).
   */
  step: RebuildStep;
  /** While `indexing`: the collection whose indexes are being made. */
  collection?: string;
  done: number;
  /** Handled events in the store when the rebuild started; absent while they are still being counted. */
  total?: number;
  startedAt: string;
}

export type RebuildStep = 'clearing' | 'filling' | 'indexing' | 'promoting';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** The version the read side answers from (0 until a rebuild promoted one). */
  version: number;
  checkpoint: number;
  lastError?: { message: string; at: string };
  rebuild?: RebuildProgress;
  /** Making the indexes of its first fill, or those its start found missing: lists sorted by a new field read every row until then. */
  indexing?: { collection: string; since: string };
}

/** A rebuild is already running for this projection (one at a time). */
export class RebuildInProgressError extends Error {
  constructor(projection: string) {
    super(`Projection ${projection} is already being rebuilt`);
  }
}

interface Rebuild {
  progress: RebuildProgress;
  subscription?: CheckpointedSubscription;
  promise: Promise<void>;
}

/** A read store's checkpoints as a checkpoint store: the checkpoint lives beside the documents it describes. */
function checkpointsIn(readStore: ReadStore): CheckpointStore {
  return { load: (name) => readStore.loadCheckpoint(name), store: (name, position) => readStore.saveCheckpoint(name, position) };
}

/**
 * Runs one projection off the event store's global order: a CheckpointedSubscription, one event at a
 * time, its checkpoint kept in the read store. Apply and checkpoint are two writes with no
 * transaction: after a crash between them the event is delivered again, and the documents' version
 * guard turns that second apply into a no-op. A read-store outage is waited out (isTransient); any
 * other error stops the subscription: caughtUp() and done reject with it, and stop() then start()
 * resumes from the last checkpoint.
 *
 * rebuild() is blue/green (Marten's rebuild daemon): it builds version n+1 from position 0 into
 * collections of its own while version n keeps answering and following new events; once n+1 has
 * caught up, n stops, n+1 takes the last events and is promoted, n is dropped, and the live
 * subscription resumes on n+1. Only this projection replays: reactors and the forwarder keep their
 * own checkpoints and never see it.
 */
export class ProjectionRunner {
  /** The live subscription's status (readiness, metrics), kept across restarts and rebuilds. */
  readonly subscriptionStatus: SubscriptionStatus;
  private live?: CheckpointedSubscription;
  private starting?: Promise<void>;
  private readonly handles: Set<string>;
  private current?: Rebuild;
  /** Set while the live subscription is swapped for the rebuilt version: caughtUp() waits for the swap. */
  private swapping?: Promise<void>;
  private failure?: { message: string; at: string };
  /** The indexes its start began (subscribe): a first fill's once it has caught up, else what was missing. */
  private indexing?: BackgroundIndexes;
  /** A first fill's writes, held by the store until it is indexed or stopped. */
  private heldFirstFill?: HeldFirstFill;
  private failed = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.handles = new Set(options.projection.handles);
    this.subscriptionStatus = new SubscriptionStatus(options.projection.name, 'projection');
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Settles when the running subscription stops (rejects with the projection's error). */
  get done(): Promise<void> {
    return this.live?.done ?? Promise.resolve();
  }

  /** Subscribes after the saved checkpoint; calling it again while running does nothing. */
  start(): Promise<void> {
    // Kept as a promise so that two quick start() calls cannot open two subscriptions.
    this.starting ??= this.subscribe().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    const rebuild = this.current;
    this.current = undefined;
    await rebuild?.subscription?.stop();
    await this.stopLive();
  }

  /**
   * Resolves once every event appended before the call has been projected: for a first fill, whose
   * documents are held until it is indexed, once it is indexed too.
   */
  async caughtUp(): Promise<void> {
    await this.starting;
    await this.swapping;
    if (!this.live) throw new Error(`Projection ${this.name} is not running`);
    await this.live.caughtUp();
    await this.indexing?.caughtUp;
  }

  /** Resolves once the indexes its start began are made (or given up: the status says why). */
  async indexesMade(): Promise<void> {
    await this.starting;
    await this.indexing?.done;
  }

  async status(): Promise<ProjectionStatus> {
    const { readStore } = this.options;
    const state: ProjectionState = this.current ? 'rebuilding' : this.failed ? 'failed' : this.live ? 'running' : 'stopped';
    const { indexing } = this.subscriptionStatus.snapshot();
    return {
      name: this.name,
      state,
      version: await readStore.liveVersion(this.name),
      checkpoint: (await readStore.loadCheckpoint(this.name)) ?? 0,
      ...(this.failure && { lastError: this.failure }),
      ...(this.current && { rebuild: { ...this.current.progress } }),
      ...(indexing && { indexing }),
    };
  }

  /** Handled events after the live checkpoint, counted up to `cap` (then `capped`). */
  async lag(cap = 10_000): Promise<{ count: number; capped: boolean }> {
    const checkpoint = (await this.options.readStore.loadCheckpoint(this.name)) ?? 0;
    return countEvents(this.options.eventStore, { fromPosition: checkpoint, types: [...this.handles], cap });
  }

  /**
   * Rebuilds from position 0 beside the live version and swaps when caught up (see the class
   * comment). Resolves once the new version answers; the running rebuild shows in status().
   */
  rebuild(): Promise<void> {
    if (this.current) return Promise.reject(new RebuildInProgressError(this.name));
    const progress: RebuildProgress = { version: 0, step: 'clearing', done: 0, startedAt: new Date().toISOString() };
    const rebuild: Rebuild = { progress, promise: Promise.resolve() };
    this.current = rebuild;
    rebuild.promise = this.runRebuild(rebuild).then(
      () => {
        if (this.current === rebuild) this.current = undefined;
      },
      (error: unknown) => {
        if (this.current === rebuild) this.current = undefined;
        this.recordFailure(error);
        throw error;
      },
    );
    return rebuild.promise;
  }

  private async runRebuild(rebuild: Rebuild): Promise<void> {
    const { eventStore, readStore, projection } = this.options;
    const stillCurrent = () => {
      if (this.current !== rebuild) throw new Error(`Rebuild of ${this.name} stopped`);
    };
    const version = (await readStore.liveVersion(this.name)) + 1;
    rebuild.progress.version = version;
    // Its checkpoint is kept beside its documents, so the store may hold both until they are read (HeldFill).
    const target = readStore.atVersion(this.name, projection.collections, version, { holdWrites: true });
    // Whatever an interrupted rebuild left in this version goes first.
    await target.reset(this.name, projection.collections);
    rebuild.progress.step = 'filling';
    await prepareProjectionIndexes(projection, target);
    void countEvents(eventStore, { fromPosition: 0, types: [...this.handles] }).then(
      ({ count }) => (rebuild.progress.total = count),
      () => undefined,
    );
    stillCurrent();
    const subscription = this.subscription(target, new SubscriptionStatus(`${this.name}@v${version}`, 'projection'), () => rebuild.progress.done++);
    rebuild.subscription = subscription;
    try {
      await subscription.start();
      await subscription.caughtUp();
      stillCurrent();
      // Its indexes once filled, not before its first event: built over the whole collection at once
      // (a sort) they cost a fraction of keeping them up to date row by row, and nothing reads this
      // version before it is promoted (the projection's own reads are by id).
      rebuild.progress.step = 'indexing';
      await ensureProjectionIndexes(projection, target, (collection) => (rebuild.progress.collection = collection));
      stillCurrent();
      rebuild.progress.step = 'promoting';
      delete rebuild.progress.collection;
      this.swapping = this.swap(subscription, version);
      await this.swapping;
    } finally {
      this.swapping = undefined;
      await subscription.stop();
    }
  }

  /** The live version stops, the new one takes the events appended meanwhile and is promoted, and the live subscription resumes on it. */
  private async swap(rebuilt: CheckpointedSubscription, version: number): Promise<void> {
    await this.stopLive();
    await rebuilt.caughtUp();
    await rebuilt.stop();
    await this.options.readStore.promote(this.name, this.options.projection.collections, version);
    await this.start();
  }

  private async stopLive(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    const live = this.live;
    this.live = undefined;
    await this.indexing?.stop();
    await live?.stop();
    await this.endHeldFirstFill();
  }

  private async endHeldFirstFill(): Promise<void> {
    const held = this.heldFirstFill;
    this.heldFirstFill = undefined;
    await held?.end();
  }

  private async subscribe(): Promise<void> {
    const { readStore, projection } = this.options;
    // A first fill (no checkpoint yet) is indexed once it has caught up, as a rebuild is (runRebuild);
    // a fill stopped before that has a checkpoint at its next start, which indexes at once.
    const firstFill = (await readStore.loadCheckpoint(projection.name)) === undefined;
    if (firstFill) await prepareProjectionIndexes(projection, readStore);
    // Held like a rebuild's version (each row read once and written about once per flush), until indexed.
    if (firstFill) this.heldFirstFill = readStore.holdFirstFill?.(projection.name, projection.collections);
    const live = this.subscription(readStore, this.subscriptionStatus);
    await live.start();
    this.failed = false;
    live.done.catch((error: unknown) => {
      if (this.live === live) this.failed = true;
      this.recordFailure(error);
    });
    this.live = live;
    // A start with a checkpoint consumes at once, and makes meanwhile what is declared and missing
    // (a release's new sort field: seconds at 1M orders), instead of waiting for it to be ready.
    this.indexing = new BackgroundIndexes({
      ...(firstFill
        ? {
            caughtUp: () => live.caughtUp(),
            make: async (working) => {
              await ensureProjectionIndexes(projection, readStore, working);
              await this.endHeldFirstFill();
            },
            what: 'making the indexes of a first fill',
          }
        : { make: (working) => ensureProjectionIndexes(projection, readStore, working), what: 'making the indexes the start found missing' }),
      retryPolicy: this.options.retryPolicy ?? infrastructureRetry,
      status: this.subscriptionStatus,
      onFailure: (error) => this.recordFailure(error),
    });
  }

  /** One version's subscription: its events applied to `store`, its checkpoint kept there too. */
  private subscription(store: ReadStore, status: SubscriptionStatus, applied?: () => void): CheckpointedSubscription {
    const { eventStore, projection, retryPolicy } = this.options;
    return new CheckpointedSubscription({
      name: projection.name,
      kind: 'projection',
      store: eventStore,
      checkpoints: checkpointsIn(store),
      // The prefix filter lets the store skip most events; the subscription's exact check drops the rest
      // (a prefix 'OrderCreated' also matches 'OrderCreatedV2').
      filter: { eventTypePrefixes: projection.handles },
      eventTypes: projection.handles,
      consumer: {
        handle: async (event) => {
          await projection.apply(event, store);
          applied?.();
        },
      },
      retryPolicy,
      onRetry: (error) => this.recordFailure(error),
      whenCheckpointAhead: 'Drop the read database (its MongoDB database, MONGO_DB) so it is rebuilt from the events, or start with the DATA_DIR / event store it was built from.',
      status,
    });
  }

  private recordFailure(error: unknown): void {
    this.failure = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
  }
}
