import { BillingLine, billingSchedule, chargesForMonth, creditsForMonth, firstInvoiceMonth, invoiceTotals, isKnownBillingPolicy } from '../../src/domain';
import { cancellation, line } from './lines';

/** Seed 001: contract NCN202107-0000003109 started 2021-07-20 with Office 365 E1 × 3 and Project Plan 1 × 1 (870 yen each). */
const e1 = (overrides: Partial<BillingLine> = {}) => line({ lineId: 'l-e1', quantity: 3, placedOn: '2021-07-19', startDate: '2021-07-20', ...overrides });
const project = (overrides: Partial<BillingLine> = {}) =>
  line({ lineId: 'l-p1', sku: 'MS-PROJECT-P1', productName: 'Project Plan 1', quantity: 1, placedOn: '2021-07-19', startDate: '2021-07-20', ...overrides });

describe('the billing schedule of a line and the invoice of a month', () => {
  it('seed 001, the 8/1 invoice: both lines prorated for July and charged for August, tax once on the total', () => {
    const charges = [e1(), project()].flatMap((contractLine) => chargesForMonth(contractLine, '2021-08'));

    expect(charges.map(({ chargeId, amount }) => [chargeId, amount])).toEqual([
      ['l-e1:PRORATED:2021-07', 1010],
      ['l-e1:MONTHLY:2021-08', 2610],
      ['l-p1:PRORATED:2021-07', 336], // floor(870 × 12 / 31) = floor(336.77)
      ['l-p1:MONTHLY:2021-08', 870],
    ]);
    expect(invoiceTotals(charges)).toEqual({ subtotal: 4826, tax: 482, total: 5308 });
  });

  it('seed 001, cancelled with end date 8/31: September’s invoice holds nothing', () => {
    const ended = cancellation('2021-08-20', '2021-08-31');

    expect([e1({ cancellation: ended }), project({ cancellation: ended })].flatMap((contractLine) => chargesForMonth(contractLine, '2021-09'))).toEqual([]);
  });

  it('lists every invoice month from the first through the month asked for, with each charge once', () => {
    const schedule = billingSchedule(e1({ cancellation: cancellation('2021-09-20', '2021-10-15') }), '2022-01');

    expect(schedule.map(({ month, charges }) => [month, charges.map((charge) => charge.chargeId)])).toEqual([
      ['2021-08', ['l-e1:PRORATED:2021-07', 'l-e1:MONTHLY:2021-08']],
      ['2021-09', ['l-e1:MONTHLY:2021-09']],
      ['2021-10', ['l-e1:MONTHLY:2021-10']],
    ]);
    const ids = schedule.flatMap(({ charges }) => charges.map((charge) => charge.chargeId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('finds the earlier months of a line confirmed late with a back-dated start', () => {
    // Confirmed in June with a start of 4/10: the June run catches up April (prorated) and May, and charges June.
    const late = line({ lineId: 'l-late', placedOn: '2026-04-09', startDate: '2026-04-10' });

    expect(billingSchedule(late, '2026-06').flatMap(({ charges }) => charges.map(({ chargeId, amount }) => [chargeId, amount]))).toEqual([
      ['l-late:PRORATED:2026-04', 609], // floor(870 × 21 / 30)
      ['l-late:MONTHLY:2026-05', 870],
      ['l-late:MONTHLY:2026-06', 870],
    ]);
  });

  it('puts credit notes in the schedule beside the charges', () => {
    const software = line({
      lineId: 'l-ws',
      productName: 'Windows Server 2022 Standard',
      unitPrice: 120000,
      billingPolicy: 'onprem-software',
      refundWindowDays: 30,
      placedOn: '2026-06-10',
      startDate: '2026-06-10',
      cancellation: cancellation('2026-07-01', '2026-07-03'),
    });

    expect(billingSchedule(software, '2026-12').map(({ month, charges, credits }) => [month, charges.map((c) => c.chargeId), credits.map((c) => c.chargeId)])).toEqual([
      ['2026-07', ['l-ws:ONE_TIME'], []],
      ['2026-08', [], ['l-ws:REFUND:ch-cancel']],
    ]);
  });

  it('starts the schedule at the earlier of placement and start month', () => {
    expect(firstInvoiceMonth(line({ placedOn: '2026-05-16', startDate: '2026-06-20' }))).toBe('2026-05');
    expect(firstInvoiceMonth(line({ placedOn: '2026-06-20', startDate: '2026-04-01' }))).toBe('2026-04');
  });

  it('is empty through a month before anything is due', () => {
    expect(billingSchedule(e1(), '2021-07')).toEqual([]);
  });

  it('refuses an unknown billing policy rather than charging nothing', () => {
    const unknown = line({ billingPolicy: 'pay-what-you-want' });

    expect(isKnownBillingPolicy('pay-what-you-want')).toBe(false);
    expect(isKnownBillingPolicy('stellr-cutoff')).toBe(true);
    expect(() => chargesForMonth(unknown, '2026-07')).toThrow("Unknown billing policy 'pay-what-you-want'");
    expect(() => creditsForMonth(unknown, '2026-07')).toThrow("Unknown billing policy 'pay-what-you-want'");
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => chargesForMonth(e1(), '2021-8')).toThrow(RangeError);
    expect(() => billingSchedule(e1(), '2021-13')).toThrow(RangeError);
  });
});
