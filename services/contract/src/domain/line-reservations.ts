import { DomainEvent, ruleViolation } from '@lp/eventsourcing';

/**
 * An order line belongs to at most one contract (domain.md), across requests and replicas.
 *
 * A contract comes from ONE order, so every reservation of that order's lines lives in one stream,
 * `contractLines-<orderId>`. The application reads it, decides here, and appends with the revision
 * it read: of two contracts racing for a line only one append succeeds; the loser re-reads and is
 * refused LINE_ALREADY_CONTRACTED (or succeeds, when the winner took other lines of the order).
 *
 * The stream name starts `contractLines-`, not `contract-`, so the forwarder (prefix `contract-`)
 * never publishes reservations: they are this service's private bookkeeping.
 *
 * Reserving and creating the contract are two appends. A crash (or a refused contract number)
 * between them leaves a reservation without a contract. Such a reservation is released by the
 * next request that needs its lines, once it is older than a grace period (so a creation still
 * in flight is not disturbed) AND the application has made sure its contract can never appear:
 * it tombstones the contract stream (ContractCreationAbandoned, expected 'no_stream'), which a
 * late ContractCreated (also appended with 'no_stream') can then never overtake.
 */
export const contractLinesStreamId = (orderId: string) => `contractLines-${orderId}`;

export type ContractLinesReserved = DomainEvent<'ContractLinesReserved', { contractId: string; orderId: string; lineIds: string[] }>;
export type ReleaseReason = 'CONTRACT_NEVER_CREATED' | 'CONTRACT_REFUSED';
export type ContractLinesReleased = DomainEvent<'ContractLinesReleased', { contractId: string; orderId: string; lineIds: string[]; reason: ReleaseReason }>;
export type LineReservationEvent = ContractLinesReserved | ContractLinesReleased;

/** Written to `contract-<id>` so that a contract whose reservation was released can never be created. */
export type ContractCreationAbandoned = DomainEvent<'ContractCreationAbandoned', { contractId: string; reason: ReleaseReason }>;

/** A reservation still held: its contract exists, or is being created, or its creator crashed. */
export interface HeldReservation {
  contractId: string;
  lineIds: string[];
  /** When it was reserved (the event's occurredAt), for the grace period. */
  reservedAt: string;
}

/** The reservations still held, oldest first, from the events of one `contractLines-<orderId>` stream. */
export function heldReservations(events: readonly (LineReservationEvent & { occurredAt: string })[]): HeldReservation[] {
  const held = new Map<string, HeldReservation>();
  for (const event of events) {
    if (event.type === 'ContractLinesReserved') {
      held.set(event.data.contractId, { contractId: event.data.contractId, lineIds: [...event.data.lineIds], reservedAt: event.occurredAt });
    } else if (event.type === 'ContractLinesReleased') {
      held.delete(event.data.contractId);
    }
  }
  return [...held.values()];
}

/** Order line ids already in (or being put into) a contract: CreateContract's `contractedLineIds`. */
export function reservedLineIds(held: readonly HeldReservation[]): string[] {
  return held.flatMap((reservation) => reservation.lineIds);
}

/**
 * The held reservations standing in the way of `lineIds` that are older than the grace period:
 * candidates for release, if their contract stream turns out to be empty (the application checks).
 */
export function staleCandidates(held: readonly HeldReservation[], lineIds: readonly string[], now: Date, graceMs: number): HeldReservation[] {
  return held.filter(
    (reservation) =>
      reservation.lineIds.some((id) => lineIds.includes(id)) && now.getTime() - new Date(reservation.reservedAt).getTime() >= graceMs,
  );
}

/**
 * The events that reserve `lineIds` for `contractId`: first the release of each abandoned
 * reservation (its contract stream is tombstoned), then the reservation. Refuses, with
 * LINE_ALREADY_CONTRACTED, a line still held by another contract.
 */
export function reserveLines(
  held: readonly HeldReservation[],
  request: { contractId: string; orderId: string; lineIds: string[] },
  abandonedContractIds: readonly string[] = [],
): LineReservationEvent[] {
  const released = held.filter((reservation) => abandonedContractIds.includes(reservation.contractId));
  const stillHeld = held.filter((reservation) => !abandonedContractIds.includes(reservation.contractId));
  const taken = request.lineIds.filter((id) => reservedLineIds(stillHeld).includes(id));
  if (taken.length) throw ruleViolation('LINE_ALREADY_CONTRACTED', `Lines already in another contract: ${taken.join(', ')}`);
  const { contractId, orderId, lineIds } = request;
  return [
    ...released.map(
      (reservation): ContractLinesReleased => ({
        type: 'ContractLinesReleased',
        data: { contractId: reservation.contractId, orderId, lineIds: reservation.lineIds, reason: 'CONTRACT_NEVER_CREATED' },
      }),
    ),
    { type: 'ContractLinesReserved', data: { contractId, orderId, lineIds: [...lineIds] } },
  ];
}

/** Gives the lines back when the contract was refused after its lines were reserved (e.g. its number was taken). */
export function releaseRefused(reservation: { contractId: string; orderId: string; lineIds: string[] }): ContractLinesReleased {
  return { type: 'ContractLinesReleased', data: { ...reservation, lineIds: [...reservation.lineIds], reason: 'CONTRACT_REFUSED' } };
}
