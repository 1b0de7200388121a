import { Admin, Kafka, logLevel } from 'kafkajs';
import { BusProbe, GroupLag } from '../status/watch-runtime';

/**
 * Kafka's health as readiness and /metrics need it, on an admin client of its own (the bus's
 * clients retry for a long time; a probe must answer within a second): a describeCluster ping,
 * and each consumer group's lag (high watermark minus committed offset) per partition.
 */
export function kafkaProbe(brokers: string[], clientId: string): BusProbe & { close(): Promise<void> } {
  const kafka = new Kafka({ brokers, clientId: `${clientId}-health`, connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
  let admin: Admin | undefined;
  const connected = async (): Promise<Admin> => {
    if (admin) return admin;
    const fresh = kafka.admin({ retry: { retries: 0 } });
    await fresh.connect();
    fresh.on(fresh.events.DISCONNECT, () => {
      if (admin === fresh) admin = undefined;
    });
    return (admin = fresh);
  };
  // A failed request may leave a half-broken connection behind: the next call starts afresh.
  const withAdmin = async <T>(work: (client: Admin) => Promise<T>): Promise<T> => {
    const client = await connected();
    try {
      return await work(client);
    } catch (error) {
      if (admin === client) admin = undefined;
      await client.disconnect().catch(() => undefined);
      throw error;
    }
  };
  return {
    ping: () => withAdmin((client) => client.describeCluster()),
    groupLag: (groups) =>
      withAdmin(async (client) => {
        const lags: GroupLag[] = [];
        const highs = new Map<string, Map<number, number>>();
        for (const topic of new Set(groups.flatMap((group) => group.topics))) {
          const offsets = await client.fetchTopicOffsets(topic);
          highs.set(topic, new Map(offsets.map((offset) => [offset.partition, Number(offset.high)])));
        }
        for (const { groupId, topics } of groups) {
          for (const { topic, partitions } of await client.fetchOffsets({ groupId, topics })) {
            for (const { partition, offset } of partitions) {
              const high = highs.get(topic)?.get(partition) ?? 0;
              // -1: the group committed nothing there yet, so everything on the partition is ahead of it.
              lags.push({ groupId, topic, partition, lag: Math.max(0, high - (Number(offset) < 0 ? 0 : Number(offset))) });
            }
          }
        }
        return lags;
      }),
    close: async () => {
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    },
  };
}
