import { Harness } from '../../../embedded/test/support/harness';
import { activeContract, cancelSeats, runBilling, subscription, theInvoiceOf } from './support';

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
});
