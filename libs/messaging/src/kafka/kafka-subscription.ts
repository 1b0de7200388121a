import { EventEmitter } from 'events';
import { Consumer, EachBatchPayload, EachMessagePayload, KafkaMessage, Message } from 'kafkajs';
import { RetryAbortedError, RetryPolicy } from '@lp/eventsourcing';
import { BusSubscription, Delivery, MessageHandler } from '../event-bus';
import { SubscriptionStatus } from '../status/subscription-status';
import { MessageDelivery } from '../delivery/message-delivery';
import { ParkedKeys } from '../delivery/parked-keys';
import { deliverKeysSideBySide } from '../delivery/keys-side-by-side';
import { CheckpointCommitter } from '../subscriptions/checkpoint-committer';
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
  /** A new consumer of the group (at start, and again after a crash kafkajs does not restart from). */
  newConsumer(groupId: string): Consumer;
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

/** With concurrentKeys, how many of its partitions one consumer works on at once (kafkajs fetches them together). */
const PARTITIONS_SIDE_BY_SIDE = 8;

/** How often caughtUp() asks the broker for the group's committed offsets (progress of members in other processes). */
const REMOTE_CHECK_INTERVAL_MS = 1000;

/**
 * One kafkajs consumer in a group. Each message goes through MessageDelivery (an outage is retried
 * for ever and never parks; poison is parked in `<topic>.dlq`, per key) and is committed only then
 * (autoCommit off), so a crash redelivers. kafkajs restarts its consumer itself after retriable
 * errors; after a crash it gives up on, this subscription resubscribes with a new consumer from the
 * group's committed offsets, for ever with back-off, until stopped.
 */
export class KafkaSubscription implements BusSubscription {
  private stopped = false;
  private failure: unknown;
  private consumer?: Consumer;
  private readonly delivery: MessageDelivery;
  private readonly resubscribing = new AbortController();

  constructor(
    readonly groupId: string,
    private readonly topics: string[],
    handler: MessageHandler,
    private readonly policy: RetryPolicy,
    private readonly progress: GroupProgress,
    private readonly context: KafkaSubscriptionContext,
    parkedKeys: ParkedKeys,
    private readonly onStopped: (subscription: KafkaSubscription) => void,
    private readonly status?: SubscriptionStatus,
    private readonly concurrentKeys = false,
  ) {
    this.delivery = new MessageDelivery({
      groupId,
      handler,
      policy,
      parkedKeys,
      status,
      // Long back-offs must not cost the group membership.
      beforeRetry: async () => {
        await this.heartbeat?.().catch(() => undefined);
      },
    });
  }

  private heartbeat?: () => Promise<void>;

  /** A broker still starting (no group coordinator yet, offsets topic loading) is waited for; lost history is refused. */
  async start(): Promise<void> {
    await this.policy.withPoisonDelays([]).run(() => this.refuseLostHistory(), {
      signal: this.resubscribing.signal,
      onRetry: (error, attempt) => this.status?.retrying(error, attempt, 'reading the group offsets'),
    });
    await this.run();
  }

