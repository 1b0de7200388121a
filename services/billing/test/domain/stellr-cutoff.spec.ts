import { BillingLine, chargesForMonth, creditsForMonth, stellrChargingStart, stellrDeliveryDate, stellrReductionStart } from '../../src/domain';
import { cancellation, change, line, summary } from './lines';

/** Seed 002: ポケトーク字幕 (月額), 1,100 yen a seat and month, sold through StreamOne Stellr. */
const stellr = (overrides: Partial<BillingLine> = {}): BillingLine =>
  line({
    lineId: 'l-pt',
    sku: 'SN-POCKETALK-CC-M',
    productName: 'ポケトーク字幕 (月額)',
    unitPrice: 1100,
    billingPolicy: 'stellr-cutoff',
    placedOn: '2026-05-15',
    startDate: '2026-05-20',
    quantity: 10,
    ...overrides,
  });

const monthly = (month: string, quantity: number, unitPrice = 1100, lineId = 'l-pt') => ({
  chargeId: `${lineId}:MONTHLY:${month}`,
  amount: unitPrice * quantity,
  quantity,
});

describe('stellr-cutoff (StreamOne Stellr, seed 002)', () => {
  describe('delivery: 15th cut-off, delivered on the 20th', () => {
    it.each([
      ['2026-05-01', '2026-05-20'],
      ['2026-05-15', '2026-05-20'],
      ['2026-05-16', '2026-06-20'],
      ['2026-05-20', '2026-06-20'],
      ['2026-05-31', '2026-06-20'],
      ['2026-12-15', '2026-12-20'],
      ['2026-12-16', '2027-01-20'],
      ['2028-02-29', '2028-03-20'],
    ])('placed on %s → delivered on %s', (placedOn, delivered) => {
      expect(stellrDeliveryDate(placedOn)).toBe(delivered);
    });

    it.each([
      ['2026-05-15', '2026-06-01'],
      ['2026-05-16', '2026-07-01'],
      ['2026-11-16', '2027-01-01'],
      ['2026-12-15', '2027-01-01'],
      ['2026-12-16', '2027-02-01'],
    ])('placed on %s → free until the end of the delivery month, charged from %s', (placedOn, start) => {
      expect(stellrChargingStart(placedOn)).toBe(start);
    });
  });

  describe('first invoice', () => {
    it('placed on 5/15 → delivered 5/20 → first charged on the 6/1 invoice for June (5/21–5/31 free)', () => {
      const given = stellr({ placedOn: '2026-05-15' });

      expect(chargesForMonth(given, '2026-05')).toEqual([]);
      expect(chargesForMonth(given, '2026-06')).toEqual([
        {
          chargeId: 'l-pt:MONTHLY:2026-06',
          lineId: 'l-pt',
          contractId: 'k-1',
          customerId: 'c-1',
          resellerId: 'r-direct',
          kind: 'MONTHLY',
          description: 'ポケトーク字幕 (月額) 2026年6月分',
          periodStart: '2026-06-01',
          periodEnd: '2026-06-30',
          quantity: 10,
          unitPrice: 1100,
          amount: 11000,
        },
      ]);
    });

    it('placed on 5/16 → delivered 6/20 → nothing on the 6/1 invoice, first charged on the 7/1 invoice for July', () => {
      const given = stellr({ placedOn: '2026-05-16', startDate: '2026-06-20' });

      expect(chargesForMonth(given, '2026-06')).toEqual([]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
    });

    it('placed on 12/16 → delivered 1/20 of the next year → first charged on the 2/1 invoice', () => {
      const given = stellr({ placedOn: '2026-12-16', startDate: '2027-01-20' });

      expect(chargesForMonth(given, '2027-01')).toEqual([]);
      expect(summary(chargesForMonth(given, '2027-02'))).toEqual([monthly('2027-02', 10)]);
    });

    it('placed on 11/20 → delivered 12/20 → first charged on the 2027-01-01 invoice (year rollover)', () => {
      const given = stellr({ placedOn: '2026-11-20', startDate: '2026-12-20' });

      expect(chargesForMonth(given, '2026-12')).toEqual([]);
      expect(summary(chargesForMonth(given, '2027-01'))).toEqual([monthly('2027-01', 10)]);
    });

    it('charges from the placement rule even when the contract line was confirmed with a later start date', () => {
      const given = stellr({ placedOn: '2026-05-10', startDate: '2026-06-15' });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 10)]);
    });
  });

  describe('every month after: the whole month in advance, at the quantity in force on its 1st', () => {
    it('charges July, August and the next January in full, each with its own id', () => {
      const given = stellr();

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 10)]);
      expect(summary(chargesForMonth(given, '2027-01'))).toEqual([monthly('2027-01', 10)]);
      expect(chargesForMonth(given, '2027-02')[0]).toMatchObject({ periodStart: '2027-02-01', periodEnd: '2027-02-28' });
      expect(chargesForMonth(given, '2028-02')[0]).toMatchObject({ periodStart: '2028-02-01', periodEnd: '2028-02-29' });
    });

    it('computes the same charge again with the same id, so a rerun charges nothing twice', () => {
      expect(chargesForMonth(stellr(), '2026-07')).toEqual(chargesForMonth(stellr(), '2026-07'));
    });

    it('never has a credit note: no refunds', () => {
      const given = stellr({ cancellation: cancellation('2026-06-10', '2026-06-30') });

      for (const month of ['2026-06', '2026-07', '2026-08']) expect(creditsForMonth(given, month)).toEqual([]);
    });
  });

  describe('reductions: 20 days before a month end (返金無し)', () => {
    it.each([
      ['2026-06-10', '2026-07-01'], // June: 30 − 20 = 10
      ['2026-06-11', '2026-08-01'],
      ['2026-07-11', '2026-08-01'], // July: 31 − 20 = 11
      ['2026-07-12', '2026-09-01'],
      ['2026-02-08', '2026-03-01'], // February 2026: 28 − 20 = 8
      ['2026-02-09', '2026-04-01'],
      ['2028-02-09', '2028-03-01'], // February 2028 (leap): 29 − 20 = 9
      ['2028-02-10', '2028-04-01'],
      ['2100-02-08', '2100-03-01'], // 2100 is not leap: 28 − 20 = 8
      ['2100-02-09', '2100-04-01'],
      ['2026-12-11', '2027-01-01'], // December: 31 − 20 = 11, over the year end
      ['2026-12-12', '2027-02-01'],
      ['2026-06-01', '2026-07-01'],
      ['2026-06-30', '2026-08-01'],
    ])('requested on %s → applies from %s', (requestedOn, from) => {
      expect(stellrReductionStart(requestedOn)).toBe(from);
    });

    it('a reduction 10 → 5 for 7/1 requested by 6/10: June invoiced at 10, July at 5', () => {
      const given = stellr({ changes: [change('REDUCE', 5, '2026-06-10')] });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 10)]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 5)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 5)]);
    });

    it('a reduction requested on 6/11 misses the deadline: July still at 10, from 8/1 at 5', () => {
      const given = stellr({ changes: [change('REDUCE', 5, '2026-06-11')] });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 5)]);
    });

    it('seed 002 "reduced 10 → 5 on 5/15, June invoiced at 5" contradicts its deadline (5/11 for June): the deadline wins, June at 10', () => {
      const given = stellr({ placedOn: '2026-04-10', changes: [change('REDUCE', 5, '2026-05-15')] });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 10)]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 5)]);
    });

    it('never counts a reduction before the contract says it is in force (confirmed late)', () => {
      const given = stellr({ changes: [change('REDUCE', 5, '2026-06-05', '2026-07-03')] });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 5)]);
    });

    it('a reduction in December by the 11th applies on the next year’s January invoice', () => {
      const given = stellr({ changes: [change('REDUCE', 3, '2026-12-11')] });

      expect(summary(chargesForMonth(given, '2026-12'))).toEqual([monthly('2026-12', 10)]);
      expect(summary(chargesForMonth(given, '2027-01'))).toEqual([monthly('2027-01', 3)]);
    });
  });

  describe('cancellations: 20 days before a month end, no refunds', () => {
    it('cancelled at the end of June, requested by 6/10: June charged, no July charge, nothing after', () => {
      const given = stellr({ cancellation: cancellation('2026-06-10', '2026-06-30') });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 10)]);
      expect(chargesForMonth(given, '2026-07')).toEqual([]);
      expect(chargesForMonth(given, '2026-08')).toEqual([]);
    });

    it('cancelled at the end of June but requested on 6/11: the vendor bills July (no refunds), nothing from August', () => {
      const given = stellr({ cancellation: cancellation('2026-06-11', '2026-06-30') });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
      expect(chargesForMonth(given, '2026-08')).toEqual([]);
    });

    it('an end date in the middle of a month ends charging after that month (the month was paid in advance)', () => {
      const given = stellr({ cancellation: cancellation('2026-06-01', '2026-07-15') });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 10)]);
      expect(chargesForMonth(given, '2026-08')).toEqual([]);
    });

    it('cancelled before charging started (placed 5/16, cancelled by 6/10 at the end of June): never charged', () => {
      const given = stellr({ placedOn: '2026-05-16', cancellation: cancellation('2026-06-05', '2026-06-30') });

      for (const month of ['2026-05', '2026-06', '2026-07', '2026-08']) expect(chargesForMonth(given, month)).toEqual([]);
    });

    it('cancelled at the end of December by 12/11: December charged, nothing on the next year’s invoices', () => {
      const given = stellr({ cancellation: cancellation('2026-12-11', '2026-12-31') });

      expect(summary(chargesForMonth(given, '2026-12'))).toEqual([monthly('2026-12', 10)]);
      expect(chargesForMonth(given, '2027-01')).toEqual([]);
    });
  });

  describe('added seats follow the placement rule from their own request date (追加購入時も同様)', () => {
    const base = { placedOn: '2026-05-10', quantity: 2 };

    it('2 → 5 requested on 6/15 → delivered 6/20 → 5 seats from the 7/1 invoice', () => {
      const given = stellr({ ...base, changes: [change('ADD', 5, '2026-06-15')] });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 2)]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 5)]);
    });

    it('2 → 5 requested on 6/16 → delivered 7/20 → July still at 2, 5 seats from the 8/1 invoice', () => {
      const given = stellr({ ...base, changes: [change('ADD', 5, '2026-06-16')] });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 2)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 5)]);
    });

    it('an add counts by its own date even when a reduction confirmed before it counts later', () => {
      // 10 → 5 requested 6/11 (from 8/1), then 5 → 8 requested 6/12 (delivered 6/20, from 7/1): +3 in July, −5 in August.
      const given = stellr({ changes: [change('REDUCE', 5, '2026-06-11'), change('ADD', 8, '2026-06-12')] });

      expect(summary(chargesForMonth(given, '2026-06'))).toEqual([monthly('2026-06', 10)]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([monthly('2026-07', 13)]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 8)]);
    });
    it('never charges fewer than 0 seats when a reduction confirmed later counts before an add confirmed earlier', () => {
      // 2 → 10 requested 6/16 (delivered 7/20, counts from 8/1), then 10 → 1 requested 6/05 (counts from 7/1): July 2 − 9 → nothing, August 1.
      const given = stellr({ placedOn: '2026-05-10', quantity: 2, changes: [change('ADD', 10, '2026-06-16'), change('REDUCE', 1, '2026-06-05', '2026-06-20')] });

      expect(chargesForMonth(given, '2026-07')).toEqual([]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([monthly('2026-08', 1)]);
    });
  });

  describe('annual term, annual payment (年契約年払い)', () => {
    /** ポケトーク同時通訳 (年額), 24,710 yen a seat and year; placed 3/21 → delivered 4/20 → charged from 5/1. */
    const annual = (overrides: Partial<BillingLine> = {}) =>
      stellr({
        lineId: 'l-yr',
        sku: 'SN-POCKETALK-SI-Y',
        productName: 'ポケトーク同時通訳(年額サブスクリプション)シリアルコード',
        unitPrice: 24710,
        term: 'annual',
        placedOn: '2024-03-21',
        startDate: '2024-04-20',
        quantity: 1,
        ...overrides,
      });

    it('invoices 12 months on the charging start month’s 1st, at the yearly price', () => {
      expect(chargesForMonth(annual(), '2024-04')).toEqual([]);
      expect(chargesForMonth(annual(), '2024-05')).toEqual([
        expect.objectContaining({
          chargeId: 'l-yr:ANNUAL:2024-05',
          kind: 'ANNUAL',
          description: 'ポケトーク同時通訳(年額サブスクリプション)シリアルコード 2024年5月〜2025年4月分 (年額)',
          periodStart: '2024-05-01',
          periodEnd: '2025-04-30',
          quantity: 1,
          unitPrice: 24710,
          amount: 24710,
        }),
      ]);
    });

    it('then nothing until the anniversary month, which invoices the next 12 months', () => {
      for (const month of ['2024-06', '2024-12', '2025-01', '2025-04']) expect(chargesForMonth(annual(), month)).toEqual([]);
      expect(summary(chargesForMonth(annual(), '2025-05'))).toEqual([{ chargeId: 'l-yr:ANNUAL:2025-05', amount: 24710, quantity: 1 }]);
      expect(chargesForMonth(annual(), '2026-05')[0]).toMatchObject({ periodStart: '2026-05-01', periodEnd: '2027-04-30' });
    });

    it('a reduction takes effect at the next anniversary (the year was paid, no refunds)', () => {
      const given = annual({ quantity: 3, changes: [change('REDUCE', 1, '2024-09-01')] });

      expect(chargesForMonth(given, '2024-10')).toEqual([]);
      expect(summary(chargesForMonth(given, '2025-05'))).toEqual([{ chargeId: 'l-yr:ANNUAL:2025-05', amount: 24710, quantity: 1 }]);
    });

    it('cancelled before the anniversary: the next year is not invoiced', () => {
      const given = annual({ cancellation: cancellation('2025-03-05', '2025-04-30') });

      expect(chargesForMonth(given, '2025-05')).toEqual([]);
    });

    it('seats added mid-year are charged up to the anniversary by whole months (co-terming), then with the year', () => {
      // 1 → 3 requested 8/5 → delivered 8/20 → counts from 9/1: September … April = 8 months → floor(24710 × 2 × 8 / 12) = 32946.
      const given = annual({ changes: [change('ADD', 3, '2024-08-05', '2024-08-05', 'ch-add')] });

      expect(chargesForMonth(given, '2024-08')).toEqual([]);
      expect(chargesForMonth(given, '2024-09')).toEqual([
        expect.objectContaining({
          chargeId: 'l-yr:PRORATED:2024-09:ch-add',
          kind: 'PRORATED',
          periodStart: '2024-09-01',
          periodEnd: '2025-04-30',
          quantity: 2,
          unitPrice: 24710,
          amount: 32946,
        }),
      ]);
      expect(chargesForMonth(given, '2024-10')).toEqual([]);
      expect(summary(chargesForMonth(given, '2025-05'))).toEqual([{ chargeId: 'l-yr:ANNUAL:2025-05', amount: 74130, quantity: 3 }]);
    });

    it('seats added so that they count from an anniversary month are in that year’s charge only', () => {
      const given = annual({ changes: [change('ADD', 2, '2025-04-10')] });

      expect(summary(chargesForMonth(given, '2025-05'))).toEqual([{ chargeId: 'l-yr:ANNUAL:2025-05', amount: 49420, quantity: 2 }]);
    });

    it('seats added before charging starts are in the first year’s charge', () => {
      const given = annual({ changes: [change('ADD', 2, '2024-04-01')] });

      expect(summary(chargesForMonth(given, '2024-05'))).toEqual([{ chargeId: 'l-yr:ANNUAL:2024-05', amount: 49420, quantity: 2 }]);
    });
  });

  it('charges nothing for a 0-yen line', () => {
    expect(chargesForMonth(stellr({ unitPrice: 0 }), '2026-06')).toEqual([]);
  });

  it('a product change applies from a 1st (StreamOne bills whole months): effective 09-15, the old product through September, the new one from October, no deadline and no refund', () => {
    // Requested 09-14, after September's 20-day deadline (09-10): a product change is no reduction, so October is not charged twice.
    const old = stellr({ cancellation: { ...cancellation('2026-09-14', '2026-09-14', '2026-09-15', 'ch-up'), reason: 'PRODUCT_CHANGE' } });
    const upgraded = stellr({ sku: 'SN-UPGRADED', unitPrice: 1500, startDate: '2026-09-15', productChangedOn: '2026-09-15' });
    expect(summary(chargesForMonth(old, '2026-09'))).toEqual([monthly('2026-09', 10)]);
    expect(chargesForMonth(old, '2026-10')).toEqual([]);
    expect(chargesForMonth(upgraded, '2026-09')).toEqual([]);
    expect(summary(chargesForMonth(upgraded, '2026-10'))).toEqual([monthly('2026-10', 10, 1500, 'l-pt~SN-UPGRADED')]);
    expect(['2026-09', '2026-10'].flatMap((month) => creditsForMonth(old, month))).toEqual([]);
  });
});
