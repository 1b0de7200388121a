import { setMaxListeners } from 'events';
import { CheckpointStore, EventFilter, EventStore, infrastructureRetry, RecordedEvent, refuseCheckpointAheadOfStore, RetryPolicy, StoreSubscription } from '@lp/eventsourcing';
import { SubscriptionStatus } from '@lp/messaging';
import { BackgroundWorker } from './background-worker';

export interface StoreReactorOptions {
  /** Checkpoint id, e.g. 'provisioning.vendor-worker'. */
  name: string;
  store: EventStore;
  /** Beside the events, so the checkpoint survives what they survive. */
  checkpoints: CheckpointStore;
  filter: EventFilter;
  /** Event types to hand to `handle`; others only move the checkpoint. */
  eventTypes: string[];
  handle: (event: RecordedEvent, signal: AbortSignal) => Promise<void>;
  /**
   * Events with the same key are handled one after another; different keys run concurrently (a
   * slow vendor call for one subscription does not hold back the next). Absent: one at a time.
   */
  keyOf?: (event: RecordedEvent) => string;
  /** Most events in flight at once (default 32). */
  maxInFlight?: number;
  /**
   * Waits between tries of a failing handler (default the shared infrastructure policy). A reactor on
   * its own store has nowhere to park an event: every failure is retried until it succeeds or the
   * reactor stops, and readiness shows it retrying.
   */
  retryPolicy?: RetryPolicy;
  /** Shorthand for a policy whose waits grow from the first of these to the last (ignored when retryPolicy is given). */
  retryDelaysMs?: number[];
}

interface InFlight {
  position: number;
  /** Position of the event handed over just before this one: safe to checkpoint while this one runs. */
  before: number;
  done: Promise<void>;
}

/**
 * A checkpointed subscription on the service's own store that reacts to its events (Eventuous's
 * event handler with a checkpoint store). The checkpoint is the low-water mark of finished work:
 * it never passes an event whose handler has not finished, so a crash replays unfinished events
 * (at least once: handlers must be idempotent) and loses none. A failing handler is retried with
 * back-off until it succeeds or the reactor stops; stop() aborts running handlers via the signal.
 */
export class StoreReactor implements BackgroundWorker {
  private readonly handled: Set<string>;
  private subscription?: StoreSubscription;
  private abort = new AbortController();
  private readonly inFlight: InFlight[] = [];
  private readonly byKey = new Map<string, Promise<void>>();
  private seen = 0;
  private checkpointed = 0;
  private checkpointWrite: Promise<void> = Promise.resolve();
  /** Where ops see its checkpoint, retries and last error (readiness, metrics). */
  readonly status: SubscriptionStatus;

  constructor(readonly options: StoreReactorOptions) {
    this.status = new SubscriptionStatus(options.name, 'reactor');
    this.handled = new Set(options.eventTypes);
  }

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.abort = new AbortController();
    // Every in-flight handler may listen for the abort (the default cap of 10 would warn of a leak).
    setMaxListeners(4 * (this.options.maxInFlight ?? 32), this.abort.signal);
    this.checkpointed = (await this.options.checkpoints.load(this.options.name)) ?? 0;
    await refuseCheckpointAheadOfStore(
      this.options.store,
      `Reactor ${this.options.name}`,
      this.checkpointed,
      `Its checkpoint is kept beside the events: start with the DATA_DIR / event store it belongs to, or remove the checkpoint "${this.options.name}" to react to every event again.`,
    );
    this.seen = this.checkpointed;
    this.status.advanced(this.checkpointed);
    this.subscription = this.options.store.subscribeToAll({ fromPosition: this.checkpointed, filter: this.options.filter }, (event) =>
      this.accept(event),
    );
    this.subscription.done.catch((error: unknown) => this.status.failed(error));
  }

  async caughtUp(): Promise<void> {
    if (!this.subscription) return;
    await this.subscription.caughtUp();
    while (this.inFlight.length) await Promise.all(this.inFlight.map((task) => task.done));
    await this.checkpointWrite;
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    this.abort.abort();
    await subscription?.stop();
    await Promise.all(this.inFlight.map((task) => task.done));
    await this.checkpointWrite;
    this.status.stopped();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    const before = this.seen;
    this.seen = event.position;
    if (!this.handled.has(event.type)) {
      if (this.inFlight.length === 0) this.moveCheckpoint();
      return;
    }
    const key = this.options.keyOf?.(event) ?? '';
    const previous = this.byKey.get(key) ?? Promise.resolve();
    const done = previous.then(() => this.handleWithRetries(event));
    const task: InFlight = { position: event.position, before, done };
    this.inFlight.push(task);
    this.byKey.set(key, done);
    void done.then(() => {
      if (this.byKey.get(key) === done) this.byKey.delete(key);
      this.inFlight.splice(this.inFlight.indexOf(task), 1);
      this.moveCheckpoint();
    });
    if (!this.options.keyOf) await done;
    else if (this.inFlight.length >= (this.options.maxInFlight ?? 32)) await this.inFlight[0].done;
  }

  private async handleWithRetries(event: RecordedEvent): Promise<void> {
    const { retryPolicy, retryDelaysMs } = this.options;
    const base = retryPolicy ?? (retryDelaysMs?.length ? new RetryPolicy({ initialDelayMs: retryDelaysMs[0], maxDelayMs: Math.max(...retryDelaysMs) }) : infrastructureRetry);
    const policy = base.forEveryFailure();
    const signal = this.abort.signal;
    if (signal.aborted) return;
    await policy
      .run(() => this.options.handle(event, signal), {
        signal,
        onRetry: (error, attempt) => this.status.retrying(error, attempt, `${event.type} at ${event.position}`),
      })
      // Only a stop ends the retries: the event stays unfinished and the checkpoint stays before it.
      .catch(() => undefined);
  }

  /** Stores the low-water mark: everything up to it is handled (aborted handlers are never passed). */
  private moveCheckpoint(): void {
    if (this.abort.signal.aborted) return;
    const safe = this.inFlight.length ? this.inFlight[0].before : this.seen;
    if (safe <= this.checkpointed) return;
    this.checkpointed = safe;
    this.checkpointWrite = this.checkpointWrite
      .then(() => this.options.checkpoints.store(this.options.name, safe))
      .then(() => this.status.advanced(safe))
      .catch((error: unknown) => this.status.retrying(error, 1, `storing checkpoint ${safe}`));
  }
}
