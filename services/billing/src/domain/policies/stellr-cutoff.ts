import { stellrChargingStart as chargingStart } from '@lp/integration-events';
import { BillingLine, QuantityChange, quantityOn, seatDeltas } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf, worthCharging } from '../charge';
import {
  addMonths,
  dayOf,
  firstDayOf,
  firstOfMonthOnOrAfter,
  IsoDate,
  japaneseMonth,
  lastDayOf,
  later,
  monthOf,
  monthsBetween,
  YearMonth,
} from '../dates';
import { BillingPolicyRules, noCredits } from './policy';

/**
 * `stellr-cutoff` (StreamOne Stellr, Sourcenext products, seed 002): a cut-off on the 15th, delivery
 * on the 20th, free until the end of the delivery month, then every month's invoice on its 1st
 * charges that month in full; reductions and cancellations need 20 days' notice before a month end
 * and are never refunded.
 */

/** Delivery on the 20th after the 15th's cut-off, charging from the 1st after delivery: shared with the contract's terms. */
export { stellrChargingStart as chargingStart, stellrDeliveryDate as deliveryDate } from '@lp/integration-events';

/**
 * A reduction or cancellation applies at the end of month M (so from M+1-01) when requested on or
 * before the last day of M − 20 days (6/10 for June, 2/8 in a 28-day February); later requests apply
 * a month later. Any day of M is before (M+1's last day − 20), so "a month later" is always enough.
 */
export function reductionStart(requestedOn: IsoDate): IsoDate {
  const month = monthOf(requestedOn);
  const deadlineDay = dayOf(lastDayOf(month)) - 20;
  return firstDayOf(addMonths(month, dayOf(requestedOn) <= deadlineDay ? 1 : 2));
}

/**
 * The 1st from which a change counts on invoices. Added seats follow the placement rule from their own
 * placement date (the request date); reductions follow the deadline. Neither counts before the
 * contract says the change is in force (its effectiveOn), since invoices reflect the quantity in
 * force on the invoice date.
 */
export function changeCountsFrom(change: QuantityChange): IsoDate {
  // A renewed term starts on its anniversary 1st: the vendor bills the new quantity from there.
  if (change.kind === 'RENEWAL') return firstOfMonthOnOrAfter(change.effectiveOn);
  const byVendorCalendar = change.kind === 'ADD' ? chargingStart(change.requestedOn) : reductionStart(change.requestedOn);
  return later(byVendorCalendar, firstOfMonthOnOrAfter(change.effectiveOn));
}

/**
 * The first month no longer charged after a cancellation: the month after the end date (契約終了日),
 * or later when the request missed the deadline for that month end (no refunds: StreamOne bills it).
 * A product change is no cancellation: the old product is charged to the end of the month before the
 * new one's first month (see `chargingFrom`), whatever the deadline.
 */
export function firstMonthNotCharged(line: BillingLine): YearMonth | undefined {
  const cancellation = line.cancellation;
  if (!cancellation) return undefined;
  const afterEnd = addMonths(monthOf(cancellation.endDate), 1);
  return cancellation.reason === 'PRODUCT_CHANGE' ? afterEnd : later(afterEnd, monthOf(reductionStart(cancellation.requestedOn)));
}

/**
 * The first day charged: the 1st after delivery. StreamOne bills whole months, so a product the line
 * moved to (数量・商品変更) is charged from the 1st on or after the change took effect.
 */
export function chargingFrom(line: BillingLine): IsoDate {
  const delivered = chargingStart(line.placedOn);
  return line.productChangedOn ? later(delivered, firstOfMonthOnOrAfter(line.productChangedOn)) : delivered;
}

const chargedIn = (line: BillingLine, month: YearMonth): boolean => {
  const end = firstMonthNotCharged(line);
  return firstDayOf(month) >= chargingFrom(line) && (end === undefined || month < end);
};

function monthlyCharge(line: BillingLine, month: YearMonth): Charge[] {
  if (!chargedIn(line, month)) return [];
  const quantity = quantityOn(line, firstDayOf(month), changeCountsFrom);
  return [
    chargeOf(line, {
      chargeId: chargeIds.monthly(chargeKey(line), month),
      kind: 'MONTHLY',
      description: `${line.productName} ${japaneseMonth(month)}分`,
      periodStart: firstDayOf(month),
      periodEnd: lastDayOf(month),
      quantity,
      unitPrice: line.unitPrice,
      amount: line.unitPrice * quantity,
    }),
  ];
}

/** 年契約年払い: a year's charge on the charging start month's 1st and on every anniversary month's 1st. */
function annualCharge(line: BillingLine, month: YearMonth): Charge[] {
  const sinceStart = monthsBetween(monthOf(chargingStart(line.placedOn)), month);
  if (sinceStart % 12 !== 0 || !chargedIn(line, month)) return [];
  const quantity = quantityOn(line, firstDayOf(month), changeCountsFrom);
  const lastMonth = addMonths(month, 11);
  return [
    chargeOf(line, {
      chargeId: chargeIds.annual(chargeKey(line), month),
      kind: 'ANNUAL',
      description: `${line.productName} ${japaneseMonth(month)}〜${japaneseMonth(lastMonth)}分 (年額)`,
      periodStart: firstDayOf(month),
      periodEnd: lastDayOf(lastMonth),
      quantity,
      unitPrice: line.unitPrice,
      amount: line.unitPrice * quantity,
    }),
  ];
}

/**
 * Seats added to an annual line during a year are charged, from the month they count from, for the
 * whole months left until the line's next anniversary (co-terming): floor(unitPrice × seats × months / 12).
 * From that anniversary on they are part of the year's charge. Seats that count from an anniversary
 * month are in that anniversary's charge already.
 */
function annualAddCharges(line: BillingLine, month: YearMonth): Charge[] {
  const startMonth = monthOf(chargingStart(line.placedOn));
  const sinceStart = monthsBetween(startMonth, month);
  if (sinceStart <= 0 || sinceStart % 12 === 0 || !chargedIn(line, month)) return [];
  const nextAnniversary = addMonths(startMonth, Math.ceil(sinceStart / 12) * 12);
  const end = firstMonthNotCharged(line);
  const lastMonth = addMonths(end !== undefined && end < nextAnniversary ? end : nextAnniversary, -1);
  const months = monthsBetween(month, lastMonth) + 1;
  return seatDeltas(line)
    .filter(({ change, delta }) => change.kind === 'ADD' && delta > 0 && monthOf(changeCountsFrom(change)) === month)
    .map(({ change, delta }) =>
      chargeOf(line, {
        chargeId: chargeIds.proratedAdd(chargeKey(line), month, change.changeId),
        kind: 'PRORATED',
        description: `${line.productName} 追加${delta}ライセンス ${japaneseMonth(month)}〜${japaneseMonth(lastMonth)}分 (年額の${months}/12)`,
        periodStart: firstDayOf(month),
        periodEnd: lastDayOf(lastMonth),
        quantity: delta,
        unitPrice: line.unitPrice,
        amount: Math.floor((line.unitPrice * delta * months) / 12),
      }),
    );
}

export const stellrCutoff: BillingPolicyRules = {
  chargesForMonth: (line, month) =>
    (line.term === 'annual' ? [...annualCharge(line, month), ...annualAddCharges(line, month)] : monthlyCharge(line, month)).filter(worthCharging),
  creditsForMonth: noCredits,
};
