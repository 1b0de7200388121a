import { RecordedEvent } from '@lp/eventsourcing';

/** The answer served for a key, replayed verbatim to repeats. */
export interface RecordedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A claim's times come from the ledger's own clock (wall time), never from the request's business
 * clock, which tests and back-dated scenarios move at will.
 */
export interface LeaseTimes {
  /** ISO instant the attempt claimed the key. */
  claimedAt: string;
  /** ISO instant after which, unless renewed, the attempt counts as dead and the key may be reclaimed. */
  leaseUntil: string;
}

/**
 * The attempt holding the key is the metadata causationId of its Started event: the request id,
 * which is also the causationId of every event its command appends.
 */
export type IdempotencyEvent =
  | { type: 'IdempotentRequestStarted'; data: { fingerprint: string } & Partial<LeaseTimes> }
  | { type: 'IdempotentRequestLeaseRenewed'; data: { leaseUntil: string } }
  | { type: 'IdempotentRequestCompleted'; data: RecordedResponse }
  | { type: 'IdempotentRequestReleased'; data: { status: number } };

/** Where a key stands, folded from its stream. */
export type IdempotencyState =
  | { kind: 'unused' }
  | {
      kind: 'in-progress';
      fingerprint: string;
      revision: number;
      /** The request id of the attempt holding the key. */
      requestId: string;
      claimedAt: Date;
      leaseUntil: Date;
    }
  | { kind: 'completed'; fingerprint: string; response: RecordedResponse; revision: number }
  /** The first attempt failed with a 5xx and changed nothing that counts: the key may be used again. */
  | { kind: 'released'; revision: number };

/**
 * @param legacyLeaseMs the lease of a Started event written before leases existed (it has no
 *   leaseUntil): counted from its occurredAt, so keys left "in progress" by a crash are freed too.
 */
export function idempotencyState(events: RecordedEvent[], legacyLeaseMs: number): IdempotencyState {
  let state: IdempotencyState = { kind: 'unused' };
  for (const event of events as unknown as (IdempotencyEvent & RecordedEvent)[]) {
    const revision = event.streamRevision;
    switch (event.type) {
      case 'IdempotentRequestStarted': {
        const claimedAt = new Date(event.data.claimedAt ?? event.occurredAt);
        const leaseUntil = event.data.leaseUntil ? new Date(event.data.leaseUntil) : new Date(claimedAt.getTime() + legacyLeaseMs);
        state = { kind: 'in-progress', fingerprint: event.data.fingerprint, revision, requestId: event.causationId, claimedAt, leaseUntil };
        break;
      }
      case 'IdempotentRequestLeaseRenewed':
        if (state.kind === 'in-progress') {
          const held: Extract<IdempotencyState, { kind: 'in-progress' }> = state;
          state = { ...held, revision, leaseUntil: new Date(event.data.leaseUntil) };
        }
        break;
      case 'IdempotentRequestCompleted':
        state = { kind: 'completed', fingerprint: state.kind === 'in-progress' ? state.fingerprint : '', response: event.data, revision };
        break;
      case 'IdempotentRequestReleased':
        state = { kind: 'released', revision };
        break;
    }
  }
  return state;
}
