import { CheckpointStore, EventStore, infrastructureRetry, RetryPolicy } from '@lp/eventsourcing';
import { EventBus } from '../event-bus';
import { SubscriptionStatus } from '../status/subscription-status';
import { CheckpointedSubscription } from '../subscriptions/checkpointed-subscription';
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
 * checkpointed subscription whose consumer publishes batches of consecutive events, the checkpoint
 * moved only after the bus accepted them. A crash in between republishes them on restart (at least
 * once; consumers dedupe by eventId); nothing committed to the store is ever skipped. A failing
 * publish is retried for ever (there is nowhere to park a batch; readiness shows it retrying).
 */
export class StoreForwarder {
  private readonly subscription: CheckpointedSubscription;

  constructor(options: StoreForwarderOptions) {
    const { name, store, checkpoints, bus, topic, streamPrefixes, eventTypes, onError } = options;
    this.subscription = new CheckpointedSubscription({
      name,
      kind: 'forwarder',
      store,
      checkpoints,
      // The store filters by stream (one filter kind per request); event types are filtered by the subscription.
      filter: { streamPrefixes },
      eventTypes,
      consumer: {
        batchSize: options.batchSize ?? 500,
        handleBatch: (events) => bus.publish(topic, events.map(toPublishedEnvelope)),
      },
      retryPolicy: (options.retryPolicy ?? infrastructureRetry).forEveryFailure(),
      onRetry: onError,
      whenCheckpointAhead: `Its checkpoint is kept beside the events: start with the DATA_DIR / event store it belongs to, or remove the checkpoint "${name}" to publish every event again.`,
    });
  }

  /** Where ops see its checkpoint, retries and last error (readiness, metrics). */
  get status(): SubscriptionStatus {
    return this.subscription.status;
  }

  start(): Promise<void> {
    return this.subscription.start();
  }

  /** Resolves once every event appended before the call is published and checkpointed. */
  caughtUp(): Promise<void> {
    return this.subscription.caughtUp();
  }

  /** The subscription's end: rejects if the store failed (publish failures are retried, not thrown). */
  get done(): Promise<void> {
    return this.subscription.done;
  }

  /** Stops reading, makes one last attempt to publish what is buffered, and waits for it. */
  stop(): Promise<void> {
    return this.subscription.stop();
  }
}
