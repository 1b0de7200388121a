import { Harness } from '../../../embedded/test/support/harness';
import { activeContract, billingDocument, cancelSeats, issuedTo, nextMonth, runBilling, subscription, theInvoiceOf } from './support';

const NCE_MONTHLY = 'MS-M365-BP-NCE-M';

/** New-commerce licences through the API, embedded: the 7-day window on the contract, the subscription and the invoice. */
describe('new-commerce cancellation windows (microsoft-nce)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('started 01-10: cancellable until 01-17; cancelled 01-15 → February charges Jan 10–15 only (532)', async () => {
    const contract = await activeContract(h, [{ sku: NCE_MONTHLY, quantity: 1 }], { companyName: 'NCE解約株式会社', startDate: '2027-01-10' });
    const [line] = contract.lines;
    const shown = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0];
    expect(shown).toMatchObject({ sku: NCE_MONTHLY, unitPrice: 2750, cancellationAllowedUntil: '2027-01-17', termEndDate: '2027-02-09', autoRenew: true });
    expect((await subscription(h, line.subscriptionId)).cancellationAllowedUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await cancelSeats(h, contract.id, { lineId: line.id, quantity: 1, requestedOn: '2027-01-15', endDate: '2027-01-15' });
    const invoice = await theInvoiceOf(h, await runBilling(h, '2027-02'), contract.customerId);
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'PRORATED', periodStart: '2027-01-10', periodEnd: '2027-01-15', amount: 532 })]);
  });

  it('after the window a cancellation or reduction is refused (422 CANCELLATION_WINDOW_CLOSED); auto-renew off is the way out', async () => {
    const contract = await activeContract(h, [{ sku: NCE_MONTHLY, quantity: 3 }], { companyName: 'NCE期限切れ株式会社', startDate: '2027-01-10' });
    const [line] = contract.lines;
    const late = await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 3 }], requestedOn: '2027-01-18' }).expect(422);
    expect(late.body.code).toBe('CANCELLATION_WINDOW_CLOSED');
    const reduction = await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: line.id, quantity: 2 }], requestedOn: '2027-01-18' }).expect(422);
    expect(reduction.body.code).toBe('CANCELLATION_WINDOW_CLOSED');
    await h.http().put(`/contracts/${contract.id}/lines/${line.id}/auto-renew`, { autoRenew: false }).expect(200);
  });

  it('× 3 from 11-01, 1 seat cancelled 11-05 (end date 11-05): November charges 3 in advance, a credit note returns Nov 6–30 of that seat', async () => {
    const contract = await activeContract(h, [{ sku: NCE_MONTHLY, quantity: 3 }], { companyName: 'NCE前払い返金株式会社', startDate: '2026-11-01' });
    const [line] = contract.lines;
    const november = await theInvoiceOf(h, await runBilling(h, '2026-11'), contract.customerId);
    expect(november.lines).toEqual([expect.objectContaining({ kind: 'MONTHLY', quantity: 3, amount: 3 * 2750 })]);

    const confirmed = await cancelSeats(h, contract.id, { lineId: line.id, quantity: 1, requestedOn: '2026-11-05', endDate: '2026-11-05' });
    // The credit note is dated the 1st after the later of the seat's last day and 解約確定 (never back-dated).
    const creditMonth = nextMonth(confirmed.completedOn > '2026-11-05' ? confirmed.completedOn : '2026-11-05');
    if (creditMonth !== '2026-12') {
      const december = await theInvoiceOf(h, await runBilling(h, '2026-12'), contract.customerId);
      expect(december.lines).toEqual([expect.objectContaining({ kind: 'MONTHLY', quantity: 2, amount: 2 * 2750 })]);
    }
    const run = await runBilling(h, creditMonth);
    const [note, ...more] = issuedTo(run.creditNotes, contract.customerId);
    expect(more).toEqual([]);
    const unused = 2750 - Math.floor((2750 * 5) / 30);
    expect(await billingDocument(h, note.id)).toMatchObject({
      kind: 'CREDIT_NOTE',
      subtotal: -unused,
      originalInvoiceId: november.id,
      lines: [expect.objectContaining({ kind: 'REFUND', quantity: 1, periodStart: '2026-11-06', periodEnd: '2026-11-30', amount: -unused, refersToChargeId: november.lines[0].chargeId })],
    });
    expect(unused).toBe(2292);
    expect(issuedTo((await runBilling(h, creditMonth)).creditNotes, contract.customerId)).toEqual([]);
  });
});
