import { randomUUID } from 'crypto';
import { activeContract, asDistributor, documentsOf, Harness, issuedTo, runBilling, simulatedVendors, theInvoiceOf } from './support';

/**
 * microsoft-csp-usage (Azure プラン) through the API, embedded: no fixed charge; usage imported with
 * POST /billing/usage for month M is charged on M+1's invoice, once per usage record.
 */
describe('usage billing (POST /billing/usage, Azure プラン)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
  afterAll(() => h.stop());

  const importUsage = (body: object, token = asDistributor) => h.http(token).post('/billing/usage', body);

  it('nothing without usage; August usage (12,345) on the September invoice with 1,234 tax, charged once', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-AZURE-PLAN', quantity: 1 }], { companyName: '従量課金株式会社', startDate: '2026-07-01' });
    const [line] = contract.lines;
    for (const month of ['2026-07', '2026-08']) expect(issuedTo((await runBilling(h, month)).invoices, contract.customerId)).toEqual([]);

    const usage = { usageId: `azure-${randomUUID()}`, lineId: line.id, month: '2026-08', amount: 12345, description: 'Azure 使用料 2026年8月分' };
    expect((await importUsage(usage).expect(200)).body).toEqual({ recorded: true });
    // August's own invoice (dated 8/1) never holds August's usage.
    expect(issuedTo((await runBilling(h, '2026-08')).invoices, contract.customerId)).toEqual([]);

    const september = await runBilling(h, '2026-09');
    expect(issuedTo(september.invoices, contract.customerId)).toEqual([expect.objectContaining({ total: 13579 })]);
    const invoice = await theInvoiceOf(h, september, contract.customerId);
    expect(invoice).toMatchObject({ month: '2026-09', periodLabel: '2026年9月分', subtotal: 12345, tax: 1234, total: 13579 });
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        chargeId: `${line.id}:USAGE:2026-08:${usage.usageId}`,
        kind: 'USAGE',
        contractNumber: contract.contractNumber,
        productName: 'Azure プラン',
        description: 'Azure 使用料 2026年8月分',
        periodStart: '2026-08-01',
        periodEnd: '2026-08-31',
        quantity: 1,
        unitPrice: 12345,
        amount: 12345,
      }),
    ]);

    // Charged once: later runs issue nothing more for it.
    expect(issuedTo((await runBilling(h, '2026-09')).invoices, contract.customerId)).toEqual([]);
    expect(issuedTo((await runBilling(h, '2026-10')).invoices, contract.customerId)).toEqual([]);
    expect((await documentsOf(h, contract.customerId)).map((document) => [document.month, document.total])).toEqual([['2026-09', 13579]]);
  });

  it('two records of one month are two lines of one invoice, tax once on their sum; a later month’s usage goes on its own next invoice', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-AZURE-PLAN', quantity: 1 }], { companyName: '従量二件株式会社', startDate: '2026-07-01' });
    const lineId = contract.lines[0].id;
    // 1,005 + 2,006 = 3,011 → tax 301 (per record it would be 100 + 200 = 300).
    await importUsage({ usageId: `u1-${lineId}`, lineId, month: '2026-09', amount: 1005, description: 'Azure 仮想マシン' }).expect(200);
    await importUsage({ usageId: `u2-${lineId}`, lineId, month: '2026-09', amount: 2006, description: 'Azure ストレージ' }).expect(200);
    await importUsage({ usageId: `u3-${lineId}`, lineId, month: '2026-10', amount: 500, description: 'Azure 仮想マシン' }).expect(200);

    const october = await theInvoiceOf(h, await runBilling(h, '2026-10'), contract.customerId);
    expect(october).toMatchObject({ subtotal: 3011, tax: 301, total: 3312 });
    expect(october.lines.map((line) => line.amount).sort((a, b) => a - b)).toEqual([1005, 2006]);
    const november = await theInvoiceOf(h, await runBilling(h, '2026-11'), contract.customerId);
    expect(november).toMatchObject({ subtotal: 500, tax: 50, total: 550 });
  });
});
