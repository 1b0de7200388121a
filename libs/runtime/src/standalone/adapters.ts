import { randomUUID } from 'crypto';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { CheckpointStore, EventStore, EventStoreDbCheckpointStore, EventStoreDbEventStore, SqliteEventStore } from '@lp/eventsourcing';
import { KafkaEventBus } from '@lp/messaging';
import { InMemoryReadStore, MongoReadStore, ReadStore } from '@lp/read-models';
import { BusProbe } from '../status/watch-runtime';
import { kafkaProbe } from './kafka-probe';
import { ServiceConfig } from './service-config';

export interface StandaloneAdapters {
  eventStore: EventStore;
  forwarderCheckpoints: CheckpointStore;
  idempotencyStore: EventStore;
  readStore: ReadStore;
  bus: KafkaEventBus;
  /** Kafka's ping and consumer-group lag, for readiness and /metrics. */
  busProbe: BusProbe;
  /** In-memory read models replay their topics at every start, so they join a fresh consumer group. */
  consumerGroupSuffix?: string;
  close(): Promise<void>;
}

/** Picks the adapters the environment names; the domain code and the runtime never know which. */
export async function createAdapters(config: ServiceConfig): Promise<StandaloneAdapters> {
  const { eventStore, forwarderCheckpoints, idempotencyStore } = openEventStore(config);
  const readStore = config.READ_STORE === 'mongo' ? await MongoReadStore.connect(config.MONGO_URL, config.MONGO_DB) : new InMemoryReadStore();
  const brokers = config.KAFKA_BROKERS.split(',').map((broker) => broker.trim());
  const bus = new KafkaEventBus({ brokers, clientId: config.KAFKA_CLIENT_ID, partitions: config.KAFKA_PARTITIONS });
  const busProbe = kafkaProbe(brokers, config.KAFKA_CLIENT_ID);
  return {
    eventStore,
    forwarderCheckpoints,
    idempotencyStore,
    readStore,
    bus,
    busProbe,
    consumerGroupSuffix: config.READ_STORE === 'memory' ? randomUUID() : undefined,
    async close() {
      await busProbe.close();
      await bus.close();
      await readStore.close();
      await eventStore.close();
      if (idempotencyStore !== eventStore) await idempotencyStore.close();
    },
  };
}

function openEventStore(config: ServiceConfig) {
  if (config.EVENT_STORE === 'eventstoredb') {
    const eventStore = EventStoreDbEventStore.fromConnectionString(config.EVENTSTORE_URL);
    return { eventStore, forwarderCheckpoints: new EventStoreDbCheckpointStore(eventStore.client), idempotencyStore: eventStore };
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const synchronous = config.SQLITE_SYNCHRONOUS as 'FULL' | 'NORMAL';
  const eventStore = new SqliteEventStore({ filename: join(config.DATA_DIR, 'events.sqlite'), synchronous });
  const idempotencyStore = new SqliteEventStore({ filename: join(config.DATA_DIR, 'idempotency.sqlite'), synchronous });
  return { eventStore, forwarderCheckpoints: eventStore.checkpoints(), idempotencyStore };
}
