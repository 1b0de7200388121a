import type { Charge } from './charge';

/** Consumption tax in Japan since 2019-10 (the standard rate). */
export const STANDARD_TAX_RATE = 0.1;

export interface InvoiceTotals {
  /** Tax exclusive, integer yen. */
  subtotal: number;
  tax: number;
  total: number;
}

/**
 * Totals of one invoice (or credit note) for one tax rate. Tax is computed once on the taxable total
 * and rounded down to the yen — never per line and summed (qualified-invoice rule; seed 001:
 * 3 × 870 = 2,610 → tax 261 → 2,871). For a credit note (negative subtotal) "down" is towards zero,
 * so the tax returned never exceeds what a sale of the same amount was charged.
 * The rate goes through hundredths of a percent so that float error (2610 × 0.1 = 261.00000000000003,
 * 0.07 × 100 = 7.000000000000001) cannot move the result by a yen.
 */
export function invoiceTotals(charges: readonly Pick<Charge, 'amount'>[], rate = STANDARD_TAX_RATE): InvoiceTotals {
  if (!(rate >= 0)) throw new RangeError(`Not a tax rate: ${rate}`);
  const subtotal = charges.reduce((sum, charge) => sum + charge.amount, 0);
  const basisPoints = Math.round(rate * 10_000);
  const tax = Math.sign(subtotal) * Math.floor((Math.abs(subtotal) * basisPoints) / 10_000);
  return { subtotal, tax: tax + 0, total: subtotal + tax };
}
