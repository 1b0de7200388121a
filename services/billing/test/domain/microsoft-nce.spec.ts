import { BillingLine, chargesForMonth, creditsForMonth } from '../../src/domain';
import { cancellation, change, line, summary } from './lines';

/** Microsoft 365 Business Premium (NCE, monthly term) × 1 at 2,750 yen, started 2027-01-10. */
const premium = (overrides: Partial<BillingLine> = {}): BillingLine =>
  line({
    lineId: 'l-bp',
    sku: 'MS-M365-BP-NCE-M',
    productName: 'Microsoft 365 Business Premium (NCE, 月間契約)',
    unitPrice: 2750,
    billingPolicy: 'microsoft-nce',
    quantity: 1,
    placedOn: '2027-01-10',
    startDate: '2027-01-10',
    ...overrides,
  });

describe('microsoft-nce (new-commerce licences)', () => {
  it('runs like a monthly plan: February charges Jan 10–31 in arrears (22/31) and February in full', () => {
    expect(summary(chargesForMonth(premium(), '2027-02'))).toEqual([
      { chargeId: 'l-bp:PRORATED:2027-01', amount: Math.floor((2750 * 22) / 31), quantity: 1 },
      { chargeId: 'l-bp:MONTHLY:2027-02', amount: 2750, quantity: 1 },
    ]);
  });

  it('cancelled inside the window (started 01-10, ended 01-15): February charges only Jan 10–15, floor(2,750 × 6/31) = 532', () => {
    const charges = chargesForMonth(premium({ cancellation: cancellation('2027-01-15', '2027-01-15') }), '2027-02');
    expect(summary(charges)).toEqual([{ chargeId: 'l-bp:PRORATED:2027-01', amount: 532, quantity: 1 }]);
    expect(charges[0]).toMatchObject({ periodStart: '2027-01-10', periodEnd: '2027-01-15' });
    expect(chargesForMonth(premium({ cancellation: cancellation('2027-01-15', '2027-01-15') }), '2027-03')).toEqual([]);
  });

  it('seats reduced inside the window: the seats kept for the month, the seats given up for the days used', () => {
    const given = premium({ quantity: 5, changes: [change('REDUCE', 3, '2027-01-13')] });
    expect(summary(chargesForMonth(given, '2027-02'))).toEqual([
      { chargeId: 'l-bp:PRORATED:2027-01', amount: Math.floor((2750 * 3 * 22) / 31), quantity: 3 },
      { chargeId: 'l-bp:PRORATED:2027-01:ch-reduce-2027-01-13', amount: Math.floor((2750 * 2 * 3) / 31), quantity: 2 },
      { chargeId: 'l-bp:MONTHLY:2027-02', amount: 2750 * 3, quantity: 3 },
    ]);
  });

  describe('given up inside the window of a month already charged in full (in advance, on its 1st)', () => {
    /** × 3 from 2026-11-01: the November invoice (dated 11-01) charges the whole month before anyone can cancel. */
    const fromNovember = (overrides: Partial<BillingLine> = {}) => premium({ quantity: 3, placedOn: '2026-11-01', startDate: '2026-11-01', ...overrides });

    it('1 of 3 seats cancelled with end date 11-05: November stays 3 × 2,750, December charges 2 and credits Nov 6–30 of the seat: 2,750 − floor(2,750 × 5/30)', () => {
      // A partial 解約 reaches billing as a reduction from the day after its end date.
      const given = fromNovember({ changes: [{ ...change('REDUCE', 2, '2026-11-05', '2026-11-06'), confirmedOn: '2026-11-05' }] });
      expect(summary(chargesForMonth(given, '2026-11'))).toEqual([{ chargeId: 'l-bp:MONTHLY:2026-11', amount: 3 * 2750, quantity: 3 }]);
      expect(summary(chargesForMonth(given, '2026-12'))).toEqual([{ chargeId: 'l-bp:MONTHLY:2026-12', amount: 2 * 2750, quantity: 2 }]);
      const [credit, ...more] = creditsForMonth(given, '2026-12');
      expect(more).toEqual([]);
      expect(credit).toMatchObject({
        chargeId: 'l-bp:REFUND:ch-reduce-2026-11-05',
        kind: 'REFUND',
        quantity: 1,
        amount: -(2750 - Math.floor((2750 * 5) / 30)),
        periodStart: '2026-11-06',
        periodEnd: '2026-11-30',
        refersToChargeId: 'l-bp:MONTHLY:2026-11',
      });
      expect(credit.amount).toBe(-2292);
      expect(creditsForMonth(given, '2026-11')).toEqual([]);
      expect(creditsForMonth(given, '2027-01')).toEqual([]);
    });

    it('the whole line cancelled 11-05: nothing from December, which credits the 3 seats for Nov 6–30', () => {
      const given = fromNovember({ cancellation: cancellation('2026-11-05', '2026-11-05') });
      expect(chargesForMonth(given, '2026-12')).toEqual([]);
      expect(summary(creditsForMonth(given, '2026-12'))).toEqual([{ chargeId: 'l-bp:REFUND:ch-cancel', amount: -(8250 - Math.floor((8250 * 5) / 30)), quantity: 3 }]);
    });

    it('a window that runs into the next month (started 01-28, ended 02-02): February charges Jan 28–31 and February; March credits Feb 3–28', () => {
      const given = premium({ placedOn: '2027-01-28', startDate: '2027-01-28', cancellation: cancellation('2027-02-02', '2027-02-02') });
      expect(summary(chargesForMonth(given, '2027-02'))).toEqual([
        { chargeId: 'l-bp:PRORATED:2027-01', amount: Math.floor((2750 * 4) / 31), quantity: 1 },
        { chargeId: 'l-bp:MONTHLY:2027-02', amount: 2750, quantity: 1 },
      ]);
      expect(chargesForMonth(given, '2027-03')).toEqual([]);
      expect(summary(creditsForMonth(given, '2027-03'))).toEqual([{ chargeId: 'l-bp:REFUND:ch-cancel', amount: -(2750 - Math.floor((2750 * 2) / 28)), quantity: 1 }]);
    });

    it('confirmed only after the month ended (back-dated end date): the credit comes with the run after the confirmation', () => {
      const given = fromNovember({ cancellation: cancellation('2026-11-05', '2026-11-05', '2026-12-03') });
      expect(creditsForMonth(given, '2026-12')).toEqual([]);
      expect(summary(creditsForMonth(given, '2027-01'))).toEqual([{ chargeId: 'l-bp:REFUND:ch-cancel', amount: -6875, quantity: 3 }]);
    });

    it('a term that ends with auto-renew off is no window cancellation: its last month is charged in full, nothing credited', () => {
      const given = fromNovember({ cancellation: { ...cancellation('2026-11-10', '2026-11-30'), reason: 'TERM_END' } });
      expect(summary(chargesForMonth(given, '2026-11'))).toEqual([{ chargeId: 'l-bp:MONTHLY:2026-11', amount: 8250, quantity: 3 }]);
      const midMonth = premium({ startDate: '2026-10-15', placedOn: '2026-10-15', cancellation: { ...cancellation('2026-11-01', '2026-11-14'), reason: 'TERM_END' } });
      expect(creditsForMonth(midMonth, '2026-12')).toEqual([]);
    });
  });
});
