import { BillingLine, chargesForMonth, creditsForMonth, proratedAmount } from '../../src/domain';
import { cancellation, change, line, summary } from './lines';

/** Seed 001: Office 365 E1 × 3 at 870 yen, started 2021-07-20. */
const e1 = (overrides: Partial<BillingLine> = {}): BillingLine =>
  line({ lineId: 'l-e1', unitPrice: 870, quantity: 3, placedOn: '2021-07-19', startDate: '2021-07-20', ...overrides });

/** Microsoft 365 Business Basic × 1 at 750 yen (750 is not a multiple of 28, 29, 30 or 31: rounding shows). */
const basic = (startDate: string, overrides: Partial<BillingLine> = {}): BillingLine =>
  line({ lineId: 'l-bb', sku: 'MS-M365-BB', productName: 'Microsoft 365 Business Basic', unitPrice: 750, quantity: 1, placedOn: startDate, startDate, ...overrides });

describe('microsoft-csp-monthly (CP-Web monthly plans)', () => {
  describe('the first month: prorated by days, in arrears on the next invoice', () => {
    it('started 7/20: nothing on the 7/1 invoice; the 8/1 invoice charges 7/20–7/31 (12/31 days, rounded down once) and August in full', () => {
      const given = e1();

      expect(chargesForMonth(given, '2021-07')).toEqual([]);
      expect(chargesForMonth(given, '2021-08')).toEqual([
        {
          chargeId: 'l-e1:PRORATED:2021-07',
          lineId: 'l-e1',
          contractId: 'k-1',
          customerId: 'c-1',
          resellerId: 'r-direct',
          kind: 'PRORATED',
          description: 'Office 365 E1 2021年7月分 日割 (20日〜31日, 12/31日)',
          periodStart: '2021-07-20',
          periodEnd: '2021-07-31',
          quantity: 3,
          unitPrice: 870,
          amount: 1010, // floor(870 × 3 × 12 / 31) = floor(1010.32); per seat and summed it would be 3 × 336 = 1008
        },
        {
          chargeId: 'l-e1:MONTHLY:2021-08',
          lineId: 'l-e1',
          contractId: 'k-1',
          customerId: 'c-1',
          resellerId: 'r-direct',
          kind: 'MONTHLY',
          description: 'Office 365 E1 2021年8月分',
          periodStart: '2021-08-01',
          periodEnd: '2021-08-31',
          quantity: 3,
          unitPrice: 870,
          amount: 2610,
        },
      ]);
    });

    it('then every month in full, in advance, and never the proration again', () => {
      expect(summary(chargesForMonth(e1(), '2021-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2021-09', amount: 2610, quantity: 3 }]);
      expect(summary(chargesForMonth(e1(), '2022-07'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2022-07', amount: 2610, quantity: 3 }]);
    });

    it('started on the 1st: no proration, the month is charged in full on its own invoice', () => {
      const given = basic('2026-06-01');

      expect(summary(chargesForMonth(given, '2026-05'))).toEqual([]);
      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([{ chargeId: 'l-bb:MONTHLY:2026-06', amount: 750, quantity: 1 }]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([{ chargeId: 'l-bb:MONTHLY:2026-07', amount: 750, quantity: 1 }]);
    });

    it('started on the 2nd: 29 of 30 days of June on the 7/1 invoice', () => {
      expect(summary(chargesForMonth(basic('2026-06-02'), '2026-07'))).toEqual([
        { chargeId: 'l-bb:PRORATED:2026-06', amount: 725, quantity: 1 }, // 750 × 29 / 30 = 725
        { chargeId: 'l-bb:MONTHLY:2026-07', amount: 750, quantity: 1 },
      ]);
    });

    it.each([
      ['2026-06-30', '2026-07', 1, 30, 25], // last day of a 30-day month: 750 / 30
      ['2026-07-31', '2026-08', 1, 31, 24], // last day of a 31-day month: 24.19
      ['2026-07-15', '2026-08', 17, 31, 411], // 411.29
      ['2026-02-15', '2026-03', 14, 28, 375], // February 2026 (28 days)
      ['2026-02-28', '2026-03', 1, 28, 26], // 26.79
      ['2028-02-15', '2028-03', 15, 29, 387], // February 2028 (leap, 29 days): 387.93
      ['2024-02-29', '2024-03', 1, 29, 25], // leap day 2024: 25.86
      ['2100-02-28', '2100-03', 1, 28, 26], // 2100 is not leap: 28 days
      ['2026-12-10', '2027-01', 22, 31, 532], // December, on the next year's January invoice: 532.26
    ])('started on %s: the %s invoice prorates %i/%i days, rounded down to %i yen', (startDate, invoiceMonth, days, monthDays, amount) => {
      const charges = chargesForMonth(basic(startDate), invoiceMonth);

      expect(proratedAmount(750, 1, startDate)).toEqual({ days, amount });
      expect(charges[0]).toMatchObject({ kind: 'PRORATED', periodStart: startDate, amount, description: expect.stringContaining(`${days}/${monthDays}日`) });
      expect(charges[1]).toMatchObject({ chargeId: `l-bb:MONTHLY:${invoiceMonth}`, amount: 750 });
    });

    it('the prorated December lands on the next year’s January invoice with December’s id', () => {
      expect(chargesForMonth(basic('2026-12-10'), '2027-01').map((charge) => charge.chargeId)).toEqual(['l-bb:PRORATED:2026-12', 'l-bb:MONTHLY:2027-01']);
      expect(chargesForMonth(basic('2026-12-10'), '2026-12')).toEqual([]);
    });
  });

  describe('the end date (契約終了日): its month is charged in full, nothing after', () => {
    it('ended 9/15: September charged in full on 9/1, nothing on 10/1', () => {
      const given = e1({ startDate: '2026-06-01', cancellation: cancellation('2026-09-10', '2026-09-15') });

      expect(summary(chargesForMonth(given, '2026-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-09', amount: 2610, quantity: 3 }]);
      expect(chargesForMonth(given, '2026-10')).toEqual([]);
      expect(chargesForMonth(given, '2026-11')).toEqual([]);
    });

    it('ended on the last day of September: nothing on 10/1', () => {
      const given = e1({ startDate: '2026-06-01', cancellation: cancellation('2026-09-10', '2026-09-30') });

      expect(chargesForMonth(given, '2026-10')).toEqual([]);
    });

    it('ended on 10/1: October is charged in full', () => {
      const given = e1({ startDate: '2026-06-01', cancellation: cancellation('2026-09-10', '2026-10-01') });

      expect(summary(chargesForMonth(given, '2026-10'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-10', amount: 2610, quantity: 3 }]);
    });

    it('ended on 12/31: nothing on the next year’s January invoice', () => {
      const given = e1({ startDate: '2026-06-01', cancellation: cancellation('2026-12-01', '2026-12-31') });

      expect(summary(chargesForMonth(given, '2026-12'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-12', amount: 2610, quantity: 3 }]);
      expect(chargesForMonth(given, '2027-01')).toEqual([]);
    });

    it('started and ended in the same month: the days from the start are still charged in arrears', () => {
      const given = e1({ cancellation: cancellation('2021-07-25', '2021-07-31') });

      expect(summary(chargesForMonth(given, '2021-08'))).toEqual([{ chargeId: 'l-e1:PRORATED:2021-07', amount: 1010, quantity: 3 }]);
    });

    it('has no credit notes', () => {
      const given = e1({ cancellation: cancellation('2021-07-25', '2021-07-31') });

      expect(creditsForMonth(given, '2021-08')).toEqual([]);
    });
  });

  describe('quantity changes take effect from the next invoice (the quantity in force on its date)', () => {
    const started = (changes: BillingLine['changes']) => e1({ startDate: '2026-06-01', changes });

    it('3 → 1 effective 8/15: August at 3, September at 1', () => {
      const given = started([change('REDUCE', 1, '2026-08-10', '2026-08-15')]);

      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-08', amount: 2610, quantity: 3 }]);
      expect(summary(chargesForMonth(given, '2026-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-09', amount: 870, quantity: 1 }]);
    });

    it('3 → 1 effective on 9/1 itself: September at 1', () => {
      const given = started([change('REDUCE', 1, '2026-08-25', '2026-09-01')]);

      expect(summary(chargesForMonth(given, '2026-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-09', amount: 870, quantity: 1 }]);
    });

    it('adds too: 3 → 5 effective 8/15 is not prorated, September at 5', () => {
      const given = started([change('ADD', 5, '2026-08-15')]);

      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-08', amount: 2610, quantity: 3 }]);
      expect(summary(chargesForMonth(given, '2026-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-09', amount: 4350, quantity: 5 }]);
    });

    it('several changes in order: 3 → 5 → 2', () => {
      const given = started([change('ADD', 5, '2026-08-15'), change('REDUCE', 2, '2026-09-20')]);

      expect(chargesForMonth(given, '2026-09')[0]).toMatchObject({ quantity: 5, amount: 4350 });
      expect(chargesForMonth(given, '2026-10')[0]).toMatchObject({ quantity: 2, amount: 1740 });
    });
  });

  it('charges nothing for a trial (0 yen)', () => {
    const trial = e1({ sku: 'MS-O365-E1-TRIAL', unitPrice: 0, quantity: 25 });

    expect(chargesForMonth(trial, '2021-08')).toEqual([]);
  });

  describe('product change (数量・商品変更, E1 → E3): by days, the old product up to the day before, the new one from it', () => {
    /** E1 × 3 that moved away on `effectiveOn` (billing ends the old product the day before), confirmed that day. */
    const movedAway = (startDate: string, effectiveOn: string, endDate: string, confirmedOn = effectiveOn) =>
      e1({ placedOn: startDate, startDate, cancellation: { ...cancellation(effectiveOn, endDate, confirmedOn, 'ch-e3'), reason: 'PRODUCT_CHANGE' } });
    /** E3 × 3 from `effectiveOn`, on the same contract line. */
    const e3 = (effectiveOn: string) =>
      e1({ sku: 'MS-O365-E3', productName: 'Office 365 E3', unitPrice: 2170, placedOn: '2026-07-01', startDate: effectiveOn, productChangedOn: effectiveOn });

    it('from 09-15 with September invoiced in advance: E1 credited Sep 15–30, E3 charged Sep 15–30 in arrears and October in full', () => {
      const old = movedAway('2026-07-01', '2026-09-15', '2026-09-14');
      expect(summary(chargesForMonth(old, '2026-09'))).toEqual([{ chargeId: 'l-e1:MONTHLY:2026-09', amount: 2610, quantity: 3 }]);
      expect(chargesForMonth(old, '2026-10')).toEqual([]);
      expect(creditsForMonth(old, '2026-09')).toEqual([]);
      const [credit, ...more] = creditsForMonth(old, '2026-10');
      expect(more).toEqual([]);
      // 2,610 − floor(2,610 × 14/30) = 2,610 − 1,218: E1 costs exactly its 14 days.
      expect(credit).toMatchObject({ chargeId: 'l-e1:REFUND:ch-e3', amount: -1392, quantity: 3, periodStart: '2026-09-15', periodEnd: '2026-09-30', refersToChargeId: 'l-e1:MONTHLY:2026-09' });

      expect(summary(chargesForMonth(e3('2026-09-15'), '2026-10'))).toEqual([
        { chargeId: 'l-e1~MS-O365-E3:PRORATED:2026-09', amount: Math.floor((2170 * 3 * 16) / 30), quantity: 3 },
        { chargeId: 'l-e1~MS-O365-E3:MONTHLY:2026-10', amount: 3 * 2170, quantity: 3 },
      ]);
    });

    it('confirmed after the month (back-dated effective date): the credit comes with the run after the confirmation', () => {
      const old = movedAway('2026-07-01', '2026-09-15', '2026-09-14', '2026-10-03');
      expect(creditsForMonth(old, '2026-10')).toEqual([]);
      expect(summary(creditsForMonth(old, '2026-11'))).toEqual([{ chargeId: 'l-e1:REFUND:ch-e3', amount: -1392, quantity: 3 }]);
    });

    it('in the first month (started 08-10, E3 from 08-20): both prorated in arrears on September, each its own days and ids, nothing credited', () => {
      const old = movedAway('2026-08-10', '2026-08-20', '2026-08-19');
      expect(summary(chargesForMonth(old, '2026-09'))).toEqual([{ chargeId: 'l-e1:PRORATED:2026-08', amount: Math.floor((870 * 3 * 10) / 31), quantity: 3 }]);
      expect(chargesForMonth(old, '2026-09')[0]).toMatchObject({ periodStart: '2026-08-10', periodEnd: '2026-08-19' });
      expect(summary(chargesForMonth(e3('2026-08-20'), '2026-09'))).toEqual([
        { chargeId: 'l-e1~MS-O365-E3:PRORATED:2026-08', amount: Math.floor((2170 * 3 * 12) / 31), quantity: 3 },
        { chargeId: 'l-e1~MS-O365-E3:MONTHLY:2026-09', amount: 3 * 2170, quantity: 3 },
      ]);
      expect(creditsForMonth(old, '2026-09')).toEqual([]);
    });

    it('effective on a 1st (09-01): E1 up to August, E3 from September, nothing credited', () => {
      const old = movedAway('2026-07-01', '2026-09-01', '2026-08-31');
      expect(chargesForMonth(old, '2026-09')).toEqual([]);
      expect(creditsForMonth(old, '2026-09')).toEqual([]);
      expect(summary(chargesForMonth(e3('2026-09-01'), '2026-09'))).toEqual([{ chargeId: 'l-e1~MS-O365-E3:MONTHLY:2026-09', amount: 3 * 2170, quantity: 3 }]);
    });

    it('a cancellation is no product change: its month stays charged in full, nothing refunded', () => {
      const cancelled = e1({ placedOn: '2026-07-01', startDate: '2026-07-01', cancellation: cancellation('2026-09-15', '2026-09-14') });
      expect(['2026-09', '2026-10', '2026-11'].flatMap((month) => creditsForMonth(cancelled, month))).toEqual([]);
    });
  });
});
