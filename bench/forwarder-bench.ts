import { randomUUID } from 'crypto';
import { join } from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { CheckpointStore } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { EventBus, StoreForwarder } from '@lp/messaging';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { KafkaEventBus } from '@lp/messaging/kafka';
import { benchEvent } from './lib/bench-event';

/** The order service's published types (ORDER_INTEGRATION_EVENT_TYPES): every pre-filled event passes the forwarder's allow-list. */
export const FORWARDED_TYPES = ['CustomerRegistered', 'OrderAccepted', 'OrderPlaced', 'OrderCancelled'];

export interface ForwardResult {
  bus: 'kafka' | 'in-process';
  events: number;
  /** From forwarder.start() until its checkpoint reached the store's last position. */
  ms: number;
  eventsPerSecond: number;
  /** Checkpoint writes = publish calls that carried events (one per batch). */
  batches: number;
  batchSize: number;
  /** Time spent inside bus.publish (Kafka: until the broker's ack); the rest is reading the store, the forwarder and checkpoints. */
  publishMs: number;
}

/**
 * `total` events in appends of `perStream` (one new `order-<uuid>` stream per append), i.e. total/perStream
 * streams. Returns the position of the last event.
 */
export async function prefill(store: SqliteEventStore, total: number, perStream: number): Promise<number> {
  let last = 0;
  for (let written = 0; written < total; ) {
    const n = Math.min(perStream, total - written);
    const orderId = randomUUID();
    const correlationId = randomUUID();
    const events = Array.from({ length: n }, (_, i) => benchEvent(FORWARDED_TYPES[(written + i) % FORWARDED_TYPES.length], orderId, written + i, correlationId));
    last = (await store.appendToStream(`order-${orderId}`, events, { expectedRevision: 'no_stream' })).position;
    written += n;
  }
  return last;
}

/** Delegates to the store's checkpoints and resolves `reached` once a stored position is ≥ target. */
class WatchedCheckpoints implements CheckpointStore {
  writes = 0;
  reached: Promise<number>;
  private resolveReached!: (at: number) => void;

  constructor(
    private readonly inner: CheckpointStore,
    private readonly target: number,
  ) {
    this.reached = new Promise((resolve) => (this.resolveReached = resolve));
  }

  load(consumerId: string) {
    return this.inner.load(consumerId);
  }

  async store(consumerId: string, position: number): Promise<void> {
    await this.inner.store(consumerId, position);
    this.writes++;
    if (position >= this.target) this.resolveReached(performance.now());
  }
}

/**
 * Runs a fresh StoreForwarder (its own checkpoint name, so it starts at position 0) from `store` to
 * `bus`/`topic` and times it from start() until its checkpoint equals `lastPosition`, i.e. until the
 * bus acknowledged every event (Kafka: acks from all in-sync replicas).
 */
export async function forwardAll(
  kind: ForwardResult['bus'],
  store: SqliteEventStore,
  lastPosition: number,
  bus: EventBus,
  topic: string,
  batchSize: number,
  timeoutMs = 600_000,
): Promise<ForwardResult> {
  const checkpoints = new WatchedCheckpoints(store.checkpoints(), lastPosition);
  let lastError: unknown;
  let publishMs = 0;
  const timedBus: EventBus = {
    publish: async (topic, events) => {
      const t0 = performance.now();
      try {
        await bus.publish(topic, events);
      } finally {
        publishMs += performance.now() - t0;
      }
    },
    subscribe: (options) => bus.subscribe(options),
    close: () => bus.close(),
  };
  const forwarder = new StoreForwarder({
    name: `bench-forwarder-${kind}-${randomUUID()}`,
    store,
    checkpoints,
    bus: timedBus,
    topic,
    streamPrefixes: ['order-'],
    eventTypes: FORWARDED_TYPES,
    batchSize,
    onError: (error) => (lastError = error),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`forwarder (${kind}) not done after ${timeoutMs} ms; checkpoint writes ${checkpoints.writes}; last error: ${String(lastError)}`)), timeoutMs);
  });
  const started = performance.now();
  try {
    await forwarder.start();
    const finished = await Promise.race([checkpoints.reached, timeout]);
    const ms = finished - started;
    const events = lastPosition; // a fresh store: positions 1..lastPosition, all of allowed types
    return { bus: kind, events, ms, eventsPerSecond: (events * 1000) / ms, batches: checkpoints.writes, batchSize, publishMs };
  } finally {
    clearTimeout(timer);
    await forwarder.stop();
  }
}

export interface ForwarderPhaseOptions {
  workDir: string;
  brokers: string[];
  events: number;
  perStream: number;
  batchSize: number;
  log: (message: string) => void;
}

/** Pre-fills one store, then forwards it to Kafka and to the in-process bus (each with its own forwarder). */
export async function forwarderPhase(options: ForwarderPhaseOptions): Promise<ForwardResult[]> {
  const { workDir, brokers, events, perStream, batchSize, log } = options;
  const store = new SqliteEventStore({ filename: join(workDir, 'forwarder-events.sqlite'), synchronous: 'FULL' });
  const results: ForwardResult[] = [];
  const topic = `bench.forwarder.${Date.now()}.${randomUUID().slice(0, 8)}`;
  const kafkaBus = new KafkaEventBus({ brokers, clientId: 'lp-bench-forwarder' });
  try {
    const fillStarted = performance.now();
    const lastPosition = await prefill(store, events, perStream);
    log(`forwarder: store pre-filled with ${events} events (${Math.ceil(events / perStream)} streams of ${perStream}) in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s; last position ${lastPosition}`);

    await kafkaBus.ensureTopics([topic]);
    // Connect the producer before the clock starts (one throw-away message on the bench topic).
    await kafkaBus.publish(topic, [{ ...benchEvent(FORWARDED_TYPES[0], 'warm-up', 0, randomUUID()), streamId: 'order-warm-up', streamRevision: 0 }]);
    log(`forwarder: Kafka topic ${topic} (3 partitions, acks=all, idempotent producer, batch ${batchSize}); forwarding...`);
    results.push(await forwardAll('kafka', store, lastPosition, kafkaBus, topic, batchSize));

    const inProcess = new InProcessEventBus({ filename: join(workDir, 'forwarder-bus.sqlite'), synchronous: 'FULL' });
    try {
      results.push(await forwardAll('in-process', store, lastPosition, inProcess, 'order.events', batchSize));
    } finally {
      await inProcess.close();
    }
    return results;
  } finally {
    await kafkaBus.close().catch(() => undefined);
    await store.close();
    await deleteTopics(brokers, [topic, `${topic}.dlq`]).catch((error) => log(`forwarder: could not delete ${topic}: ${String(error)}`));
  }
}

/** The bench's own topics go again (the broker may be shared). */
async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'lp-bench-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
