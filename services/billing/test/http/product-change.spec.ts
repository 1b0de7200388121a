import { Harness } from '../../../embedded/test/support/harness';
import { activeContract, billingDocument, changeOnceVendorAnswered, issuedTo, nextMonth, runBilling, subscription, theInvoiceOf } from './support';

/** 数量・商品変更 to another product through the API, embedded: Office 365 E1 → E3 at the vendor, on the contract and on invoices. */
describe('product change (POST /contracts/:id/product-changes)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('E1 × 3 → E3 from 09-01: linked (the vendor subscription moves to E3), confirmed; August bills E1, September E3', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '商品変更株式会社', startDate: '2026-07-01' });
    const [line] = contract.lines;
    const requested = await h.http().post(`/contracts/${contract.id}/product-changes`, { lines: [{ lineId: line.id, sku: 'MS-O365-E3' }], requestedOn: '2026-08-10' }).expect(201);
    expect(requested.body).toMatchObject({ type: 'CHANGE', typeLabel: '数量・商品変更', lines: [expect.objectContaining({ sku: 'MS-O365-E1', newSku: 'MS-O365-E3', newUnitPrice: 2170, newQuantity: 3 })] });
    const changeId = requested.body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link`, {}).expect(200);
    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ sku: 'MS-O365-E3', quantity: 3 });
    await h.http().post(`/contract-changes/${changeId}/confirm`, { effectiveOn: '2026-09-01' }).expect(200);
    const changed = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(changed.lines[0]).toMatchObject({ sku: 'MS-O365-E3', productName: 'Office 365 E3', unitPrice: 2170, quantity: 3 });
    expect(changed.productNames).toEqual(['Office 365 E3']);

    const august = await theInvoiceOf(h, await runBilling(h, '2026-08'), contract.customerId);
    expect(august.lines.map((charged) => [charged.sku, charged.amount])).toEqual([['MS-O365-E1', 3 * 870]]);
    const september = await theInvoiceOf(h, await runBilling(h, '2026-09'), contract.customerId);
    expect(september.lines.map((charged) => [charged.sku, charged.kind, charged.amount])).toEqual([['MS-O365-E3', 'MONTHLY', 3 * 2170]]);
  });

  it('E1 × 3 → E3 from 09-15: September bills E1 in advance, October E3 for Sep 15–30 and October, and a credit note returns E1 for Sep 15–30', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '月途中商品変更株式会社', startDate: '2026-07-01' });
    const [line] = contract.lines;
    const changeId = (await h.http().post(`/contracts/${contract.id}/product-changes`, { lines: [{ lineId: line.id, sku: 'MS-O365-E3' }], requestedOn: '2026-09-10' }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link`, {}).expect(200);
    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');
    const confirmed = (await h.http().post(`/contract-changes/${changeId}/confirm`, { effectiveOn: '2026-09-15' }).expect(200)).body;

    const september = await theInvoiceOf(h, await runBilling(h, '2026-09'), contract.customerId);
    expect(september.lines.map((charged) => [charged.sku, charged.kind, charged.amount])).toEqual([['MS-O365-E1', 'MONTHLY', 3 * 870]]);
    const octoberRun = await runBilling(h, '2026-10');
    const october = await theInvoiceOf(h, octoberRun, contract.customerId);
    expect(october.lines.map((charged) => [charged.sku, charged.kind, charged.periodStart, charged.periodEnd, charged.amount])).toEqual([
      ['MS-O365-E3', 'PRORATED', '2026-09-15', '2026-09-30', Math.floor((2170 * 3 * 16) / 30)],
      ['MS-O365-E3', 'MONTHLY', '2026-10-01', '2026-10-31', 3 * 2170],
    ]);

    // The credit is dated the 1st after the later of E1's last day and the confirmation (never back-dated).
    const creditMonth = nextMonth(confirmed.completedOn > '2026-09-14' ? confirmed.completedOn : '2026-09-14');
    const notes = issuedTo(creditMonth === '2026-10' ? octoberRun.creditNotes : (await runBilling(h, creditMonth)).creditNotes, contract.customerId);
    expect(notes).toHaveLength(1);
    const unused = 3 * 870 - Math.floor((3 * 870 * 14) / 30);
    expect(await billingDocument(h, notes[0].id)).toMatchObject({
      kind: 'CREDIT_NOTE',
      originalInvoiceId: september.id,
      subtotal: -unused,
      lines: [expect.objectContaining({ sku: 'MS-O365-E1', kind: 'REFUND', quantity: 3, periodStart: '2026-09-15', periodEnd: '2026-09-30', amount: -1392 })],
    });
  });
});
