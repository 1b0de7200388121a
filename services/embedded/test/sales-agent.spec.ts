import { randomUUID } from 'crypto';
import { customerBody, Harness, tokenFor } from './support/harness';

/**
 * A sales agent sells a customer from onboarding to 発注 on their own, but the MCA attestation and
 * deleting an order wait for an admin agent (docs/roles.md); a refusal changes nothing.
 */
describe('a sales agent', () => {
  const salesAgent = tokenFor('sales-agent', 'r-direct');
  const adminAgent = tokenFor('admin-agent', 'r-direct');
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  const attestation = { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' };

  it('onboards a customer and its tenant, may not attest the MCA (403, still NOT_ACCEPTED), then orders and places once an admin agent attested', async () => {
    const customer = (await h.http(salesAgent).post('/customers', customerBody()).expect(201)).body;
    const microsoftTenantId = randomUUID();
    const tenant = (await h.http(salesAgent).post(`/customers/${customer.id}/tenants`, { tenantId: microsoftTenantId, primaryDomain: `c${microsoftTenantId.slice(0, 8)}.onmicrosoft.com` }).expect(201)).body;

    const refused = await h.http(salesAgent).post(`/tenants/${tenant.id}/customer-agreement`, attestation).expect(403);
    expect(refused.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await h.http(salesAgent).post(`/tenants/${tenant.id}/customer-agreement/direct-acceptance`, { acceptedOn: '2026-05-01' }).expect(403)).body.code).toBe('FORBIDDEN');
    const tenants = async () => (await h.http(salesAgent).get(`/customers/${customer.id}/tenants`).expect(200)).body.items;
    expect((await tenants())[0].mcaStatus).toBe('NOT_ACCEPTED');
    expect((await h.http(salesAgent).get(`/tenants/${tenant.id}/history`).expect(200)).body.map((event: { type: string }) => event.type)).toEqual(['TenantRegistered']);

    await h.http(adminAgent).post(`/tenants/${tenant.id}/customer-agreement`, attestation).expect(201);
    expect((await tenants())[0].mcaStatus).toBe('ACCEPTED');
    await h.settle();

    const order = (await h.http(salesAgent).post('/orders', { customerId: customer.id, lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }).expect(201)).body;
    await h.http(salesAgent).post(`/orders/${order.id}/accept`).expect(200);
    await h.http(salesAgent).put(`/orders/${order.id}/provisioning-target`, { tenantId: tenant.id }).expect(200);
    expect((await h.http(salesAgent).post(`/orders/${order.id}/place`).expect(200)).body.status).toBe('PLACED');
  });

  it('may not delete an order (403, still in the list); an admin agent may', async () => {
    const customer = (await h.http(salesAgent).post('/customers', customerBody({ companyName: '削除テスト' })).expect(201)).body;
    const order = (await h.http(salesAgent).post('/orders', { customerId: customer.id, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
    const listed = async () => (await h.http(salesAgent).get(`/orders?customerId=${customer.id}`).expect(200)).body.total;

    expect((await h.http(salesAgent).delete(`/orders/${order.id}`).expect(403)).body.code).toBe('FORBIDDEN');
    expect(await listed()).toBe(1);
    expect((await h.http(salesAgent).get(`/orders/${order.id}`).expect(200)).body.status).toBe('APPLIED');

    await h.http(adminAgent).delete(`/orders/${order.id}`).expect(204);
    expect(await listed()).toBe(0);
  });
});
