import { EventEnvelope } from '@lp/eventsourcing';
import { BusSubscription, EventBus } from '../event-bus';
import { SubscriptionKind, SubscriptionStatus } from '../status/subscription-status';

export interface BusConsumerOptions {
  /** Its name in logs, readiness and metrics. */
  name: string;
  kind: SubscriptionKind;
  bus: EventBus;
  /** Durable consumer group: its committed offsets are this consumer's checkpoint. */
  groupId: string;
  topics: string[];
  /** The event types handed to `handle`; the others are passed over (their offsets still move). */
  eventTypes: Iterable<string>;
  /** Must be idempotent: delivery is at least once (consumers dedupe by event id or by version). */
  handle: (event: EventEnvelope) => Promise<void>;
  /** Given when the status must outlive this consumer (a projection's rebuild replaces it). */
  status?: SubscriptionStatus;
  /** Messages of different keys may be handled side by side (SubscribeOptions.concurrentKeys). */
  concurrentKeys?: boolean;
}

/**
 * The bus-side twin of CheckpointedSubscription: a topic × a handler × the consumer group's offsets
 * as the checkpoint, with the bus's one retry-then-park delivery (an outage is retried for ever, a
 * deterministic failure is parked per key on `<topic>.dlq`). Process managers and the projections
 * of other services' events are this one thing, configured.
 */
export class BusConsumer {
  readonly status: SubscriptionStatus;
  private readonly handled: Set<string>;
  private subscription?: BusSubscription;

  constructor(readonly options: BusConsumerOptions) {
    const { name, kind, groupId, topics } = options;
    this.status = options.status ?? new SubscriptionStatus(name, kind, { groupId, topics });
    this.handled = new Set(options.eventTypes);
  }

  get running(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    const { bus, groupId, topics, handle, concurrentKeys } = this.options;
    this.subscription = await bus.subscribe({
      groupId,
      topics,
      status: this.status,
      concurrentKeys,
      handler: async (event) => {
        if (this.handled.has(event.type)) await handle(event);
      },
    });
  }

  /** Resolves once every message published before the call has been handled. */
  async caughtUp(): Promise<void> {
    await this.subscription?.caughtUp();
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }
}
