import { Admin, Kafka, logLevel as KafkaLogLevel, Message, Partitioners, Producer } from 'kafkajs';
import { EventEnvelope, infrastructureRetry, RetryPolicy } from '@lp/eventsourcing';
import { BusSubscription, EventBus, PublishOptions, SubscribeOptions, upcastingHandler } from '../event-bus';
import { quietKafkaLogCreator } from './kafka-log';
import { keepTopicsForever, retentionConfigEntries } from './topic-retention';
import { toKafkaMessage } from './kafka-message';
import { ParkedKeys } from '../delivery/parked-keys';
import { KafkaDeadLetters } from '../dead-letters/kafka-dead-letters';
import { KafkaGroupOffsets } from '../consumer-groups/kafka-group-offsets';
import { GroupProgress, KafkaSubscription, KafkaSubscriptionContext, partitionKey, PartitionRange } from './kafka-subscription';

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of the topics ensureTopics() creates (default 3). */
  partitions?: number;
  /** Replication factor of the topics ensureTopics() creates (default 1: a single local broker). */
  replicationFactor?: number;
  /** Waits before each retry of a failing handler; after the last one the message is parked in `<topic>.dlq` (default 100, 500, 2000 ms). */
  retryDelaysMs?: number[];
  /** Waits between tries during an outage (isTransient: retried for ever; default the shared infrastructure policy, capped at 10 s to keep the group membership). */
  retryPolicy?: RetryPolicy;
  /**
   * How long a consumer's fetch waits on the broker for new messages (default 1000 ms). Messages
   * arrive at once either way; this bounds how long stop() waits for the fetch in flight, against
   * one idle request per interval and consumer.
   */
  fetchMaxWaitMs?: number;
  /** kafkajs's own logging (default WARN: its INFO lines narrate every join and rebalance; see quietKafkaLogCreator). */
  logLevel?: KafkaLogLevel;
  /** Told which existing topics ensureTopics() switched to unlimited retention (default: a console warning). */
  onRetentionRaised?: (topics: string[]) => void;
}

/**
 * The distributed deployment's bus (events.md): one Kafka topic per producing service, key =
 * aggregate id, JSON envelope as value, event type / schema version / event id / correlation id as
 * headers. Publishing goes through one idempotent producer and waits for acks from all in-sync
 * replicas; consuming is one kafkajs consumer per subscription (see KafkaSubscription).
 *
 * Topics are never created by the broker on first use (auto.create.topics.enable=false): services
 * call ensureTopics() for the topics they publish or consume at start, which also creates each
 * topic's `<topic>.dlq`, both kept for ever (see topic-retention.ts).
 */
const TOPIC_READY_TIMEOUT_MS = 30_000;

