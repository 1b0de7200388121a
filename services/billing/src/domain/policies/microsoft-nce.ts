import { BillingLine, quantityOn, seatDeltas } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf, worthCharging } from '../charge';
import { addDays, addMonths, dayOf, daysInMonth, earlier, japaneseMonth, lastDayOf, monthOf, YearMonth } from '../dates';
import { countsFrom, fullMonth } from './microsoft-csp-monthly';
import { BillingPolicyRules } from './policy';
import { SeatsGivenUp, seatsGivenUpAtEnd, unusedDaysCredit } from './unused-days';

/**
 * `microsoft-nce` (Partner Center new-commerce licences): charged like `microsoft-csp-monthly` (the
 * first month prorated by days in arrears, then every month in advance at the quantity in force on
 * its 1st), except that what is given up inside the 7-day cancellation window (the contract refuses
 * it later) is charged only for the days used: a line cancelled in its first month up to its end
 * date, seats reduced then up to the day before the reduction took effect. A month the invoice had
 * already charged in full on its 1st (a line started on a 1st, or a window that runs into the next
 * month) gets the unused days back on a credit note. The contract refuses a cancellation or
 * reduction after the window, so every one that reaches billing was inside it. A move to another
 * product is charged the same way: the old product up to the day before it, the new one from it.
 */

const daysFrom = (start: string, end: string) => dayOf(end) - dayOf(start) + 1;

/** The first month, on the next month's invoice: from the start to the month's end, or to the end date when the line ended in it. */
function firstMonthUsed(line: BillingLine, month: YearMonth): Charge[] {
  const previous = addMonths(month, -1);
  if (monthOf(line.startDate) !== previous || dayOf(line.startDate) === 1) return [];
  const periodEnd = line.cancellation ? earlier(line.cancellation.endDate, lastDayOf(previous)) : lastDayOf(previous);
  if (periodEnd < line.startDate) return [];
  const monthDays = daysInMonth(previous);
  const days = daysFrom(line.startDate, periodEnd);
  const quantity = quantityOn(line, periodEnd, countsFrom);
  const charges = [
    chargeOf(line, {
      chargeId: chargeIds.prorated(chargeKey(line), previous),
      kind: 'PRORATED',
      description: `${line.productName} ${japaneseMonth(previous)}分 日割 (${dayOf(line.startDate)}日〜${dayOf(periodEnd)}日, ${days}/${monthDays}日)`,
      periodStart: line.startDate,
      periodEnd,
      quantity,
      unitPrice: line.unitPrice,
      amount: Math.floor((line.unitPrice * quantity * days) / monthDays),
    }),
  ];
  // Seats reduced within that month: the days they were used, up to the day before the reduction.
  for (const { change, delta } of seatDeltas(line)) {
    if (delta >= 0 || change.kind !== 'REDUCE' || monthOf(change.effectiveOn) !== previous || change.effectiveOn <= line.startDate || change.effectiveOn > periodEnd) continue;
    const usedUntil = addDays(change.effectiveOn, -1);
    const usedDays = daysFrom(line.startDate, usedUntil);
    charges.push(
      chargeOf(line, {
        chargeId: chargeIds.proratedAdd(chargeKey(line), previous, change.changeId),
        kind: 'PRORATED',
        description: `${line.productName} 減数${-delta}ライセンス ${japaneseMonth(previous)}分 日割 (${dayOf(line.startDate)}日〜${dayOf(usedUntil)}日, ${usedDays}/${monthDays}日)`,
        periodStart: line.startDate,
        periodEnd: usedUntil,
        quantity: -delta,
        unitPrice: line.unitPrice,
        amount: Math.floor((line.unitPrice * -delta * usedDays) / monthDays),
      }),
    );
  }
  return charges;
}

/**
 * Seats given up inside their window — each reduction's, then those a cancellation of the line still
 * held — and the old product's seats when the line moved to another product (charged like it).
 */
function givenUpByDays(line: BillingLine): SeatsGivenUp[] {
  const reductions = seatDeltas(line)
    .filter(({ change, delta }) => change.kind === 'REDUCE' && delta < 0)
    .map(({ change, delta }) => ({ changeId: change.changeId, seats: -delta, firstUnusedDay: change.effectiveOn, confirmedOn: change.confirmedOn, why: `減数${-delta}ライセンス` }));
  const ended = line.cancellation;
  if (!ended || ended.reason === 'TERM_END') return reductions;
  return [...reductions, ...seatsGivenUpAtEnd(line, countsFrom, ended.reason === 'PRODUCT_CHANGE' ? '商品変更' : '解約')];
}

export const microsoftNce: BillingPolicyRules = {
  chargesForMonth: (line, month) => [...firstMonthUsed(line, month), ...fullMonth(line, month)].filter(worthCharging),
  creditsForMonth: (line, month) => givenUpByDays(line).flatMap((givenUp) => unusedDaysCredit(line, givenUp, month)),
};
