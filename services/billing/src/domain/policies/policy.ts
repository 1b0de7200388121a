import type { BillingLine, UsageRecord } from '../billing-line';
import type { Charge } from '../charge';
import type { YearMonth } from '../dates';

/**
 * How one billing policy charges a line. Both functions are pure and total: called for any month,
 * they answer what the invoice (or credit note) of that month holds for the line, nothing else, so a
 * run for a month can be repeated and a later month never depends on what earlier runs did.
 */
export interface BillingPolicyRules {
  /** The invoice of `month` (dated `month`-01): what it charges for `line`. */
  chargesForMonth(line: BillingLine, month: YearMonth, usage: readonly UsageRecord[]): Charge[];
  /** The credit notes of `month`'s billing run for `line` (REFUND charges, negative amounts). */
  creditsForMonth(line: BillingLine, month: YearMonth): Charge[];
}

export const noCredits = (): Charge[] => [];
