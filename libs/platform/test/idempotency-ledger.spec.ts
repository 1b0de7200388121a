import { randomUUID } from 'crypto';
import { EventStore } from '@lp/eventsourcing';
import { anEvent } from '@lp/testing';
import { committedOutcome } from '../src/idempotency/committed-outcome';
import { IdempotencyLedger, LedgerContext, LedgerOptions, SettleDeadAttempt } from '../src/idempotency/idempotency-ledger';
import { RecordedResponse } from '../src/idempotency/idempotency-events';
import { InMemoryEventStore } from './support/in-memory-event-store';

const LEASE_MS = 10_000;
const KEY = 'idempotency-k1';
const CREATED: RecordedResponse = { status: 201, body: { id: 'c-1', companyName: 'ACME' } };

/** The request's business clock is years off on purpose: leases must run on the ledger's clock only. */
const contextOf = (requestId: string): LedgerContext => ({
  actor: { id: 'u-1' },
  correlationId: 'corr-1',
  causationId: requestId,
  now: new Date('2019-04-01T00:00:00Z'),
});

/** A fake wall clock; by default a waiter's pause moves it, so waits cost no real time. */
function setup(options: Partial<LedgerOptions> = {}) {
  const idempotency = new InMemoryEventStore();
  const commits = new InMemoryEventStore();
  const clock = { now: Date.parse('2025-06-01T09:00:00Z') };
  const ledger = new IdempotencyLedger(idempotency, {
    leaseMs: LEASE_MS,
    waitMs: 15_000,
    now: () => new Date(clock.now),
    sleep: async (ms) => void (clock.now += ms),
    ...options,
  });
  const settle: SettleDeadAttempt = (attempt) => committedOutcome([commits], attempt, 201);
  return { idempotency, commits, clock, ledger, settle };
}

/** What a process killed mid-request leaves behind: its claim, never completed nor renewed. */
async function claimOfDeadRequest(store: EventStore, requestId: string, claimedAt: number): Promise<void> {
  const data = { fingerprint: 'fp', claimedAt: new Date(claimedAt).toISOString(), leaseUntil: new Date(claimedAt + LEASE_MS).toISOString() };
  await store.appendToStream(KEY, [anEvent('IdempotentRequestStarted', data, { causationId: requestId })], { expectedRevision: 'no_stream' });
}

