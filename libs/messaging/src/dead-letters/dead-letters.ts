import { aggregateIdOf, EventEnvelope } from '@lp/eventsourcing';
import { MessageHeaders, REDRIVE_GROUP_HEADER, REDRIVE_OF_HEADER } from '../message-headers';

/**
 * Dead letters: messages a consumer group parked in `<topic>.dlq` after its handler kept failing,
 * and what ops do about them (Axon's DLQ, KurrentDB's parked messages): look, re-drive, discard.
 *
 * What "re-drive" means with consumer groups: the parked message failed for ONE group; every other
 * group on the topic handled it. Re-publishing the original message to its topic would hand it to
 * every group again. The alternatives were a retry topic per group (`<topic>.retry.<group>`, which
 * each consumer must also subscribe to, and whose messages no longer interleave with the topic's, so
 * a key's order across the two is lost) or re-publishing to the topic with a header naming the group
 * (`redrive.groupId`) that every other group skips. We chose the header: one topic, one offset per
 * group, the re-driven messages of a key appended in their original order after it, and the skip is
 * one header check in the subscription. Consumers dedupe by event id, so a re-drive that is sent
 * twice (a crash between publishing and recording it) costs nothing.
 */
export type DeadLetterStatus = 'parked' | 'redriven' | 'discarded';

export interface DeadLetterItem {
  /** `<topic>.dlq/<partition>/<offset>`: where it is parked. */
  id: string;
  /** The topic it was consumed from (and is re-driven to). */
  topic: string;
  /** The consumer group that parked it (the only one a re-drive is for). */
  groupId: string;
  key: string;
  eventId: string;
  eventType: string;
  error: string;
  /** Tries of this event by this group, counting earlier parkings of it that were re-driven. */
  attempts: number;
  firstFailureAt: string;
  lastFailureAt: string;
  status: DeadLetterStatus;
  /** Who re-drove or discarded it, when and why. */
  settled?: { at: string; by: string; reason?: string };
}

export interface DeadLetterDetail extends DeadLetterItem {
  event: EventEnvelope;
  stack?: string;
  headers?: MessageHeaders;
}

export interface DeadLetterQuery {
  topic?: string;
  groupId?: string;
  key?: string;
  /** Default `parked`: what still needs a decision. */
  status?: DeadLetterStatus | 'all';
  offset?: number;
  limit?: number;
}

/** Which parked messages a re-drive moves: all, by topic, group or key, at most `stopAt` of them (oldest first). */
export interface RedriveSelection {
  topic?: string;
  groupId?: string;
  key?: string;
  stopAt?: number;
}

export interface DeadLetters {
  list(query?: DeadLetterQuery): Promise<{ items: DeadLetterItem[]; total: number }>;
  get(id: string): Promise<DeadLetterDetail | undefined>;
  /** The parked messages `redrive(selection)` would move, in the order it would move them (a dry run). */
  selectForRedrive(selection: RedriveSelection): Promise<DeadLetterItem[]>;
  /** Re-publishes them to their topics for their group (a key's messages keep their order) and marks them re-driven. */
  redrive(selection: RedriveSelection, by: string): Promise<DeadLetterItem[]>;
  /** Marks one parked message discarded; undefined when there is no such dead letter. */
  discard(id: string, reason: string, by: string): Promise<DeadLetterItem | undefined>;
}

/** A dead letter as a bus keeps it, before outcomes are applied. */
export interface ParkedRecord {
  dlqTopic: string;
  partition: number;
  offset: number;
  event: EventEnvelope;
  headers?: MessageHeaders;
  error: string;
  stack?: string;
  groupId: string;
  topic: string;
  attempts: number;
  firstFailedAt?: string;
  parkedAt: string;
}

export interface DeadLetterOutcome {
  id: string;
  status: Exclude<DeadLetterStatus, 'parked'>;
  at: string;
  by: string;
  reason?: string;
}

export const deadLetterId = (record: Pick<ParkedRecord, 'dlqTopic' | 'partition' | 'offset'>) =>
  `${record.dlqTopic}/${record.partition}/${record.offset}`;

/** Headers the bus put on a dead letter that must not travel back with a re-drive. */
const PARK_HEADER = /^(dlq\.|redrive\.)/;

/**
 * list/get/redrive/discard over what an adapter provides: the parked records (in park order per
 * dlq partition), the recorded outcomes, and a way to re-publish.
 */
export abstract class DeadLetterStore implements DeadLetters {
  /** Every parked record, or only those parked from `topic` (an adapter may then read less). */
  protected abstract parked(topic?: string): Promise<ParkedRecord[]>;
  protected abstract outcomes(): Promise<Map<string, DeadLetterOutcome>>;
  protected abstract record(outcomes: DeadLetterOutcome[]): Promise<void>;
  protected abstract republish(topic: string, event: EventEnvelope, headers: MessageHeaders): Promise<void>;

