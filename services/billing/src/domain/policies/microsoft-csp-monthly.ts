import { BillingLine, QuantityChange, quantityOn } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf, worthCharging } from '../charge';
import { addMonths, dayOf, daysInMonth, earlier, firstDayOf, IsoDate, japaneseMonth, lastDayOf, monthOf, YearMonth } from '../dates';
import { BillingPolicyRules } from './policy';
import { seatsGivenUpAtEnd, unusedDaysCredit } from './unused-days';

/**
 * `microsoft-csp-monthly` (CP-Web monthly plans such as Office 365 E1): charged from the line's start
 * date, the first month prorated by days, then every month in full at the quantity in force on the
 * invoice date; the month of the end date is charged in full. A product change (数量・商品変更) is
 * charged by days: the old product up to the day before it took effect — its month, if already
 * charged in full on the 1st, credited for the days after — and the new product from that day.
 */

/** Adds and reductions count from their effective date: the first invoice on or after it reflects them. */
export const countsFrom = (change: QuantityChange): IsoDate => change.effectiveOn;

/** The line ended before `date`: its end date (契約終了日) is earlier. The end date's own month is still charged. */
const endedBefore = (line: BillingLine, date: IsoDate): boolean => line.cancellation !== undefined && line.cancellation.endDate < date;

/**
 * Days from the start day to the month's end (or to `until`, a product's last day), both inclusive, over
 * the days of that month, rounded down once on the line's amount (not per seat):
 * floor(unitPrice × quantity × days / daysInMonth).
 */
export function proratedAmount(unitPrice: number, quantity: number, startDate: IsoDate, until: IsoDate = lastDayOf(monthOf(startDate))): { days: number; amount: number } {
  const monthDays = daysInMonth(monthOf(startDate));
  const days = dayOf(until) - dayOf(startDate) + 1;
  return { days, amount: Math.floor((unitPrice * quantity * days) / monthDays) };
}

/** The last day of a product the line moved away from (数量・商品変更), if it did. */
const productChangedAfter = (line: BillingLine): IsoDate | undefined => (line.cancellation?.reason === 'PRODUCT_CHANGE' ? line.cancellation.endDate : undefined);

/** In arrears on `month`'s invoice: the part of the previous month from a start after its 1st. */
function proratedPreviousMonth(line: BillingLine, month: YearMonth): Charge[] {
  const previous = addMonths(month, -1);
  if (monthOf(line.startDate) !== previous || dayOf(line.startDate) === 1) return [];
  const quantity = quantityOn(line, line.startDate, countsFrom);
  const periodEnd = earlier(productChangedAfter(line) ?? lastDayOf(previous), lastDayOf(previous));
  if (periodEnd < line.startDate) return [];
  const { days, amount } = proratedAmount(line.unitPrice, quantity, line.startDate, periodEnd);
  return [
    chargeOf(line, {
      chargeId: chargeIds.prorated(chargeKey(line), previous),
      kind: 'PRORATED',
      description: `${line.productName} ${japaneseMonth(previous)}分 日割 (${dayOf(line.startDate)}日〜${dayOf(periodEnd)}日, ${days}/${daysInMonth(previous)}日)`,
      periodStart: line.startDate,
      periodEnd,
      quantity,
      unitPrice: line.unitPrice,
      amount,
    }),
  ];
}

/** In advance on `month`'s invoice: the whole month, for a line started by its 1st and not ended before it. */
export function fullMonth(line: BillingLine, month: YearMonth): Charge[] {
  const first = firstDayOf(month);
  if (line.startDate > first || endedBefore(line, first)) return [];
  const quantity = quantityOn(line, first, countsFrom);
  return [
    chargeOf(line, {
      chargeId: chargeIds.monthly(chargeKey(line), month),
      kind: 'MONTHLY',
      description: `${line.productName} ${japaneseMonth(month)}分`,
      periodStart: first,
      periodEnd: lastDayOf(month),
      quantity,
      unitPrice: line.unitPrice,
      amount: line.unitPrice * quantity,
    }),
  ];
}

/** Reductions and cancellations are never refunded; only the days after a product change are. */
function productChangeCredits(line: BillingLine, month: YearMonth): Charge[] {
  if (!productChangedAfter(line)) return [];
  return seatsGivenUpAtEnd(line, countsFrom, '商品変更').flatMap((givenUp) => unusedDaysCredit(line, givenUp, month));
}

export const microsoftCspMonthly: BillingPolicyRules = {
  chargesForMonth: (line, month) => [...proratedPreviousMonth(line, month), ...fullMonth(line, month)].filter(worthCharging),
  creditsForMonth: productChangeCredits,
};
