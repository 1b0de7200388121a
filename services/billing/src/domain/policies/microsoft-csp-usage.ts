import { BillingLine, UsageRecord } from '../billing-line';
import { Charge, chargeIds, chargeKey, chargeOf, worthCharging } from '../charge';
import { addMonths, firstDayOf, lastDayOf, monthOf, YearMonth } from '../dates';
import { BillingPolicyRules, noCredits } from './policy';

/**
 * `microsoft-csp-usage` (Azure plan): no fixed charge. Usage is only known once the month is over, so
 * the invoice of month M charges the imported usage of month M−1 (in arrears, like a proration), one
 * charge per imported record. Without records it charges nothing.
 */

/** Usage after the month the line ended in cannot be the line's: never charge a month after the end. */
const withinLine = (line: BillingLine, record: UsageRecord): boolean =>
  line.cancellation === undefined || record.month <= monthOf(line.cancellation.endDate);

function usageCharges(line: BillingLine, month: YearMonth, usage: readonly UsageRecord[]): Charge[] {
  const usageMonth = addMonths(month, -1);
  return usage
    .filter((record) => record.lineId === line.lineId && record.month === usageMonth && withinLine(line, record))
    .map((record) =>
      chargeOf(line, {
        chargeId: chargeIds.usage(chargeKey(line), usageMonth, record.usageId),
        kind: 'USAGE',
        description: record.description,
        periodStart: firstDayOf(usageMonth),
        periodEnd: lastDayOf(usageMonth),
        quantity: 1,
        unitPrice: record.amount,
        amount: record.amount,
      }),
    )
    .filter(worthCharging);
}

export const microsoftCspUsage: BillingPolicyRules = {
  chargesForMonth: usageCharges,
  creditsForMonth: noCredits,
};
