import { CheckpointStore, EventFilter, EventStore, infrastructureRetry, RecordedEvent, RetryPolicy } from '@lp/eventsourcing';
import { CheckpointedSubscription, SubscriptionStatus } from '@lp/messaging';
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

/**
 * A checkpointed subscription on the service's own store that reacts to its events (Eventuous's
 * event handler with a checkpoint store): the shared CheckpointedSubscription, partitioned by
 * `keyOf`. Its checkpoint is the low-water mark of finished work, so a crash replays unfinished
 * events (at least once: handlers must be idempotent) and loses none. A failing handler is retried
 * with back-off until it succeeds or the reactor stops; stop() aborts running handlers via the signal.
 */
export class StoreReactor implements BackgroundWorker {
  private readonly subscription: CheckpointedSubscription;

  constructor(readonly options: StoreReactorOptions) {
    const { name, store, checkpoints, filter, eventTypes, handle, keyOf, maxInFlight, retryPolicy, retryDelaysMs } = options;
    const base = retryPolicy ?? (retryDelaysMs?.length ? new RetryPolicy({ initialDelayMs: retryDelaysMs[0], maxDelayMs: Math.max(...retryDelaysMs) }) : infrastructureRetry);
    this.subscription = new CheckpointedSubscription({
      name,
      kind: 'reactor',
      store,
      checkpoints,
      filter,
      eventTypes,
      consumer: { handle, partitionBy: keyOf, maxInFlight },
      retryPolicy: base.forEveryFailure(),
      whenCheckpointAhead: `Its checkpoint is kept beside the events: start with the DATA_DIR / event store it belongs to, or remove the checkpoint "${name}" to react to every event again.`,
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Where ops see its checkpoint, retries and last error (readiness, metrics). */
  get status(): SubscriptionStatus {
    return this.subscription.status;
  }

  async start(): Promise<void> {
    if (!this.subscription.running) await this.subscription.start();
  }

  caughtUp(): Promise<void> {
    return this.subscription.caughtUp();
  }

  stop(): Promise<void> {
    return this.subscription.stop();
  }
}
