import { todayInTokyo } from '@lp/platform';
import { asDistributor, Harness } from './support';
import { activeContract } from './change-support';
import { cancelSeats, streamOneContract } from '../../../billing/test/http/support';

/** 'YYYY-MM-DD' `days` after (negative: before) `date`, by the calendar alone. */
const daysAfter = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

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

  it('a StreamOne cancellation requested after the 20-day deadline is 解約済 at its end date but still charged, so not greyed out, until the month it really ends', async () => {
    // Ended on the last day of last month: in time when asked 25 days before it, too late when asked 5 days before (the deadline is 20).
    const lastMonthEnd = daysAfter(`${todayInTokyo(new Date()).slice(0, 7)}-01`, -1);
    const cancelled = async (companyName: string, requestedOn: string) => {
      const contract = await streamOneContract(h, { placedOn: '2026-05-01', quantity: 2, companyName, startDate: '2026-05-20' });
      await cancelSeats(h, contract.id, { lineId: contract.lines[0].id, quantity: 2, requestedOn, endDate: lastMonthEnd });
      return listed(contract.id);
    };

    const late = await cancelled('解約期限後株式会社', daysAfter(lastMonthEnd, -5));
    expect(late.contract).toMatchObject({ status: 'CANCELLED', endDate: lastMonthEnd });
    // StreamOne bills the month after the missed month end, so the list keeps the contract charged through this month.
    expect(late.row).toMatchObject({ status: 'CANCELLED', billing: true });

    const inTime = await cancelled('解約期限内株式会社', daysAfter(lastMonthEnd, -25));
    expect(inTime.row).toMatchObject({ status: 'CANCELLED', billing: false });
  });
});
