import { setMaxListeners } from 'events';
import { CheckpointStore, EventFilter, EventStore, infrastructureRetry, RecordedEvent, refuseCheckpointAheadOfStore, RetryPolicy, StoreSubscription } from '@lp/eventsourcing';
import { SubscriptionKind, SubscriptionStatus } from '../status/subscription-status';
import { CheckpointCommitter, PendingWork } from './checkpoint-committer';

/** Each handled event on its own: strictly one after another, or partitioned by key. */
export interface EventByEvent {
  handle(event: RecordedEvent, signal: AbortSignal): Promise<void>;
  /** Events of one key run one after another, different keys side by side. Absent: one at a time, in order. */
  partitionBy?: (event: RecordedEvent) => string;
  /** Most events in flight at once when partitioned (default 32). */
  maxInFlight?: number;
}

/** Consecutive handled events together, handed over when the batch is full or the source has nothing more right now. */
export interface InBatches {
  handleBatch(events: RecordedEvent[], signal: AbortSignal): Promise<void>;
  batchSize: number;
}

export interface CheckpointedSubscriptionOptions {
  /** Its checkpoint id, and its name in logs, readiness and metrics. */
  name: string;
  kind: SubscriptionKind;
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Lets the store skip most events; the exact check is `eventTypes`. */
  filter?: EventFilter;
  /** The event types the consumer is given; the others only move the checkpoint. */
  eventTypes: Iterable<string>;
  consumer: EventByEvent | InBatches;
  /**
   * What a failed try does next. Default: an outage (isTransient) is waited out for ever, any other
   * failure stops the subscription (`done` and `caughtUp()` reject). Machinery with nowhere to park
   * an event passes `policy.forEveryFailure()`.
   */
  retryPolicy?: RetryPolicy;
  /** Told about every failed try of the consumer, besides the status (which logs it). */
  onRetry?: (error: unknown, attempt: number) => void;
  /** Tells the operator what to do when the saved checkpoint lies beyond the store's head. */
  whenCheckpointAhead: string;
  /** Given when the status must outlive this subscription (a projection's rebuild replaces it). */
  status?: SubscriptionStatus;
}

const LABELS: Record<SubscriptionKind, string> = { forwarder: 'Forwarder', projection: 'Projection', reactor: 'Reactor', 'bus-consumer': 'Consumer' };

/**
 * The one store-side subscription model (Eventuous's subscription with a checkpoint, Emmett's
 * processors): the event store's all-stream × a consumer × a checkpoint store × a retry policy.
 * The forwarder, the projections and the reactors are this one thing, configured.
 *
 * The checkpoint is the low-water mark of finished work (CheckpointCommitter): a crash or a stop
 * replays what had not finished and skips nothing. A checkpoint ahead of the store's head is refused
 * at start. A stop aborts the waits of failing tries through the signal; a batch still buffered
 * gets one last try.
 */
