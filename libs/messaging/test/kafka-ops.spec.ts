import { randomUUID } from 'crypto';
import { deadLettersOf, groupOffsetsOf } from '@lp/messaging';
import { KafkaEventBus } from '@lp/messaging/kafka';
import { deadLettersContract } from './dead-letters.contract';
import { groupOffsetsContract } from './group-offsets.contract';
import { describeWithKafka, useKafkaTestBroker } from './kafka-test-broker';

// Against a real broker: `KAFKA_BROKERS=127.0.0.1:9092 npx jest libs/messaging/test/kafka-dead-letters.spec.ts`.

describeWithKafka('Kafka ops adapters', () => {
  const broker = useKafkaTestBroker();

  deadLettersContract(
    'KafkaEventBus',
    async () => {
      const bus = new KafkaEventBus({ brokers: broker.brokers, clientId: `test-${randomUUID()}`, retryDelaysMs: [10, 20], fetchMaxWaitMs: 100 });
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
      const bus = new KafkaEventBus({ brokers: broker.brokers, clientId: `test-${randomUUID()}`, fetchMaxWaitMs: 100 });
      const topic = `rewind-test-${randomUUID()}`;
      await bus.ensureTopics([topic]);
      return { bus, offsets: groupOffsetsOf(bus)!, topic, groupId: `rewind-${randomUUID()}` };
    },
    60_000,
  );
});
