import { activeContract, Harness, runBilling, simulatedVendors, theInvoiceOf } from './support';

/** Consumption tax 10% once per invoice on its taxable total, rounded down — never per line and summed. */
describe('invoice tax on a several-line invoice (seed 001 lines)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: simulatedVendors().options }).start()));
  afterAll(() => h.stop());

  it('Office 365 E1 × 3 and Project Plan 1 × 2 from 7/1: one July invoice of two lines, 2,610 + 1,740 = 4,350 + 435 = 4,785', async () => {
    const contract = await activeContract(
      h,
      [
        { sku: 'MS-O365-E1', quantity: 3 },
        { sku: 'MS-PROJECT-P1', quantity: 2 },
      ],
      { companyName: '二明細株式会社', startDate: '2026-07-01' },
    );
    const july = await theInvoiceOf(h, await runBilling(h, '2026-07'), contract.customerId);
    expect(july.lines.map((charged) => [charged.productName, charged.quantity, charged.unitPrice, charged.amount]).sort()).toEqual([
      ['Office 365 E1', 3, 870, 2610],
      ['Project Plan 1', 2, 870, 1740],
    ]);
    expect(july).toMatchObject({ subtotal: 4350, tax: 435, total: 4785, taxes: [{ rate: 10, taxableAmount: 4350, tax: 435 }] });
  });

  it('the same lines from 7/16: the August invoice holds 4 charges, 6,595 → tax 659 on the total (per line it would be 658)', async () => {
    const contract = await activeContract(
      h,
      [
        { sku: 'MS-O365-E1', quantity: 3 },
        { sku: 'MS-PROJECT-P1', quantity: 2 },
      ],
      { companyName: '二明細日割株式会社', startDate: '2026-07-16' },
    );
    const [e1, project] = contract.lines;
    const august = await theInvoiceOf(h, await runBilling(h, '2026-08'), contract.customerId);
    // July 16–31 = 16/31 days: floor(2,610 × 16 / 31) = 1,347 and floor(1,740 × 16 / 31) = 898; August 2,610 + 1,740.
    expect(august.lines.map((charged) => [charged.chargeId, charged.productName, charged.quantity, charged.amount]).sort()).toEqual(
      [
        [`${e1.id}:MONTHLY:2026-08`, 'Office 365 E1', 3, 2610],
        [`${e1.id}:PRORATED:2026-07`, 'Office 365 E1', 3, 1347],
        [`${project.id}:MONTHLY:2026-08`, 'Project Plan 1', 2, 1740],
        [`${project.id}:PRORATED:2026-07`, 'Project Plan 1', 2, 898],
      ].sort(),
    );
    expect(august).toMatchObject({ subtotal: 6595, tax: 659, total: 7254, taxes: [{ rate: 10, taxableAmount: 6595, tax: 659 }] });
  });
});