export class CheckpointedSubscription {
  readonly status: SubscriptionStatus;
  private readonly handled: Set<string>;
  private readonly policy: RetryPolicy;
  private subscription?: StoreSubscription;
  private committer = new CheckpointCommitter(0, async () => undefined);
  private abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly byKey = new Map<string, Promise<void>>();
  private batch: { event: RecordedEvent; work: PendingWork }[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private failure?: { error: unknown };
  private ended: Promise<void> = Promise.resolve();
  private failEnded: (error: unknown) => void = () => undefined;

  constructor(private readonly options: CheckpointedSubscriptionOptions) {
    this.status = options.status ?? new SubscriptionStatus(options.name, options.kind);
    this.handled = new Set(options.eventTypes);
    this.policy = options.retryPolicy ?? infrastructureRetry;
  }

  get name(): string {
    return this.options.name;
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  /** Settles when the subscription stops: rejects with the store's error or a handler's that was not retried. */
  get done(): Promise<void> {
    return this.ended;
  }

  async start(): Promise<void> {
    if (this.subscription) throw new Error(`${this.label} already started`);
    const { store, checkpoints, name, filter, whenCheckpointAhead } = this.options;
    this.abort = new AbortController();
    // Every in-flight handler may listen for the abort (the default cap of 10 would warn of a leak).
    setMaxListeners(4 * this.maxInFlight, this.abort.signal);
    this.failure = undefined;
    this.batch = [];
    const checkpoint = (await checkpoints.load(name)) ?? 0;
    await refuseCheckpointAheadOfStore(store, this.label, checkpoint, whenCheckpointAhead);
    this.committer = new CheckpointCommitter(checkpoint, (position) => this.writeCheckpoint(position));
    this.status.advanced(checkpoint);
    const handlerFailed = new Promise<never>((_, reject) => (this.failEnded = reject));
    handlerFailed.catch(() => undefined);
    this.subscription = store.subscribeToAll({ fromPosition: checkpoint, filter }, (event) => this.accept(event));
    this.ended = Promise.race([this.subscription.done, handlerFailed]);
    this.ended.catch((error: unknown) => this.status.failed(error));
  }

  /** Resolves once every event appended before the call is handled and checkpointed. */
  async caughtUp(): Promise<void> {
    const subscription = this.subscription;
    if (!subscription) return;
    await subscription.caughtUp();
    await this.flush();
    while (this.inFlight.size) await Promise.all(this.inFlight);
    await this.committer.written();
    if (this.failure) throw this.failure.error;
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    if (!subscription) return;
    this.subscription = undefined;
    this.abort.abort();
    await subscription.stop();
    await this.flush();
    await Promise.all(this.inFlight);
    await this.committer.written();
    this.status.stopped();
  }

  private get label(): string {
    return `${LABELS[this.options.kind]} ${this.options.name}`;
  }

  private get maxInFlight(): number {
    const { consumer } = this.options;
    return 'handleBatch' in consumer ? 1 : consumer.maxInFlight ?? 32;
  }

  private async accept(event: RecordedEvent): Promise<void> {
    if (this.failure) throw this.failure.error;
    if (!this.handled.has(event.type)) return this.committer.skip(event.position);
    const work = this.committer.begin(event.position);
    const { consumer } = this.options;
    if ('handleBatch' in consumer) return this.addToBatch(consumer, event, work);
    const key = consumer.partitionBy?.(event);
    if (key === undefined) return this.handleInOrder(consumer, event, work);
    const task = (this.byKey.get(key) ?? Promise.resolve())
      .then(() => this.attempt(`${event.type} at ${event.position}`, (signal) => consumer.handle(event, signal)))
      .then((finished) => this.finishIf(finished, [work]), (error: unknown) => this.fail(error));
    this.byKey.set(key, task);
    this.inFlight.add(task);
    void task.then(() => {
      if (this.byKey.get(key) === task) this.byKey.delete(key);
      this.inFlight.delete(task);
    });
    if (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
  }

  /** One at a time: a failure that is not retried throws here and so also ends the store's subscription. */
  private async handleInOrder(consumer: EventByEvent, event: RecordedEvent, work: PendingWork): Promise<void> {
    try {
      this.finishIf(await this.attempt(`${event.type} at ${event.position}`, (signal) => consumer.handle(event, signal)), [work]);
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  private async addToBatch(consumer: InBatches, event: RecordedEvent, work: PendingWork): Promise<void> {
    this.batch.push({ event, work });
    if (this.batch.length >= consumer.batchSize) return this.flush();
    if (this.flushScheduled) return;
    // Runs once the store's subscription yields to the event loop, i.e. it has nothing more right now.
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Batches are handed over in order, never two at once; after stop() the last one gets one try. */
  private flush(): Promise<void> {
    const { consumer } = this.options;
    if (!('handleBatch' in consumer)) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      const batch = this.batch;
      if (batch.length === 0) return;
      this.batch = [];
      const events = batch.map((item) => item.event);
      try {
        const finished = await this.attempt(`a batch of ${events.length} events`, (signal) => consumer.handleBatch(events, signal), true);
        this.finishIf(
          finished,
          batch.map((item) => item.work),
        );
      } catch (error) {
        this.fail(error);
      }
    });
    return this.flushing;
  }

  /**
   * Tries `work` under the retry policy; false when a stop ended the tries (the work stays unfinished,
   * so the checkpoint stays before it). Work not started before the stop is not started at all,
   * unless it is the last batch (`evenIfStopped`).
   */
  private async attempt(what: string, work: (signal: AbortSignal) => Promise<void>, evenIfStopped = false): Promise<boolean> {
    const signal = this.abort.signal;
    if (signal.aborted && !evenIfStopped) return false;
    try {
      await this.policy.run(() => work(signal), {
        signal,
        onRetry: (error, attempt) => {
          this.options.onRetry?.(error, attempt);
          this.status.retrying(error, attempt, what);
        },
      });
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      throw error;
    }
  }

  private finishIf(finished: boolean, works: PendingWork[]): void {
    if (finished) for (const work of works) this.committer.finish(work);
  }

  /** A failure the policy does not retry: the subscription ends with it, at its last checkpoint. */
  private fail(error: unknown): void {
    this.failure ??= { error };
    this.failEnded(error);
  }

  private async writeCheckpoint(position: number): Promise<void> {
    try {
      await this.policy.run(() => this.options.checkpoints.store(this.options.name, position), {
        signal: this.abort.signal,
        onRetry: (error, attempt) => this.status.retrying(error, attempt, `storing checkpoint ${position}`),
      });
      // Written after a failure ended the subscription (the work before it finished): still failed.
      if (this.failure) this.status.storedAfterFailure(position);
      else this.status.advanced(position);
    } catch (error) {
      // Stopped while failing: a restart replays from the last stored checkpoint. Otherwise the
      // checkpoint store is broken beyond the policy: the subscription ends with that error.
      if (!this.abort.signal.aborted) this.fail(error);
    }
  }
}
