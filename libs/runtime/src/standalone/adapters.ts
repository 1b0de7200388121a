import { randomUUID } from 'crypto';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { Logger } from '@nestjs/common';
import { CheckpointStore, EventStore } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { EventStoreDbCheckpointStore, EventStoreDbEventStore } from '@lp/eventsourcing/eventstoredb';
import { KafkaEventBus } from '@lp/messaging/kafka';
import { InMemoryReadStore, ReadStore } from '@lp/read-models';
import { SqliteReadStore } from '@lp/read-models/sqlite';
import { MongoReadStore } from '@lp/read-models/mongo';
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
  /**
   * In-memory read models replay their topics at every start, so they join a fresh consumer group; a
   * SQLite read-model file keeps its groups for its life (a new file replays the topics).
   */
  consumerGroupSuffix?: string;
  close(): Promise<void>;
}

/** Picks the adapters the environment names; the domain code and the runtime never know which. */
export async function createAdapters(config: ServiceConfig): Promise<StandaloneAdapters> {
  const { eventStore, forwarderCheckpoints, idempotencyStore } = openEventStore(config);
  const readStore = await openReadStore(config);
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
    consumerGroupSuffix: consumerGroupSuffixFor(readStore),
    async close() {
      await busProbe.close();
      await bus.close();
      await readStore.close();
      await eventStore.close();
      if (idempotencyStore !== eventStore) await idempotencyStore.close();
    },
  };
}

async function openReadStore(config: ServiceConfig): Promise<ReadStore> {
  if (config.READ_STORE === 'mongo') {
    const logger = new Logger('MongoReadStore');
    return MongoReadStore.connect(config.MONGO_URL, config.MONGO_DB, { notice: (message) => logger.warn(message) });
  }
  if (config.READ_STORE === 'sqlite') {
    mkdirSync(config.DATA_DIR, { recursive: true });
    return SqliteReadStore.open({ filename: join(config.DATA_DIR, 'read-models.sqlite') });
  }
  return new InMemoryReadStore();
}

/** Consumer groups live as long as the read store that holds what they fed (ReadStore.instanceId). */
function consumerGroupSuffixFor(readStore: ReadStore): string {
  return readStore.instanceId ?? randomUUID();
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
