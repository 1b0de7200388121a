import { Logger } from '@nestjs/common';

export type SubscriptionKind = 'forwarder' | 'projection' | 'reactor' | 'bus-consumer';
export type SubscriptionState = 'starting' | 'catching-up' | 'live' | 'retrying' | 'stopped' | 'failed';

/** What ops (readiness, metrics, /ops) see of one subscription; plain data, safe to serialise. */
export interface SubscriptionStatusSnapshot {
  name: string;
  kind: SubscriptionKind;
  state: SubscriptionState;
  /** Last position (store) or offset count (bus) handled and saved; absent until known. */
  checkpoint?: number;
  head?: number;
  lag?: number;
  /** Failed tries so far (every one of them, not only the current run of failures). */
  retries: number;
  /** Messages given up on and parked in a dead-letter topic. */
  parked: number;
  lastError?: { message: string; at: string };
  /** When the subscription entered its state. */
  since: string;
  /** A projection making its indexes (a first fill's, or what its start found missing): over which collection, and since when. */
  indexing?: { collection: string; since: string };
}

/** Indexes made in longer than this are logged: a first fill's, or a release's new sort field at scale. */
const LOGGED_INDEXING_MS = 1000;

/**
 * The one status model every piece of event machinery (forwarder, projection, reactor, bus consumer)
 * updates as it runs: where it catches an error, where it advances its checkpoint. Readiness and
 * metrics read it from memory, so a probe never touches a store. It also writes the machinery's log
 * lines: a retry is a warning, the recovery after it an info line, a parked message an error.
 */
export class SubscriptionStatus {
  private current: SubscriptionState = 'starting';
  private enteredAt: Date;
  private position?: number;
  private headPosition?: number;
  private retryCount = 0;
  private parkedCount = 0;
  private failure?: { message: string; at: string };
  private progressAt: Date;
  private wasLive = false;
  private indexingNow?: { collection: string; since: Date };
  private readonly logger: Logger;

  constructor(
    readonly name: string,
    readonly kind: SubscriptionKind,
    /** A bus consumer's group and topics (its lag is read from the broker). */
    readonly source?: { groupId: string; topics: string[] },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.logger = new Logger(name);
    this.enteredAt = this.now();
    this.progressAt = this.enteredAt;
  }

  /** Last time it handled something or was seen caught up: a subscription behind and idle longer is stalled. */
  get lastProgressAt(): Date {
    return this.progressAt;
  }

  /** Whether it has caught up at least once since it was created (a fresh start replays first). */
  get caughtUpOnce(): boolean {
    return this.wasLive;
  }

  get state(): SubscriptionState {
    return this.current;
  }

  /** When the current state began (a retry streak counts from its first failure). */
  get since(): Date {
    return this.enteredAt;
  }

  get checkpoint(): number | undefined {
    return this.position;
  }

  starting(): void {
    this.enter('starting');
  }

  /** Caught up with everything known so far (a retry streak that ends here is a recovery). */
  live(): void {
    this.wasLive = true;
    this.progressAt = this.now();
    this.recover();
    this.enter('live');
  }

  /** Behind, but progressing. */
  catchingUp(): void {
    this.recover();
    this.enter('catching-up');
  }

  /** A checkpoint stored after an error stopped the subscription (work finished before it): it stays failed. */
  storedAfterFailure(checkpoint: number): void {
    this.position = checkpoint;
  }

  /**
   * A handled batch or event moved the checkpoint (a store position; bus consumers, whose offsets are
   * per partition, give none); ends a retry streak.
   */
  advanced(checkpoint?: number): void {
    if (checkpoint !== undefined) this.position = checkpoint;
    this.progressAt = this.now();
    this.recover();
    if (this.current === 'starting' || this.current === 'failed') this.enter('catching-up');
  }

  /** The head of the source (store position, topic end) as last seen, for the lag. */
  sawHead(head: number): void {
    this.headPosition = head;
  }

  /** A try failed and will be repeated after a back-off. */
  retrying(error: unknown, attempt: number, what?: string): void {
    this.retryCount++;
    this.failure = errorOf(error, this.now());
    this.logger.warn({ msg: `${what ?? 'work'} failed, will retry`, subscription: this.name, attempt, error: this.failure.message });
    this.enter('retrying');
  }

  /** A message was given up on and parked (dead-letter topic); the subscription moves on. */
  parked(error: unknown, what: string): void {
    this.parkedCount++;
    this.failure = errorOf(error, this.now());
    this.logger.error({ msg: `${what} parked after its last try`, subscription: this.name, error: this.failure.message });
    this.recover();
  }

  /** The subscription ended with an error and will not go on by itself. */
  failed(error: unknown): void {
    this.failure = errorOf(error, this.now());
    if (this.current !== 'failed') this.logger.error({ msg: 'stopped by an error', subscription: this.name, error: this.failure.message });
    this.enter('failed');
  }

  stopped(): void {
    this.enter('stopped');
  }

  /**
   * A projection began making its indexes over `collection` (the next of its collections, once the
   * last is done). Ops see it: at 1M orders a first fill's take ~10 s, a release's new sort field ~5 s,
   * and a list sorted by that field is slow until then.
   */
  indexing(collection: string): void {
    this.indexingNow = { collection, since: this.indexingNow?.since ?? this.now() };
  }

  /** Its indexes are made (progress, as an event handled is), or given up on or stopped (`made` false). */
  indexingEnded(made: boolean): void {
    const began = this.indexingNow?.since;
    if (!began) return;
    this.indexingNow = undefined;
    if (!made) return;
    this.progressAt = this.now();
    const ms = this.progressAt.getTime() - began.getTime();
    if (ms >= LOGGED_INDEXING_MS) this.logger.log({ msg: 'indexes made', subscription: this.name, ms });
  }

  snapshot(): SubscriptionStatusSnapshot {
    const lag = this.headPosition !== undefined && this.position !== undefined ? Math.max(0, this.headPosition - this.position) : undefined;
    return {
      name: this.name,
      kind: this.kind,
      state: this.current,
      ...(this.position !== undefined && { checkpoint: this.position }),
      ...(this.headPosition !== undefined && { head: this.headPosition }),
      ...(lag !== undefined && { lag: this.current === 'live' ? 0 : lag }),
      retries: this.retryCount,
      parked: this.parkedCount,
      ...(this.failure && { lastError: { ...this.failure } }),
      since: this.enteredAt.toISOString(),
      ...(this.indexingNow && { indexing: { collection: this.indexingNow.collection, since: this.indexingNow.since.toISOString() } }),
    };
  }

  private recover(): void {
    if (!OUTAGE.has(this.current)) return;
    this.logger.log({ msg: 'recovered', subscription: this.name, failingSince: this.enteredAt.toISOString() });
    this.enter('catching-up');
  }

  private enter(state: SubscriptionState): void {
    if (this.current === state) return;
    // Failing and retrying are one outage: "since" stays at its beginning.
    const sameOutage = OUTAGE.has(this.current) && OUTAGE.has(state);
    this.current = state;
    if (!sameOutage) this.enteredAt = this.now();
  }
}

const OUTAGE = new Set<SubscriptionState>(['retrying', 'failed']);

function errorOf(error: unknown, at: Date): { message: string; at: string } {
  return { message: error instanceof Error ? error.message : String(error), at: at.toISOString() };
}
