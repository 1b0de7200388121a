import { BillingLine, QuantityChange, quantityOn } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf } from '../charge';
import { addDays, addMonths, dayOf, daysInMonth, firstDayOf, IsoDate, japaneseMonth, lastDayOf, later, monthOf, YearMonth } from '../dates';

/**
 * Seats a line stopped using part-way through a month its invoice had already charged in full (in
 * advance, on the 1st), where the policy charges only the days used: the month's charge for those
 * seats less the days used — rounded down once, like every proration — comes back on a credit note
 * (適格返還請求書) that refers to that month's charge.
 */
export interface SeatsGivenUp {
  /** The change, cancellation or product change that gave them up: the credit's identity. */
  changeId: string;
  seats: number;
  /** The first day they were no longer used. */
  firstUnusedDay: IsoDate;
  /** When the contract confirmed it; a reduction known only by its effective date passes none. */
  confirmedOn?: IsoDate;
  /** Why, as the credit note prints it. */
  why: string;
}

/**
 * The run that issues the credit: the month after the last day used, or after the confirmation when
 * that came later — never before the run that invoiced the month (the ledger also holds it back until
 * that invoice exists).
 */
const creditMonthOf = ({ firstUnusedDay, confirmedOn }: SeatsGivenUp): YearMonth => {
  const lastUsedDay = addDays(firstUnusedDay, -1);
  return addMonths(monthOf(confirmedOn ? later(lastUsedDay, confirmedOn) : lastUsedDay), 1);
};

/** The credit `month`'s run issues for `givenUp`, if any. */
export function unusedDaysCredit(line: BillingLine, givenUp: SeatsGivenUp, month: YearMonth): Charge[] {
  const charged = monthOf(givenUp.firstUnusedDay);
  // Given up from a 1st: that month was never charged. A first month started after its 1st is charged in arrears, for the days used only.
  if (dayOf(givenUp.firstUnusedDay) === 1 || line.startDate > firstDayOf(charged) || givenUp.seats <= 0) return [];
  if (creditMonthOf(givenUp) !== month) return [];
  const monthDays = daysInMonth(charged);
  const usedDays = dayOf(givenUp.firstUnusedDay) - 1;
  const full = line.unitPrice * givenUp.seats;
  const unused = full - Math.floor((full * usedDays) / monthDays);
  if (unused === 0) return [];
  return [
    chargeOf(line, {
      chargeId: chargeIds.refund(chargeKey(line), givenUp.changeId),
      kind: 'REFUND',
      description: `${line.productName} ${japaneseMonth(charged)}分 ${givenUp.why} 未使用分返金 (${usedDays + 1}日〜${monthDays}日, ${monthDays - usedDays}/${monthDays}日)`,
      periodStart: givenUp.firstUnusedDay,
      periodEnd: lastDayOf(charged),
      quantity: givenUp.seats,
      unitPrice: line.unitPrice,
      amount: -unused,
      refersToChargeId: chargeIds.monthly(chargeKey(line), charged),
    }),
  ];
}

/**
 * The seats a line held when it ended (a cancellation, a move to another product) among those its
 * end month's invoice charged, given up from the day after its end date. Seats reduced earlier in
 * that month are not among them: their own change answers for them.
 */
export function seatsGivenUpAtEnd(line: BillingLine, countsFrom: (change: QuantityChange) => IsoDate, why: string): SeatsGivenUp[] {
  const ended = line.cancellation;
  if (!ended) return [];
  const seats = Math.min(quantityOn(line, ended.endDate, countsFrom), quantityOn(line, firstDayOf(monthOf(ended.endDate)), countsFrom));
  return [{ changeId: ended.changeId, seats, firstUnusedDay: addDays(ended.endDate, 1), confirmedOn: ended.cancelledOn, why }];
}
