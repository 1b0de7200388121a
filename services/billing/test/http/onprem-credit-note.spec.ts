import {
  activeContract,
  billingDocument,
  cancelSeats,
  documentsOf,
  Harness,
  issuedTo,
  nextMonth,
  runBilling,
  simulatedVendors,
  subscription,
  theInvoiceOf,
} from './support';

/**
 * Seed 003 (onprem-software) through the API, embedded: Windows Server 2022 Standard at 120,000 yen,
 * refund window 30 days. A one-time charge on the next 1st; a cancellation inside the window returns
 * it in full on a credit note (適格返還請求書) that refers to the original invoice.
 */
describe('onprem-software: one-time charge, then a credit note for a cancellation inside the refund window', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
  afterAll(() => h.stop());

  it('started 7/1 → invoiced 8/1 (120,000 + 12,000); cancelled 7/20 (inside 30 days) → the run after 解約確定 issues a credit note of −132,000 once', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-WINSRV-2022-STD', quantity: 1 }], { companyName: '返品テスト株式会社', startDate: '2026-07-01' });
    const [line] = contract.lines;

    // One-time charge on the start date, invoiced on the next 1st — not on July's own invoice.
    expect(issuedTo((await runBilling(h, '2026-07')).invoices, contract.customerId)).toEqual([]);
    const august = await runBilling(h, '2026-08');
    expect(issuedTo(august.creditNotes, contract.customerId)).toEqual([]);
    const invoice = await theInvoiceOf(h, august, contract.customerId);
    expect(invoice).toMatchObject({ kind: 'INVOICE', month: '2026-08', issuedOn: '2026-08-01', subtotal: 120000, tax: 12000, total: 132000 });
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        chargeId: `${line.id}:ONE_TIME`,
        kind: 'ONE_TIME',
        contractNumber: contract.contractNumber,
        productName: 'Windows Server 2022 Standard',
        periodStart: '2026-07-01',
        periodEnd: '2026-07-01',
        quantity: 1,
        unitPrice: 120000,
        amount: 120000,
      }),
    ]);
    expect(issuedTo((await runBilling(h, '2026-09')).invoices, contract.customerId)).toEqual([]);

    // 解約 requested on 7/20: inside the product's window (7/1 + 30 days) and inside the vendor's.
    const until = (await subscription(h, line.subscriptionId)).cancellationAllowedUntil as string;
    expect('2026-07-20' <= until).toBe(true);
    await cancelSeats(h, contract.id, { lineId: line.id, quantity: 1, requestedOn: '2026-07-20', endDate: '2026-07-20' });
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ status: 'CANCELLED', productKeyRevoked: true });
    const cancelled = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });

    // The credit note is dated the 1st after 解約日 (the business date of 解約確定): a document is never back-dated.
    const creditMonth = nextMonth(cancelled.lines[0].cancelledOn);
    const run = await runBilling(h, creditMonth);
    expect(issuedTo(run.invoices, contract.customerId)).toEqual([]);
    const notes = issuedTo(run.creditNotes, contract.customerId);
    expect(notes).toEqual([{ id: expect.any(String), number: expect.stringMatching(new RegExp(`^INV${creditMonth.replace('-', '')}-\\d{10}$`)), customerId: contract.customerId, total: -132000 }]);
    const note = await billingDocument(h, notes[0].id);
    expect(note).toMatchObject({
      kind: 'CREDIT_NOTE',
      month: creditMonth,
      issuedOn: `${creditMonth}-01`,
      recipientName: '返品テスト株式会社',
      subtotal: -120000,
      tax: -12000,
      total: -132000,
      taxes: [{ rate: 10, taxableAmount: -120000, tax: -12000 }],
      originalInvoiceId: invoice.id,
      originalInvoiceNumber: invoice.number,
    });
    expect(note.lines).toEqual([
      expect.objectContaining({
        kind: 'REFUND',
        contractNumber: contract.contractNumber,
        productName: 'Windows Server 2022 Standard',
        quantity: 1,
        unitPrice: 120000,
        amount: -120000,
        refersToChargeId: `${line.id}:ONE_TIME`,
      }),
    ]);
    expect((await h.http().get(`/invoices/${note.id}/history`).expect(200)).body.map((event: { type: string }) => event.type)).toEqual(['CreditNoteIssued']);

    // Again: nothing, neither credited twice nor charged again.
    const again = await runBilling(h, creditMonth);
    expect(issuedTo(again.invoices, contract.customerId)).toEqual([]);
    expect(issuedTo(again.creditNotes, contract.customerId)).toEqual([]);
    expect(issuedTo((await runBilling(h, nextMonth(creditMonth))).creditNotes, contract.customerId)).toEqual([]);
    expect((await documentsOf(h, contract.customerId, { kind: 'CREDIT_NOTE' })).map((document) => document.id)).toEqual([note.id]);
    expect((await documentsOf(h, contract.customerId, { kind: 'INVOICE' })).map((document) => document.id)).toEqual([invoice.id]);
  });

  it('bought and cancelled before its first invoice (start and 解約 today) → the next run issues the invoice and a credit note referring to it', async () => {
    // The contract starts today (Tokyo), the cancellation is requested and confirmed today: 解約確定 dates itself.
    const started = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const contract = await activeContract(h, [{ sku: 'MS-WINSRV-2022-STD', quantity: 2 }], { companyName: '即日返品株式会社', startDate: started });
    const [line] = contract.lines;
    const until = (await subscription(h, line.subscriptionId)).cancellationAllowedUntil as string;
    await cancelSeats(h, contract.id, { lineId: line.id, quantity: 2, requestedOn: started, endDate: until });
    const month = nextMonth(started);
    expect(nextMonth((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0].cancelledOn)).toBe(month);

    const run = await runBilling(h, month);
    const [sale] = issuedTo(run.invoices, contract.customerId);
    expect(sale).toMatchObject({ total: 264000 });
    expect(issuedTo(run.creditNotes, contract.customerId)).toEqual([expect.objectContaining({ total: -264000 })]);
    const note = await billingDocument(h, issuedTo(run.creditNotes, contract.customerId)[0].id);
    expect(note).toMatchObject({ kind: 'CREDIT_NOTE', subtotal: -240000, tax: -24000, originalInvoiceId: sale.id, originalInvoiceNumber: sale.number });
    expect(note.lines).toEqual([expect.objectContaining({ kind: 'REFUND', quantity: 2, amount: -240000, refersToChargeId: `${line.id}:ONE_TIME` })]);

    const again = await runBilling(h, month);
    expect([...issuedTo(again.invoices, contract.customerId), ...issuedTo(again.creditNotes, contract.customerId)]).toEqual([]);
  });
});
