import { EventToAppend, RecordedEvent } from './envelope';

/**
 * Expected revision of a stream when appending (EventStoreDB semantics):
 * a number = the revision of the stream's last event; 'no_stream' = the stream must not exist;
 * 'stream_exists' = it must exist; 'any' = no check.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/** The expected revision that holds while a stream's last event is still `lastRevision` (-1: no stream). */
export const expectedRevisionAt = (lastRevision: number): ExpectedRevision => (lastRevision < 0 ? 'no_stream' : lastRevision);

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

export interface CountAllOptions {
  /** Global position to count after (exclusive). */
  fromPosition: number;
  /** Last global position counted (inclusive). */
  upTo: number;
  /** Event types counted, exactly (not as prefixes). */
  eventTypes: string[];
}

export interface SubscribeToAllOptions {
  /** Global position already processed (exclusive); 0 or absent = from the beginning. */
  fromPosition?: number;
  filter?: EventFilter;
}

/** One stream's part of an atomic append to several streams. */
export interface StreamAppend {
  streamId: string;
  events: EventToAppend[];
  expectedRevision?: ExpectedRevision;
}

/** What an atomic append sees while it is built: the streams as they are inside the store's write transaction. */
export interface AppendContext {
  /** Revision of the stream's last event, -1 when the stream does not exist. */
  lastRevision(streamId: string): number;
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
  /**
   * Optional, for a store that commits several streams in one transaction (SQLite; EventStoreDB
   * cannot): `build` runs inside the store's write transaction, sees the streams as they are there,
   * and returns the appends to make, which are committed together or not at all (each still checks
   * its expected revision). It must be synchronous; what it throws rejects the call and writes
   * nothing. Resolves with one result per append returned. What needs it, such as a document number
   * claimed in the same commit as the document, falls back to one append after the other elsewhere.
   */
  appendAtomically?(build: (context: AppendContext) => StreamAppend[]): Promise<AppendResult[]>;
  /** Events of all streams in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional, for a store that counts without reading the events (SQLite): how many events of exactly
   * these types lie after `fromPosition` and up to `upTo` (both global positions). Reading them to
   * count decodes every one: a rebuild's progress total spent a tenth of the rebuild on it. Callers
   * keep each window small enough not to hold a thread for long.
   */
  countAll?(options: CountAllOptions): Promise<number>;
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
