import { addDays, todayInTokyo } from '@lp/platform/time';
import { NCE_CANCELLATION_WINDOW_DAYS, ProductTerms } from '@lp/integration-events';

// One calendar for every service: libs/platform's business dates (Asia/Tokyo, date-fns-tz).
export { addDays };

/** The business date in Asia/Tokyo of an ISO timestamp (the window counts from the Tokyo day the vendor answered). */
export function tokyoBusinessDate(timestamp: string): string {
  const instant = new Date(timestamp);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a timestamp: ${timestamp}`);
  return todayInTokyo(instant);
}

/**
 * The last day a cancellation is still allowed (Partner Center's `cancellationAllowedUntil`), or
 * null when the product has no such window.
 * - On-premises software (`onprem-software`): start date + the product's refund window days
 *   (domain.md: "requested on or before start date + window days"), the window inclusive.
 * - New-commerce licences (`microsoft-nce`): start date + 7 days (Partner Center's 168 hours from
 *   the purchase). The start is the vendor's activation, never the contract's start date (which may
 *   be back-dated): the contract service counts its lines' windows from the same activation.
 * - Monthly, usage and StreamOne products: domain.md gives no cancellation window (monthly Microsoft
 *   lines are reduced from the next invoice; StreamOne cancellations follow a deadline per month,
 *   not a window), so null.
 */
export function cancellationAllowedUntil(
  terms: Pick<ProductTerms, 'billingPolicy' | 'refundWindowDays'>,
  startDate: string,
): string | null {
  if (terms.billingPolicy === 'microsoft-nce') return addDays(startDate, NCE_CANCELLATION_WINDOW_DAYS);
  if (terms.billingPolicy !== 'onprem-software' || terms.refundWindowDays === undefined) return null;
  return addDays(startDate, terms.refundWindowDays);
}

/**
 * Seats added to a new-commerce subscription are a purchase of their own: cancellable until 7 days
 * from the Tokyo business date the vendor confirmed them (the contract service counts the added
 * seats of its line from the same answer). Undefined for other products and for fewer seats.
 */
export function addedSeatsCancellationAllowedUntil(terms: Pick<ProductTerms, 'billingPolicy'>, addedSeats: number, changedAt: string): string | undefined {
  if (terms.billingPolicy !== 'microsoft-nce' || addedSeats <= 0) return undefined;
  return addDays(tokyoBusinessDate(changedAt), NCE_CANCELLATION_WINDOW_DAYS);
}
