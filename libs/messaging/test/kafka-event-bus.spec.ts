import { randomUUID } from 'crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { aggregateIdOf, EventEnvelope } from '@lp/eventsourcing';
import { KafkaEventBus } from '@lp/messaging/kafka';
import { anEnvelope } from '@lp/testing';
import { eventBusContract } from './event-bus.contract';
import { describeWithKafka, useKafkaTestBroker } from './kafka-test-broker';
import { headerText } from '../src/kafka/kafka-message';

// Run against a real broker: `bash deploy/local/kafka.sh start` then
// `KAFKA_BROKERS=127.0.0.1:9092 npx jest libs/messaging`.

describeWithKafka('KafkaEventBus', () => {
  const broker = useKafkaTestBroker();

  // Short back-offs and fetch waits: every test stops its consumers, and a stop waits for the fetch in flight.
  const newBus = () =>
    new KafkaEventBus({ brokers: broker.brokers, clientId: `test-${randomUUID()}`, retryDelaysMs: [10, 20, 50], fetchMaxWaitMs: 100 });

  eventBusContract('KafkaEventBus', async () => {
    const bus = newBus();
    return { bus, createTopics: (topics) => bus.ensureTopics(topics) };
  });

  describe('Kafka specifics', () => {
    let bus: KafkaEventBus;
    let topic: string;
    beforeEach(async () => {
      bus = newBus();
      topic = `t-${randomUUID()}`;
      await bus.ensureTopics([topic]);
    });
    afterEach(async () => bus.close());

    it('creates the topic and its .dlq with the configured partitions, and leaves existing ones alone', async () => {
      await bus.ensureTopics([topic]); // a second service starting: nothing to do, no error
      const admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic, `${topic}.dlq`] });
        expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
          [topic, 3],
          [`${topic}.dlq`, 3],
        ]);
      } finally {
        await admin.disconnect();
      }
    });

    it('publishes with key = aggregate id, the JSON envelope as value and the events.md headers', async () => {
      const sent = envelope(randomUUID(), 0);
      await bus.publish(topic, [sent]);
      const [message] = await readRaw(broker.brokers, topic, 1);
      expect(message.key?.toString()).toBe(aggregateIdOf(sent.streamId));
      expect(JSON.parse(message.value!.toString())).toEqual(sent);
      expect(headersOf(message, ['eventType', 'schemaVersion', 'eventId', 'correlationId', 'causationId'])).toEqual({
        eventType: 'OrderPlaced',
        schemaVersion: String(sent.schemaVersion),
        eventId: sent.eventId,
        correlationId: sent.correlationId,
        causationId: sent.causationId,
      });
    });

    it('parks a poison message in <topic>.dlq with the reason, while a later message of another key is handled', async () => {
      const poison = envelope('a', 0, 'Poison');
      const other = envelope('b', 0);
      const handled: EventEnvelope[] = [];
      const groupId = `g-${randomUUID()}`;
      const subscription = await bus.subscribe({
        groupId,
        topics: [topic],
        handler: async (event) => {
          if (event.type === 'Poison') throw new Error('cannot handle this');
          handled.push(event);
        },
      });
      await bus.publish(topic, [poison]);
      await bus.publish(topic, [other]);
      await subscription.caughtUp();
      expect(handled).toEqual([other]);

      const [parked] = await readRaw(broker.brokers, `${topic}.dlq`, 1);
      expect(parked.key?.toString()).toBe('a');
      expect(JSON.parse(parked.value!.toString())).toEqual(poison);
      expect(headersOf(parked, ['eventType', 'eventId', 'dlq.error', 'dlq.groupId', 'dlq.topic', 'dlq.attempts'])).toEqual({
        eventType: 'Poison',
        eventId: poison.eventId,
        'dlq.error': 'cannot handle this',
        'dlq.groupId': groupId,
        'dlq.topic': topic,
        'dlq.attempts': '4', // the first try and three retries
      });
      await subscription.stop();
    });
  });
});

const envelope = anEnvelope;

function headersOf(message: KafkaMessage, names: string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, headerText(message.headers, name)]));
}

/** Reads the first `count` messages of a topic with a plain kafkajs consumer, bypassing the bus. */
async function readRaw(brokers: string[], topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `raw-${randomUUID()}`, maxWaitTimeInMs: 500 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`saw ${messages.length} of ${count} messages on ${topic}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
