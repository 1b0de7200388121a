import { todayInTokyo } from '@lp/platform';
import { asDistributor, Harness } from './support';
import { activeContract } from './change-support';
import { streamOneContract } from '../../../billing/test/http/support';

/** 契約一覧's billing flag follows billing's schedule (LineChargingScheduled on billing.events), not the line status alone. */
describe('the contract list’s billing flag', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  const listed = async (contractId: string) => {
    await h.settle();
    const contract = (await h.http(asDistributor).get(`/contracts/${contractId}`).expect(200)).body;
    const page = (await h.http(asDistributor).get(`/contracts?customerId=${contract.customerId}`).expect(200)).body;
    return { contract, row: page.items.find((item: { id: string }) => item.id === contractId) };
  };

  it('an active StreamOne line placed today is not charged before the 1st after delivery: greyed out', async () => {
    const today = todayInTokyo(new Date());
    const contract = await streamOneContract(h, { placedOn: today, quantity: 1, companyName: '課金開始前株式会社', startDate: today });
    const { contract: shown, row } = await listed(contract.id);
    expect(shown).toMatchObject({ status: 'ACTIVE', billing: false });
    expect(row).toMatchObject({ status: 'ACTIVE', billing: false });
  });

  it('an Office 365 E1 line started in the past is charged; once its charging ended it is greyed out', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 1 }], { companyName: '課金中株式会社', startDate: '2026-07-01' });
    expect((await listed(contract.id)).row).toMatchObject({ billing: true });
    const [line] = contract.lines;
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 1 }], requestedOn: '2026-07-10' }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link`, {}).expect(200);
    await h.http().post(`/contract-changes/${changeId}/confirm`, { endDate: '2026-07-31', force: true }).expect(200);
    expect((await listed(contract.id)).row).toMatchObject({ status: 'CANCELLED', billing: false });
  });
});
