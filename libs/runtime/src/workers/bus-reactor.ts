import { BusSubscription, EventBus, SubscriptionStatus } from '@lp/messaging';
import { EventEnvelope } from '@lp/eventsourcing';
import { BackgroundWorker } from './background-worker';

export interface BusReactorOptions {
  name: string;
  bus: EventBus;
  /** Durable consumer group: its committed offsets are this reactor's progress. */
  groupId: string;
  topics: string[];
  eventTypes: string[];
  /**
   * Turns another service's event into commands on this service's aggregates. Must be idempotent
   * (delivery is at least once): e.g. derive the target stream id from the event, so a redelivery
   * lands where the first delivery did and the decider sees it is already done.
   */
  handle: (event: EventEnvelope) => Promise<void>;
}

/**
 * A process manager's inbox: a consumer group on the bus; the bus retries a failing handler and
 * parks a poison message on `<topic>.dlq`; the offset is committed only after the handler succeeded.
 */
export class BusReactor implements BackgroundWorker {
  private subscription?: BusSubscription;
  private readonly handled: Set<string>;
  /** Where ops see its retries, parked messages and last error (readiness, metrics). */
  readonly status: SubscriptionStatus;

  constructor(readonly options: BusReactorOptions) {
    this.handled = new Set(options.eventTypes);
    this.status = new SubscriptionStatus(options.name, 'reactor', { groupId: options.groupId, topics: options.topics });
  }

  get name(): string {
    return this.options.name;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    const { bus, groupId, topics, handle } = this.options;
    this.subscription = await bus.subscribe({
      groupId,
      topics,
      status: this.status,
      handler: async (event) => {
        if (this.handled.has(event.type)) await handle(event);
      },
    });
  }

  async caughtUp(): Promise<void> {
    await this.subscription?.caughtUp();
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }
}
