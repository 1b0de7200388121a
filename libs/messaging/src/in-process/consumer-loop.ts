import { WakeSignal } from '@lp/eventsourcing';
import { BusSubscription, MessageHandler } from '../event-bus';
import type { InProcessEventBus, StoredMessage } from './in-process-event-bus';
import { InterruptibleDelay } from '../interruptible-delay';
import { SubscriptionStatus } from '../status/subscription-status';
import { meantForAnotherGroup, MessageHeaders } from '../message-headers';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface ConsumerLoopOptions {
  retryDelaysMs: number[];
  pollIntervalMs: number;
  batchSize: number;
}

interface CaughtUpWaiter {
  targets: { part: TopicPartition; offset: number }[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One subscription of a consumer group: reads each claimed partition from the group's committed
 * offset, awaits the handler one message at a time, retries a failing message with back-off and
 * then parks it in `<topic>.dlq`, committing the offset only once the message is handled or parked.
 */
export class ConsumerLoop implements BusSubscription {
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private failure: unknown;
  private waiters: CaughtUpWaiter[] = [];
  private readonly wake = new WakeSignal();
  private readonly delay = new InterruptibleDelay();

  constructor(
    private readonly bus: InProcessEventBus,
    readonly groupId: string,
    private readonly parts: TopicPartition[],
    private readonly handler: MessageHandler,
    private readonly options: ConsumerLoopOptions,
    private readonly status?: SubscriptionStatus,
  ) {}

  start(): void {
    const unsubscribe = this.bus.onPublished(() => this.wake.notify());
    this.running = this.run()
      .catch((error: unknown) => {
        // Only the storage can fail here (handler errors are retried and parked); callers see it
        // through caughtUp().
        this.failure = error;
        this.status?.failed(error);
      })
      .finally(() => {
        unsubscribe();
        this.stopped = true;
        if (!this.failure) this.status?.stopped();
        this.bus.release(this);
        this.settleWaiters();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake.notify();
    this.delay.interrupt();
    await this.running;
  }

  caughtUp(): Promise<void> {
    if (this.stopped) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    const targets = this.parts.map((part) => ({ part, offset: this.bus.endOffset(part) }));
    if (this.reached(targets)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ targets, resolve, reject }));
  }

  /** @internal Called by the bus whenever an offset of this group moves. */
  checkCaughtUp(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!this.reached(waiter.targets)) return true;
      waiter.resolve();
      return false;
    });
  }

  private async run(): Promise<void> {
    await Promise.resolve();
    while (!this.stopped) {
      let delivered = false;
      for (const part of this.parts) {
        if (this.stopped) break;
        if (!this.bus.claim(this.groupId, part, this)) continue;
        delivered = (await this.consumeBatch(part)) || delivered;
      }
      if (!delivered && !this.stopped) await this.wake.wait(this.options.pollIntervalMs);
    }
  }

  /** Handles up to one batch of the partition; returns whether anything was handled. */
  private async consumeBatch(part: TopicPartition): Promise<boolean> {
    const start = this.bus.committedOffset(this.groupId, part);
    let next = start;
    for (const message of this.bus.read(part, start, this.options.batchSize)) {
      if (this.stopped || !(await this.deliver(message))) break;
      next = message.offset + 1;
      // In memory per message (caughtUp, other members of the group); to the file once per batch,
      // which at worst redelivers part of a batch after a crash: at-least-once either way.
      this.bus.commit(this.groupId, part, next, false);
    }
    if (next > start) {
      this.bus.commit(this.groupId, part, next, true);
      this.status?.advanced();
    }
    return next > start;
  }

  /** True once the message is handled or parked; false when stopped during a back-off (not committed). */
  private async deliver(message: StoredMessage): Promise<boolean> {
    const event = JSON.parse(message.payload);
    const headers = message.headers ? (JSON.parse(message.headers) as MessageHeaders) : undefined;
    if (meantForAnotherGroup(headers, this.groupId)) return true;
    const delivery = { topic: message.topic, partition: message.partition, offset: message.offset, ...(headers && { headers }) };
    let firstFailedAt: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler(event, delivery);
        return true;
      } catch (error) {
        firstFailedAt ??= new Date().toISOString();
        const delay = this.options.retryDelaysMs[attempt - 1];
        if (delay === undefined) {
          this.bus.park(message, {
            message: error instanceof Error ? error.message : String(error),
            stack: error instanceof Error ? error.stack : undefined,
            groupId: this.groupId,
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            attempts: attempt,
            firstFailedAt,
          });
          this.status?.parked(error, `${message.topic}:${message.partition}@${message.offset}`);
          return true;
        }
        this.status?.retrying(error, attempt, `${message.topic}:${message.partition}@${message.offset}`);
        if (!(await this.backOff(delay))) return false;
      }
    }
  }

  private async backOff(ms: number): Promise<boolean> {
    if (this.stopped) return false;
    return (await this.delay.wait(ms)) && !this.stopped;
  }


  private reached(targets: CaughtUpWaiter['targets']): boolean {
    return targets.every(({ part, offset }) => this.bus.committedOffset(this.groupId, part) >= offset);
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      if (this.failure) waiter.reject(this.failure);
      else waiter.resolve();
    }
    this.waiters = [];
  }
}