  private async run(): Promise<void> {
    const consumer = this.context.newConsumer(this.groupId);
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (consumer !== this.consumer || this.stopped) return;
      this.status?.retrying(payload.error, 1, payload.restart ? 'consuming (kafkajs restarts the consumer)' : 'consuming (resubscribing)');
      // kafkajs restarts itself after retriable errors; after any other crash we start over.
      if (!payload.restart) void this.resubscribe();
    });
    // Back in its group after a crash or a broker outage: the retry streak is over.
    consumer.on(consumer.events.GROUP_JOIN, () => this.status?.advanced());
    await consumer.connect();
    // A new group starts at the beginning of each topic; a known group at its committed offsets.
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run(
      this.concurrentKeys
        ? // Each partition's keys side by side, and the partitions too (a key lives in one partition).
          // Offsets are resolved by hand, so a fetch after a partial batch starts at its first unfinished message.
          { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_SIDE_BY_SIDE, eachBatch: (payload) => this.onBatch(payload) }
        : { autoCommit: false, eachMessage: (payload) => this.onMessage(payload) },
    );
  }

  /** A new consumer from the committed offsets, tried until it runs (or the subscription stops). */
  private async resubscribe(): Promise<void> {
    const crashed = this.consumer;
    this.consumer = undefined;
    await crashed?.disconnect().catch(() => undefined);
    try {
      await this.policy.withPoisonDelays([]).run(
        async () => {
          if (this.stopped) throw new RetryAbortedError(new Error('stopped'));
          try {
            await this.run();
          } catch (error) {
            const failed = this.consumer;
            this.consumer = undefined;
            await failed?.disconnect().catch(() => undefined);
            // Whatever stops a resubscription is retried: only stop() ends this subscription.
            throw Object.assign(new Error(`resubscribing: ${error instanceof Error ? error.message : String(error)}`), { name: 'TransientError', cause: error });
          }
        },
        { signal: this.resubscribing.signal, onRetry: (error, attempt) => this.status?.retrying(error, attempt, 'resubscribing') },
      );
    } catch (error) {
      if (!(error instanceof RetryAbortedError)) {
        this.failure = error;
        this.status?.failed(error);
      }
    }
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
      this.delivery.stop();
      this.resubscribing.abort();
    }
    // disconnect() waits for the message in hand, then leaves the group so the partitions move on at once.
    await this.consumer?.disconnect();
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
    this.heartbeat = heartbeat;
    const done = await this.deliver(topic, partition, message);
    if (!done || this.stopped) return; // stopping: leave it uncommitted
    await this.commit(topic, partition, Number(message.offset) + 1);
  }

  /**
   * A partition's batch with its keys side by side: the committed offset is the low-water mark of
   * finished messages, committed as it moves (a burst of finishes is one commit). A commit that
   * failed is made again at the end of the batch, so a broker error crashes the consumer (kafkajs
   * restarts it from the committed offsets: at least once) instead of being lost.
   */
  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (!messages.length) return;
    this.heartbeat = heartbeat;
    const start = Number(messages[0].offset);
    let committed = start;
    const offsets = new CheckpointCommitter(start, async (next) => {
      await this.commit(topic, partition, next);
      committed = Math.max(committed, next);
    });
    // A rebalance (isStale) or a stop hands the rest of the batch to whoever fetches it next.
    const goOn = () => !this.stopped && isRunning() && !isStale();
    await deliverKeysSideBySide({ messages, keyOf: keyOfMessage, offsetOf: (message) => Number(message.offset) }, offsets, async (message) => {
      if (!goOn()) return false;
      const done = await this.deliver(topic, partition, message);
      // kafkajs heartbeats between batches only, and one key's messages in a row may outlast the
      // session timeout; it sends one only when its interval has passed, so asking often is cheap.
      await heartbeat().catch(() => undefined);
      return done;
    });
    await offsets.written();
    const next = offsets.position;
    if (next === start) return;
    // After a rebalance the partition is another member's: its commit would be refused (or move it back).
    if (committed < next && goOn()) await this.commit(topic, partition, next);
    resolveOffset(String(next - 1));
  }

  private deliver(topic: string, partition: number, message: KafkaMessage): Promise<boolean> {
    const headers = opsHeadersOf(message.headers);
    const delivery: Delivery = { topic, partition, offset: Number(message.offset), ...(headers && { headers }) };
    return this.delivery.deliver({
      key: keyOfMessage(message),
      delivery,
      // Parsing inside the delivery: an unreadable value is a poison message like any other.
      decode: () => fromKafkaMessage(message),
      park: ({ error, attempts, firstFailedAt }) =>
        this.context.park(`${topic}.dlq`, toDeadLetter(message, { error, groupId: this.groupId, ...delivery, attempts, firstFailedAt })),
    });
  }

  private async commit(topic: string, partition: number, next: number): Promise<void> {
    await this.consumer?.commitOffsets([{ topic, partition, offset: String(next) }]);
    this.progress.advance(topic, partition, next);
    this.status?.advanced();
  }
}

function keyOfMessage(message: KafkaMessage): string {
  return message.key?.toString('utf8') ?? '';
}
