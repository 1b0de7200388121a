/** Consumption tax rate of domain.md in percent; one rate for every product sold today. */
export const CONSUMPTION_TAX_PERCENT = 10;

/** Tax once on the tax-exclusive total, rounded down to the yen (never per line and summed). Integer maths: no float drift. */
export function taxOn(subtotal: number): number {
  return Math.floor((subtotal * CONSUMPTION_TAX_PERCENT) / 100);
}

export function orderAmounts(lines: { unitPrice: number; quantity: number }[]) {
  const subtotal = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const tax = taxOn(subtotal);
  return { subtotal, tax, total: subtotal + tax };
}
