import { asDistributor, asIndirect, Harness } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract } from './change-support';

/** 契約変更一覧: 20 a page, newest request first, filters, reseller isolation. */
describe('GET /contract-changes (契約変更一覧)', () => {
  let h: Harness;
  let contract: Awaited<ReturnType<typeof activeContract>>;
  beforeAll(async () => {
    h = await new Harness({ provisioning: simulatedVendors().options }).start();
    // 22 lines of one seat: one cancellation per line, requested on 1…22 July.
    contract = await activeContract(h, Array.from({ length: 22 }, () => ({ sku: 'MS-O365-E1', quantity: 1 })), { companyName: '一覧株式会社' });
    for (const [index, line] of contract.lines.entries()) {
      const requestedOn = `2026-07-${String(index + 1).padStart(2, '0')}`;
      await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 1 }], requestedOn }).expect(201);
    }
  });
  afterAll(() => h.stop());

  it('pages 20 at a time, newest request first, with the total', async () => {
    const first = (await h.http().get('/contract-changes').expect(200)).body;
    expect(first).toMatchObject({ page: 1, pageSize: 20, total: 22 });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).toMatchObject({ requestedOn: '2026-07-22', contractNumber: contract.contractNumber, orderNumber: contract.orderNumber, customerCompanyName: '一覧株式会社', userCompanyName: '一覧株式会社' });
    const second = (await h.http().get('/contract-changes?page=2').expect(200)).body;
    expect(second.items.map((item: { requestedOn: string }) => item.requestedOn)).toEqual(['2026-07-02', '2026-07-01']);
  });

  it('filters by status, type, request date range, customer and text (contract / order number, subject)', async () => {
    const [latest] = (await h.http().get('/contract-changes?pageSize=1').expect(200)).body.items;
    await h.http().post(`/contract-changes/${latest.id}/accept`).expect(200);
    expect((await h.http().get('/contract-changes?status=ACCEPTED').expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([latest.id]);
    expect((await h.http().get('/contract-changes?status=APPLIED').expect(200)).body.total).toBe(21);
    expect((await h.http().get('/contract-changes?type=ADD').expect(200)).body.total).toBe(0);
    expect((await h.http().get('/contract-changes?from=2026-07-10&to=2026-07-12').expect(200)).body.total).toBe(3);
    expect((await h.http().get(`/contract-changes?customerId=${contract.customerId}`).expect(200)).body.total).toBe(22);
    expect((await h.http().get(`/contract-changes?q=${contract.contractNumber}`).expect(200)).body.total).toBe(22);
    expect((await h.http().get(`/contract-changes?q=${contract.orderNumber}`).expect(200)).body.total).toBe(22);
    expect((await h.http().get('/contract-changes?q=NCN190001').expect(200)).body.total).toBe(0);
    const bad = await h.http().get('/contract-changes?status=DONE&type=X&from=2026-13-01').expect(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['from', 'status', 'type']);
  });

  it('shows another reseller nothing; distributor staff everything', async () => {
    expect((await h.http(asIndirect).get('/contract-changes').expect(200)).body.total).toBe(0);
    expect((await h.http(asDistributor).get('/contract-changes').expect(200)).body.total).toBe(22);
  });
});
