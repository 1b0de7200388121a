import { eventUpcasters } from '@lp/integration-events';
import { Decider, foldEvents } from './decider';
import { Actor, DomainEvent, EventMetadata, EventToAppend, RecordedEvent } from './envelope';
import { WrongExpectedVersionError } from './errors';
import { AppendContext, AppendResult, EventStore, expectedRevisionAt, StreamAppend } from './event-store';
import { newId } from './new-id';

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
    eventId: newId(),
    schemaVersion: eventUpcasters.currentVersion(event.type),
    occurredAt: context.now.toISOString(),
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
  }));
}

/**
 * The command, or an async step that works it out from the loaded state: the place for a lookup
 * that needs the state (the tenants of the order's customer) or for drawing something irreversible
 * (a document number) once `check` has shown the decider accepts the draft. Runs again on a retry,
 * so it always sees the state the decision is made on. undefined decides nothing.
 */
export type CommandStep<Command, Event extends DomainEvent, State> = (
  state: State,
  tools: {
    /** The events the decider would decide for `draft` on the loaded state; throws its refusal. Appends nothing. */
    check: (draft: Command) => Event[];
  },
) => Command | undefined | Promise<Command | undefined>;

/**
 * What a command claims in other streams along with its own events, e.g. its document number
 * (DocumentNumbers.claimNext). Where the store commits several streams at once (appendAtomically),
 * `within` runs inside that commit, so the claim and the events are written together or not at all;
 * elsewhere `before` claims with appends of its own first.
 */
export interface Claim<Command> {
  /** Completes the command with what it claims and returns the appends that claim it; throws to refuse (nothing is written). */
  within(store: AppendContext, command: Command): { command: Command; appends: StreamAppend[] };
  /** Claims with appends of its own and completes the command; on a retry it returns what it claimed the first time. */
  before(command: Command): Promise<Command>;
}

export interface HandleOptions<State, Command = unknown> {
  /**
   * Sees the loaded state before the decider does: the place for access checks that are not
   * business rules (another reseller's order is "not found", not a refusal).
   */
  guard?: (state: State) => void;
  /** Attempts in all when another writer appended first (default: the handler's, 3); 1 = no retry. */
  maxAttempts?: number;
  /** Claimed with the command's events, in the same commit where the store can (see Claim). */
  claim?: Claim<Command>;
}

export interface CommandHandlerOptions {
  /** How many streams' state to keep between commands. */
  cacheSize?: number;
  /** Attempts in all when another writer appended first (default 3). */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 3;

/** The context of a command a process manager or worker sends because of `event`: same correlation, caused by that event. */
export function contextCausedBy(
  event: Pick<EventMetadata, 'eventId' | 'correlationId'>,
  actor: Actor | string,
  now: Date = new Date(),
): CommandContext {
  return {
    actor: typeof actor === 'string' ? { id: actor } : actor,
    correlationId: event.correlationId,
    causationId: event.eventId,
    now,
  };
}

/**
 * Load → (async step) → decide → append with the revision that was loaded (Emmett's handleCommand,
 * Eventuous's ActAsync). When a concurrent writer appended in between, the append throws
 * WrongExpectedVersionError and the handler reloads and decides again on the fresh state, a bounded
 * number of times: a command still valid after the other write goes through, one the other write
 * made invalid is refused by the decider (a second "accept" of an accepted order stays 409), and
 * nothing is lost or silently overwritten. After the last attempt the conflict is thrown.
 */
export class CommandHandler<Command, Event extends DomainEvent, State> {
  /**
   * Recently handled streams' state: a command then reads only the events appended since (usually
   * none) instead of the whole stream. Always checked against the store's tail, so another writer
   * (a replica, another handler) is never missed.
   */
  private readonly recent = new Map<string, { state: State; revision: number }>();
  private readonly cacheSize: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    options: CommandHandlerOptions | number = {},
  ) {
    const settings = typeof options === 'number' ? { cacheSize: options } : options;
    this.cacheSize = settings.cacheSize ?? 10_000;
    this.maxAttempts = Math.max(1, settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  }

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

  async handle(
    streamId: string,
    command: Command | CommandStep<Command, Event, State>,
    context: CommandContext,
    options: HandleOptions<State, Command> = {},
  ): Promise<HandledCommand<Event, State>> {
    const maxAttempts = Math.max(1, options.maxAttempts ?? this.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(streamId, command, context, options);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
      }
    }
  }

  private async attempt(
    streamId: string,
    command: Command | CommandStep<Command, Event, State>,
    context: CommandContext,
    options: HandleOptions<State, Command>,
  ): Promise<HandledCommand<Event, State>> {
    const { state, revision } = await this.load(streamId);
    options.guard?.(state);
    let resolved =
      typeof command === 'function'
        ? await (command as CommandStep<Command, Event, State>)(state, { check: (draft) => this.decider.decide(draft, state) })
        : command;
    const { claim } = options;
    if (resolved !== undefined && claim) {
      if (this.store.appendAtomically) return this.appendWithClaim(streamId, resolved, claim, { state, revision }, context);
      // Refused before anything is claimed: a refused document uses up no number.
      this.decider.decide(resolved, state);
      resolved = await claim.before(resolved);
    }
    const decided = resolved === undefined ? [] : this.decider.decide(resolved, state);
    const newState = decided.reduce(this.decider.evolve, state);
    if (decided.length === 0) return { state: newState, events: [], revision };

    const toAppend = withMetadata(decided, context);
    const result = await this.forgetOnFailure(streamId, this.store.appendToStream(streamId, toAppend, { expectedRevision: expectedRevisionAt(revision) }));
    return this.appended(streamId, newState, toAppend, result);
  }

  /** The claim, the decision and the append in one commit of the store (see Claim). */
  private async appendWithClaim(
    streamId: string,
    command: Command,
    claim: Claim<Command>,
    loaded: { state: State; revision: number },
    context: CommandContext,
  ): Promise<HandledCommand<Event, State>> {
    let decided: Event[] = [];
    let toAppend: EventToAppend<Event>[] = [];
    const results = await this.forgetOnFailure(
      streamId,
      this.store.appendAtomically!((store) => {
        const claimed = claim.within(store, command);
        decided = this.decider.decide(claimed.command, loaded.state);
        // Nothing decided, nothing claimed.
        if (decided.length === 0) return [];
        toAppend = withMetadata(decided, context);
        return [...claimed.appends, { streamId, events: toAppend, expectedRevision: expectedRevisionAt(loaded.revision) }];
      }),
    );
    const newState = decided.reduce(this.decider.evolve, loaded.state);
    if (decided.length === 0) return { state: newState, events: [], revision: loaded.revision };
    return this.appended(streamId, newState, toAppend, results[results.length - 1]);
  }

  private async forgetOnFailure<Result>(streamId: string, append: Promise<Result>): Promise<Result> {
    try {
      return await append;
    } catch (error) {
      this.recent.delete(streamId);
      throw error;
    }
  }

  /** Remembers the new state and returns the appended events as recorded. */
  private appended(streamId: string, newState: State, toAppend: EventToAppend<Event>[], result: AppendResult): HandledCommand<Event, State> {
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
