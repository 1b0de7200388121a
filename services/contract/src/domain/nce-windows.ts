import { addDaysToDate, NCE_CANCELLATION_WINDOW_DAYS } from '@lp/integration-events';
import { ruleViolation } from '@lp/eventsourcing';

/**
 * New-commerce licences (microsoft-nce): seats may be cancelled or reduced only within 7 days of
 * their purchase. The line's seats bought at the start have one window, each added batch its own;
 * a cancellation or reduction requested on a day takes at most the seats whose window is open then.
 *
 * Partner Center counts the 168 hours from the purchase at the vendor, so the first batch's window
 * counts from the subscription's activation (the Tokyo business date provisioning reported), not
 * from the contract's start date, which may be back-dated or later: the contract line and the
 * subscription then show one window, and billing reads that one on ContractConfirmed.
 */

export interface SeatWindow {
  seats: number;
  /** The last day (inclusive) these seats may be cancelled. */
  until: string;
}

export const isNewCommerce = (line: { billingPolicy: string }) => line.billingPolicy === 'microsoft-nce';

export const windowFrom = (purchasedOn: string, seats: number): SeatWindow => ({ seats, until: addDaysToDate(purchasedOn, NCE_CANCELLATION_WINDOW_DAYS) });

/**
 * The seats bought with the subscription: their window counts from its activation at the vendor;
 * the start date stands in only when the activation is unknown (a subscription recorded before it was kept).
 */
export const purchaseWindow = (subscription: { activatedOn?: string } | undefined, startDate: string, seats: number): SeatWindow =>
  windowFrom(subscription?.activatedOn ?? startDate, seats);

/**
 * Seats added later: bought when the vendor confirmed the new seat count, so their window counts
 * from that day, the one provisioning counts from too; the change's effective date stands in only
 * when the change was confirmed by force before the vendor answered.
 */
export const addedSeatsWindow = (added: { vendorConfirmedOn?: string }, effectiveOn: string, seats: number): SeatWindow =>
  windowFrom(added.vendorConfirmedOn ?? effectiveOn, seats);

/** The seats cancellable on `requestedOn`: those whose window is still open, no more than the line has. */
export function cancellableSeats(windows: readonly SeatWindow[], quantity: number, requestedOn: string): number {
  return Math.min(quantity, windows.filter((window) => requestedOn <= window.until).reduce((sum, window) => sum + window.seats, 0));
}

/** The window shown on the line: the last day any of its seats may still be cancelled. */
export const cancellationAllowedUntilOf = (windows: readonly SeatWindow[]): string | undefined => windows.map((window) => window.until).sort().pop();

/** 422 CANCELLATION_WINDOW_CLOSED for every line that would give up more seats than its open windows hold. */
export function refuseClosedWindows(
  lines: readonly { lineId: string; productName: string; quantity: number; seatWindows?: SeatWindow[]; billingPolicy: string; seatsGivenUp: number }[],
  requestedOn: string,
): void {
  const closed = lines.filter((line) => isNewCommerce(line) && line.seatsGivenUp > cancellableSeats(line.seatWindows ?? [], line.quantity, requestedOn));
  if (!closed.length) return;
  const why = closed.map((line) => {
    const open = cancellableSeats(line.seatWindows ?? [], line.quantity, requestedOn);
    const until = cancellationAllowedUntilOf(line.seatWindows ?? []);
    return `${line.lineId} ${line.productName}: ${line.seatsGivenUp} seats asked, ${open} cancellable on ${requestedOn} (window until ${until ?? '—'})`;
  });
  throw ruleViolation(
    'CANCELLATION_WINDOW_CLOSED',
    `New-commerce licences are cancelled or reduced only within 7 days of purchase; after it, turn auto-renew off to end the line at its term end. ${why.join('; ')}`,
  );
}
