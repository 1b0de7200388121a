import { spawnSync } from 'child_process';
import { createServer } from 'net';

/**
 * Where the Kafka tests find a broker: KAFKA_BROKERS (e.g. from deploy/local/kafka.sh start), else a
 * throw-away container when a Docker engine answers, else nowhere (the suite is skipped). Decided
 * synchronously, at file load, because jest needs to know whether to register describe or describe.skip.
 */
export type KafkaTestBrokerSource = { kind: 'env'; brokers: string[] } | { kind: 'docker' } | { kind: 'none'; reason: string };

/** describe, or describe.skip (saying why) when no broker is at hand. */
export function describeWithKafka(name: string, body: () => void): void {
  const source = kafkaTestBrokerSource();
  // Straight to stderr, not console.warn: jest drops a skipped file's console output when it runs several files.
  if (source.kind === 'none') process.stderr.write(`\n${source.reason}\n`);
  (source.kind === 'none' ? describe.skip : describe)(name, body);
}

/**
 * Inside a describe: finds the broker before the tests (KAFKA_BROKERS, else a container) and stops
 * a container after them. Read `.brokers` in the tests.
 */
export function useKafkaTestBroker(): { readonly brokers: string[] } {
  const broker = { brokers: [] as string[] };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const source = kafkaTestBrokerSource();
    if (source.kind === 'env') broker.brokers = source.brokers;
    else ({ brokers: broker.brokers, stop } = await startKafkaContainer());
  }, 180_000);
  afterAll(async () => stop?.());
  return broker;
}

export function kafkaTestBrokerSource(): KafkaTestBrokerSource {
  const fromEnv = process.env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean);
  if (fromEnv?.length) return { kind: 'env', brokers: fromEnv };
  if (dockerEngineAnswers()) return { kind: 'docker' };
  return { kind: 'none', reason: 'KAFKA_BROKERS not set and no Docker engine: skipping Kafka bus contract' };
}

function dockerEngineAnswers(): boolean {
  // `docker info` fails fast without an engine; the timeout covers a hanging remote DOCKER_HOST.
  const result = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

export interface RunningTestBroker {
  brokers: string[];
  stop(): Promise<void>;
}

/**
 * A single-node KRaft broker in the official apache/kafka image. Kafka hands clients the advertised
 * address, which must be the host-side port, so the host port is chosen up front and bound fixed.
 * (@testcontainers/kafka is not installed; this is the little of it we need.)
 */
export async function startKafkaContainer(): Promise<RunningTestBroker> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const port = await freeLocalPort();
  const container = await new GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '3',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { brokers: [`${host}:${port}`], stop: async () => void (await container.stop()) };
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
