import {
  billingDocument,
  cancelSeats,
  changeQuantity,
  documentsOf,
  Harness,
  issuedTo,
  POCKETALK_ANNUAL,
  runBilling,
  simulatedVendors,
  streamOneContract,
  theInvoiceOf,
} from './support';

/**
 * Seed 002 (StreamOne, `stellr-cutoff`) through the API, embedded, with the simulated vendors:
 * ポケトーク字幕 (月額) at 1,100 yen a seat, ordered, activated by the distributor, contracted, changed
 * through the contract-change flow, then billed by POST /billing/runs month by month.
 */
describe('seed 002: stellr-cutoff billing through the API (ポケトーク字幕 1,100 yen/month)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
  afterAll(() => h.stop());

  /** The quantity and amount the customer's invoice of `month` charges; undefined when the run issued it none. */
  async function chargedIn(month: string, customerId: string): Promise<{ quantity: number; amount: number; total: number } | undefined> {
    const result = await runBilling(h, month);
    const mine = issuedTo(result.invoices, customerId);
    if (mine.length === 0) return undefined;
    const invoice = await theInvoiceOf(h, result, customerId);
    expect(invoice.lines).toHaveLength(1);
    const [line] = invoice.lines;
    expect(line).toMatchObject({ kind: 'MONTHLY', periodStart: `${month}-01`, unitPrice: 1100 });
    return { quantity: line.quantity, amount: line.amount, total: invoice.total };
  }

  it('ordered 5/15 → delivered 5/20, free through May → nothing on the May run; the June invoice (6/1) charges June in full', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 10, companyName: '五月十五日発注株式会社', startDate: '2026-05-20' });

    const may = await runBilling(h, '2026-05');
    expect(issuedTo(may.invoices, contract.customerId)).toEqual([]);

    const june = await runBilling(h, '2026-06');
    const [issued] = issuedTo(june.invoices, contract.customerId);
    expect(issued).toMatchObject({ number: expect.stringMatching(/^INV202606-\d{10}$/), total: 12100 });
    const invoice = await billingDocument(h, issued.id);
    expect(invoice).toMatchObject({
      kind: 'INVOICE',
      month: '2026-06',
      periodLabel: '2026年6月分',
      issuedOn: '2026-06-01',
      recipientName: '五月十五日発注株式会社',
      subtotal: 11000,
      tax: 1100,
      total: 12100,
      originalInvoiceId: null,
    });
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        chargeId: `${contract.lines[0].id}:MONTHLY:2026-06`,
        kind: 'MONTHLY',
        contractNumber: contract.contractNumber,
        productName: 'ポケトーク字幕 (月額)',
        periodStart: '2026-06-01',
        periodEnd: '2026-06-30',
        quantity: 10,
        unitPrice: 1100,
        amount: 11000,
        purchaseOrderNumber: 'PO-2026-05-15',
      }),
    ]);

    // July follows at the same quantity; neither month is issued twice.
    expect(await chargedIn('2026-07', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    expect(issuedTo((await runBilling(h, '2026-06')).invoices, contract.customerId)).toEqual([]);
    expect((await documentsOf(h, contract.customerId)).map((document) => document.month)).toEqual(['2026-07', '2026-06']);
  });

  it('ordered 5/16 → delivered 6/20 → nothing on 6/1; the first invoice is 7/1 for July', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-16', quantity: 10, companyName: '五月十六日発注株式会社', startDate: '2026-06-20' });
    expect(await chargedIn('2026-05', contract.customerId)).toBeUndefined();
    expect(await chargedIn('2026-06', contract.customerId)).toBeUndefined();
    expect(await chargedIn('2026-07', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    expect((await documentsOf(h, contract.customerId)).map((document) => document.month)).toEqual(['2026-07']);
  });

  describe('reductions of 10 → 5 seats for 7/1 (deadline: June 30 − 20 days = 6/10)', () => {
    it.each([
      { change: '解約 of 5 seats (契約終了日 6/30)', how: 'cancellation', requestedOn: '2026-06-10', julySeats: 5 },
      { change: '数量・商品変更 10 → 5 (in force from 7/1)', how: 'quantity change', requestedOn: '2026-06-10', julySeats: 5 },
      { change: '解約 of 5 seats (契約終了日 6/30)', how: 'cancellation', requestedOn: '2026-06-11', julySeats: 10 },
      { change: '数量・商品変更 10 → 5 (in force from 7/1)', how: 'quantity change', requestedOn: '2026-06-11', julySeats: 10 },
    ] as const)('$change requested on $requestedOn → June 10 seats, July $julySeats, August 5', async ({ how, requestedOn, julySeats }) => {
      const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 10, companyName: `減数${how}${requestedOn}株式会社`, startDate: '2026-05-20' });
      const [line] = contract.lines;
      expect(await chargedIn('2026-06', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });

      if (how === 'cancellation') await cancelSeats(h, contract.id, { lineId: line.id, quantity: 5, requestedOn, endDate: '2026-06-30' });
      else await changeQuantity(h, contract.id, { lineId: line.id, quantity: 5, requestedOn, effectiveOn: '2026-07-01' });
      expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 5 });

      expect(await chargedIn('2026-07', contract.customerId)).toEqual({ quantity: julySeats, amount: julySeats * 1100, total: julySeats * 1210 });
      expect(await chargedIn('2026-08', contract.customerId)).toEqual({ quantity: 5, amount: 5500, total: 6050 });
    });
  });

  it.each([
    { requestedOn: '2026-06-15', julySeats: 12 },
    { requestedOn: '2026-06-16', julySeats: 10 },
  ])('追加 of 2 seats requested on $requestedOn follows the placement rule (delivered 6/20 or 7/20) → July $julySeats seats, August 12', async ({ requestedOn, julySeats }) => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 10, companyName: `追加${requestedOn}株式会社`, startDate: '2026-05-20' });
    await changeQuantity(h, contract.id, { lineId: contract.lines[0].id, quantity: 12, requestedOn, effectiveOn: requestedOn });
    expect(await chargedIn('2026-06', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    expect(await chargedIn('2026-07', contract.customerId)).toEqual({ quantity: julySeats, amount: julySeats * 1100, total: julySeats * 1210 });
    expect(await chargedIn('2026-08', contract.customerId)).toEqual({ quantity: 12, amount: 13200, total: 14520 });
  });

  it('cancellation of all seats at the end of June requested by 6/10 → June charged, no July charge, nothing after', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 10, companyName: '六月末解約株式会社', startDate: '2026-05-20' });
    expect(await chargedIn('2026-06', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    await cancelSeats(h, contract.id, { lineId: contract.lines[0].id, quantity: 10, requestedOn: '2026-06-10', endDate: '2026-06-30' });
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body).toMatchObject({ status: 'CANCELLED', endDate: '2026-06-30' });

    expect(await chargedIn('2026-07', contract.customerId)).toBeUndefined();
    expect(await chargedIn('2026-08', contract.customerId)).toBeUndefined();
    expect((await documentsOf(h, contract.customerId)).map((document) => document.month)).toEqual(['2026-06']);
  });

  it('the same cancellation requested on 6/11 misses the deadline → July is still charged (no refunds), nothing from August', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 10, companyName: '期限後解約株式会社', startDate: '2026-05-20' });
    await cancelSeats(h, contract.id, { lineId: contract.lines[0].id, quantity: 10, requestedOn: '2026-06-11', endDate: '2026-06-30' });
    expect(await chargedIn('2026-06', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    expect(await chargedIn('2026-07', contract.customerId)).toEqual({ quantity: 10, amount: 11000, total: 12100 });
    expect(await chargedIn('2026-08', contract.customerId)).toBeUndefined();
    expect((await documentsOf(h, contract.customerId, { kind: 'CREDIT_NOTE' }))).toEqual([]);
  });

  it('年契約年払い (ポケトーク同時通訳 24,710 yen a seat a year): ordered 5/15 → 12 months on the June invoice, nothing until June 2027', async () => {
    const contract = await streamOneContract(h, { placedOn: '2026-05-15', quantity: 2, sku: POCKETALK_ANNUAL, companyName: '年払い株式会社', startDate: '2026-05-20' });
    expect(issuedTo((await runBilling(h, '2026-05')).invoices, contract.customerId)).toEqual([]);
    const june = await theInvoiceOf(h, await runBilling(h, '2026-06'), contract.customerId);
    expect(june).toMatchObject({ subtotal: 49420, tax: 4942, total: 54362 });
    expect(june.lines).toEqual([
      expect.objectContaining({ kind: 'ANNUAL', periodStart: '2026-06-01', periodEnd: '2027-05-31', quantity: 2, unitPrice: 24710, amount: 49420 }),
    ]);
    for (const month of ['2026-07', '2026-12', '2027-01', '2027-05']) expect(issuedTo((await runBilling(h, month)).invoices, contract.customerId)).toEqual([]);
    const nextYear = await theInvoiceOf(h, await runBilling(h, '2027-06'), contract.customerId);
    expect(nextYear.lines).toEqual([expect.objectContaining({ kind: 'ANNUAL', periodStart: '2027-06-01', periodEnd: '2028-05-31', amount: 49420 })]);
  });
});
