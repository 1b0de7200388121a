import { BillingLine, chargesForMonth } from '../../src/domain';
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
});
