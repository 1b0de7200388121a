import { Logger } from '@nestjs/common';
import { Actor, conflict, EventStore, EventToAppend, ExpectedRevision, ruleViolation, WrongExpectedVersionError, newId } from '@lp/eventsourcing';
import { IdempotencyEvent, IdempotencyState, idempotencyState, RecordedResponse } from './idempotency-events';

/** Who and why, stamped on the idempotency records like on any other event. */
export interface LedgerContext {
  actor: Actor;
  correlationId: string;
  /** The request id: the same causationId the request's command stamps on its events. */
  causationId: string;
  now: Date;
}

export interface LedgerOptions {
  /** How long a claim holds unless renewed; a request that died frees its key after this. */
  leaseMs: number;
  /** How long a repeat waits for the request holding its key before answering 409 REQUEST_IN_PROGRESS. */
  waitMs: number;
  /** How often a waiter looks at the key again (the holder may be another process). */
  pollMs?: number;
  /** Wall time for leases and waits; tests pass a fake one. */
  now?: () => Date;
  /** How a waiter pauses between looks; tests pass one that moves their fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_LEDGER_OPTIONS: LedgerOptions = { leaseMs: 10_000, waitMs: 15_000 };

/** The dead attempt a reclaim has to settle: what did it commit before it died? */
export interface DeadAttempt {
  requestId: string;
  claimedAt: Date;
}

/**
 * What the dead attempt committed, as the response its retry gets; undefined when it committed
 * nothing, so the retry runs afresh.
 */
export type SettleDeadAttempt = (attempt: DeadAttempt) => Promise<RecordedResponse | undefined>;

export type BeginResult = { kind: 'run'; lease: Lease } | { kind: 'replay'; response: RecordedResponse };

/**
 * Keeps one stream per idempotency scope. Claiming the key is an append with an expected revision,
 * so of concurrent requests with one key exactly one runs: the store arbitrates the race. The
 * others wait for its answer. A claim is a lease the running request renews; when a request dies
 * (process killed) its lease runs out and the next request with the key reclaims it, after finding
 * out what the dead one had committed.
 */
export class IdempotencyLedger {
  private readonly logger = new Logger('Idempotency');
  private readonly options: Required<LedgerOptions>;
  /** Waiters in this process, woken as soon as a key they wait for changes here. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly store: EventStore,
    options: Partial<LedgerOptions> = {},
  ) {
    const merged = { ...DEFAULT_LEDGER_OPTIONS, ...options };
    this.options = {
      pollMs: Math.max(5, Math.min(100, Math.floor(merged.leaseMs / 4))),
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
      ...merged,
    };
  }

  async begin(streamId: string, fingerprint: string, context: LedgerContext, settle: SettleDeadAttempt): Promise<BeginResult> {
    const deadline = this.now() + this.options.waitMs;
    for (;;) {
      const state = await this.state(streamId);
      if (state.kind === 'unused' || state.kind === 'released') {
        const lease = await this.claim(streamId, fingerprint, state.kind === 'unused' ? 'no_stream' : state.revision, context);
        if (lease) return { kind: 'run', lease };
        continue; // someone claimed it first: look again
      }
      if (state.fingerprint !== fingerprint) {
        throw ruleViolation('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
      }
      if (state.kind === 'completed') return { kind: 'replay', response: state.response };

      if (state.leaseUntil.getTime() <= this.now()) {
        const decision = await this.reclaim(streamId, fingerprint, state, context, settle);
        if (decision) return decision;
        continue;
      }
      const remaining = deadline - this.now();
      if (remaining <= 0) {
        throw conflict('REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
      }
      await this.waitForChange(streamId, Math.min(this.options.pollMs, remaining, state.leaseUntil.getTime() - this.now()));
    }
  }

  /** The key's stream folded; exposed for tests and operations. */
  async state(streamId: string): Promise<IdempotencyState> {
    return idempotencyState(await this.store.readStream(streamId), this.options.leaseMs);
  }

  /**
   * The holder died: if it committed, its retry gets that outcome (and the key is completed with
   * it); if not, the retry claims the key and runs. Both are appends at the revision that was seen,
   * so of several reclaimers one wins and the others look again.
   */
  private async reclaim(
    streamId: string,
    fingerprint: string,
    dead: Extract<IdempotencyState, { kind: 'in-progress' }>,
    context: LedgerContext,
    settle: SettleDeadAttempt,
  ): Promise<BeginResult | undefined> {
    const committed = await settle({ requestId: dead.requestId, claimedAt: dead.claimedAt });
    if (!committed) {
      this.logger.warn(`${streamId}: request ${dead.requestId} died before committing anything; running the retry`);
      const lease = await this.claim(streamId, fingerprint, dead.revision, context);
      return lease ? { kind: 'run', lease } : undefined;
    }
    this.logger.warn(`${streamId}: request ${dead.requestId} died after committing; answering its retry with what it committed`);
    try {
      await this.append(streamId, { type: 'IdempotentRequestCompleted', data: committed }, dead.revision, context);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw error;
    }
    this.wake(streamId);
    return { kind: 'replay', response: committed };
  }