export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly partitions: number;
  private readonly replicationFactor: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly parkedKeysByGroup = new Map<string, ParkedKeys>();
  private deadLetterView?: KafkaDeadLetters;
  private readonly fetchMaxWaitMs: number;
  private readonly onRetentionRaised: (topics: string[]) => void;
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly progressByGroup = new Map<string, GroupProgress>();
  private closed = false;

  constructor(options: KafkaEventBusOptions) {
    this.partitions = options.partitions ?? 3;
    this.replicationFactor = options.replicationFactor ?? 1;
    this.retryPolicy = (options.retryPolicy ?? new RetryPolicy({ maxDelayMs: 10_000 })).withPoisonDelays(options.retryDelaysMs ?? [100, 500, 2000]);
    this.fetchMaxWaitMs = options.fetchMaxWaitMs ?? 1000;
    this.onRetentionRaised =
      options.onRetentionRaised ?? ((topics) => console.warn(`Kafka topics switched to unlimited retention (they are the integration log): ${topics.join(', ')}`));
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: options.logLevel ?? KafkaLogLevel.WARN,
      logCreator: quietKafkaLogCreator,
    });
  }

  /**
   * Creates the missing topics and their `<topic>.dlq` with unlimited retention; an existing one
   * whose messages would expire is switched to unlimited retention (and told to `onRetentionRaised`).
   */
  async ensureTopics(topics: string[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const wanted = [...new Set(topics.flatMap((topic) => [topic, `${topic}.dlq`]))];
    const deadline = Date.now() + TOPIC_READY_TIMEOUT_MS;
    // Services start together and create the same topics: a topic another one created a moment ago
    // exists but may have no partition leader yet ("This server does not host this topic-partition"),
    // so retry until every wanted topic has leaders for all its partitions.
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((topic) => !existing.has(topic));
        if (missing.length) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({
              topic,
              numPartitions: this.partitions,
              replicationFactor: this.replicationFactor,
              configEntries: retentionConfigEntries(),
            })),
          });
        }
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics: wanted });
        if (metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0))) {
          const raised = await keepTopicsForever(admin, wanted);
          if (raised.length) this.onRetentionRaised(raised);
          return;
        }
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`Kafka topics not ready after ${TOPIC_READY_TIMEOUT_MS} ms: ${wanted.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempt, 1000)));
    }
  }

  /** Resolves once the broker acknowledged every message (acks from all in-sync replicas). */
  async publish(topic: string, events: EventEnvelope[], options: PublishOptions = {}): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    await this.send(topic, events.map((event) => toKafkaMessage(event, options.headers)));
  }

  /** @internal For the dead-letter and consumer-group adapters (fresh consumers, admin offsets). */
  /** Runs `work` with the bus's admin client (connected once, kept until close): for ops adapters (dead letters, offsets). */
  async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    return work(await this.connectedAdmin());
  }

  get client(): Kafka {
    return this.kafka;
  }

  /** @internal Ops moved the group's offsets (a rewind): what this process saw it handle no longer says where it is. */
  forgetProgress(groupId: string): void {
    this.progressByGroup.delete(groupId);
  }

  deadLetterStore(): KafkaDeadLetters {
    this.deadLetterView ??= new KafkaDeadLetters(this);
    return this.deadLetterView;
  }

  consumerGroupOffsets(): KafkaGroupOffsets {
    return new KafkaGroupOffsets(this);
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    this.assertOpen();
    const subscription = new KafkaSubscription(
      options.groupId,
      options.topics,
      upcastingHandler(options.handler),
      this.retryPolicy,
      this.progressOf(options.groupId),
      this.subscriptionContext(),
      this.parkedKeysOf(options.groupId),
      (stopped) => this.subscriptions.delete(stopped),
      options.status,
      options.concurrentKeys,
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.stop().catch(() => undefined);
      throw error;
    }
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    const clients: (Promise<{ disconnect(): Promise<void> }> | undefined)[] = [this.producer, this.admin];
    // A client whose connect failed has nothing to disconnect.
    await Promise.all(clients.map(async (client) => (await client?.catch(() => undefined))?.disconnect()));
  }

  private subscriptionContext(): KafkaSubscriptionContext {
    return {
      newConsumer: (groupId) =>
        this.kafka.consumer({
          groupId,
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: this.fetchMaxWaitMs,
          // A member killed with -9 holds its partitions until its session times out (kafkajs: 30 s);
          // 10 s lets a restarted service take its partitions back sooner.
          sessionTimeout: 10_000,
          heartbeatInterval: 1_000,
        }),
      park: (topic, message) => this.send(topic, [message]),
      ranges: (topics) => this.ranges(topics),
      committedOffsets: (groupId, topics) => this.committedOffsets(groupId, topics),
    };
  }

  private async send(topic: string, messages: Message[]): Promise<void> {
    const producer = await this.connectedProducer();
    await producer.send({ topic, messages, acks: -1 });
  }

  private async ranges(topics: string[]): Promise<PartitionRange[]> {
    const admin = await this.connectedAdmin();
    const perTopic = await Promise.all(
      topics.map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, low: Number(p.low), high: Number(p.high) })),
      ),
    );
    return perTopic.flat();
  }

  private async committedOffsets(groupId: string, topics: string[]): Promise<Map<string, number>> {
    const admin = await this.connectedAdmin();
    const committed = new Map<string, number>();
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
      for (const { partition, offset } of partitions) committed.set(partitionKey(topic, partition), Number(offset));
    }
    return committed;
  }

  /** Which keys of a group wait behind a parked message; the dead letters are read only when a dlq holds any. */
  private parkedKeysOf(groupId: string): ParkedKeys {
    let keys = this.parkedKeysByGroup.get(groupId);
    if (!keys) {
      keys = new ParkedKeys(groupId, this.deadLetterStore(), (topic) => this.anythingParked(topic));
      this.parkedKeysByGroup.set(groupId, keys);
    }
    return keys;
  }

  private async anythingParked(topic: string): Promise<boolean> {
    const admin = await this.connectedAdmin();
    const dlqs = (await admin.listTopics()).filter((name) => name === `${topic}.dlq`);
    const ranges = await this.ranges(dlqs);
    return ranges.some((range) => range.high > range.low);
  }

  private progressOf(groupId: string): GroupProgress {
    let progress = this.progressByGroup.get(groupId);
    if (!progress) this.progressByGroup.set(groupId, (progress = new GroupProgress()));
    return progress;
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        // Retries after a lost ack cannot duplicate or reorder a key's messages.
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java-compatible murmur2 (kafkajs's default since 2.0; naming it silences its warning).
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producer = connectOnce(producer, () => (this.producer = undefined));
    }
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) this.admin = connectOnce(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KafkaEventBus is closed');
  }
}

/** Connects a client once; a failed connect is forgotten so that the next call tries again. */
async function connectOnce<Client extends { connect(): Promise<void> }>(client: Client, forget: () => void): Promise<Client> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}
