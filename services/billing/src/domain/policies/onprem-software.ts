import { BillingLine, seatDeltas } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf, worthCharging } from '../charge';
import { addDays, addMonths, IsoDate, later, monthOf, YearMonth } from '../dates';
import { BillingPolicyRules } from './policy';

/**
 * `onprem-software` (CSP on-premises software, seed 003): one purchase on the start date, invoiced on
 * the next 1st. Cancelled within the product's refund window → a credit note for 100% of what was
 * cancelled; after the window provisioning refuses the cancellation, so it never reaches billing.
 * Provisioning also refuses seat adds on software (a purchase is cancelled, not resized), so the only
 * seat changes here are partial cancellations (reductions).
 */

/** The last day a cancellation request is refunded (inclusive); none without a window (no refunds unless a policy says so). */
export function refundWindowEnd(line: BillingLine): IsoDate | undefined {
  return line.refundWindowDays === undefined ? undefined : addDays(line.startDate, line.refundWindowDays);
}

const refundable = (line: BillingLine, requestedOn: IsoDate): boolean => {
  const until = refundWindowEnd(line);
  return until !== undefined && requestedOn <= until;
};

function oneTimeCharge(line: BillingLine, month: YearMonth): Charge[] {
  if (monthOf(line.startDate) !== addMonths(month, -1)) return [];
  return [
    chargeOf(line, {
      chargeId: chargeIds.oneTime(chargeKey(line)),
      kind: 'ONE_TIME',
      description: line.productName,
      periodStart: line.startDate,
      periodEnd: line.startDate,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.unitPrice * line.quantity,
    }),
  ];
}

/**
 * Credits are issued by the run after the cancellation was confirmed (a reduction: after its effective
 * date), like the one-time charge itself — and never before the run that invoices that charge, so a
 * credit note always refers to a sale already invoiced.
 */
const creditMonth = (line: BillingLine, confirmedOn: IsoDate): YearMonth => addMonths(monthOf(later(confirmedOn, line.startDate)), 1);

interface CancelledSeats {
  changeId: string;
  requestedOn: IsoDate;
  confirmedOn: IsoDate;
  seats: number;
}

/** Every cancellation of seats: each partial one (a reduction), then the final one of the seats still held. */
function cancelledSeats(line: BillingLine): CancelledSeats[] {
  const reductions = seatDeltas(line).filter(({ change, delta }) => change.kind === 'REDUCE' && delta < 0);
  const cancelled: CancelledSeats[] = reductions.map(({ change, delta }) => ({
    changeId: change.changeId,
    requestedOn: change.requestedOn,
    confirmedOn: change.effectiveOn,
    seats: -delta,
  }));
  if (line.cancellation) {
    const held = line.changes.length ? line.changes[line.changes.length - 1].newQuantity : line.quantity;
    const { changeId, requestedOn, cancelledOn } = line.cancellation;
    cancelled.push({ changeId, requestedOn, confirmedOn: cancelledOn, seats: held });
  }
  return cancelled;
}

function credits(line: BillingLine, month: YearMonth): Charge[] {
  return cancelledSeats(line)
    .filter((cancelled) => refundable(line, cancelled.requestedOn) && creditMonth(line, cancelled.confirmedOn) === month)
    .map((cancelled) =>
      chargeOf(line, {
        chargeId: chargeIds.refund(chargeKey(line), cancelled.changeId),
        kind: 'REFUND',
        description: `${line.productName} 返品 (購入の取消, 100%返金)`,
        periodStart: line.startDate,
        periodEnd: line.startDate,
        quantity: cancelled.seats,
        unitPrice: line.unitPrice,
        amount: -(line.unitPrice * cancelled.seats),
        refersToChargeId: chargeIds.oneTime(chargeKey(line)),
      }),
    )
    .filter(worthCharging);
}

export const onpremSoftware: BillingPolicyRules = {
  chargesForMonth: (line, month) => oneTimeCharge(line, month).filter(worthCharging),
  creditsForMonth: credits,
};
