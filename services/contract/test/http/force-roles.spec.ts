import { Harness, tokenFor } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract, changeOnceVendorAnswered } from './change-support';

/**
 * Overriding the supplier's warning (force) is for admin agents and the distributor (docs/roles.md):
 * a sales agent's forced confirmation is refused before anything is committed, while the same
 * confirmation without force, and everything up to it, stays theirs.
 */
describe('confirming a change with force: true, by role', () => {
  const vendors = simulatedVendors();
  const salesAgent = tokenFor('sales-agent', 'r-direct');
  const adminAgent = tokenFor('admin-agent', 'r-direct');
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());
  afterEach(() => (vendors.partnerCenter.latencyMs = 0));

  /** A change a sales agent requested, accepted and linked, while the vendor has not answered yet. */
  async function linkedBySalesAgent(kind: 'cancellations' | 'quantity-changes', quantity: number) {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { token: salesAgent });
    const line = contract.lines[0];
    const changeId = (await h.http(salesAgent).post(`/contracts/${contract.id}/${kind}`, { lines: [{ lineId: line.id, quantity }] }).expect(201)).body.id;
    await h.http(salesAgent).post(`/contract-changes/${changeId}/accept`).expect(200);
    vendors.partnerCenter.latencyMs = 1000;
    const link = kind === 'cancellations' ? 'link-cancellation' : 'link-quantity-change';
    const linked = await h.http(salesAgent).post(`/contract-changes/${changeId}/${link}`).expect(200);
    expect(linked.body.lines[0].vendorStatus).toBe('PENDING');
    return { contract, changeId };
  }

  const historyOf = async (changeId: string) => (await h.http(adminAgent).get(`/contract-changes/${changeId}/history`).expect(200)).body.map((event: { type: string }) => event.type);

  it('解約確定: a sales agent is warned, may not force (403 FORCE_NOT_ALLOWED, nothing recorded); an admin agent may', async () => {
    const { contract, changeId } = await linkedBySalesAgent('cancellations', 3);
    const confirm = (token: string, body: object) => h.http(token).post(`/contract-changes/${changeId}/confirm-cancellation`, { endDate: '2026-07-31', ...body });

    expect((await confirm(salesAgent, {}).expect(409)).body.code).toBe('SUPPLIER_NOT_CONFIRMED');
    const before = await historyOf(changeId);
    const refused = await confirm(salesAgent, { force: true }).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 403, code: 'FORCE_NOT_ALLOWED' });
    expect(await historyOf(changeId)).toEqual(before);
    expect((await h.http(salesAgent).get(`/contract-changes/${changeId}`).expect(200)).body.status).toBe('ACCEPTED');
    expect((await h.http(salesAgent).get(`/contracts/${contract.id}`).expect(200)).body.lines[0].status).toBe('ACTIVE');

    // force: false is no override: the sales agent gets the warning, not a refusal of the role.
    expect((await confirm(salesAgent, { force: false }).expect(409)).body.code).toBe('SUPPLIER_NOT_CONFIRMED');
    expect((await confirm(adminAgent, { force: true }).expect(200)).body).toMatchObject({ status: 'COMPLETED', forced: true });
    await changeOnceVendorAnswered(h, changeId);
  });

  it('a quantity change: the same for confirm-quantity-change; once the vendor confirmed, the sales agent confirms', async () => {
    const { changeId } = await linkedBySalesAgent('quantity-changes', 5);
    const confirm = (token: string, body: object) => h.http(token).post(`/contract-changes/${changeId}/confirm-quantity-change`, body);

    const before = await historyOf(changeId);
    expect((await confirm(salesAgent, { force: true }).expect(403)).body.code).toBe('FORCE_NOT_ALLOWED');
    expect(await historyOf(changeId)).toEqual(before);
    expect((await confirm(salesAgent, {}).expect(409)).body.code).toBe('SUPPLIER_NOT_CONFIRMED');

    expect((await changeOnceVendorAnswered(h, changeId, { token: salesAgent })).lines[0].vendorStatus).toBe('CONFIRMED');
    expect((await confirm(salesAgent, {}).expect(200)).body).toMatchObject({ status: 'COMPLETED', forced: false });
  });

  it('the generic /confirm carries the same rule for every type; a cancellation through it needs its end date (422)', async () => {
    const { contract, changeId } = await linkedBySalesAgent('cancellations', 3);
    const confirm = (token: string, body: object) => h.http(token).post(`/contract-changes/${changeId}/confirm`, body);

    const before = await historyOf(changeId);
    expect((await confirm(salesAgent, { endDate: '2026-07-31', force: true }).expect(403)).body.code).toBe('FORCE_NOT_ALLOWED');
    expect(await historyOf(changeId)).toEqual(before);
    expect((await confirm(salesAgent, { endDate: '2026-07-31' }).expect(409)).body.code).toBe('SUPPLIER_NOT_CONFIRMED');
    expect((await confirm(adminAgent, { force: true }).expect(422)).body.code).toBe('END_DATE_REQUIRED');
    expect((await confirm(adminAgent, { endDate: '2026-07-31', effectiveOn: '2026-08-01', force: true }).expect(422)).body.code).toBe('FIELD_NOT_FOR_CHANGE_TYPE');
    expect((await confirm(adminAgent, { endDate: '2026-07-31', force: true }).expect(200)).body).toMatchObject({ status: 'COMPLETED', forced: true, endDate: '2026-07-31' });
    expect((await h.http(adminAgent).get(`/contracts/${contract.id}`).expect(200)).body.lines[0].status).toBe('CANCELLED');
    await changeOnceVendorAnswered(h, changeId);
  });

  it('the generic /link links a quantity change like link-quantity-change', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { token: adminAgent });
    const changeId = (await h.http(adminAgent).post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: contract.lines[0].id, quantity: 4 }] }).expect(201)).body.id;
    await h.http(adminAgent).post(`/contract-changes/${changeId}/accept`).expect(200);
    expect((await h.http(adminAgent).post(`/contract-changes/${changeId}/link`, {}).expect(200)).body.lines[0].linkStatus).toBe('LINKED');
    await changeOnceVendorAnswered(h, changeId, { token: adminAgent });
    expect((await h.http(adminAgent).post(`/contract-changes/${changeId}/confirm`, {}).expect(200)).body).toMatchObject({ status: 'COMPLETED', type: 'ADD' });
  });
});
