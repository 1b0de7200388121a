import { BillingLine, QuantityChange, quantityOn } from '../billing-line';
import { Charge, chargeIds, chargeOf, worthCharging } from '../charge';
import { addMonths, dayOf, daysInMonth, firstDayOf, IsoDate, japaneseMonth, lastDayOf, monthOf, YearMonth } from '../dates';
import { BillingPolicyRules, noCredits } from './policy';

/**
 * `microsoft-csp-monthly` (CP-Web monthly plans such as Office 365 E1): charged from the line's start
 * date, the first month prorated by days, then every month in full at the quantity in force on the
 * invoice date; the month of the end date is charged in full.
 */

/** Adds and reductions count from their effective date: the first invoice on or after it reflects them. */
export const countsFrom = (change: QuantityChange): IsoDate => change.effectiveOn;

/** The line ended before `date`: its end date (契約終了日) is earlier. The end date's own month is still charged. */
const endedBefore = (line: BillingLine, date: IsoDate): boolean => line.cancellation !== undefined && line.cancellation.endDate < date;

/**
 * Days from the start day (inclusive) to the month's end, over the days of that month, rounded down
 * once on the line's amount (not per seat): floor(unitPrice × quantity × days / daysInMonth).
 */
export function proratedAmount(unitPrice: number, quantity: number, startDate: IsoDate): { days: number; amount: number } {
  const monthDays = daysInMonth(monthOf(startDate));
  const days = monthDays - dayOf(startDate) + 1;
  return { days, amount: Math.floor((unitPrice * quantity * days) / monthDays) };
}

/** In arrears on `month`'s invoice: the part of the previous month from a start after its 1st. */
function proratedPreviousMonth(line: BillingLine, month: YearMonth): Charge[] {
  const previous = addMonths(month, -1);
  if (monthOf(line.startDate) !== previous || dayOf(line.startDate) === 1) return [];
  const quantity = quantityOn(line, line.startDate, countsFrom);
  const { days, amount } = proratedAmount(line.unitPrice, quantity, line.startDate);
  const periodEnd = lastDayOf(previous);
  return [
    chargeOf(line, {
      chargeId: chargeIds.prorated(line.lineId, previous),
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
      chargeId: chargeIds.monthly(line.lineId, month),
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

export const microsoftCspMonthly: BillingPolicyRules = {
  chargesForMonth: (line, month) => [...proratedPreviousMonth(line, month), ...fullMonth(line, month)].filter(worthCharging),
  creditsForMonth: noCredits,
};
