/**
 * The distributed tests need a real Kafka and a Mongo-wire server. They take their URLs from the
 * environment (.ci/run starts both from deploy/local/); without them the suites say so and skip.
 */
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS;
export const MONGO_URL = process.env.MONGO_URL;

export function describeWithInfrastructure(name: string, body: () => void): void {
  const missing = [!KAFKA_BROKERS && 'KAFKA_BROKERS', !MONGO_URL && 'MONGO_URL'].filter(Boolean);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`${name}: skipped, ${missing.join(' and ')} not set (start them with deploy/local/kafka.sh and deploy/local/mongo.sh)`);
  describe.skip(name, body);
}
