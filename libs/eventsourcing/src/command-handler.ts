import { randomUUID } from 'crypto';
import { eventUpcasters } from '@lp/integration-events';
import { Decider, foldEvents } from './decider';
import { Actor, DomainEvent, EventToAppend, RecordedEvent } from './envelope';
import { EventStore, ExpectedRevision } from './event-store';

/** Who asks, on behalf of which request; stamped on every event the command produces. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  /** The request id or the event id that caused this command. */
  causationId: string;
  now: Date;
}

export interface HandledCommand<Event extends DomainEvent, State> {
  state: State;
  /** The events this command appended (empty when the decider decided nothing). */
  events: RecordedEvent<Event>[];
  /** The stream's revision after the command (-1 for a stream that still does not exist). */
  revision: number;
}

export interface LoadedStream<State> {
  state: State;
  /** Revision of the last event, or -1 when the stream does not exist. */
  revision: number;
  exists: boolean;
}

export async function aggregateStream<Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
): Promise<LoadedStream<State>> {
  const events = await store.readStream(streamId);
  return {
    state: foldEvents(decider, events as unknown as Event[]),
    revision: events.length ? events[events.length - 1].streamRevision : -1,
    exists: events.length > 0,
  };
}

/** Wraps domain events in the envelope metadata of events.md, each stamped with its type's current schemaVersion. */
export function withMetadata<Event extends DomainEvent>(events: readonly Event[], context: CommandContext): EventToAppend<Event>[] {
  return events.map((event) => ({
    ...event,
    eventId: randomUUID(),
    schemaVersion: eventUpcasters.currentVersion(event.type),
    occurredAt: context.now.toISOString(),
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
  }));
}

/**
 * Load → decide → append with the revision that was loaded. A concurrent writer that appended in
 * between makes the append throw WrongExpectedVersionError: exactly one of them wins, and nothing
 * is lost or silently overwritten.
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  /**
   * Recently handled streams' state: a command then reads only the events appended since (usually
   * none) instead of the whole stream. Always checked against the store's tail, so another writer
   * (a replica, another handler) is never missed.
   */
  private readonly recent = new Map<string, { state: State; revision: number }>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly cacheSize = 10_000,
  ) {}

  private async load(streamId: string): Promise<{ state: State; revision: number }> {
    const cached = this.recent.get(streamId);
    if (!cached) return aggregateStream(this.store, streamId, this.decider);
    const newer = await this.store.readStream(streamId, { fromRevision: cached.revision + 1 });
    if (newer.length === 0) return cached;
    return {
      state: (newer as unknown as Event[]).reduce(this.decider.evolve, cached.state),
      revision: newer[newer.length - 1].streamRevision,
    };
  }

  private remember(streamId: string, state: State, revision: number): void {
    this.recent.delete(streamId);
    this.recent.set(streamId, { state, revision });
    // Map keeps insertion order: the first key is the least recently used.
    if (this.recent.size > this.cacheSize) this.recent.delete(this.recent.keys().next().value as string);
  }

  /**
   * `guard` sees the loaded state before the decider does: the place for access checks that are
   * not business rules (another reseller's order is "not found", not a refusal).
   */
  async handle(
    streamId: string,
    command: Command,
    context: CommandContext,
    options: { guard?: (state: State) => void } = {},
  ): Promise<HandledCommand<Event, State>> {
    const { state, revision } = await this.load(streamId);
    options.guard?.(state);
    const decided = this.decider.decide(command, state);
    const newState = decided.reduce(this.decider.evolve, state);
    if (decided.length === 0) return { state: newState, events: [], revision };

    const toAppend = withMetadata(decided, context);
    const expectedRevision: ExpectedRevision = revision < 0 ? 'no_stream' : revision;
    let result;
    try {
      result = await this.store.appendToStream(streamId, toAppend, { expectedRevision });
    } catch (error) {
      this.recent.delete(streamId);
      throw error;
    }
    this.remember(streamId, newState, result.nextExpectedRevision);
    const first = result.nextExpectedRevision - toAppend.length + 1;
    const firstPosition = result.position - toAppend.length + 1;
    const events = toAppend.map((event, index) => ({
      ...event,
      streamId,
      streamRevision: first + index,
      // Positions of one append are contiguous in the embedded store; other stores may only
      // guarantee order, which is all callers rely on.
      position: firstPosition + index,
    }));
    return { state: newState, events, revision: result.nextExpectedRevision };
  }
}
