import { EventEnvelope } from '@lp/eventsourcing';
import { BusSubscription, EventBus, SubscribeOptions } from '@lp/messaging';

/**
 * A minimal EventBus double: one partition per topic, offsets committed per group after the handler
 * succeeded, messages handled one at a time. Enough to drive a BusProjectionConsumer.
 */
export class InMemoryEventBus implements EventBus {
  private readonly topics = new Map<string, EventEnvelope[]>();
  private readonly committed = new Map<string, number>();
  private readonly wakers = new Set<() => void>();

  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    this.log(topic).push(...structuredClone(events));
    for (const wake of this.wakers) wake();
  }

  async subscribe({ groupId, topics, handler }: SubscribeOptions): Promise<BusSubscription> {
    let stopped = false;
    let kick = () => undefined as void;
    const offsetKey = (topic: string) => `${groupId}/${topic}`;
    const backlog = () => topics.some((topic) => (this.committed.get(offsetKey(topic)) ?? 0) < this.log(topic).length);

    const pump = async () => {
      while (!stopped) {
        for (const topic of topics) {
          const log = this.log(topic);
          for (let offset = this.committed.get(offsetKey(topic)) ?? 0; offset < log.length && !stopped; offset++) {
            await handler(structuredClone(log[offset]), { topic, partition: 0, offset });
            this.committed.set(offsetKey(topic), offset + 1);
          }
        }
        if (!backlog() && !stopped) await new Promise<void>((resolve) => (kick = resolve));
      }
    };
    const wake = () => kick();
    this.wakers.add(wake);
    let failure: unknown;
    const running = pump().catch((error: unknown) => {
      failure = error ?? new Error('handler failed');
    });

    return {
      stop: async () => {
        stopped = true;
        this.wakers.delete(wake);
        kick();
        await running;
      },
      caughtUp: async () => {
        while (backlog()) {
          if (failure !== undefined) throw failure;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    };
  }

  async close(): Promise<void> {
    this.wakers.clear();
  }

  private log(topic: string): EventEnvelope[] {
    let log = this.topics.get(topic);
    if (!log) this.topics.set(topic, (log = []));
    return log;
  }
}
