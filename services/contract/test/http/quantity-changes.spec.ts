import { TOPICS } from '@lp/integration-events';
import { Harness } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract, changeOnceVendorAnswered, subscription } from './change-support';

/** Seed 002's add (追加) and reduction (数量・商品変更) as contract changes, through the API, embedded. */
describe('quantity changes (POST /contracts/:id/quantity-changes)', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());

  async function throughTheVendor(changeId: string) {
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-quantity-change`).expect(200);
    return changeOnceVendorAnswered(h, changeId);
  }

  it('an add (追加): 5 → 7 seats, accepted, linked, confirmed by the vendor, then in force on the contract and at the vendor', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 5 }]);
    const [line] = contract.lines;
    const requested = await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: line.id, quantity: 7 }], requestedOn: '2026-07-10' }).expect(201);
    expect(requested.body).toMatchObject({ type: 'ADD', typeLabel: '追加', status: 'APPLIED', lines: [expect.objectContaining({ currentQuantity: 5, quantity: 7, newQuantity: 7 })] });
    const changeId = requested.body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-quantity-change`).expect(200);
    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ status: 'ACTIVE', quantity: 7 });

    const confirmed = await h.http().post(`/contract-changes/${changeId}/confirm-quantity-change`, { effectiveOn: '2026-08-01' }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'COMPLETED', statusLabel: '変更済', effectiveOn: '2026-08-01', forced: false });
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 7 });
    expect((await h.http().get(`/contract-changes?type=ADD&contractId=${contract.id}`).expect(200)).body.total).toBe(1);
  });

  it('a reduction (数量・商品変更): 5 → 2 seats', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 5 }]);
    const [line] = contract.lines;
    const requested = await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: line.id, quantity: 2 }] }).expect(201);
    expect(requested.body).toMatchObject({ type: 'CHANGE', typeLabel: '数量・商品変更' });
    await throughTheVendor(requested.body.id);
    await h.http().post(`/contract-changes/${requested.body.id}/confirm-quantity-change`, {}).expect(200);
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 2 });
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ quantity: 2 });
  });

  it('publishes the change on contract.events, and nothing of the line lock', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 5 }]);
    const changeId = (await h.http().post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: contract.lines[0].id, quantity: 6 }] }).expect(201)).body.id;
    await throughTheVendor(changeId);
    await h.http().post(`/contract-changes/${changeId}/confirm-quantity-change`, { effectiveOn: '2026-08-01' }).expect(200);
    await h.settle();

    const seen = await h.publishedOn(TOPICS.contract);

    const ours = seen.filter((event) => (event.data as { changeId?: string }).changeId === changeId);
    expect(ours.map((event) => event.type)).toEqual(['ContractChangeRequested', 'ContractChangeAccepted', 'QuantityChangeLinked', 'QuantityChanged']);
    expect(ours.every((event) => event.streamId === `contractChange-${changeId}`)).toBe(true);
    expect(ours[3].data).toMatchObject({
      contractId: contract.id,
      type: 'ADD',
      effectiveOn: '2026-08-01',
      lines: [expect.objectContaining({ lineId: contract.lines[0].id, previousQuantity: 5, newQuantity: 6, subscriptionId: contract.lines[0].subscriptionId })],
    });
    const types = new Set(seen.map((event) => event.type));
    for (const internal of ['ContractChangeOpened', 'ContractLineQuantitiesChanged', 'VendorConfirmationRecorded']) expect(types).not.toContain(internal);
  });
});
