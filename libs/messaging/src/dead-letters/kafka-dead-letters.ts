import { randomUUID } from 'crypto';
import { KafkaMessage, Partitioners } from 'kafkajs';
import { EventEnvelope } from '@lp/eventsourcing';
import type { KafkaEventBus } from '../kafka/kafka-event-bus';
import { fromKafkaMessage, headerText } from '../kafka/kafka-message';
import { retentionConfigEntries } from '../kafka/topic-retention';
import { MessageHeaders } from '../message-headers';
import { DeadLetterOutcome, DeadLetterStore, ParkedRecord } from './dead-letters';

/** Where ops decisions about dead letters are kept: one message per decision, keyed by dead-letter id (the last wins). */
export const DEAD_LETTER_OUTCOMES_TOPIC = 'ops.dead-letter-outcomes';
const READ_TIMEOUT_MS = 30_000;

interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Dead letters on Kafka: KafkaSubscription parks a message in `<topic>.dlq` with `dlq.*` headers
 * (kafka-message.ts toDeadLetter). Listing reads every `.dlq` topic up to its high watermark with a
 * throw-away consumer group (deleted afterwards), as Kafka UI browses a topic; decisions go to
 * DEAD_LETTER_OUTCOMES_TOPIC, so the dlq topics themselves stay an untouched log. A re-drive goes
 * back to the original topic with `redrive.groupId` (see dead-letters.ts for why).
 */
export class KafkaDeadLetters extends DeadLetterStore {
  constructor(private readonly bus: KafkaEventBus) {
    super();
  }

  protected async parked(from?: string): Promise<ParkedRecord[]> {
    const topics = (await this.bus.withAdmin((admin) => admin.listTopics())).filter((topic) => (from ? topic === `${from}.dlq` : topic.endsWith('.dlq')));
    return (await this.readTopics(topics)).map(({ topic, partition, message }) => toParkedRecord(topic, partition, message));
  }

  protected async outcomes(): Promise<Map<string, DeadLetterOutcome>> {
    await this.ensureOutcomesTopic();
    const outcomes = new Map<string, DeadLetterOutcome>();
    for (const { message } of await this.readTopics([DEAD_LETTER_OUTCOMES_TOPIC])) {
      if (!message.value) continue;
      const outcome = JSON.parse(message.value.toString('utf8')) as DeadLetterOutcome;
      outcomes.set(outcome.id, outcome);
    }
    return outcomes;
  }

  protected async record(outcomes: DeadLetterOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.ensureOutcomesTopic();
    const producer = this.bus.client.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic: DEAD_LETTER_OUTCOMES_TOPIC, acks: -1, messages: outcomes.map((outcome) => ({ key: outcome.id, value: JSON.stringify(outcome) })) });
    } finally {
      await producer.disconnect();
    }
  }

  protected async republish(topic: string, event: EventEnvelope, headers: MessageHeaders): Promise<void> {
    await this.bus.publish(topic, [event], { headers });
  }

  private async ensureOutcomesTopic(): Promise<void> {
    await this.bus.withAdmin(async (admin) => {
      if ((await admin.listTopics()).includes(DEAD_LETTER_OUTCOMES_TOPIC)) return;
      // One partition: decisions are few, and one log keeps them in the order they were taken.
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: DEAD_LETTER_OUTCOMES_TOPIC, numPartitions: 1, configEntries: retentionConfigEntries() }] });
    });
  }

  /** Every message of the topics below the high watermarks read at the call, oldest first per partition. */
  private async readTopics(topics: string[]): Promise<ReadMessage[]> {
    const pending = new Map<string, number>();
    await this.bus.withAdmin(async (admin) => {
      for (const topic of topics) {
        for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
          if (Number(high) > Number(low)) pending.set(`${topic}:${partition}`, Number(high));
        }
      }
    });
    if (pending.size === 0) return [];
    const withMessages = [...new Set([...pending.keys()].map((key) => key.slice(0, key.lastIndexOf(':'))))];
    const groupId = `ops-dead-letters-${randomUUID()}`;
    const consumer = this.bus.client.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
    const read: ReadMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: withMessages, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`dead letters not read within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const key = `${topic}:${partition}`;
              const high = pending.get(key);
              if (high === undefined) return;
              read.push({ topic, partition, message });
              if (Number(message.offset) + 1 >= high) pending.delete(key);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.bus.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
    }
    return read.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset));
  }

}

function toParkedRecord(dlqTopic: string, partition: number, message: KafkaMessage): ParkedRecord {
  const header = (name: string) => headerText(message.headers, name);
  const headers: MessageHeaders = {};
  for (const name of Object.keys(message.headers ?? {})) {
    const text = header(name);
    if (text !== undefined) headers[name] = text;
  }
  const parkedAt = header('dlq.parkedAt') ?? new Date(Number(message.timestamp)).toISOString();
  return {
    dlqTopic,
    partition,
    offset: Number(message.offset),
    event: fromKafkaMessage(message),
    headers,
    error: header('dlq.error') ?? 'unknown',
    stack: header('dlq.stack'),
    groupId: header('dlq.groupId') ?? 'unknown',
    topic: header('dlq.topic') ?? dlqTopic.replace(/\.dlq$/, ''),
    attempts: Number(header('dlq.attempts') ?? 1),
    // Kafka parks without the first failure's time: the parking time stands for it.
    firstFailedAt: header('dlq.firstFailedAt'),
    parkedAt,
  };
}
