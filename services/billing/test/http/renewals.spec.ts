import { asDistributor, Harness } from '../../../embedded/test/support/harness';
import { contractEvents, documentsOf, POCKETALK_ANNUAL, runBilling, streamOneContract, theInvoiceOf } from './support';

/**
 * Terms and renewal (契約更新) through the API, embedded: ポケトーク同時通訳 (annual term, paid a year at
 * a time) placed 2026-12-10 → delivered 12-20 → charged, and its term, from 2027-01-01 to 2027-12-31.
 */
describe('terms, auto-renew, renewal changes and renewal runs', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  const annualContract = (companyName: string, quantity = 2) =>
    streamOneContract(h, { placedOn: '2026-12-10', quantity, companyName, sku: POCKETALK_ANNUAL, startDate: '2026-12-20' });
  const renewalRun = async (date: string) => (await h.http(asDistributor).post('/contracts/renewal-runs', { date }).expect(200)).body;

  it('a line with a term shows its term end and auto-renew; renewed with the renewal change, once however often the run goes; charged a year on the renewal month', async () => {
    const contract = await annualContract('更新株式会社');
    const [line] = contract.lines as unknown as { id: string; termEndDate: string; autoRenew: boolean; termStartDate: string }[];
    expect(line).toMatchObject({ termStartDate: '2027-01-01', termEndDate: '2027-12-31', autoRenew: true });

    // 契約更新手続き: 2 → 3 seats for the next term, 申請 → 受付 → 確定 (nothing to link before the term end).
    const requested = await h.http().post(`/contracts/${contract.id}/renewals`, { lines: [{ lineId: line.id, quantity: 3 }], requestedOn: '2027-11-10' }).expect(201);
    expect(requested.body).toMatchObject({ type: 'RENEWAL', typeLabel: '更新', status: 'APPLIED', lines: [expect.objectContaining({ currentQuantity: 2, newQuantity: 3 })] });
    const changeId = requested.body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    expect((await h.http().post(`/contract-changes/${changeId}/confirm`, {}).expect(200)).body).toMatchObject({ status: 'COMPLETED', statusLabel: '変更済' });
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0]).toMatchObject({ quantity: 2, nextTermQuantity: 3 });

    // Not due before the term ended; then renewed once, even when runs race or repeat.
    expect((await renewalRun('2027-12-31')).contracts.find((row: { contractId: string }) => row.contractId === contract.id)).toBeUndefined();
    const runs = await Promise.all([renewalRun('2028-01-01'), renewalRun('2028-01-01')]);
    const mine = runs.flatMap((run) => run.contracts).filter((row: { contractId: string }) => row.contractId === contract.id);
    expect(mine).toEqual([expect.objectContaining({ renewedLineIds: [line.id], endedLineIds: [] })]);
    expect((await renewalRun('2028-01-01')).contracts.find((row: { contractId: string }) => row.contractId === contract.id)).toBeUndefined();
    const renewed = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(renewed.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 3, termStartDate: '2028-01-01', termEndDate: '2028-12-31', nextTermQuantity: null });
    const history = (await h.http().get(`/contracts/${contract.id}/history`).expect(200)).body as { type: string }[];
    expect(history.filter((event) => event.type === 'ContractLineRenewed')).toHaveLength(1);
    await h.settle();
    expect((await contractEvents(h)).filter((event) => event.type === 'ContractLineRenewed' && (event.data as { contractId: string }).contractId === contract.id)).toHaveLength(1);

    // Billing: the year 2028 is charged on January 2028's invoice, at the new term's quantity.
    const invoice = await theInvoiceOf(h, await runBilling(h, '2028-01'), contract.customerId);
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'ANNUAL', quantity: 3, amount: 3 * 24710, periodStart: '2028-01-01', periodEnd: '2028-12-31' })]);
  });

  it('auto-renew off: the line ends on its term end date, the contract is 解約済 and nothing is charged after it', async () => {
    const contract = await annualContract('自動更新なし株式会社');
    const [line] = contract.lines;
    const off = await h.http().put(`/contracts/${contract.id}/lines/${line.id}/auto-renew`, { autoRenew: false }).expect(200);
    expect(off.body.lines[0]).toMatchObject({ autoRenew: false });
    const history = (await h.http().get(`/contracts/${contract.id}/history`).expect(200)).body as { type: string }[];
    expect(history.map((event) => event.type)).toContain('ContractLineAutoRenewSet');

    await renewalRun('2028-01-01');
    const ended = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(ended).toMatchObject({ status: 'CANCELLED', statusLabel: '解約済', billing: false, endDate: '2027-12-31' });
    expect(ended.lines[0]).toMatchObject({ status: 'CANCELLED', endDate: '2027-12-31' });

    await runBilling(h, '2028-01');
    expect(await documentsOf(h, contract.customerId, { month: '2028-01' })).toEqual([]);
  });
});
