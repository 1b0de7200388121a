import { randomUUID } from 'crypto';
import { Admin, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { EventEnvelope } from '@lp/eventsourcing';
import { HistoryLostError, KafkaEventBus } from '@lp/messaging/kafka';
import { anEnvelope } from '@lp/testing';
import { describeWithKafka, useKafkaTestBroker } from './kafka-test-broker';

// Integration topics are the integration log: a service that keeps other services' knowledge in
// memory rebuilds it from them at every start. Run against a real broker:
// `bash deploy/local/kafka.sh start` then `KAFKA_BROKERS=127.0.0.1:9092 npx jest libs/messaging`.

/** What a topic created by an older version (or with the broker's defaults) looked like, shrunk to seconds. */
const EXPIRING = [
  { name: 'retention.ms', value: '1000' },
  { name: 'segment.ms', value: '200' },
];
/** The broker must check retention often for expiry to show within a test (deploy/local/kafka.sh: 1 s). */
const MAX_CHECK_INTERVAL_MS = 5000;

describeWithKafka('Kafka topic retention', () => {
  const broker = useKafkaTestBroker();
  let admin: Admin;
  const buses: KafkaEventBus[] = [];

  beforeAll(async () => {
    admin = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await admin?.disconnect();
  });

  const newBus = (onRetentionRaised: (topics: string[]) => void = () => undefined) => {
    const bus = new KafkaEventBus({ brokers: broker.brokers, clientId: `test-${randomUUID()}`, retryDelaysMs: [10], fetchMaxWaitMs: 100, onRetentionRaised });
    buses.push(bus);
    return bus;
  };

  it('creates integration topics and their .dlq with unlimited retention', async () => {
    const topic = `t-${randomUUID()}`;
    await newBus().ensureTopics([topic]);
    expect(await retentionOf(admin, [topic, `${topic}.dlq`])).toEqual({
      [topic]: { 'retention.ms': '-1', 'retention.bytes': '-1' },
      [`${topic}.dlq`]: { 'retention.ms': '-1', 'retention.bytes': '-1' },
    });
  });

  it('a fresh consumer group reads every event after the old retention has passed (an expiring topic is switched to unlimited at start)', async () => {
    if (!(await checksRetentionOften(admin))) return;
    const kept = `t-${randomUUID()}`;
    const control = `t-${randomUUID()}`;
    await createExpiringTopics(admin, [kept, control]);
    const raised: string[][] = [];
    const bus = newBus((topics) => raised.push(topics));
    await bus.ensureTopics([kept]); // the service starts: its topic stops expiring
    expect(raised).toEqual([[kept]]);
    await bus.ensureTopics([control]); // (created its .dlq; now make the control expire again, as before the fix)
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: control, configEntries: EXPIRING }] });

    const events = Array.from({ length: 5 }, (_, n) => anEnvelope(`a${n}`, 0));
    await bus.publish(kept, events);
    await bus.publish(control, events);
    await waitForExpiry(bus, admin, control, kept);

    // The control topic lost its first messages: retention really passed.
    const [controlPartition] = await admin.fetchTopicOffsets(control);
    expect(Number(controlPartition.low)).toBeGreaterThan(0);
    const seen = await readAllWithFreshGroup(newBus(), kept);
    expect(seen.map((event) => event.eventId)).toEqual(expect.arrayContaining(events.map((event) => event.eventId)));
  }, 60_000);

  it('a consumer group that would start below the first message still held refuses to start, naming the gap', async () => {
    const topic = `t-${randomUUID()}`;
    const bus = newBus();
    await bus.ensureTopics([topic]);
    await bus.publish(topic, [anEnvelope('a', 0), anEnvelope('a', 1), anEnvelope('b', 0)]);
    // What retention does to an expiring topic, without waiting for it.
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: offsets.map((p) => ({ partition: p.partition, offset: p.high })) });

    const refused = bus.subscribe({ groupId: `g-${randomUUID()}`, topics: [topic], handler: async () => undefined });
    await expect(refused).rejects.toBeInstanceOf(HistoryLostError);
    await expect(refused).rejects.toThrow(/cannot start: messages it has never handled are gone from Kafka/);
  });
});

async function retentionOf(admin: Admin, topics: string[]): Promise<Record<string, Record<string, string>>> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'retention.bytes'] })),
  });
  return Object.fromEntries(resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue]))]));
}

async function checksRetentionOften(admin: Admin): Promise<boolean> {
  const { brokers } = await admin.describeCluster();
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.BROKER, name: String(brokers[0].nodeId), configNames: ['log.retention.check.interval.ms'] }],
  });
  const interval = Number(resources[0].configEntries[0]?.configValue ?? Infinity);
  if (interval <= MAX_CHECK_INTERVAL_MS) return true;
  process.stderr.write(`\nbroker checks retention every ${interval} ms (> ${MAX_CHECK_INTERVAL_MS}): skipping the expiry test; deploy/local/kafka.sh sets 1000\n`);
  return false;
}

async function createExpiringTopics(admin: Admin, topics: string[]): Promise<void> {
  await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 1, configEntries: EXPIRING })) });
}

/** Keeps appending (a segment rolls only on an append after segment.ms) until the control topic's start moves. */
async function waitForExpiry(bus: KafkaEventBus, admin: Admin, control: string, kept: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (let n = 0; Date.now() < deadline; n++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const filler = anEnvelope(`filler-${n}`, 0);
    await bus.publish(control, [filler]);
    await bus.publish(kept, [filler]);
    if ((await admin.fetchTopicOffsets(control)).some((p) => Number(p.low) > 0)) return;
  }
  throw new Error(`retention never removed anything from ${control}`);
}

async function readAllWithFreshGroup(bus: KafkaEventBus, topic: string): Promise<EventEnvelope[]> {
  const seen: EventEnvelope[] = [];
  const subscription = await bus.subscribe({ groupId: `restart-${randomUUID()}`, topics: [topic], handler: async (event) => void seen.push(event) });
  await subscription.caughtUp();
  await subscription.stop();
  return seen;
}
