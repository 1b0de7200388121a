import { BillingLine, chargesForMonth, creditsForMonth, UsageRecord } from '../../src/domain';
import { cancellation, line, summary } from './lines';

/** Azure プラン, started 6/10: no fixed charge. */
const azure = (overrides: Partial<BillingLine> = {}): BillingLine =>
  line({ lineId: 'l-az', sku: 'MS-AZURE-PLAN', productName: 'Azure プラン', unitPrice: 0, billingPolicy: 'microsoft-csp-usage', startDate: '2026-06-10', ...overrides });

const usage = (month: string, amount: number, usageId = `u-${month}`, lineId = 'l-az'): UsageRecord => ({
  usageId,
  lineId,
  month,
  amount,
  description: `Azure プラン ${month} ご利用分`,
});

describe('microsoft-csp-usage (Azure plan)', () => {
  it('charges nothing without imported usage, in any month', () => {
    for (const month of ['2026-06', '2026-07', '2027-01']) expect(chargesForMonth(azure(), month)).toEqual([]);
  });

  it('charges June’s usage on the 7/1 invoice (in arrears), one charge per imported record', () => {
    const records = [usage('2026-06', 12345, 'u-vm'), usage('2026-06', 678, 'u-storage')];

    expect(chargesForMonth(azure(), '2026-06', records)).toEqual([]);
    expect(chargesForMonth(azure(), '2026-07', records)).toEqual([
      {
        chargeId: 'l-az:USAGE:2026-06:u-vm',
        lineId: 'l-az',
        contractId: 'k-1',
        customerId: 'c-1',
        resellerId: 'r-direct',
        kind: 'USAGE',
        description: 'Azure プラン 2026-06 ご利用分',
        periodStart: '2026-06-01',
        periodEnd: '2026-06-30',
        quantity: 1,
        unitPrice: 12345,
        amount: 12345,
      },
      expect.objectContaining({ chargeId: 'l-az:USAGE:2026-06:u-storage', amount: 678 }),
    ]);
  });

  it('ignores other lines’ usage and other months’ usage', () => {
    const records = [usage('2026-06', 100, 'u-other', 'l-other'), usage('2026-05', 200), usage('2026-07', 300), usage('2026-06', 400)];

    expect(summary(chargesForMonth(azure(), '2026-07', records))).toEqual([{ chargeId: 'l-az:USAGE:2026-06:u-2026-06', amount: 400, quantity: 1 }]);
  });

  it('charges December’s usage on the next year’s January invoice', () => {
    expect(summary(chargesForMonth(azure(), '2027-01', [usage('2026-12', 999)]))).toEqual([
      { chargeId: 'l-az:USAGE:2026-12:u-2026-12', amount: 999, quantity: 1 },
    ]);
  });

  it('charges the usage of the month the line ended in, never usage of a month after it', () => {
    const ended = azure({ cancellation: cancellation('2026-08-10', '2026-08-15') });
    const records = [usage('2026-08', 500), usage('2026-09', 50)];

    expect(summary(chargesForMonth(ended, '2026-09', records))).toEqual([{ chargeId: 'l-az:USAGE:2026-08:u-2026-08', amount: 500, quantity: 1 }]);
    expect(chargesForMonth(ended, '2026-10', records)).toEqual([]);
  });

  it('skips a 0-yen record and has no credit notes', () => {
    expect(chargesForMonth(azure(), '2026-07', [usage('2026-06', 0)])).toEqual([]);
    expect(creditsForMonth(azure({ cancellation: cancellation('2026-06-20', '2026-06-20') }), '2026-07')).toEqual([]);
  });
});
