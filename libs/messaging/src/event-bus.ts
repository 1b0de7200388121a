import { EventEnvelope } from '@lp/eventsourcing';
import { MessageHeaders } from './message-headers';
import { SubscriptionStatus } from './status/subscription-status';
import type { DeadLetters } from './dead-letters/dead-letters';
import type { ConsumerGroupOffsets } from './consumer-groups/group-offsets';
import { eventUpcasters } from '@lp/integration-events';

/** Where a delivered message sits on its topic, Kafka style. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: number;
  /** Ops marks beside the envelope (message-headers.ts): `replay`, `redrive.groupId`. */
  headers?: MessageHeaders;
}

export interface PublishOptions {
  /** Added to every message of the call (the envelope's own headers are always set). */
  headers?: MessageHeaders;
}

export type MessageHandler = (event: EventEnvelope, delivery: Delivery) => Promise<void>;

/**
 * What every bus hands its subscribers: the event upcast to its type's current schemaVersion,
 * whatever version was published (a message published years ago, or by a producer not yet
 * upgraded, reads like today's).
 */
export function upcastingHandler(handler: MessageHandler): MessageHandler {
  return (event, delivery) => handler(eventUpcasters.upcast(event), delivery);
}

export interface SubscribeOptions {
  /** Consumers of one group share the work and the committed offsets; a new group starts at the beginning of each topic. */
  groupId: string;
  topics: string[];
  handler: MessageHandler;
  /** Told about retries, parked messages and progress, for readiness, metrics and logs. */
  status?: SubscriptionStatus;
  /**
   * Lets the bus hand messages of different keys to the handler at the same time; one key's
   * messages still come one after another, in order, and the committed offset never passes a
   * message whose handling has not finished. Both buses do it (Kafka also works on several
   * partitions at once); the contract tests hold every adapter to it. For handlers whose messages
   * of different keys touch disjoint state, e.g. a process manager whose commands go to streams
   * derived from the message's aggregate: their appends then share the event store's group
   * commits instead of one commit, and one disk flush, per message.
   */
  concurrentKeys?: boolean;
}

export interface BusSubscription {
  stop(): Promise<void>;
  /** Resolves once every message published before this call has been handled by this subscription. */
  caughtUp(): Promise<void>;
}

/**
 * The integration-event bus port (in-process now, Kafka in the distributed deployment).
 * Topics are logs: messages with the same key (the aggregate id) stay in order; delivery is at
 * least once, so consumers dedupe by eventId. A handler that throws is retried; the offset is
 * committed only after the handler succeeded.
 */
export interface EventBus {
  /**
   * Resolves once the bus has accepted every message: visible to consumers, kept across a process
   * crash; durable across a power loss once `sync()` resolved (at once where the broker's ack is).
   */
  publish(topic: string, events: EventEnvelope[], options?: PublishOptions): Promise<void>;
  /**
   * Makes every message published so far durable. A publisher that records elsewhere how far it
   * has published (the forwarder's checkpoint) calls it before that record becomes durable, so the
   * record never runs ahead of what the bus kept. Absent: publish() is already durable (Kafka, acks=all).
   */
  sync?(): Promise<void>;
  /** What this bus parked (`<topic>.dlq`), for ops to list and re-drive; absent where nothing is parked for ops. */
  deadLetterStore?(): DeadLetters;
  /** Its consumer groups' committed offsets, for ops to rewind; absent where groups cannot be moved. */
  consumerGroupOffsets?(): ConsumerGroupOffsets;
  subscribe(options: SubscribeOptions): Promise<BusSubscription>;
  close(): Promise<void>;
}
