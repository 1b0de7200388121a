import { CheckpointStore, EventEnvelope, EventStore, infrastructureRetry, RecordedEvent, refuseCheckpointAheadOfStore, RetryPolicy, StoreSubscription } from '@lp/eventsourcing';
import { EventBus } from '../event-bus';
import { SubscriptionStatus } from '../status/subscription-status';
import { toPublishedEnvelope } from './published-envelope';

export interface StoreForwarderOptions {
  /** Checkpoint id of this forwarder, e.g. 'order.events-forwarder'. */
  name: string;
  store: EventStore;
  checkpoints: CheckpointStore;
  bus: EventBus;
  topic: string;
  /** The service's own streams, e.g. ['order-', 'customer-']. */
  streamPrefixes: string[];
  /** The integration events to publish, e.g. ['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled']. */
  eventTypes: string[];
  /** Most events per publish (default 500). */
  batchSize?: number;
  /** Waits between publish attempts while the bus fails, for ever (default the shared infrastructure policy). */
  retryPolicy?: RetryPolicy;
  /** Told about every failed attempt (the forwarder keeps retrying; log or alert here). */
  onError?: (error: unknown, attempt: number) => void;
}

/**
 * The gateway from a service's event store to its integration topic (Eventuous style): a
 * checkpointed subscribeToAll → publish → checkpoint, the checkpoint stored only after the bus
 * accepted the events. A crash in between republishes them on restart (at least once; consumers
 * dedupe by eventId); nothing committed to the store is ever skipped.
 *
 * Consecutive events are published in batches: the handler only buffers, and the buffer is
 * flushed when full or as soon as the subscription has nothing more to hand over right now.
 */
export class StoreForwarder {
  private readonly allowedTypes: Set<string>;
  private readonly batchSize: number;
  private readonly retryPolicy: RetryPolicy;
  private subscription?: StoreSubscription;
  private buffer: EventEnvelope[] = [];
  /** Position of the last event the subscription handed over (published or not of an allowed type). */
  private seenPosition = 0;
  private checkpointedPosition = 0;
  private flushing: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private stopping = false;
  /** Set when a batch was given up on: no later batch may then move the checkpoint past it. */
  private abandoned = false;
  private stopSignal = new AbortController();
  /** Where ops see its checkpoint, retries and last error (readiness, metrics). */
  readonly status: SubscriptionStatus;

  constructor(private readonly options: StoreForwarderOptions) {
    this.status = new SubscriptionStatus(options.name, 'forwarder');
    this.allowedTypes = new Set(options.eventTypes);
    this.batchSize = options.batchSize ?? 500;
    // Nowhere to park a batch: every failure is retried (readiness shows the forwarder retrying).
    this.retryPolicy = (options.retryPolicy ?? infrastructureRetry).forEveryFailure();
  }

  async start(): Promise<void> {
    if (this.subscription) throw new Error(`Forwarder ${this.options.name} already started`);
    this.stopping = false;
    this.abandoned = false;
    this.stopSignal = new AbortController();
    this.checkpointedPosition = (await this.options.checkpoints.load(this.options.name)) ?? 0;
    await refuseCheckpointAheadOfStore(
      this.options.store,
      `Forwarder ${this.options.name}`,
      this.checkpointedPosition,
      `Its checkpoint is kept beside the events: start with the DATA_DIR / event store it belongs to, or remove the checkpoint "${this.options.name}" to publish every event again.`,
    );
    this.seenPosition = this.checkpointedPosition;
    this.status.advanced(this.checkpointedPosition);
    // The store filters by stream (one filter kind per request); event types are filtered here.
    this.subscription = this.options.store.subscribeToAll(
      { fromPosition: this.checkpointedPosition, filter: { streamPrefixes: this.options.streamPrefixes } },
      (event) => this.accept(event),
    );
    this.subscription.done.catch((error: unknown) => this.status.failed(error));
  }

  /** Resolves once every event appended before the call is published and checkpointed. */
  async caughtUp(): Promise<void> {
    if (!this.subscription) return;
    await this.subscription.caughtUp();
    await this.flush();
  }

  /** The subscription's end: rejects if the store failed (publish failures are retried, not thrown). */
  get done(): Promise<void> {
    return this.subscription?.done ?? Promise.resolve();
  }

  /** Stops reading, makes one last attempt to publish what is buffered, and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    await this.subscription?.stop();
    await this.flush();
    this.subscription = undefined;
    this.buffer = [];
    this.status.stopped();
  }

  private async accept(event: RecordedEvent): Promise<void> {
    this.seenPosition = event.position;
    if (this.allowedTypes.has(event.type)) this.buffer.push(toPublishedEnvelope(event));
    if (this.buffer.length >= this.batchSize) {
      await this.flush();
    } else if (!this.flushScheduled) {
      // Runs once the subscription yields to the event loop, i.e. it has nothing more right now.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /** Flushes are chained, so batches are published in order and never concurrently. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.publishBuffered());
    return this.flushing;
  }

  private async publishBuffered(): Promise<void> {
    const events = this.buffer;
    const upTo = this.seenPosition;
    if (this.abandoned || (events.length === 0 && upTo <= this.checkpointedPosition)) return;
    this.buffer = [];
    try {
      await this.retryPolicy.run(
        async () => {
          if (events.length) await this.options.bus.publish(this.options.topic, events);
          await this.options.checkpoints.store(this.options.name, upTo);
        },
        {
          // The last attempt after stop() still runs (it flushes what is buffered), but is not repeated.
          signal: this.stopping ? AbortSignal.abort() : this.stopSignal.signal,
          onRetry: (error, attempt) => {
            this.options.onError?.(error, attempt);
            this.status.retrying(error, attempt, `publishing ${events.length} events to ${this.options.topic}`);
          },
        },
      );
      this.checkpointedPosition = upTo;
      this.status.advanced(upTo);
    } catch {
      // Stopped while failing. Not checkpointed: after a restart the subscription reads these events again.
      this.abandoned = true;
    }
  }
}
