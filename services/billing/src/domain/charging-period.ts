import { BillingLine } from './billing-line';
import { addMonths, lastDayOf, monthOf } from './dates';
import { chargingFrom, firstMonthNotCharged } from './policies/stellr-cutoff';

/**
 * The days a line is charged, by its policy: what the contract list's billing flag shows (greyed out
 * outside it). Open-ended (no `until`) while the line runs on.
 */
export function chargingPeriodOf(line: BillingLine): { from: string; until?: string } {
  const ended = line.cancellation;
  switch (line.billingPolicy) {
    case 'stellr-cutoff': {
      const end = firstMonthNotCharged(line);
      return { from: chargingFrom(line), ...(end ? { until: lastDayOf(addMonths(end, -1)) } : {}) };
    }
    case 'microsoft-csp-monthly':
      // The month of the end date is charged in full; a product the line moved away from, up to the day before the change.
      return { from: line.startDate, ...(ended ? { until: ended.reason === 'PRODUCT_CHANGE' ? ended.endDate : lastDayOf(monthOf(ended.endDate)) } : {}) };
    case 'microsoft-nce':
      // Cancelled inside the window or moved to another product: only the days used (a month charged in advance is credited); a term end's month is charged in full.
      return { from: line.startDate, ...(ended ? { until: ended.reason === 'TERM_END' ? lastDayOf(monthOf(ended.endDate)) : ended.endDate } : {}) };
    default:
      return { from: line.startDate, ...(ended ? { until: ended.endDate } : {}) };
  }
}
