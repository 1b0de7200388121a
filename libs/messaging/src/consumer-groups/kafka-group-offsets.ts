import type { KafkaEventBus } from '../kafka/kafka-event-bus';
import { ConsumerGroupOffsets, PartitionRewind, RewindTo } from './group-offsets';

/**
 * Kafka's reset-offsets through the admin API. Kafka refuses to move the offsets of a group with
 * live members, so every consumer of the group (in every process) must be stopped first.
 */
export class KafkaGroupOffsets implements ConsumerGroupOffsets {
  constructor(private readonly bus: KafkaEventBus) {}

  async plan(groupId: string, topics: string[], to: RewindTo): Promise<PartitionRewind[]> {
    return this.bus.withAdmin(async (admin) => {
      const plan: PartitionRewind[] = [];
      for (const topic of topics) {
        const ranges = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }]));
        const [committedOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const byTime =
          'instant' in to
            ? new Map((await admin.fetchTopicOffsetsByTimestamp(topic, Date.parse(to.instant))).map((p) => [p.partition, Number(p.offset)]))
            : undefined;
        for (const [partition, { low, high }] of ranges) {
          const stored = Number(committedOffsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
          // -1: the group never committed here, and starts at the beginning (KafkaSubscription subscribes fromBeginning).
          const committed = stored < 0 ? low : stored;
          const found = byTime?.get(partition);
          const wanted = 'offset' in to ? to.offset : found === undefined || found < 0 ? high : found;
          plan.push({ topic, partition, committed, target: Math.min(committed, Math.max(low, wanted)) });
        }
      }
      return plan;
    });
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    // The end of each partition is its high watermark: a plan to it leaves `committed` as it is.
    const plan = await this.plan(groupId, topics, { offset: Number.MAX_SAFE_INTEGER });
    return this.bus.withAdmin(async (admin) => {
      let behind = 0;
      for (const topic of topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          behind += Number(high) - (plan.find((part) => part.topic === topic && part.partition === partition)?.committed ?? Number(high));
        }
      }
      return behind;
    });
  }

  async apply(groupId: string, plan: PartitionRewind[]): Promise<void> {
    await this.bus.withAdmin(async (admin) => {
      for (const topic of new Set(plan.map((part) => part.topic))) {
        const partitions = plan.filter((part) => part.topic === topic).map((part) => ({ partition: part.partition, offset: String(part.target) }));
        await admin.setOffsets({ groupId, topic, partitions });
      }
    });
    this.bus.forgetProgress(groupId);
  }

}
