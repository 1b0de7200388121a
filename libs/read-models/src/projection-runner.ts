import { EventStore, infrastructureRetry, RecordedEvent, refuseCheckpointAheadOfStore, RetryPolicy, StoreSubscription } from '@lp/eventsourcing';
import { countEvents } from './count-events';
import { ensureProjectionIndexes, Projection } from './projection';
import { ReadStore } from './read-store';

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
  done: number;
  /** Handled events in the store when the rebuild started; absent while they are still being counted. */
  total?: number;
  startedAt: string;
}

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** The version the read side answers from (0 until a rebuild promoted one). */
  version: number;
  checkpoint: number;
  lastError?: { message: string; at: string };
  rebuild?: RebuildProgress;
}

/** A rebuild is already running for this projection (one at a time). */
export class RebuildInProgressError extends Error {
  constructor(projection: string) {
    super(`Projection ${projection} is already being rebuilt`);
  }
}

interface Rebuild {
  progress: RebuildProgress;
  subscription?: StoreSubscription;
  promise: Promise<void>;
}

/**
 * Runs one projection off the event store's global order. It resumes after the checkpoint kept in the
 * read store, applies each handled event, then saves the event's position as the checkpoint. Apply and
 * checkpoint are two writes with no transaction: after a crash between them the event is delivered
 * again, and the documents' version guard turns that second apply into a no-op.
 *
 * A projection that throws stops the subscription: caughtUp() and done reject with the error, and
 * stop() then start() resumes from the last checkpoint.
 *
 * rebuild() is blue/green (Marten's rebuild daemon): it builds version n+1 from position 0 into
 * collections of its own while version n keeps answering and following new events; once n+1 has
 * caught up, n stops, n+1 takes the last events and is promoted, and n is dropped. Only this
 * projection replays: reactors and the forwarder keep their own checkpoints and never see it.
 */
export class ProjectionRunner {
  private subscription?: StoreSubscription;
  private starting?: Promise<void>;
  private readonly handles: Set<string>;
  private current?: Rebuild;
  /** Set while the live subscription is swapped for the rebuilt one: caughtUp() waits for the swap. */
  private swapping?: Promise<void>;
  private failure?: { message: string; at: string };
  private failed = false;
  /** Aborted by stop(): ends the waits of a projection retrying through a read-store outage. */
  private stopping = new AbortController();

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.handles = new Set(options.projection.handles);
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Settles when the running subscription stops (rejects with the projection's error). */
  get done(): Promise<void> {
    return this.subscription?.done ?? Promise.resolve();
  }

  /** Subscribes after the saved checkpoint; calling it again while running does nothing. */
  start(): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    // Kept as a promise so that two quick start() calls cannot open two subscriptions.
    this.starting ??= this.subscribe().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const rebuild = this.current;
    this.current = undefined;
    await rebuild?.subscription?.stop();
    await this.stopLive();
  }

  /** Resolves once every event appended before the call has been projected. */
  async caughtUp(): Promise<void> {
    await this.starting;
    await this.swapping;
    if (!this.subscription) throw new Error(`Projection ${this.name} is not running`);
    await this.subscription.caughtUp();
  }

  async status(): Promise<ProjectionStatus> {
    const { readStore } = this.options;
    const state: ProjectionState = this.current ? 'rebuilding' : this.failed ? 'failed' : this.subscription ? 'running' : 'stopped';
    return {
      name: this.name,
      state,
      version: await readStore.liveVersion(this.name),
      checkpoint: (await readStore.loadCheckpoint(this.name)) ?? 0,
      ...(this.failure && { lastError: this.failure }),
      ...(this.current && { rebuild: { ...this.current.progress } }),
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
    const progress: RebuildProgress = { version: 0, done: 0, startedAt: new Date().toISOString() };
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
    const target = readStore.atVersion(this.name, projection.collections, version);
    // Whatever an interrupted rebuild left in this version goes first.
    await target.reset(this.name, projection.collections);
    await ensureProjectionIndexes(projection, target);
    void countEvents(eventStore, { fromPosition: 0, types: [...this.handles] }).then(
      ({ count }) => (rebuild.progress.total = count),
      () => undefined,
    );
    stillCurrent();
    const subscription = eventStore.subscribeToAll({ fromPosition: 0, filter: { eventTypePrefixes: projection.handles } }, async (event) => {
      if (await this.apply(event, target)) rebuild.progress.done++;
    });
    rebuild.subscription = subscription;
    try {
      await subscription.caughtUp();
      stillCurrent();
      this.swapping = this.swap(subscription, version);
      await this.swapping;
    } catch (error) {
      if (this.subscription !== subscription) await subscription.stop();
      throw error;
    } finally {
      this.swapping = undefined;
    }
  }

  /** The live version stops, the new one takes the events appended meanwhile, then answers. */
  private async swap(rebuilt: StoreSubscription, version: number): Promise<void> {
    await this.stopLive();
    await rebuilt.caughtUp();
    await this.options.readStore.promote(this.name, this.options.projection.collections, version);
    this.watch(rebuilt);
    this.subscription = rebuilt;
    this.starting = Promise.resolve();
  }

  private async stopLive(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  private async subscribe(): Promise<void> {
    const { eventStore, readStore, projection } = this.options;
    await ensureProjectionIndexes(projection, readStore);
    const fromPosition = (await readStore.loadCheckpoint(projection.name)) ?? 0;
    await refuseCheckpointAheadOfStore(
      eventStore,
      `Projection ${projection.name}`,
      fromPosition,
      'Drop the read database (its MongoDB database, MONGO_DB) so it is rebuilt from the events, or start with the DATA_DIR / event store it was built from.',
    );
    const subscription = eventStore.subscribeToAll(
      // The prefix filter lets the store skip most events; the exact check in handle() drops the rest
      // (a prefix 'OrderCreated' also matches 'OrderCreatedV2').
      { fromPosition, filter: { eventTypePrefixes: projection.handles } },
      (event) => this.apply(event, readStore).then(() => undefined),
    );
    this.watch(subscription);
    this.subscription = subscription;
  }

  /** Remembers a live subscription's failure for status() (the error still reaches done and caughtUp). */
  private watch(subscription: StoreSubscription): void {
    this.failed = false;
    subscription.done.catch((error: unknown) => {
      if (this.subscription === subscription) this.failed = true;
      this.recordFailure(error);
    });
  }

  private recordFailure(error: unknown): void {
    this.failure = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
  }

  /**
   * Applies and checkpoints one event; a read-store outage (isTransient) is waited out here, so the
   * projection neither stops nor skips; any other error stops it (see the class comment).
   */
  private async apply(event: RecordedEvent, store: ReadStore): Promise<boolean> {
    if (!this.handles.has(event.type)) return false;
    await (this.options.retryPolicy ?? infrastructureRetry).run(
      async () => {
        await this.options.projection.apply(event, store);
        await store.saveCheckpoint(this.name, event.position);
      },
      { signal: this.stopping.signal, onRetry: (error) => this.recordFailure(error) },
    );
    return true;
  }
}
