import { CommandContext, EventStore, expectedRevisionAt, withMetadata, WrongExpectedVersionError } from '@lp/eventsourcing';
import { contractStreamId } from '../domain/contract';
import {
  ContractCreationAbandoned,
  contractLinesStreamId,
  HeldReservation,
  heldReservations,
  LineReservationEvent,
  releaseRefused,
  reservedLineIds,
  reserveLines,
  staleCandidates,
} from '../domain/line-reservations';

/** A reservation without its contract this long is presumed abandoned (its creator crashed). */
export const DEFAULT_RESERVATION_GRACE_MS = 60_000;
/** Appends lost to concurrent reservations of other lines of the same order before giving up. */
const MAX_ATTEMPTS = 20;

interface ReservationRequest {
  contractId: string;
  orderId: string;
  lineIds: string[];
}

/** The I/O around domain/line-reservations.ts: one stream per order, appended with the revision read. */
export class LineReservations {
  constructor(
    private readonly store: EventStore,
    private readonly graceMs = DEFAULT_RESERVATION_GRACE_MS,
  ) {}

  /**
   * Lines held for the early, friendly check: stale reservations are left out, as reserve() may
   * release them; reserve() stays the authoritative check.
   */
  async surelyHeldLineIds(orderId: string, lineIds: string[], now: Date): Promise<string[]> {
    const { held } = await this.held(orderId);
    const stale = staleCandidates(held, lineIds, now, this.graceMs);
    return reservedLineIds(held.filter((reservation) => !stale.includes(reservation)));
  }

  async held(orderId: string): Promise<{ held: HeldReservation[]; revision: number }> {
    const events = await this.store.readStream(contractLinesStreamId(orderId));
    return {
      held: heldReservations(events as unknown as (LineReservationEvent & { occurredAt: string })[]),
      revision: events.length ? events[events.length - 1].streamRevision : -1,
    };
  }

  /**
   * Reserves `lineIds` for `contractId`, or throws 422 LINE_ALREADY_CONTRACTED. A lost race re-reads
   * and decides again: the winner's lines are then refused, other lines of the order still succeed.
   */
  async reserve(request: ReservationRequest, context: CommandContext): Promise<void> {
    const streamId = contractLinesStreamId(request.orderId);
    for (let attempt = 1; ; attempt++) {
      const { held, revision } = await this.held(request.orderId);
      const abandoned = await this.abandoned(staleCandidates(held, request.lineIds, context.now, this.graceMs), context);
      const events = reserveLines(held, request, abandoned);
      try {
        await this.store.appendToStream(streamId, withMetadata(events, context), { expectedRevision: expectedRevisionAt(revision) });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Gives the lines back when the contract was refused after they were reserved, so the refusal changes nothing. */
  async release(request: ReservationRequest, context: CommandContext): Promise<void> {
    await this.store.appendToStream(contractLinesStreamId(request.orderId), withMetadata([releaseRefused(request)], context), { expectedRevision: 'any' });
  }

  /**
   * The stale reservations whose contract provably never exists: tombstoning its still empty stream
   * (expected 'no_stream') succeeds only then, and afterwards a late creator's ContractCreated (also
   * 'no_stream') fails, so a released line can never end up in two contracts.
   */
  private async abandoned(candidates: HeldReservation[], context: CommandContext): Promise<string[]> {
    const abandoned: string[] = [];
    for (const { contractId } of candidates) {
      const tombstone: ContractCreationAbandoned = { type: 'ContractCreationAbandoned', data: { contractId, reason: 'CONTRACT_NEVER_CREATED' } };
      try {
        await this.store.appendToStream(contractStreamId(contractId), withMetadata([tombstone], context), { expectedRevision: 'no_stream' });
        abandoned.push(contractId);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // The stream exists: the contract was created (a real holder), or an earlier attempt
        // tombstoned it and then lost the race to append the release; then it is abandoned too.
        const [first] = await this.store.readStream(contractStreamId(contractId), { maxCount: 1 });
        if (first?.type === 'ContractCreationAbandoned') abandoned.push(contractId);
      }
    }
    return abandoned;
  }
}
