/** Who caused an event: a user (staff of a reseller, or distributor staff without resellerId) or a system process. */
export interface Actor {
  id: string;
  name?: string;
  resellerId?: string;
  roles?: string[];
}

/** What a decider returns: a domain event, before the store gives it identity and position. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** Metadata every event carries (events.md envelope), chosen by the writer. */
export interface EventMetadata {
  eventId: string;
  schemaVersion: number;
  occurredAt: string;
  correlationId: string;
  causationId: string;
  actor: Actor;
}

/** An event ready to append: a domain event plus its metadata. */
export type EventToAppend<E extends DomainEvent = DomainEvent> = E & EventMetadata;

/**
 * The envelope of events.md, exactly what is published on the bus and what downstream systems see.
 * streamRevision counts from 0 within the stream.
 */
export type EventEnvelope<E extends DomainEvent = DomainEvent> = EventToAppend<E> & {
  streamId: string;
  streamRevision: number;
};

/** An envelope as read back from a store: plus its position in the store's global order (the "$all" stream). */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = EventEnvelope<E> & {
  position: number;
};

/** Strips the store-specific position, leaving the public envelope. */
export function toEnvelope<E extends DomainEvent>(event: RecordedEvent<E>): EventEnvelope<E> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { position, ...envelope } = event;
  return envelope as EventEnvelope<E>;
}

/** The aggregate id is the part of the stream id after the first '-' (`order-<id>` → `<id>`). */
export function aggregateIdOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(dash + 1);
}
