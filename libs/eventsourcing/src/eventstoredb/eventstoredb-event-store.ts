import {
  AllStreamResolvedEvent,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  Filter,
  FORWARDS,
  JSONType,
  jsonEvent,
  Position,
  ResolvedEvent,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { eventUpcasters } from '@lp/integration-events';
import { EventMetadata, EventToAppend, RecordedEvent } from '../envelope';
import { WrongExpectedVersionError } from '../errors';
import {
  AppendResult,
  EventFilter,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoreSubscription,
  SubscribeToAllOptions,
} from '../event-store';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

/**
 * What travels in an ESDB event's metadata JSON; eventId is the ESDB event id itself, and
 * streamId/streamRevision/position are the server's own.
 */
type StoredMetadata = Omit<EventMetadata, 'eventId'>;

/** How far before `notBefore` readCausedBy still looks: the server's clock may be behind ours. */
const CAUSATION_SCAN_MARGIN_MS = 5 * 60_000;

/** Anything that has an ESDB-recorded event: a stream read, an $all read or a subscription. */
type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;
type EsdbRecordedEvent = NonNullable<AnyResolvedEvent['event']>;

/**
 * The EventStore port on EventStoreDB (client @eventstore/db-client 6.x, server 23.10+).
 *
 * Positions: the port's global position is ESDB's *commit* position as a number. Every event
 * appended over gRPC is its own commit record in $all (commit = prepare = the event's log
 * position), so the commit position alone orders and identifies events; we hand it back to the
 * server as { commit: p, prepare: p }. A number is exact up to 2^53 bytes of transaction log
 * (9 PB), far beyond what one store will hold; toPosition() refuses anything larger rather than
 * rounding silently. Revisions (bigint on the wire) get the same treatment.
 *
 * Filters: the 6.x client sends a server-side filter only for subscribeToAll; readAll has no
 * filter option, so readAll filters here while streaming $all (fine for ops and tests, which is
 * what readAll serves; hot paths use subscriptions).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  /**
   * @param client the connected client; close() disposes it only when `ownsClient` (the default for
   *   fromConnectionString), so a client shared with other code stays open.
   */
  constructor(
    readonly client: EventStoreDBClient,
    private readonly ownsClient = false,
  ) {}

  /** e.g. `esdb://eventstore:2113?tls=false`. */
  static fromConnectionString(url: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url), true);
  }

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options?.expectedRevision ?? 'any';
    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEventData), {
        expectedRevision: typeof expected === 'number' ? BigInt(expected) : expected,
      });
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        // Same error (and so the same 409 CONCURRENT_MODIFICATION) as the embedded store.
        const actual = error.actualVersion;
        throw new WrongExpectedVersionError(streamId, expected, actual === 'no_stream' ? 'no_stream' : toNumber(actual, 'revision'));
      }
      throw error;
    }
    const nextExpectedRevision = toNumber(result.nextExpectedRevision, 'revision');
    // The server reports the position of the last event written; an append of no events (or an
    // idempotent repeat) reports none, so then the stream's last event tells it, as in SqliteEventStore.
    const position = result.position ? toNumber(result.position.commit, 'position') : await this.lastPositionOf(streamId);
    return { nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.fromPosition ?? 0;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const matches = matcherFor(options.filter);
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    // ESDB reads $all from a position inclusively; the port's fromPosition is exclusive.
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: after > 0 ? toPosition(after) : START });
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (!event || event.position <= after || !matches(event)) continue;
        events.push(event);
        if (events.length >= limit) break;
      }
    } finally {
      // Leaving early must end the server-side read too, not only the local stream.
      if (events.length >= limit) await read.cancel();
    }
    return events;
  }

  /**
   * ESDB indexes no causation id (its $by_correlation_id projection keys on correlation only, and is
   * off by default), so this scans $all backwards from its head. `notBefore` stops the scan at events
   * the server recorded well before it (CAUSATION_SCAN_MARGIN_MS absorbs clock skew between this
   * process and the server); without it the whole log is read. Callers use it rarely: to settle what
   * a request that died had committed.
   */
  async readCausedBy(causationId: string, options: { notBefore?: Date } = {}): Promise<RecordedEvent[]> {
    const floor = options.notBefore ? options.notBefore.getTime() - CAUSATION_SCAN_MARGIN_MS : Number.NEGATIVE_INFINITY;
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    const found: RecordedEvent[] = [];
    let stoppedEarly = false;
    try {
      for await (const resolved of read) {
        if (resolved.event && resolved.event.created.getTime() < floor) {
          stoppedEarly = true;
          break;
        }
        const event = toRecordedEvent(resolved);
        if (event && event.causationId === causationId) found.push(event);
      }
    } finally {
      if (stoppedEarly) await read.cancel();
    }
    return found.reverse();
  }

  /**
   * Commit position of the newest event of the store's own in $all (0 when none): read backwards
   * past the server's system events, which no read or subscription of this store returns, so a
   * consumer caught up with everything it can see is at the head, not forever one event behind.
   */
  async headPosition(): Promise<number> {
    return (await this.lastMatchingPositionAfter(0, () => true)) ?? 0;
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): StoreSubscription {
    const from = options.fromPosition ?? 0;
    const matches = matcherFor(options.filter);
    const subscription = new EventStoreDbSubscription({
      open: (after) =>
        this.client.subscribeToAll({
          fromPosition: after > 0 ? toPosition(after) : START,
          filter: toServerFilter(options.filter),
        }),
      fromPosition: from,
      convert: (resolved) => {
        const event = toRecordedEvent(resolved);
        return event && matches(event) ? event : undefined;
      },
      handler,
      lastMatchingPositionAfter: (floor) => this.lastMatchingPositionAfter(floor, matches),
    });
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /**
   * Position of the newest matching event after `floor`, or undefined when there is none: reads $all
   * backwards from its head and stops at `floor`, so the cost is what the subscription still has to
   * deliver (plus the non-matching events in between), never the whole log.
   */
  private async lastMatchingPositionAfter(floor: number, matches: (event: RecordedEvent) => boolean): Promise<number | undefined> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    let found: number | undefined;
    let stoppedEarly = false;
    try {
      for await (const resolved of read) {
        const position = resolved.event?.position ? toNumber(resolved.event.position.commit, 'position') : undefined;
        if (position === undefined) continue;
        if (position <= floor) {
          stoppedEarly = true;
          break;
        }
        const event = toRecordedEvent(resolved);
        if (event && matches(event)) {
          found = position;
          stoppedEarly = true;
          break;
        }
      }
    } finally {
      if (stoppedEarly) await read.cancel();
    }
    return found;
  }

  private async lastPositionOf(streamId: string): Promise<number> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.position ?? 0;
  }
}

