import { EventLoopShare, RetryPolicy, WakeSignal } from '@lp/eventsourcing';
import { BusSubscription, MessageHandler } from '../event-bus';
import type { InProcessEventBus, StoredMessage } from './in-process-event-bus';
import { SubscriptionStatus } from '../status/subscription-status';
import { MessageHeaders } from '../message-headers';
import { MessageDelivery } from '../delivery/message-delivery';
import { ParkedKeys } from '../delivery/parked-keys';
import { CheckpointCommitter } from '../subscriptions/checkpoint-committer';
import { deliverKeysSideBySide } from '../delivery/keys-side-by-side';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface ConsumerLoopOptions {
  /** Transient failures retried for ever, the rest with its poison budget, then parked. */
  retryPolicy: RetryPolicy;
  pollIntervalMs: number;
  batchSize: number;
  /** Messages of different keys handled side by side (SubscribeOptions.concurrentKeys). */
  concurrentKeys?: boolean;
}

interface CaughtUpWaiter {
  targets: { part: TopicPartition; offset: number }[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One subscription of a consumer group: reads each claimed partition from the group's committed
 * offset and hands each message to MessageDelivery (retry an outage for ever, park poison per key),
 * committing the offset only once the message is handled or parked.
 */
export class ConsumerLoop implements BusSubscription {
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private failure: unknown;
  private waiters: CaughtUpWaiter[] = [];
  private readonly wake = new WakeSignal();
  /** A consumer far behind its topic hands the thread over between messages (HTTP requests, timers). */
  private readonly share = new EventLoopShare();
  private readonly delivery: MessageDelivery;

  constructor(
    private readonly bus: InProcessEventBus,
    readonly groupId: string,
    private readonly parts: TopicPartition[],
    handler: MessageHandler,
    private readonly options: ConsumerLoopOptions,
    parkedKeys: ParkedKeys,
    private readonly status?: SubscriptionStatus,
  ) {
    this.delivery = new MessageDelivery({ groupId, handler, policy: options.retryPolicy, parkedKeys, status });
  }

  start(): void {
    const unsubscribe = this.bus.onPublished(this.parts.map((part) => part.topic), () => this.wake.notify());
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
    this.delivery.stop();
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
      if (!delivered && !this.stopped) {
        await this.wake.wait(this.options.pollIntervalMs);
        this.share.rested();
      }
    }
  }

  /** Handles up to one batch of the partition; returns whether anything was handled. */
  private async consumeBatch(part: TopicPartition): Promise<boolean> {
    const start = this.bus.committedOffset(this.groupId, part);
    const batch = this.bus.read(part, start, this.options.batchSize);
    // The offset moves over a message once it and every message before it are done (the low-water
    // mark, as for store subscriptions): in memory per message (caughtUp, other members of the group);
    // to the file once per batch, which at worst redelivers part of a batch after a crash:
    // at-least-once either way. Positions are next offsets, so a finished message's is offset + 1.
    const offsets = new CheckpointCommitter(start, async (next) => this.bus.commit(this.groupId, part, next, false));
    if (this.options.concurrentKeys) {
      await deliverKeysSideBySide(
        { messages: batch, keyOf: (message) => message.key, offsetOf: (message) => message.offset },
        offsets,
        async (message) => !this.stopped && (await this.deliver(message)),
      );
    } else {
      for (const message of batch) {
        const work = offsets.begin(message.offset + 1);
        if (this.stopped || !(await this.deliver(message))) break;
        offsets.finish(work);
      }
    }
    const next = offsets.position;
    if (next > start) {
      this.bus.commit(this.groupId, part, next, true);
      this.status?.advanced();
    }
    return next > start;
  }

  /** True once the message is handled, skipped or parked; false when stopped during a back-off (not committed). */
  private async deliver(message: StoredMessage): Promise<boolean> {
    await this.share.handOverIfDue();
    const headers = message.headers ? (JSON.parse(message.headers) as MessageHeaders) : undefined;
    const delivery = { topic: message.topic, partition: message.partition, offset: message.offset, ...(headers && { headers }) };
    return this.delivery.deliver({
      key: message.key,
      delivery,
      decode: () => JSON.parse(message.payload),
      park: async ({ error, attempts, firstFailedAt }) =>
        this.bus.park(message, {
          message: error instanceof Error ? error.message : String(error),
          stack: error instanceof Error ? error.stack : undefined,
          groupId: this.groupId,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          attempts,
          firstFailedAt,
        }),
    });
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
