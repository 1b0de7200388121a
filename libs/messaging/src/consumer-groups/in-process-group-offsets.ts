import { InProcessEventBus } from '../in-process/in-process-event-bus';
import { ConsumerGroupOffsets, PartitionRewind, RewindTo } from './group-offsets';

/** Offsets of the in-process bus's groups, in its SQLite log (published_at gives the instants). */
export class InProcessGroupOffsets implements ConsumerGroupOffsets {
  constructor(private readonly bus: InProcessEventBus) {}

  async plan(groupId: string, topics: string[], to: RewindTo): Promise<PartitionRewind[]> {
    const firstAt = this.bus.database.prepare<[string, number, string], { first: number | null }>(
      'SELECT MIN(offset) AS first FROM bus_messages WHERE topic = ? AND partition = ? AND published_at >= ?',
    );
    return topics.flatMap((topic) =>
      Array.from({ length: this.bus.partitions }, (_, partition) => {
        const part = { topic, partition };
        const committed = this.bus.committedOffset(groupId, part);
        const wanted =
          'offset' in to ? to.offset : (firstAt.get(topic, partition, new Date(to.instant).toISOString())?.first ?? this.bus.endOffset(part));
        return { topic, partition, committed, target: Math.max(0, Math.min(committed, wanted)) };
      }),
    );
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    let behind = 0;
    for (const topic of topics) {
      for (let partition = 0; partition < this.bus.partitions; partition++) {
        behind += this.bus.endOffset({ topic, partition }) - this.bus.committedOffset(groupId, { topic, partition });
      }
    }
    return behind;
  }

  async apply(groupId: string, plan: PartitionRewind[]): Promise<void> {
    for (const { topic, partition, target } of plan) this.bus.commit(groupId, { topic, partition }, target, true);
  }
}
