/** Where a rewind would put one partition of a consumer group. */
export interface PartitionRewind {
  topic: string;
  partition: number;
  /** The group's next offset now. */
  committed: number;
  /** Its next offset after the rewind (never above `committed`: a rewind only goes back). */
  target: number;
}

/** Back to an offset on every partition, or to the first message published at or after an instant. */
export type RewindTo = { offset: number } | { instant: string };

/**
 * A consumer group's committed offsets, for ops rewinding it (Kafka's reset-offsets): plan first
 * (how many messages will be delivered again), then apply while the group's consumers are stopped.
 */
export interface ConsumerGroupOffsets {
  plan(groupId: string, topics: string[], to: RewindTo): Promise<PartitionRewind[]>;
  apply(groupId: string, plan: PartitionRewind[]): Promise<void>;
  /** Messages on `topics` the group has not consumed yet (its lag behind the end of each partition). */
  lag(groupId: string, topics: string[]): Promise<number>;
}

/** Messages a plan delivers again. */
export const redeliveries = (plan: PartitionRewind[]) => plan.reduce((sum, part) => sum + (part.committed - part.target), 0);
