import type { BillingLine, UsageRecord } from './billing-line';
import type { Charge } from './charge';
import { addMonths, assertMonth, earlier, monthOf, monthsBetween, YearMonth } from './dates';
import { policyFor } from './policies';

/**
 * What the invoice for `month` (dated `month`-01) charges for `line`, per domain.md: the full month M
 * of a line charged from M-01 or earlier and not ended before it (at the quantity in force on M-01),
 * in arrears the prorated part of M−1, one-time charges of M−1 and (usage lines) the usage of M−1.
 * Credits are not in here: they go on a credit note (`creditsForMonth`), a document of its own.
 * Throws for an unknown billing policy.
 */
export function chargesForMonth(line: BillingLine, month: YearMonth, usage: readonly UsageRecord[] = []): Charge[] {
  return policyFor(line.billingPolicy).chargesForMonth(line, assertMonth(month), usage);
}

/** The credit notes (REFUND charges, negative amounts) `month`'s billing run issues for `line`. */
export function creditsForMonth(line: BillingLine, month: YearMonth): Charge[] {
  return policyFor(line.billingPolicy).creditsForMonth(line, assertMonth(month));
}

/** The first invoice month that can hold anything for the line: no policy charges before placement or start. */
export const firstInvoiceMonth = (line: BillingLine): YearMonth => monthOf(earlier(line.placedOn, line.startDate));

export interface ScheduledMonth {
  month: YearMonth;
  charges: Charge[];
  credits: Charge[];
}

/**
 * The line's billing schedule: every invoice month from its first one through `throughMonth` that
 * charges or credits something. A run for a month issues that month's entry minus the charge ids
 * already invoiced; calling it through the current month also finds the earlier months' charges of a
 * line confirmed late with a back-dated start.
 */
export function billingSchedule(line: BillingLine, throughMonth: YearMonth, usage: readonly UsageRecord[] = []): ScheduledMonth[] {
  const first = firstInvoiceMonth(line);
  const schedule: ScheduledMonth[] = [];
  for (let offset = 0; offset <= monthsBetween(first, assertMonth(throughMonth)); offset++) {
    const month = addMonths(first, offset);
    const charges = chargesForMonth(line, month, usage);
    const credits = creditsForMonth(line, month);
    if (charges.length || credits.length) schedule.push({ month, charges, credits });
  }
  return schedule;
}
