import { BusConsumer, EventBus, SubscriptionStatus } from '@lp/messaging';
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
  /**
   * Events of different aggregates may be handled side by side (one aggregate's still in order):
   * only for a handler whose commands for different aggregates go to different streams.
   */
  concurrentKeys?: boolean;
}

/**
 * A process manager's inbox: a BusConsumer on its durable consumer group; the bus retries a failing
 * handler and parks a poison message on `<topic>.dlq`; the offset is committed only after the
 * handler succeeded.
 */
export class BusReactor implements BackgroundWorker {
  private readonly consumer: BusConsumer;

  constructor(readonly options: BusReactorOptions) {
    const { name, bus, groupId, topics, eventTypes, handle, concurrentKeys } = options;
    this.consumer = new BusConsumer({ name, kind: 'reactor', bus, groupId, topics, eventTypes, handle, concurrentKeys });
  }

  get name(): string {
    return this.options.name;
  }

  /** Where ops see its retries, parked messages and last error (readiness, metrics). */
  get status(): SubscriptionStatus {
    return this.consumer.status;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  caughtUp(): Promise<void> {
    return this.consumer.caughtUp();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