const caused = (requestId: string, type: string) => anEvent(type, {}, { causationId: requestId });
const yieldOnly = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('IdempotencyLedger', () => {
  it('reclaims the key of a request that died once its lease has run out, and runs the retry when nothing was committed', async () => {
    const { idempotency, commits, clock, ledger, settle } = setup();
    const diedAt = clock.now;
    await claimOfDeadRequest(idempotency, 'req-dead', diedAt);
    // A document number reserved before the command is not an outcome: the number just stays unused.
    await commits.appendToStream('orderNumber-NOD202506-0000000001', [caused('req-dead', 'OrderNumberReserved')]);

    const decision = await ledger.begin(KEY, 'fp', contextOf('req-retry'), settle);

    expect(decision.kind).toBe('run');
    expect(clock.now).toBeGreaterThanOrEqual(diedAt + LEASE_MS);
    const state = await ledger.state(KEY);
    expect(state).toMatchObject({ kind: 'in-progress', requestId: 'req-retry' });
  });

  it('does not reclaim before the lease runs out: a repeat that waited its whole wait gets 409 REQUEST_IN_PROGRESS', async () => {
    const { idempotency, clock, ledger, settle } = setup({ waitMs: 4_000 });
    await claimOfDeadRequest(idempotency, 'req-dead', clock.now);
    const start = clock.now;

    await expect(ledger.begin(KEY, 'fp', contextOf('req-retry'), settle)).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });

    expect(clock.now - start).toBeGreaterThanOrEqual(4_000);
    expect(clock.now - start).toBeLessThan(LEASE_MS);
    expect(await ledger.state(KEY)).toMatchObject({ kind: 'in-progress', requestId: 'req-dead' });
  });

  it('answers the retry of a request that died after its commit with the resource it created, and keeps that answer', async () => {
    const { idempotency, commits, clock, ledger, settle } = setup();
    await claimOfDeadRequest(idempotency, 'req-dead', clock.now);
    await commits.appendToStream('orderNumberSequence', [caused('req-dead', 'OrderNumberSequenceAdvanced')]);
    await commits.appendToStream('customer-c-42', [caused('req-dead', 'CustomerRegistered')], { expectedRevision: 'no_stream' });
    await commits.appendToStream('customer-c-other', [caused('req-other', 'CustomerRegistered')]);
    clock.now += LEASE_MS;

    const retry = await ledger.begin(KEY, 'fp', contextOf('req-retry'), settle);
    const later = await ledger.begin(KEY, 'fp', contextOf('req-later'), settle);

    const recovered = { status: 201, body: { id: 'c-42' }, headers: { 'Idempotent-Recovered': 'true' } };
    expect(retry).toEqual({ kind: 'replay', response: recovered });
    expect(later).toEqual({ kind: 'replay', response: recovered });
    expect((await idempotency.readStream(KEY)).map((event) => event.type)).toEqual([
      'IdempotentRequestStarted',
      'IdempotentRequestCompleted',
    ]);
  });

  it('names the resource an action changed when the dead request created none', async () => {
    const { idempotency, commits, clock, ledger } = setup();
    await claimOfDeadRequest(idempotency, 'req-dead', clock.now);
    await commits.appendToStream('order-o-7', [caused('req-setup', 'OrderCreated')]);
    await commits.appendToStream('order-o-7', [caused('req-dead', 'OrderAccepted')]);
    clock.now += LEASE_MS;

    const retry = await ledger.begin(KEY, 'fp', contextOf('req-retry'), (attempt) => committedOutcome([commits], attempt, 200));

    expect(retry).toMatchObject({ kind: 'replay', response: { status: 200, body: { id: 'o-7' } } });
  });

  it('lets ten requests with one key wait for the first and all get its response', async () => {
    const { ledger, settle } = setup({ sleep: yieldOnly });
    const decisions = Array.from({ length: 10 }, () => ledger.begin(KEY, 'fp', contextOf(randomUUID()), settle));
    // The others cannot settle before the runner answers: the first to settle is the runner.
    const runner = await Promise.race(decisions);
    expect(runner.kind).toBe('run');
    if (runner.kind === 'run') await runner.lease.complete(CREATED);
    const all = await Promise.all(decisions);

    expect(all.filter((decision) => decision.kind === 'run')).toHaveLength(1);
    expect(all.filter((decision) => decision.kind === 'replay').map((decision) => decision.kind === 'replay' && decision.response)).toEqual(
      Array(9).fill(CREATED),
    );
  });

  it('hands a released key (the first attempt failed with a 5xx) to one of the waiters, which runs it', async () => {
    const { ledger, settle } = setup({ sleep: yieldOnly });
    const first = await ledger.begin(KEY, 'fp', contextOf('req-1'), settle);
    const waiting = ledger.begin(KEY, 'fp', contextOf('req-2'), settle);
    if (first.kind !== 'run') throw new Error('the first request should run');
    await first.lease.release(503);
    const second = await waiting;
    expect(second.kind).toBe('run');
    expect(await ledger.state(KEY)).toMatchObject({ kind: 'in-progress', requestId: 'req-2' });
  });

  it('keeps the key of a slow request that renews its lease', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { clock, ledger, settle } = setup({ waitMs: 1_000 });
      const slow = await ledger.begin(KEY, 'fp', contextOf('req-slow'), settle);
      clock.now += LEASE_MS - 1_000;
      await jest.advanceTimersByTimeAsync(LEASE_MS / 3 + 1); // one renewal
      clock.now += 5_000; // past the first lease, within the renewed one

      await expect(ledger.begin(KEY, 'fp', contextOf('req-retry'), settle)).rejects.toMatchObject({ code: 'REQUEST_IN_PROGRESS' });
      expect(await ledger.state(KEY)).toMatchObject({ kind: 'in-progress', requestId: 'req-slow' });
      if (slow.kind === 'run') await slow.lease.complete(CREATED);
      expect(await ledger.state(KEY)).toMatchObject({ kind: 'completed', response: CREATED });
    } finally {
      jest.useRealTimers();
    }
  });

  it('frees a key left "in progress" before leases existed, counting its lease from when it started', async () => {
    const { idempotency, clock, ledger, settle } = setup();
    const legacy = anEvent('IdempotentRequestStarted', { fingerprint: 'fp' }, { causationId: 'req-old', occurredAt: new Date(clock.now - LEASE_MS).toISOString() });
    await idempotency.appendToStream(KEY, [legacy]);

    expect((await ledger.begin(KEY, 'fp', contextOf('req-retry'), settle)).kind).toBe('run');
  });

  it('refuses the key with another body even while it is held', async () => {
    const { ledger, settle } = setup();
    await ledger.begin(KEY, 'fp', contextOf('req-1'), settle);
    await expect(ledger.begin(KEY, 'other', contextOf('req-2'), settle)).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});
