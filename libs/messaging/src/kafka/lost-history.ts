import { partitionKey, PartitionRange } from './kafka-subscription';

/** Messages a group would never see: the partition starts at `low`, the group would read from `from`. */
export interface HistoryGap {
  topic: string;
  partition: number;
  from: number;
  low: number;
}

/**
 * Partitions where the group's next offset (none yet: the beginning) lies below what the broker
 * still holds: retention (or a deleteRecords) removed messages the group has never handled.
 */
export function findHistoryGaps(ranges: PartitionRange[], committed: Map<string, number>): HistoryGap[] {
  return ranges
    .map((range) => ({ topic: range.topic, partition: range.partition, low: range.low, from: Math.max(0, committed.get(partitionKey(range.topic, range.partition)) ?? 0) }))
    .filter((gap) => gap.from < gap.low);
}

/** Why a subscription refuses to start, and what an operator can do about it. */
export class HistoryLostError extends Error {
  constructor(
    readonly groupId: string,
    readonly gaps: HistoryGap[],
  ) {
    super(
      `Consumer group ${groupId} cannot start: messages it has never handled are gone from Kafka ` +
        `(${gaps.map((gap) => `${gap.topic}[${gap.partition}] offsets ${gap.from}..${gap.low - 1}`).join(', ')}), ` +
        'so the state built from them cannot be rebuilt. Integration topics must keep their messages ' +
        '(retention.ms=-1, which ensureTopics sets); restore the topic from its producer ' +
        '(republish from its event store) or run this service with READ_STORE=mongo and its saved offsets.',
    );
    this.name = 'HistoryLostError';
  }
}
