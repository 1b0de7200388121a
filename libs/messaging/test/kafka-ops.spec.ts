import { randomUUID } from 'crypto';
import { deadLettersOf, groupOffsetsOf, KafkaEventBus } from '@lp/messaging';
import { deadLettersContract } from './dead-letters.contract';
import { groupOffsetsContract } from './group-offsets.contract';
import { kafkaTestBrokerSource } from './kafka-test-broker';

// Against a real broker: `KAFKA_BROKERS=127.0.0.1:9092 npx jest libs/messaging/test/kafka-dead-letters.spec.ts`.
const source = kafkaTestBrokerSource();
if (source.kind === 'none') process.stderr.write(`\n${source.reason}\n`);
const describeWithKafka = source.kind === 'none' ? describe.skip : describe;

describeWithKafka('Kafka ops adapters', () => {
  let brokers: string[] = [];
  let stopBroker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (source.kind === 'env') brokers = source.brokers;
    else {
      const { startKafkaContainer } = await import('./kafka-test-broker');
      ({ brokers, stop: stopBroker } = await startKafkaContainer());
    }
  }, 180_000);
  afterAll(async () => stopBroker?.());

  deadLettersContract(
    'KafkaEventBus',
    async () => {
      const bus = new KafkaEventBus({ brokers, clientId: `test-${randomUUID()}`, retryDelaysMs: [10, 20], fetchMaxWaitMs: 100 });
      const topic = `dlq-test-${randomUUID()}`;
      await bus.ensureTopics([topic]);
      const run = randomUUID().slice(0, 8);
      return { bus, deadLetters: deadLettersOf(bus)!, topic, group: (name) => `${name}-${run}` };
    },
    60_000,
  );

  groupOffsetsContract(
    'KafkaEventBus',
    async () => {
      const bus = new KafkaEventBus({ brokers, clientId: `test-${randomUUID()}`, fetchMaxWaitMs: 100 });
      const topic = `rewind-test-${randomUUID()}`;
      await bus.ensureTopics([topic]);
      return { bus, offsets: groupOffsetsOf(bus)!, topic, groupId: `rewind-${randomUUID()}` };
    },
    60_000,
  );
});
