import { randomUUID } from 'crypto';
import { join } from 'path';
import { KAFKA_BROKERS, MONGO_URL } from './infrastructure';
import { freePort, ServiceProcess } from './service-process';

export const SERVICES = ['order', 'provisioning', 'contract', 'billing'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * The four services as the distributed deployment runs them: each its own process with its SQLite
 * event store under `dataDir`, Kafka between them and its read models in a Mongo database of its own
 * for this run (so a run never reads another's). Needs KAFKA_BROKERS and MONGO_URL (describeWithInfrastructure).
 */
export async function startDistributedServices(
  dataDir: string,
  perService: Partial<Record<ServiceName, Record<string, string>>> = {},
  /** Names this run's Mongo databases, `e2e-<run>-<service>`. */
  run = randomUUID().slice(0, 8),
): Promise<Record<ServiceName, ServiceProcess>> {
  const services = {} as Record<ServiceName, ServiceProcess>;
  for (const name of SERVICES) {
    services[name] = new ServiceProcess(name, await freePort(), {
      KAFKA_BROKERS: KAFKA_BROKERS!,
      KAFKA_PARTITIONS: '3',
      EVENT_STORE: 'sqlite',
      DATA_DIR: join(dataDir, name),
      READ_STORE: 'mongo',
      MONGO_URL: MONGO_URL!,
      MONGO_DB: `e2e-${run}-${name}`,
      ...perService[name],
    });
  }
  const started = await Promise.allSettled(Object.values(services).map((service) => service.start()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // Stop those that did start, or they outlive the test and keep its consumer groups.
    await Promise.all(Object.values(services).map((service) => service.stop()));
    throw failed.reason;
  }
  return services;
}
