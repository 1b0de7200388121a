import { asDistributor, Harness } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract } from './change-support';

/**
 * The shape of a request (real dates, whole quantities, booleans, required fields, ids listed once)
 * is the request DTOs' alone: the deciders no longer check it again. Each malformed body here is
 * answered 400 naming every bad field, on a real contract and change, and changes neither.
 */
describe('request bodies the contract DTOs refuse (400) before anything is decided', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());

  // A field may break several constraints (a string is neither an integer nor in range): each path once.
  const pathsOf = (body: { errors: { path: string }[] }) => [...new Set(body.errors.map((error) => error.path))].sort();
  const historyLength = async (path: string) => (await h.http().get(`${path}/history`).expect(200)).body.length;

  it('refuses each malformed field on contracts and their changes, and leaves both as they were', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 5 }]);
    const [line] = contract.lines;
    const changeId = (await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: line.id, quantity: 7 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    const before = { contract: await historyLength(`/contracts/${contract.id}`), change: await historyLength(`/contract-changes/${changeId}`) };

    const refused = async (path: string, body: object, token?: string) => pathsOf((await h.http(token).post(path, body).expect(400)).body);

    // The contract's lifecycle and terms.
    expect(await refused(`/contracts/${contract.id}/confirm`, { lineIds: [line.id, line.id], startDate: '2026-02-30' })).toEqual(['lineIds', 'startDate']);
    expect(pathsOf((await h.http().put(`/contracts/${contract.id}/lines/${line.id}/auto-renew`, { autoRenew: 'yes' }).expect(400)).body)).toEqual(['autoRenew']);
    expect(await refused('/contracts/renewal-runs', { date: '2028-13-01' }, asDistributor)).toEqual(['date']);

    // Opening a change: whole quantities, a product to move to, real dates.
    expect(await refused(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: line.id, quantity: 6.5 }], requestedOn: 'tomorrow' })).toEqual(['lines[0].quantity', 'requestedOn']);
    expect(await refused(`/contracts/${contract.id}/renewals`, { lines: [{ lineId: line.id, quantity: '6' }] })).toEqual(['lines[0].quantity']);
    expect(await refused(`/contracts/${contract.id}/product-changes`, { lines: [{ lineId: line.id }] })).toEqual(['lines[0].sku']);

    // The change's link and confirmations.
    expect(await refused(`/contract-changes/${changeId}/link-quantity-change`, { lineIds: [line.id, line.id] })).toEqual(['lineIds']);
    expect(await refused(`/contract-changes/${changeId}/confirm-quantity-change`, { effectiveOn: 'next month', force: 'yes' })).toEqual(['effectiveOn', 'force']);
    expect(await refused(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-32', force: 1 })).toEqual(['endDate', 'force']);
    expect(await refused(`/contract-changes/${changeId}/confirm`, { effectiveOn: '2026/08/01' })).toEqual(['effectiveOn']);

    await h.settle();
    expect({ contract: await historyLength(`/contracts/${contract.id}`), change: await historyLength(`/contract-changes/${changeId}`) }).toEqual(before);
    expect((await h.http().get(`/contract-changes/${changeId}`).expect(200)).body).toMatchObject({ status: 'ACCEPTED', lines: [expect.objectContaining({ linkStatus: 'NOT_LINKED' })] });
  });
});
