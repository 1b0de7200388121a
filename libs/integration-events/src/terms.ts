import { BillingPolicy, ProductTerm, TermDuration } from './products';

/**
 * Contract terms (契約期間) as every service computes them: the contract shows the term end and
 * renews it, billing charges it. Business dates ('YYYY-MM-DD') only; arithmetic through Date.UTC,
 * which has no time zone.
 */

const parse = (date: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
};
const format = (time: number) => new Date(time).toISOString().slice(0, 10);
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `date` moved by `months`, clamped to the target month's last day (01-31 + 1 month → 02-28). */
export function addMonthsToDate(date: string, months: number): string {
  const { year, month, day } = parse(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(Date.UTC(targetYear, targetMonth - 1, Math.min(day, daysIn(targetYear, targetMonth))));
}

export function addDaysToDate(date: string, days: number): string {
  const { year, month, day } = parse(date);
  return format(Date.UTC(year, month - 1, day + days));
}

/** StreamOne (stellr-cutoff): ordered on day 1–15 → delivered on the 20th of that month; day 16 or later → the 20th of the next month. */
export function stellrDeliveryDate(placedOn: string): string {
  const { day } = parse(placedOn);
  return `${addMonthsToDate(`${placedOn.slice(0, 7)}-01`, day <= 15 ? 0 : 1).slice(0, 7)}-20`;
}

/** StreamOne: free until the end of the delivery month, charged from the 1st of the month after delivery. */
export function stellrChargingStart(placedOn: string): string {
  return addMonthsToDate(`${stellrDeliveryDate(placedOn).slice(0, 7)}-01`, 1);
}

/** A line's commitment term; an annual StreamOne line of an order placed before terms travelled is one year. */
export function termDurationOf(line: { termDuration?: TermDuration; term?: ProductTerm }): TermDuration | undefined {
  return line.termDuration ?? (line.term === 'annual' ? 'P1Y' : undefined);
}

/** The first term starts with charging: the start date, or StreamOne's charging start (the 1st after delivery). */
export function firstTermStart(line: { billingPolicy: BillingPolicy | string; placedOn: string; startDate: string }): string {
  return line.billingPolicy === 'stellr-cutoff' ? stellrChargingStart(line.placedOn) : line.startDate;
}

/** The last day of a term starting on `termStart`: one month or one year on, less a day (2027-01-01, P1Y → 2027-12-31). */
export function termEndOf(termStart: string, duration: TermDuration): string {
  return addDaysToDate(addMonthsToDate(termStart, duration === 'P1Y' ? 12 : 1), -1);
}

/** New-commerce licences (microsoft-nce): cancellable or reducible within 7 days (168 hours) of the purchase, or of an added seat batch. */
export const NCE_CANCELLATION_WINDOW_DAYS = 7;
