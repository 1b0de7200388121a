import { Harness, tokenFor } from './support';
import { simulatedVendors } from '../../../provisioning/test/http/support';
import { activeContract, changeOnceVendorAnswered } from './change-support';

/**
 * The generic /link and /confirm do for a change what its typed link and confirmation do. Who may
 * force a confirmation, and the refusals on the way, are contract-change-rules.spec.ts's scenarios.
 */
describe('the generic /link and /confirm of a change', () => {
  const vendors = simulatedVendors();
  const adminAgent = tokenFor('admin-agent', 'r-direct');
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());

  it('/link links a quantity change like link-quantity-change, /confirm confirms it as an add', async () => {
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }], { token: adminAgent });
    const changeId = (await h.http(adminAgent).post(`/contracts/${contract.id}/quantity-changes`, { lines: [{ lineId: contract.lines[0].id, quantity: 4 }] }).expect(201)).body.id;
    await h.http(adminAgent).post(`/contract-changes/${changeId}/accept`).expect(200);
    expect((await h.http(adminAgent).post(`/contract-changes/${changeId}/link`, {}).expect(200)).body.lines[0].linkStatus).toBe('LINKED');
    await changeOnceVendorAnswered(h, changeId, { token: adminAgent });
    expect((await h.http(adminAgent).post(`/contract-changes/${changeId}/confirm`, {}).expect(200)).body).toMatchObject({ status: 'COMPLETED', type: 'ADD' });
  });
});
