import {
  AppendResult,
  EventFilter,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreSubscription,
  SubscribeToAllOptions,
  WrongExpectedVersionError,
} from '@lp/eventsourcing';

function matches(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if ('streamPrefixes' in filter) return filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
  return filter.eventTypePrefixes.some((prefix) => event.type.startsWith(prefix));
}

/**
 * A test double of the EventStore port, faithful where projections care: global positions from 1,
 * fromPosition exclusive, filters, catch-up then live subscriptions delivering one event at a time.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly subscriptions = new Set<InMemorySubscription>();

  async appendToStream(streamId: string, events: EventToAppend[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const last = this.log.filter((event) => event.streamId === streamId).at(-1)?.streamRevision;
    const expected = options.expectedRevision ?? 'any';
    const holds =
      expected === 'any' ||
      (expected === 'no_stream' && last === undefined) ||
      (expected === 'stream_exists' && last !== undefined) ||
      expected === last;
    if (!holds) throw new WrongExpectedVersionError(streamId, expected, last ?? 'no_stream');

    let revision = last ?? -1;
    for (const event of events) {
      this.log.push({ ...structuredClone(event), streamId, streamRevision: ++revision, position: this.log.length + 1 });
    }
    for (const subscription of this.subscriptions) subscription.wake();
    return { nextExpectedRevision: revision, position: this.log.length };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    let events = this.log.filter((event) => event.streamId === streamId);
    if (options.fromRevision !== undefined) {
      const from = options.fromRevision;
      events = events.filter((event) => (backwards ? event.streamRevision <= from : event.streamRevision >= from));
    }
    if (backwards) events.reverse();
    return structuredClone(events.slice(0, options.maxCount ?? events.length));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const events = this.after(options.fromPosition ?? 0).filter((event) => matches(event, options.filter));
    return structuredClone(events.slice(0, options.maxCount ?? events.length));
  }

  async readCausedBy(causationId: string): Promise<RecordedEvent[]> {
    return structuredClone(this.log.filter((event) => event.causationId === causationId));
  }

  subscribeToAll(options: SubscribeToAllOptions, handler: EventHandler): StoreSubscription {
    const subscription = new InMemorySubscription(this, options, handler, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  /** Events after a position (exclusive), in order; for the subscriptions. */
  after(position: number): RecordedEvent[] {
    return this.log.slice(position);
  }

  get head(): number {
    return this.log.length;
  }
}

class InMemorySubscription implements StoreSubscription {
  readonly done: Promise<void>;
  /** Position of the last event handled or passed over by the filter. */
  private reached: number;
  private stopped = false;
  private failure: unknown;
  private wakeUp?: () => void;
  private readonly waiters: Array<{ target: number; resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(
    private readonly store: InMemoryEventStore,
    private readonly options: SubscribeToAllOptions,
    private readonly handler: EventHandler,
    private readonly onEnd: () => void,
  ) {
    this.reached = options.fromPosition ?? 0;
    this.done = this.run();
    this.done.catch(() => undefined); // the failure is reported through done and caughtUp, not as unhandled
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(() => undefined);
  }

  caughtUp(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const target = this.store.head;
    if (this.stopped || this.reached >= target) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  private async run(): Promise<void> {
    await Promise.resolve(); // deliver asynchronously, as a real store does, never inside subscribeToAll
    try {
      while (!this.stopped) {
        const pending = this.store.after(this.reached);
        for (const event of pending) {
          if (this.stopped) break;
          if (matches(event, this.options.filter)) await this.handler(structuredClone(event));
          this.reached = event.position;
          this.settleWaiters();
        }
        if (pending.length === 0 && !this.stopped) await new Promise<void>((resolve) => (this.wakeUp = resolve));
      }
    } catch (error) {
      this.failure = error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      throw error;
    } finally {
      this.stopped = true;
      for (const waiter of this.waiters.splice(0)) waiter.resolve();
      this.onEnd();
    }
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.reached >= waiter.target) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
