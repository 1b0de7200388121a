import { Harness } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract, changeOnceVendorAnswered, subscription } from './change-support';

/** Seed 001 (解約) through the API: contract service and provisioning with the simulated vendors, embedded. */
describe('cancellation (解約) of a contract, seed 001', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());
  afterEach(() => (vendors.partnerCenter.latencyMs = 0));

  it('request 3 of Office 365 E1 on a two-line contract → accept, revoke, accept → link → confirm forced before the vendor answered → 解約済, the other line 契約中', async () => {
    const contract = await activeContract(h, [
      { sku: 'MS-O365-E1', quantity: 3 },
      { sku: 'MS-PROJECT-P1', quantity: 2 },
    ]);
    const [e1, project] = contract.lines;

    // 1. 解約手続き
    const requested = await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: e1.id, quantity: 3 }], requestedOn: '2026-07-20' }).expect(201);
    const changeId = requested.body.id;
    expect(requested.body).toMatchObject({
      contractId: contract.id,
      contractNumber: contract.contractNumber,
      orderNumber: contract.orderNumber,
      type: 'CANCELLATION',
      typeLabel: '解約',
      status: 'APPLIED',
      statusLabel: '申請',
      requestedOn: '2026-07-20',
      subject: 'テスト',
      customerCompanyName: 'factory2016T',
      userCompanyName: 'factory2016T',
      lines: [expect.objectContaining({ lineId: e1.id, quantity: 3, currentQuantity: 3, newQuantity: 0, linkStatus: 'NOT_LINKED', linkStatusLabel: '未連携' })],
    });

    // 契約変更一覧
    const list = await h.http().get(`/contract-changes?contractId=${contract.id}`).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.body.items[0]).toMatchObject({ id: changeId, contractNumber: contract.contractNumber, typeLabel: '解約', statusLabel: '申請', customerCompanyName: 'factory2016T' });
    expect(list.body.items[0].state).toBeUndefined();

    // 2. 受付, 受付取消 (allowed before linking), 受付 again
    expect((await h.http().post(`/contract-changes/${changeId}/accept`).expect(200)).body).toMatchObject({ status: 'ACCEPTED', statusLabel: '受付済' });
    expect((await h.http().post(`/contract-changes/${changeId}/revoke-acceptance`).expect(200)).body.status).toBe('APPLIED');
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);

    // 3. 解約連携, the vendor is slow: the confirmation is not there yet
    vendors.partnerCenter.latencyMs = 1500;
    const linked = await h.http().post(`/contract-changes/${changeId}/link-cancellation`, { lineIds: [e1.id] }).expect(200);
    expect(linked.body.lines[0]).toMatchObject({ linkStatus: 'LINKED', linkStatusLabel: '連携済', vendorStatus: 'PENDING' });

    // 4. 解約確定, forced: the vendor has not confirmed yet
    const confirmed = await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-31', force: true }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'COMPLETED', statusLabel: '変更済', endDate: '2026-07-31', forced: true });

    const after = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true, endDate: null });
    expect(after.lines).toEqual([
      expect.objectContaining({ id: e1.id, status: 'CANCELLED', statusLabel: '解約済', quantity: 3, endDate: '2026-07-31', cancelledOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
      expect.objectContaining({ id: project.id, status: 'ACTIVE', statusLabel: '契約中', quantity: 2, endDate: null }),
    ]);

    // The vendor confirms after all: the change records it; the subscription is cancelled.
    const answered = await changeOnceVendorAnswered(h, changeId);
    expect(answered.lines[0]).toMatchObject({ vendorStatus: 'CONFIRMED' });
    expect(await subscription(h, e1.subscriptionId)).toMatchObject({ status: 'CANCELLED', quantity: 0 });
    expect(await subscription(h, project.subscriptionId)).toMatchObject({ status: 'ACTIVE', quantity: 2 });

    const history = await h.http().get(`/contract-changes/${changeId}/history`).expect(200);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual([
      'ContractChangeRequested',
      'ContractChangeAccepted',
      'ContractChangeAcceptanceRevoked',
      'ContractChangeAccepted',
      'CancellationLinked',
      'CancellationConfirmed',
      'VendorConfirmationRecorded',
    ]);
  });

  it('全選択 once the vendor confirmed: no warning, the contract is 解約済 with end and cancellation dates and billing off', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { companyName: '株式会社全解約' });
    const requested = await h.http().post(`/contracts/${contract.id}/cancellations`, { all: true }).expect(201);
    const changeId = requested.body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');

    const confirmed = await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-31' }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'COMPLETED', forced: false });
    const row = (await h.http().get(`/contracts?q=${contract.contractNumber}`).expect(200)).body.items[0];
    expect(row).toMatchObject({ status: 'CANCELLED', statusLabel: '解約済', billing: false, endDate: '2026-07-31', cancelledOn: expect.any(String) });
    expect((await h.http().get(`/contracts?status=CANCELLED`).expect(200)).body.items.map((item: { id: string }) => item.id)).toContain(contract.id);
    expect(await subscription(h, contract.lines[0].subscriptionId)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a reduction (解約 of fewer seats than the line has): the line runs on with the rest, at the vendor too', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 5 }]);
    const [line] = contract.lines;
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { lines: [{ lineId: line.id, quantity: 2 }] }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    await changeOnceVendorAnswered(h, changeId);
    await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-31' }).expect(200);

    const after = (await h.http().get(`/contracts/${contract.id}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'ACTIVE', billing: true });
    expect(after.lines[0]).toMatchObject({ status: 'ACTIVE', quantity: 3, endDate: null, cancelledOn: null });
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ status: 'ACTIVE', quantity: 3 });
  });

  it('on-premises software inside its refund window: cancelled and its key revoked', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-WINSRV-2022-STD', quantity: 1 }]);
    const [line] = contract.lines;
    const until = (await subscription(h, line.subscriptionId)).cancellationAllowedUntil as string;
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { all: true, requestedOn: until }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    expect((await changeOnceVendorAnswered(h, changeId)).lines[0].vendorStatus).toBe('CONFIRMED');
    await h.http().post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: until }).expect(200);
    expect(await subscription(h, line.subscriptionId)).toMatchObject({ status: 'CANCELLED', productKeyRevoked: true });
    expect((await h.http().get(`/contracts/${contract.id}`).expect(200)).body.status).toBe('CANCELLED');
  });

  it('on-premises software past its refund window: the vendor refuses, the change shows why and is withdrawn, the line is free again', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-WINSRV-2022-STD', quantity: 1 }]);
    const [line] = contract.lines;
    const changeId = (await h.http().post(`/contracts/${contract.id}/cancellations`, { all: true, requestedOn: '2099-01-01' }).expect(201)).body.id;
    await h.http().post(`/contract-changes/${changeId}/accept`).expect(200);
    await h.http().post(`/contract-changes/${changeId}/link-cancellation`).expect(200);
    const refused = await changeOnceVendorAnswered(h, changeId);
    expect(refused.lines[0]).toMatchObject({ vendorStatus: 'REFUSED', vendorReason: expect.stringContaining('返金期間') });

    expect((await h.http().post(`/contract-changes/${changeId}/withdraw`).expect(200)).body).toMatchObject({ status: 'WITHDRAWN', statusLabel: 'キャンセル' });
    const unchanged = await subscription(h, line.subscriptionId);
    expect(unchanged).toMatchObject({ status: 'ACTIVE', quantity: 1, lastChangeError: expect.stringContaining('返金期間') });
    expect(unchanged.productKeyRevoked).not.toBe(true);
    // The line is free again.
    await h.http().post(`/contracts/${contract.id}/cancellations`, { all: true }).expect(201);
  });
});
