import { invoiceTotals, STANDARD_TAX_RATE } from '../../src/domain';

const amounts = (...values: number[]) => values.map((amount) => ({ amount }));

describe('invoice totals: consumption tax once per invoice per rate, rounded down', () => {
  it('seed 001: 3 × 870 = 2,610 → tax 261 → total 2,871', () => {
    expect(invoiceTotals(amounts(3 * 870))).toEqual({ subtotal: 2610, tax: 261, total: 2871 });
  });

  it('uses the standard 10% rate unless told otherwise', () => {
    expect(STANDARD_TAX_RATE).toBe(0.1);
    expect(invoiceTotals(amounts(1000), 0.08)).toEqual({ subtotal: 1000, tax: 80, total: 1080 });
  });

  it('taxes the invoice’s total, never each line rounded and summed (1,005 + 1,005 → 201, not 100 + 100)', () => {
    expect(invoiceTotals(amounts(1005, 1005))).toEqual({ subtotal: 2010, tax: 201, total: 2211 });
  });

  it('rounds down: 4,826 → 482 (482.6)', () => {
    expect(invoiceTotals(amounts(1010, 2610, 336, 870))).toEqual({ subtotal: 4826, tax: 482, total: 5308 });
  });

  it('a credit note rounds towards zero: −1,235 → −123 (never more tax back than a sale of 1,235 paid)', () => {
    expect(invoiceTotals(amounts(-1235))).toEqual({ subtotal: -1235, tax: -123, total: -1358 });
    expect(invoiceTotals(amounts(1235))).toEqual({ subtotal: 1235, tax: 123, total: 1358 });
  });

  it('an empty invoice is zero everywhere (no −0)', () => {
    expect(invoiceTotals([])).toEqual({ subtotal: 0, tax: 0, total: 0 });
    expect(Object.is(invoiceTotals(amounts(-5)).tax, 0)).toBe(true);
  });

  it('is not thrown off by float error in the rate (0.07 × 100 = 7.000000000000001; 0.29 × 100 = 28.999999999999996)', () => {
    expect(invoiceTotals(amounts(100), 0.07).tax).toBe(7);
    expect(invoiceTotals(amounts(100), 0.29).tax).toBe(29);
  });

  it('refuses a rate that is not a number of at least 0', () => {
    expect(() => invoiceTotals(amounts(100), -0.1)).toThrow(RangeError);
    expect(() => invoiceTotals(amounts(100), Number.NaN)).toThrow(RangeError);
  });
});
