import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import { EventEnvelope, RetryPolicy } from '@lp/eventsourcing';
import { SubscriptionStatus } from '@lp/messaging';
import { KafkaEventBus } from '@lp/messaging/kafka';
import { anEnvelope, until } from '@lp/testing';

/**
 * Kafka stopped under traffic: a broker of its own (deploy/local/kafka.sh with KAFKA_HOME_DIR and
 * other ports; the shared broker other suites use is never touched), a consumer group whose handler
 * publishes to another topic (as a reactor does), the broker stopped mid-way and started again.
 * Nothing may be parked on any .dlq and every message must be handled.
 */
const ROOT = resolve(__dirname, '../../..');
const KAFKA_SH = join(ROOT, 'deploy/local/kafka.sh');
const jarsInstalled = existsSync(join(ROOT, '.local/kafka/libs'));
const run = process.env.KAFKA_BROKERS && jarsInstalled ? describe : describe.skip;
if (!process.env.KAFKA_BROKERS || !jarsInstalled) console.warn('Kafka outage test skipped: needs KAFKA_BROKERS and deploy/local/kafka.sh installed (.local/kafka/libs)');

const PORT = 19_292;
const home = mkdtempSync(join(tmpdir(), 'kafka-outage-'));
const env = { ...process.env, KAFKA_HOME_DIR: home, KAFKA_PORT: String(PORT), KAFKA_CONTROLLER_PORT: String(PORT + 1) };
const broker = (command: 'start' | 'stop') => execFileSync('bash', [KAFKA_SH, command], { env, stdio: 'ignore', timeout: 90_000 });
const brokers = [`127.0.0.1:${PORT}`];

run('Kafka stopped under traffic (a broker of its own)', () => {
  beforeAll(() => broker('start'), 90_000);
  afterAll(() => {
    try {
      broker('stop');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('parks nothing on any .dlq and resumes every consumer once the broker is back', async () => {
    const [topic, downstream] = [`orders-${randomUUID()}`, `contracts-${randomUUID()}`];
    const quiet = { brokers, clientId: `outage-${randomUUID()}`, fetchMaxWaitMs: 100, logLevel: logLevel.NOTHING };
    const bus = new KafkaEventBus({ ...quiet, retryPolicy: new RetryPolicy({ initialDelayMs: 100, maxDelayMs: 1000 }), retryDelaysMs: [10] });
    const publisher = new KafkaEventBus(quiet);
    await bus.ensureTopics([topic, downstream]);
    const handled = new Set<string>();
    const status = new SubscriptionStatus('outage-reactor', 'reactor');
    const subscription = await bus.subscribe({
      groupId: `reactor-${randomUUID()}`,
      topics: [topic],
      status,
      // A reactor: what it handles, it publishes on (needs the broker too).
      handler: async (event) => {
        // Slow enough that the broker stops while most of the first batch is still to be handled.
        await new Promise((r) => setTimeout(r, 100));
        await bus.publish(downstream, [{ ...event, eventId: randomUUID() }]);
        handled.add(event.eventId);
      },
    });
    const sent: EventEnvelope[] = [];
    const publishFor = async (count: number) => {
      for (let n = 0; n < count; n++) {
        const event = anEnvelope(`k${n % 5}`, sent.length, 'ThingHappened');
        // The test's own publisher retries until the broker takes it (that is not under test).
        await until(() => publisher.publish(topic, [event]).then(() => true, () => false), 60_000);
        sent.push(event);
      }
    };
    try {
      await publishFor(20);
      await until(() => handled.size >= 5, 30_000);
      broker('stop');
      // Longer than kafkajs's own retries of a send: the handler's publish fails up to the consumer.
      await new Promise((r) => setTimeout(r, 15_000));
      broker('start');
      await publishFor(20);
      await until(() => sent.every((event) => handled.has(event.eventId)), 90_000);
      expect(status.snapshot().parked).toBe(0);
      // The outage did reach the consumer: it retried, and recovered.
      expect(status.snapshot().retries).toBeGreaterThan(0);
      expect(status.snapshot().state).not.toBe('retrying');

      const admin = new Kafka({ brokers, clientId: 'outage-check', logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const dlqs = (await admin.listTopics()).filter((name) => name.endsWith('.dlq'));
        for (const dlq of dlqs) {
          for (const partition of await admin.fetchTopicOffsets(dlq)) expect(`${dlq}:${partition.high}`).toBe(`${dlq}:0`);
        }
      } finally {
        await admin.disconnect();
      }
    } finally {
      await subscription.stop().catch(() => undefined);
      await Promise.all([bus.close(), publisher.close()]);
    }
  }, 240_000);
});
