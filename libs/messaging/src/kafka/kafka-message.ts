import { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { aggregateIdOf, EventEnvelope } from '@lp/eventsourcing';
import type { ParkedBy } from '../delivery/message-delivery';
import { MessageHeaders, REPLAY_HEADER } from '../message-headers';

/**
 * How an envelope travels on Kafka (events.md): key = aggregate id, so one aggregate's events share
 * a partition and stay in order; value = the JSON envelope; headers repeat what routers, dedupers
 * and tracing need without parsing the value.
 */
export function toKafkaMessage(event: EventEnvelope, extraHeaders: MessageHeaders = {}): Message {
  return {
    key: aggregateIdOf(event.streamId),
    value: JSON.stringify(event),
    headers: {
      ...extraHeaders,
      eventType: event.type,
      schemaVersion: String(event.schemaVersion),
      eventId: event.eventId,
      correlationId: event.correlationId,
      causationId: event.causationId,
    },
  };
}

export function fromKafkaMessage(message: KafkaMessage): EventEnvelope {
  if (!message.value) throw new Error('Kafka message without a value (tombstone?)');
  return JSON.parse(message.value.toString('utf8')) as EventEnvelope;
}

/** Why a message was parked in `<topic>.dlq`: carried in `dlq.*` headers, next to the original ones. */
export interface ParkReason extends ParkedBy {
  error: unknown;
}

/**
 * The dead letter keeps the original key, value and headers byte for byte (a consumer of the dlq
 * reads the same envelope) and adds the reason as headers, so replaying it is a plain re-publish.
 */
export function toDeadLetter(message: KafkaMessage, reason: ParkReason): Message {
  const error = reason.error;
  const parkHeaders: IHeaders = {
    'dlq.error': error instanceof Error ? error.message : String(error),
    'dlq.groupId': reason.groupId,
    'dlq.topic': reason.topic,
    'dlq.partition': String(reason.partition),
    'dlq.offset': String(reason.offset),
    'dlq.attempts': String(reason.attempts),
    'dlq.parkedAt': new Date().toISOString(),
    ...(reason.firstFailedAt && { 'dlq.firstFailedAt': reason.firstFailedAt }),
  };
  if (error instanceof Error && error.stack) parkHeaders['dlq.stack'] = error.stack.slice(0, 4000);
  return { key: message.key, value: message.value, headers: { ...message.headers, ...parkHeaders } };
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** The ops headers of a message (message-headers.ts: `replay`, `redrive.*`), undefined when it has none. */
export function opsHeadersOf(headers: IHeaders | undefined): MessageHeaders | undefined {
  const found: MessageHeaders = {};
  for (const name of Object.keys(headers ?? {})) {
    if (name !== REPLAY_HEADER && !name.startsWith('redrive.')) continue;
    const text = headerText(headers, name);
    if (text !== undefined) found[name] = text;
  }
  return Object.keys(found).length ? found : undefined;
}
