import { EventEmitter } from 'events';
import { Consumer, EachMessagePayload, KafkaMessage, Message } from 'kafkajs';
import { BusSubscription, Delivery, MessageHandler } from '../event-bus';
import { InterruptibleDelay } from '../interruptible-delay';
import { SubscriptionStatus } from '../status/subscription-status';
import { meantForAnotherGroup } from '../message-headers';
import { fromKafkaMessage, opsHeadersOf, toDeadLetter } from './kafka-message';
import { findHistoryGaps, HistoryLostError } from './lost-history';

/** A partition's readable range: `high` is the high watermark (offset the next message gets). */
export interface PartitionRange {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

/** What a subscription needs from its bus (the producer for the dlq, the admin client for offsets). */
export interface KafkaSubscriptionContext {
  park(topic: string, message: Message): Promise<void>;
  ranges(topics: string[]): Promise<PartitionRange[]>;
  /** The group's committed offsets on the broker (next offset to read), by `topic:partition`. */
  committedOffsets(groupId: string, topics: string[]): Promise<Map<string, number>>;
}

/**
 * Offsets a consumer group has handled (or parked) in this process, shared by the group's
 * subscriptions of one bus, so caughtUp() sees progress made by whichever member owned a partition.
 */
export class GroupProgress {
  private readonly next = new Map<string, number>();
  private readonly changed = new EventEmitter().setMaxListeners(0);

  get(topic: string, partition: number): number | undefined {
    return this.next.get(partitionKey(topic, partition));
  }

  advance(topic: string, partition: number, nextOffset: number): void {
    const key = partitionKey(topic, partition);
    if ((this.next.get(key) ?? -1) < nextOffset) this.next.set(key, nextOffset);
    this.changed.emit('changed');
  }

  /** Resolves on the next advance, or after `ms`. */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.changed.off('changed', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.changed.on('changed', done);
    });
  }

  /** Wakes every caughtUp() waiter, e.g. when a subscription stops. */
  poke(): void {
    this.changed.emit('changed');
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** How often caughtUp() asks the broker for the group's committed offsets (progress of members in other processes). */
const REMOTE_CHECK_INTERVAL_MS = 1000;

/**
 * One kafkajs consumer in a group. Each message is awaited by the handler, retried with back-off,
 * then parked in `<topic>.dlq`, and only then committed (autoCommit off), so a crash redelivers
 * and a poison message costs the partition the back-off time, not its liveness.
 */
export class KafkaSubscription implements BusSubscription {
  private stopped = false;
  private failure: unknown;
  private readonly delay = new InterruptibleDelay();

  constructor(
    private readonly consumer: Consumer,
    readonly groupId: string,
    private readonly topics: string[],
    private readonly handler: MessageHandler,
    private readonly retryDelaysMs: number[],
    private readonly progress: GroupProgress,
    private readonly context: KafkaSubscriptionContext,
    private readonly onStopped: (subscription: KafkaSubscription) => void,
    private readonly status?: SubscriptionStatus,
  ) {}

  async start(): Promise<void> {
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts itself after retriable errors; only a final crash ends the subscription.
      if (payload.restart) this.status?.retrying(payload.error, 1, 'consuming (kafkajs restarts the consumer)');
      if (!payload.restart) {
        this.failure = payload.error;
        this.status?.failed(payload.error);
        this.stopped = true;
        this.progress.poke();
      }
    });
    // Back in its group after a crash or a broker outage: the retry streak is over.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.status?.advanced());
    await this.refuseLostHistory();
    await this.consumer.connect();
    // A new group starts at the beginning of each topic; a known group at its committed offsets.
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({ autoCommit: false, eachMessage: (payload) => this.onMessage(payload) });
  }

  /**
   * A group that would start below a partition's first message (a new group on a topic whose old
   * messages expired, or a group that stood still longer than the retention) would silently build
   * its state from part of the history: refuse to start instead, loudly.
   */
  private async refuseLostHistory(): Promise<void> {
    const [ranges, committed] = await Promise.all([this.context.ranges(this.topics), this.context.committedOffsets(this.groupId, this.topics)]);
    const gaps = findHistoryGaps(ranges, committed);
    if (gaps.length) throw new HistoryLostError(this.groupId, gaps);
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.delay.interrupt();
    }
    // disconnect() waits for the message in hand, then leaves the group so the partitions move on at once.
    await this.consumer.disconnect();
    this.status?.stopped();
    this.progress.poke();
    this.onStopped(this);
  }

  /**
   * Resolves once the group has handled every message below the high watermarks read at this call,
   * whether this subscription or another member of the group did it.
   */
  async caughtUp(): Promise<void> {
    const ranges = await this.context.ranges(this.topics);
    // An empty partition (or one whose messages retention removed) has nothing to wait for.
    let pending = ranges.filter((range) => range.high > range.low);
    let nextRemoteCheck = Date.now() + REMOTE_CHECK_INTERVAL_MS;
    for (;;) {
      if (this.failure) throw this.failure;
      pending = pending.filter((range) => (this.progress.get(range.topic, range.partition) ?? -1) < range.high);
      if (pending.length === 0 || this.stopped) return;
      if (Date.now() >= nextRemoteCheck) {
        const committed = await this.context.committedOffsets(this.groupId, this.topics);
        pending = pending.filter((range) => (committed.get(partitionKey(range.topic, range.partition)) ?? -1) < range.high);
        nextRemoteCheck = Date.now() + REMOTE_CHECK_INTERVAL_MS;
        // Local progress may have moved while the broker answered: look again before waiting.
        continue;
      }
      await this.progress.waitForChange(REMOTE_CHECK_INTERVAL_MS);
    }
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const headers = opsHeadersOf(message.headers);
    const delivery: Delivery = { topic, partition, offset: Number(message.offset), ...(headers && { headers }) };
    // A re-drive meant for another group is only committed past (see dead-letters.ts).
    const skip = meantForAnotherGroup(headers, this.groupId);
    if (!skip && !(await this.deliver(message, delivery, heartbeat))) return; // stopping: leave it uncommitted
    const next = delivery.offset + 1;
    await this.consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
    this.progress.advance(topic, partition, next);
    this.status?.advanced();
  }

  /** True once the message is handled or parked; false when stopped during a back-off. */
  private async deliver(message: KafkaMessage, delivery: Delivery, heartbeat: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        // Parsing inside the try: an unreadable value is a poison message like any other.
        await this.handler(fromKafkaMessage(message), delivery);
        return true;
      } catch (error) {
        const delay = this.retryDelaysMs[attempt - 1];
        if (delay === undefined) {
          await this.context.park(`${delivery.topic}.dlq`, toDeadLetter(message, { error, groupId: this.groupId, ...delivery, attempts: attempt }));
          this.status?.parked(error, `${delivery.topic}:${delivery.partition}@${delivery.offset}`);
          return true;
        }
        this.status?.retrying(error, attempt, `${delivery.topic}:${delivery.partition}@${delivery.offset}`);
        if (this.stopped || !(await this.delay.wait(delay)) || this.stopped) return false;
        // Long back-offs must not cost the group membership.
        await heartbeat();
      }
    }
  }
}