  async list(query: DeadLetterQuery = {}): Promise<{ items: DeadLetterItem[]; total: number }> {
    const status = query.status ?? 'parked';
    const matching = (await this.items(query.topic)).filter(
      ({ item }) => matches(item, query) && (status === 'all' || item.status === status),
    );
    const start = query.offset ?? 0;
    const page = matching.slice(start, query.limit === undefined ? undefined : start + query.limit);
    return { items: page.map(({ item }) => item), total: matching.length };
  }

  async get(id: string): Promise<DeadLetterDetail | undefined> {
    const found = (await this.items()).find(({ item }) => item.id === id);
    if (!found) return undefined;
    const { item, record } = found;
    return { ...item, event: record.event, ...(record.stack && { stack: record.stack }), ...(record.headers && { headers: record.headers }) };
  }

  async selectForRedrive(selection: RedriveSelection): Promise<DeadLetterItem[]> {
    return (await this.redrivable(selection)).map(({ item }) => item);
  }

  async redrive(selection: RedriveSelection, by: string): Promise<DeadLetterItem[]> {
    const chosen = await this.redrivable(selection);
    for (const { item, record } of chosen) {
      // One at a time, in park order: a key's messages reach the topic in the order they were parked.
      const original = Object.fromEntries(Object.entries(record.headers ?? {}).filter(([name]) => !PARK_HEADER.test(name)));
      await this.republish(item.topic, record.event, { ...original, [REDRIVE_GROUP_HEADER]: item.groupId, [REDRIVE_OF_HEADER]: item.id });
    }
    const at = new Date().toISOString();
    await this.record(chosen.map(({ item }) => ({ id: item.id, status: 'redriven', at, by })));
    return chosen.map(({ item }) => ({ ...item, status: 'redriven', settled: { at, by } }));
  }

  async discard(id: string, reason: string, by: string): Promise<DeadLetterItem | undefined> {
    const found = (await this.items()).find(({ item }) => item.id === id);
    if (!found) return undefined;
    if (found.item.status !== 'parked') return found.item;
    const outcome: DeadLetterOutcome = { id, status: 'discarded', at: new Date().toISOString(), by, reason };
    await this.record([outcome]);
    return { ...found.item, status: 'discarded', settled: { at: outcome.at, by, reason } };
  }

  private async redrivable(selection: RedriveSelection): Promise<{ item: DeadLetterItem; record: ParkedRecord }[]> {
    const parked = (await this.items()).filter(({ item }) => item.status === 'parked' && matches(item, selection));
    return selection.stopAt === undefined ? parked : parked.slice(0, selection.stopAt);
  }

  /** Every dead letter with its outcome; attempts and first failure add up earlier parkings of the same event by the same group. */
  private async items(topic?: string): Promise<{ item: DeadLetterItem; record: ParkedRecord }[]> {
    const [records, outcomes] = await Promise.all([this.parked(topic), this.outcomes()]);
    const history = new Map<string, { attempts: number; first: string }>();
    // Log order: a key's parkings share a dlq partition, so this is their order, clock-independent.
    records.sort((a, b) => a.dlqTopic.localeCompare(b.dlqTopic) || a.partition - b.partition || a.offset - b.offset);
    return records.map((record) => {
      const id = deadLetterId(record);
      const earlier = history.get(`${record.groupId}\u0000${record.event.eventId}`);
      const attempts = (earlier?.attempts ?? 0) + record.attempts;
      const first = earlier?.first ?? record.firstFailedAt ?? record.parkedAt;
      history.set(`${record.groupId}\u0000${record.event.eventId}`, { attempts, first });
      const outcome = outcomes.get(id);
      const item: DeadLetterItem = {
        id,
        topic: record.topic,
        groupId: record.groupId,
        key: aggregateIdOf(record.event.streamId),
        eventId: record.event.eventId,
        eventType: record.event.type,
        error: record.error,
        attempts,
        firstFailureAt: first,
        lastFailureAt: record.parkedAt,
        status: outcome?.status ?? 'parked',
        ...(outcome && { settled: { at: outcome.at, by: outcome.by, ...(outcome.reason && { reason: outcome.reason }) } }),
      };
      return { item, record };
    });
  }
}

function matches(item: DeadLetterItem, filter: { topic?: string; groupId?: string; key?: string }): boolean {
  return (
    (filter.topic === undefined || item.topic === filter.topic) &&
    (filter.groupId === undefined || item.groupId === filter.groupId) &&
    (filter.key === undefined || item.key === filter.key)
  );
}
