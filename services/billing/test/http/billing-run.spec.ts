import { asDirect, asDistributor, asIndirect, Harness } from '../../../embedded/test/support/harness';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract } from '../../../contract/test/http/change-support';

/** Billing runs through the API, embedded: contract events → schedules → invoices. */
describe('billing runs (POST /billing/runs) and invoices', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
  afterAll(() => h.stop());

  const run = async (month: string) => {
    await h.settle();
    return (await h.http(asDistributor).post('/billing/runs', { month }).expect(200)).body;
  };

  it('seed 001 tax: 3 × Office 365 E1 (870) → 2,610 + tax 261 = 2,871 on one invoice dated the 1st, numbered INVyyyyMM-##########', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '税計算株式会社', startDate: '2026-07-01' });
    const result = await run('2026-07');
    const mine = result.invoices.find((invoice: { customerId: string }) => invoice.customerId === contract.customerId);
    expect(mine).toMatchObject({ number: expect.stringMatching(/^INV202607-\d{10}$/), total: 2871 });

    const invoice = (await h.http().get(`/invoices/${mine.id}`).expect(200)).body;
    const listedItems = (await h.http().get(`/invoices?month=2026-07&customerId=${contract.customerId}`).expect(200)).body.items;
    // api.md names it invoiceNumber; number stays as an alias for older clients.
    expect(listedItems).toEqual([expect.objectContaining({ invoiceNumber: mine.number, number: mine.number })]);
    expect(invoice).toMatchObject({
      kind: 'INVOICE',
      invoiceNumber: mine.number,
      number: mine.number,
      month: '2026-07',
      periodLabel: '2026年7月分',
      issuedOn: '2026-07-01',
      recipientName: '税計算株式会社',
      issuer: { name: expect.any(String), registrationNumber: expect.stringMatching(/^T\d{13}$/) },
      subtotal: 2610,
      tax: 261,
      total: 2871,
      taxes: [{ rate: 10, taxableAmount: 2610, tax: 261 }],
      lines: [
        expect.objectContaining({
          contractNumber: contract.contractNumber,
          productName: 'Office 365 E1',
          quantity: 3,
          unitPrice: 870,
          amount: 2610,
          periodStart: '2026-07-01',
          periodEnd: '2026-07-31',
          purchaseOrderNumber: 'PO-2026-0515',
        }),
      ],
    });

    // Running the month again issues nothing twice.
    const again = await run('2026-07');
    expect(again.invoices.filter((issued: { customerId: string }) => issued.customerId === contract.customerId)).toEqual([]);
    const listed = (await h.http().get(`/invoices?customerId=${contract.customerId}`).expect(200)).body;
    expect(listed).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const history = (await h.http().get(`/invoices/${mine.id}/history`).expect(200)).body;
    expect(history.map((event: { type: string }) => event.type)).toEqual(['InvoiceIssued']);
  });

  it('microsoft-csp-monthly: started 7/15 → the August invoice charges August in full and 17/31 of July in arrears', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { startDate: '2026-07-15' });
    const result = await run('2026-08');
    const mine = result.invoices.find((invoice: { customerId: string }) => invoice.customerId === contract.customerId);
    const invoice = (await h.http().get(`/invoices/${mine.id}`).expect(200)).body;
    // July: floor(2,610 × 17 / 31) = 1,431; August 2,610; tax on 4,041 → 404.
    expect(invoice.lines.map((line: { kind: string; amount: number }) => [line.kind, line.amount])).toEqual(
      expect.arrayContaining([
        ['PRORATED', 1431],
        ['MONTHLY', 2610],
      ]),
    );
    expect(invoice).toMatchObject({ subtotal: 4041, tax: 404, total: 4445 });
  });

  it('resellers see only their customers’ invoices', async () => {
    expect((await h.http(asIndirect).get('/invoices').expect(200)).body.total).toBe(0);
    expect((await h.http(asDirect).get('/invoices?month=2026-07').expect(200)).body.total).toBeGreaterThan(0);
  });
});