function toEventData(event: EventToAppend) {
  const metadata: StoredMetadata = {
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    actor: event.actor,
  };
  // The client JSON.stringify()s data, so any JSON value (null included) round-trips.
  return jsonEvent({ id: event.eventId, type: event.type, data: (event.data ?? null) as JSONType, metadata: metadata as unknown as JSONType });
}

function toRecordedEvent(resolved: AnyResolvedEvent): RecordedEvent | undefined {
  const event: EsdbRecordedEvent | undefined = resolved.event;
  // No resolved event (an unresolved link) or a system event ($-prefixed type or stream): not ours.
  if (!event || isSystem(event.type, event.streamId)) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new Error(`EventStoreDB returned ${event.streamId}@${event.revision} without a position (server older than 22.6?)`);
  const metadata = (isObject(event.metadata) ? event.metadata : {}) as Partial<StoredMetadata>;
  // Every read (streams, $all, subscriptions) comes through here: events of an older schemaVersion are upcast.
  return eventUpcasters.upcast({
    eventId: event.id,
    type: event.type,
    data: event.isJson ? event.data : Buffer.from(event.data as Uint8Array).toString('base64'),
    // Events written by other tools carry no envelope metadata: sensible defaults rather than a crash.
    schemaVersion: metadata.schemaVersion ?? 1,
    occurredAt: metadata.occurredAt ?? event.created.toISOString(),
    correlationId: metadata.correlationId ?? event.id,
    causationId: metadata.causationId ?? event.id,
    actor: metadata.actor ?? { id: 'unknown' },
    streamId: event.streamId,
    streamRevision: toNumber(event.revision, 'revision'),
    position: toNumber(commit, 'position'),
  });
}

function isSystem(type: string, streamId: string): boolean {
  return type.startsWith('$') || streamId.startsWith('$');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** The server-side filter; with none, system events are still left out (they are never ours). */
function toServerFilter(filter?: EventFilter): Filter {
  if (!filter) return excludeSystemEvents();
  // An empty prefix list would match everything server-side but nothing in the port's semantics.
  const prefixes = (list: string[]) => (list.length ? list : ['\u0000never']);
  return 'streamPrefixes' in filter
    ? streamNameFilter({ prefixes: prefixes(filter.streamPrefixes) })
    : eventTypeFilter({ prefixes: prefixes(filter.eventTypePrefixes) });
}

/** The same filter evaluated here: for readAll (no server filter in the client) and as a guard on subscriptions. */
function matcherFor(filter?: EventFilter): (event: RecordedEvent) => boolean {
  if (!filter) return () => true;
  if ('streamPrefixes' in filter) return (event) => filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
  return (event) => filter.eventTypePrefixes.some((prefix) => event.type.startsWith(prefix));
}

function toPosition(position: number): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

function toNumber(value: bigint, what: 'position' | 'revision'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`EventStoreDB ${what} ${value} does not fit in a number`);
  return Number(value);
}
