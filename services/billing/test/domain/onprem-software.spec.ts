import { BillingLine, chargesForMonth, creditsForMonth, invoiceTotals, refundWindowEnd } from '../../src/domain';
import { cancellation, change, line, summary } from './lines';

/** Windows Server 2022 Standard, 120,000 yen, refund window 30 days, started 6/10. */
const software = (overrides: Partial<BillingLine> = {}): BillingLine =>
  line({
    lineId: 'l-ws',
    sku: 'MS-WINSRV-2022-STD',
    productName: 'Windows Server 2022 Standard',
    unitPrice: 120000,
    billingPolicy: 'onprem-software',
    refundWindowDays: 30,
    placedOn: '2026-06-10',
    startDate: '2026-06-10',
    quantity: 1,
    ...overrides,
  });

/** SQL Server 2019 Standard (legacy, 60-day window), 200,000 yen. */
const legacy = (overrides: Partial<BillingLine> = {}): BillingLine =>
  software({ lineId: 'l-sql', sku: 'MS-SQLSRV-2019-STD-LEGACY', productName: 'SQL Server 2019 Standard', unitPrice: 200000, refundWindowDays: 60, ...overrides });

describe('onprem-software (CSP on-premises software, seed 003)', () => {
  describe('one-time charge on the start date, invoiced on the next 1st', () => {
    it('started 6/10: nothing on the 6/1 invoice, the whole purchase on the 7/1 invoice, nothing after', () => {
      expect(chargesForMonth(software(), '2026-06')).toEqual([]);
      expect(chargesForMonth(software(), '2026-07')).toEqual([
        {
          chargeId: 'l-ws:ONE_TIME',
          lineId: 'l-ws',
          contractId: 'k-1',
          customerId: 'c-1',
          resellerId: 'r-direct',
          kind: 'ONE_TIME',
          description: 'Windows Server 2022 Standard',
          periodStart: '2026-06-10',
          periodEnd: '2026-06-10',
          quantity: 1,
          unitPrice: 120000,
          amount: 120000,
        },
      ]);
      expect(chargesForMonth(software(), '2026-08')).toEqual([]);
      expect(chargesForMonth(software(), '2027-07')).toEqual([]);
    });

    it('started on the 1st: still invoiced on the next 1st (the invoice of M holds what started in M−1)', () => {
      expect(chargesForMonth(software({ startDate: '2026-06-01' }), '2026-06')).toEqual([]);
      expect(summary(chargesForMonth(software({ startDate: '2026-06-01' }), '2026-07'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 120000, quantity: 1 }]);
    });

    it('started on 12/31: on the next year’s January invoice', () => {
      const given = software({ startDate: '2026-12-31' });

      expect(chargesForMonth(given, '2026-12')).toEqual([]);
      expect(summary(chargesForMonth(given, '2027-01'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 120000, quantity: 1 }]);
    });

    it('charges unit price × quantity', () => {
      expect(summary(chargesForMonth(software({ quantity: 3 }), '2026-07'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 360000, quantity: 3 }]);
    });
  });

  describe('cancelled within the refund window → a credit note for 100%, referring to the one-time charge', () => {
    it('the window ends start date + window days (6/10 + 30 days = 7/10)', () => {
      expect(refundWindowEnd(software())).toBe('2026-07-10');
      expect(refundWindowEnd(legacy())).toBe('2026-08-09');
      expect(refundWindowEnd(software({ refundWindowDays: undefined }))).toBeUndefined();
    });

    it('requested on the last day of the window (7/10), confirmed 7/12: the August run issues the credit note', () => {
      const given = software({ cancellation: cancellation('2026-07-10', '2026-07-12', '2026-07-12', 'ch-9') });

      expect(creditsForMonth(given, '2026-07')).toEqual([]);
      expect(creditsForMonth(given, '2026-08')).toEqual([
        {
          chargeId: 'l-ws:REFUND:ch-9',
          lineId: 'l-ws',
          contractId: 'k-1',
          customerId: 'c-1',
          resellerId: 'r-direct',
          kind: 'REFUND',
          description: 'Windows Server 2022 Standard 返品 (購入の取消, 100%返金)',
          periodStart: '2026-06-10',
          periodEnd: '2026-06-10',
          quantity: 1,
          unitPrice: 120000,
          amount: -120000,
          refersToChargeId: 'l-ws:ONE_TIME',
        },
      ]);
      expect(creditsForMonth(given, '2026-09')).toEqual([]);
    });

    it('the sale is still invoiced as it was: the credit note is a document of its own', () => {
      const given = software({ cancellation: cancellation('2026-07-10', '2026-07-12') });

      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 120000, quantity: 1 }]);
      expect(chargesForMonth(given, '2026-08')).toEqual([]);
      expect(invoiceTotals(creditsForMonth(given, '2026-08'))).toEqual({ subtotal: -120000, tax: -12000, total: -132000 });
    });

    it('cancelled before the sale was invoiced (6/20): the 7/1 run invoices the sale and issues its credit note', () => {
      const given = software({ cancellation: cancellation('2026-06-20', '2026-06-20') });

      expect(creditsForMonth(given, '2026-06')).toEqual([]);
      expect(summary(chargesForMonth(given, '2026-07'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 120000, quantity: 1 }]);
      expect(summary(creditsForMonth(given, '2026-07'))).toEqual([{ chargeId: 'l-ws:REFUND:ch-cancel', amount: -120000, quantity: 1 }]);
    });

    it('a line with a future start (7/15) cancelled on 6/20: the credit note waits for the run that invoices the sale (8/1)', () => {
      const given = software({ startDate: '2026-07-15', cancellation: cancellation('2026-06-20', '2026-06-20') });

      expect(creditsForMonth(given, '2026-07')).toEqual([]);
      expect(summary(chargesForMonth(given, '2026-08'))).toEqual([{ chargeId: 'l-ws:ONE_TIME', amount: 120000, quantity: 1 }]);
      expect(summary(creditsForMonth(given, '2026-08'))).toEqual([{ chargeId: 'l-ws:REFUND:ch-cancel', amount: -120000, quantity: 1 }]);
    });

    it('requested one day after the window (7/11): no credit (provisioning refuses such a cancellation)', () => {
      const given = software({ cancellation: cancellation('2026-07-11', '2026-07-12') });

      for (const month of ['2026-07', '2026-08', '2026-09']) expect(creditsForMonth(given, month)).toEqual([]);
    });

    it('legacy 60-day window: day 60 (8/9) refunded, day 61 (8/10) not', () => {
      const inWindow = legacy({ cancellation: cancellation('2026-08-09', '2026-08-09') });
      const late = legacy({ cancellation: cancellation('2026-08-10', '2026-08-10') });

      expect(summary(creditsForMonth(inWindow, '2026-09'))).toEqual([{ chargeId: 'l-sql:REFUND:ch-cancel', amount: -200000, quantity: 1 }]);
      expect(creditsForMonth(late, '2026-09')).toEqual([]);
    });

    it('a product without a refund window is never refunded', () => {
      const given = software({ refundWindowDays: undefined, cancellation: cancellation('2026-06-11', '2026-06-11') });

      expect(creditsForMonth(given, '2026-07')).toEqual([]);
    });

    it('a window that crosses the year end: started 12/15, requested 1/14 (day 30), credited on the February run', () => {
      const given = software({ startDate: '2026-12-15', cancellation: cancellation('2027-01-14', '2027-01-20') });

      expect(refundWindowEnd(given)).toBe('2027-01-14');
      expect(summary(creditsForMonth(given, '2027-02'))).toEqual([{ chargeId: 'l-ws:REFUND:ch-cancel', amount: -120000, quantity: 1 }]);
    });

    it('a partial cancellation (3 → 1) and then the rest: each refunded for the seats it cancelled, 100% in all', () => {
      const given = software({
        quantity: 3,
        changes: [change('REDUCE', 1, '2026-06-20', '2026-06-25', 'ch-part')],
        cancellation: cancellation('2026-07-05', '2026-07-08', '2026-07-08', 'ch-rest'),
      });

      expect(summary(creditsForMonth(given, '2026-07'))).toEqual([{ chargeId: 'l-ws:REFUND:ch-part', amount: -240000, quantity: 2 }]);
      expect(summary(creditsForMonth(given, '2026-08'))).toEqual([{ chargeId: 'l-ws:REFUND:ch-rest', amount: -120000, quantity: 1 }]);
    });

    it('credits never appear among the invoice’s charges', () => {
      const given = software({ cancellation: cancellation('2026-06-20', '2026-06-20') });

      for (const month of ['2026-06', '2026-07', '2026-08']) expect(chargesForMonth(given, month).filter((charge) => charge.kind === 'REFUND')).toEqual([]);
    });
  });
});