  private async claim(streamId: string, fingerprint: string, expected: ExpectedRevision, context: LedgerContext): Promise<Lease | undefined> {
    const claimedAt = this.now();
    const data = { fingerprint, claimedAt: new Date(claimedAt).toISOString(), leaseUntil: this.leaseFrom(claimedAt) };
    try {
      const revision = await this.append(streamId, { type: 'IdempotentRequestStarted', data }, expected, context);
      return new Lease(this, streamId, revision, context, Math.max(1, Math.floor(this.options.leaseMs / 3)));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw error;
    }
  }

  /** @internal Lease renewal: throws WrongExpectedVersionError when the key was reclaimed meanwhile. */
  async renew(streamId: string, revision: number, context: LedgerContext): Promise<number> {
    return this.append(streamId, { type: 'IdempotentRequestLeaseRenewed', data: { leaseUntil: this.leaseFrom(this.now()) } }, revision, context);
  }

  /** @internal How a lease ends: the answer or the release, then waiters look again at once. */
  async finish(streamId: string, revision: number, event: IdempotencyEvent, context: LedgerContext): Promise<void> {
    try {
      await this.append(streamId, event, revision, context);
    } catch (error) {
      // The client still gets its answer; the key stays "in progress" until its lease runs out.
      this.logger.error(`Could not record ${event.type} on ${streamId}: ${(error as Error).stack ?? String(error)}`);
    }
    this.wake(streamId);
  }

  private leaseFrom(instant: number): string {
    return new Date(instant + this.options.leaseMs).toISOString();
  }

  private now(): number {
    return this.options.now().getTime();
  }

  /** Resolves when this process changes the key, or after `ms` (the holder may be elsewhere). */
  private async waitForChange(streamId: string, ms: number): Promise<void> {
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => (wake = resolve));
    const waiters = this.waiters.get(streamId) ?? new Set();
    this.waiters.set(streamId, waiters.add(wake));
    try {
      await Promise.race([changed, this.options.sleep(Math.max(1, ms))]);
    } finally {
      waiters.delete(wake);
      if (waiters.size === 0) this.waiters.delete(streamId);
    }
  }

  private wake(streamId: string): void {
    for (const wake of this.waiters.get(streamId) ?? []) wake();
  }

  private async append(streamId: string, event: IdempotencyEvent, expectedRevision: ExpectedRevision, context: LedgerContext): Promise<number> {
    const toAppend: EventToAppend = {
      ...event,
      eventId: newId(),
      schemaVersion: 1,
      occurredAt: context.now.toISOString(),
      correlationId: context.correlationId,
      causationId: context.causationId,
      actor: context.actor,
    };
    const result = await this.store.appendToStream(streamId, [toAppend], { expectedRevision });
    return result.nextExpectedRevision;
  }
}

/**
 * A running request's hold on its key, renewed every third of the lease while the request runs,
 * so a slow request keeps its key and only a dead one loses it.
 */
export class Lease {
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private lost = false;

  constructor(
    private readonly ledger: IdempotencyLedger,
    readonly streamId: string,
    private revision: number,
    private readonly context: LedgerContext,
    renewEveryMs: number,
  ) {
    this.timer = setInterval(() => (this.chain = this.chain.then(() => this.renew())), renewEveryMs);
    this.timer.unref();
  }

  /** The answer (success or 4xx problem) becomes the key's permanent result. */
  complete(response: RecordedResponse): Promise<void> {
    return this.end({ type: 'IdempotentRequestCompleted', data: response });
  }

  /** A 5xx: the key is freed so the client may retry it. */
  release(status: number): Promise<void> {
    return this.end({ type: 'IdempotentRequestReleased', data: { status } });
  }

  private async end(event: IdempotencyEvent): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
    await this.ledger.finish(this.streamId, this.revision, event, this.context);
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    try {
      this.revision = await this.ledger.renew(this.streamId, this.revision, this.context);
    } catch (error) {
      // Reclaimed by another request (this one stalled past its lease): its answer stands, not ours.
      if (error instanceof WrongExpectedVersionError) this.lost = true;
      new Logger('Idempotency').warn(`Could not renew the lease on ${this.streamId}: ${(error as Error).message}`);
    }
  }
}
