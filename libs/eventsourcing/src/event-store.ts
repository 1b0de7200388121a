import { EventToAppend, RecordedEvent } from './envelope';

/**
 * Expected revision of a stream when appending (EventStoreDB semantics):
 * a number = the revision of the stream's last event; 'no_stream' = the stream must not exist;
 * 'stream_exists' = it must exist; 'any' = no check.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

export interface AppendResult {
  /** Revision of the last event written; pass it as expectedRevision for the next append. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: number;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive) when forwards; last one when backwards. */
  fromRevision?: number;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

/**
 * Server-side filter for reading or subscribing to all events. EventStoreDB can filter on one of the
 * two per request, so a filter names either stream-name prefixes or event-type prefixes, not both.
 */
export type EventFilter = { streamPrefixes: string[] } | { eventTypePrefixes: string[] };

export interface ReadAllOptions {
  /** Global position to read after (exclusive); 0 or absent = from the beginning. */
  fromPosition?: number;
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /** Global position already processed (exclusive); 0 or absent = from the beginning. */
  fromPosition?: number;
  filter?: EventFilter;
}

export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

/** A catch-up subscription: delivers every matching event after fromPosition in order, then live ones. */
export interface StoreSubscription {
  /** Stops delivery; resolves once the handler is no longer running. */
  stop(): Promise<void>;
  /** Resolves when the subscription has stopped, rejects with the handler's or the store's error. */
  readonly done: Promise<void>;
  /** Resolves once every event appended before this call has been handled (for tests and shutdown). */
  caughtUp(): Promise<void>;
}

/** The event store port. Shaped on EventStoreDB so that its client maps onto it one to one. */
export interface EventStore {
  /** Appends atomically; throws WrongExpectedVersionError when expectedRevision does not hold. */
  appendToStream(streamId: string, events: EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** Events of one stream, oldest first (or newest first when backwards); [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The events whose causationId is the given one (what one request or one event caused), in global
   * order. `notBefore` promises that none of them was appended earlier: an adapter that has to scan
   * may stop there.
   */
  readCausedBy(causationId: string, options?: { notBefore?: Date }): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): StoreSubscription;
  /**
   * Global position of the newest event (0 when the store is empty), cheaply. A subscriber whose
   * checkpoint lies beyond it was checkpointed against another store (see checkpoint-ahead.ts).
   */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** Remembers how far a named consumer (forwarder, projection) has got in some ordered source. */
export interface CheckpointStore {
  load(consumerId: string): Promise<number | undefined>;
  store(consumerId: string, position: number): Promise<void>;
}
