import { asDirect, asDistributor, asIndirect, customerBody, Harness, tokenFor, withReadyCustomer } from './support/harness';

const PROBLEM_JSON = /application\/problem\+json/;

describe('refusals through the HTTP API: problem+json, the right code, and nothing changed', () => {
  let h: Harness;
  let customerId: string;
  let tenantId: string;
  withReadyCustomer((ready) => ({ h, customerId, tenantId } = ready));

  const newOrder = async (body: object = {}) =>
    (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }], ...body }).expect(201)).body;
  const historyTypes = async (orderId: string) => (await h.http().get(`/orders/${orderId}/history`).expect(200)).body.map((e: { type: string }) => e.type);

  it('401 without a token or with a bad one', async () => {
    const none = await h.http(null).get('/orders').expect(401);
    expect(none.headers['content-type']).toMatch(PROBLEM_JSON);
    await h.http('not-a-jwt').get('/orders').expect(401);
  });

  it('400 lists every bad field of a customer and an order, and creates nothing', async () => {
    const bad = await h
      .http()
      .post('/customers', customerBody({ companyNameKana: 'かな', address: { postalCode: '12', prefecture: '', city: 'x', address1: 'y' }, contact: { name: 'n', phone: 'abc', email: 'nope' } }))
      .expect(400);
    expect(bad.headers['content-type']).toMatch(PROBLEM_JSON);
    const paths = bad.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['companyNameKana', 'address.postalCode', 'address.prefecture', 'contact.phone', 'contact.email']));
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });

    const before = (await h.http().get('/orders').expect(200)).body.total;
    const order = await h
      .http()
      .post('/orders', { customerId, orderDate: '2026-02-30', lines: [{ sku: 'MS-O365-E1', quantity: 0 }, { sku: 'NOPE', quantity: 1 }] })
      .expect(400);
    expect(order.body.errors.map((error: { path: string }) => error.path)).toEqual(expect.arrayContaining(['orderDate', 'lines[0].quantity']));
    const unknownSku = await h.http().post('/orders', { customerId, lines: [{ sku: 'NOPE', quantity: 1 }] }).expect(400);
    expect(unknownSku.body.errors).toEqual([{ path: 'lines[0].sku', message: expect.stringContaining('NOPE') }]);
    expect((await h.http().get('/orders').expect(200)).body.total).toBe(before);
  });

  it('StreamOne lines need the PO number (発注番号)', async () => {
    const refused = await h.http().post('/orders', { customerId, lines: [{ sku: 'SN-POCKETALK-CC-M', quantity: 10 }] }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'purchaseOrderNumber' })]);
    await h.http().post('/orders', { customerId, purchaseOrderNumber: 'PO-1', lines: [{ sku: 'SN-POCKETALK-CC-M', quantity: 10 }] }).expect(201);
  });

  it('409 DUPLICATE_ORDER_NUMBER for a manual number already used, and a refused order burns no number', async () => {
    await newOrder({ orderNumber: 'NOD209912-0000000001' });
    const duplicate = await h.http().post('/orders', { customerId, orderNumber: 'NOD209912-0000000001', lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(409);
    expect(duplicate.body).toMatchObject({ status: 409, code: 'DUPLICATE_ORDER_NUMBER' });

    const a = await newOrder();
    await h.http().post('/orders', { customerId, lines: [{ sku: 'SN-POCKETALK-CC-M', quantity: 1 }] }).expect(400);
    const b = await newOrder();
    const sequence = (n: string) => Number(n.split('-')[1]);
    expect(sequence(b.orderNumber)).toBe(sequence(a.orderNumber) + 1);
  });

  it('409 INVALID_STATE for accept twice, place before accept, delete after accept', async () => {
    const order = await newOrder();
    const early = await h.http().post(`/orders/${order.id}/place`).expect(409);
    expect(early.body.code).toBe('INVALID_STATE');
    await h.http().post(`/orders/${order.id}/accept`).expect(200);
    expect((await h.http().post(`/orders/${order.id}/accept`).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await h.http().delete(`/orders/${order.id}`).expect(409)).body.code).toBe('INVALID_STATE');
    expect(await historyTypes(order.id)).toEqual(['OrderCreated', 'OrderAccepted']);
  });

  it('409 ALREADY_PLACED for revoke acceptance and cancel after a placement', async () => {
    const order = await newOrder();
    await h.http().post(`/orders/${order.id}/accept`).expect(200);
    await h.http().post(`/orders/${order.id}/place`).expect(200);
    expect((await h.http().post(`/orders/${order.id}/revoke-acceptance`).expect(409)).body.code).toBe('ALREADY_PLACED');
    expect((await h.http().post(`/orders/${order.id}/cancel`).expect(409)).body.code).toBe('ALREADY_PLACED');
  });

  it('revoke acceptance, cancel and delete where allowed; a deleted order leaves the list', async () => {
    const order = await newOrder();
    await h.http().post(`/orders/${order.id}/accept`).expect(200);
    expect((await h.http().post(`/orders/${order.id}/revoke-acceptance`).expect(200)).body).toMatchObject({ status: 'APPLIED', acceptedOn: null });
    const cancelled = await newOrder();
    expect((await h.http().post(`/orders/${cancelled.id}/cancel`).expect(200)).body.statusLabel).toBe('キャンセル');
    await h.http().delete(`/orders/${order.id}`).expect(204);
    const list = await h.http().get(`/orders?q=${order.orderNumber}`).expect(200);
    expect(list.body.total).toBe(0);
    expect((await h.http().get(`/orders?status=DELETED&q=${order.orderNumber}`).expect(200)).body.total).toBe(1);
    expect(await historyTypes(order.id)).toContain('OrderDeleted');
  });

  it('422 TENANT_NOT_OF_CUSTOMER, TENANT_REQUIRED and MCA_NOT_ACCEPTED', async () => {
    // Another customer with two tenants, neither attested.
    const other = (await h.http().post('/customers', customerBody({ companyName: '別会社' })).expect(201)).body;
    const t1 = (await h.http().post(`/customers/${other.id}/tenants`, { tenantId: '22222222-2222-4222-8222-222222222222', primaryDomain: 'a.onmicrosoft.com' }).expect(201)).body;
    await h.http().post(`/customers/${other.id}/tenants`, { tenantId: '33333333-3333-4333-8333-333333333333', primaryDomain: 'b.onmicrosoft.com' }).expect(201);
    await h.settle();

    const order = await newOrder();
    const notOurs = await h.http().put(`/orders/${order.id}/provisioning-target`, { tenantId: t1.id }).expect(422);
    expect(notOurs.body.code).toBe('TENANT_NOT_OF_CUSTOMER');

    const otherOrder = (await h.http().post('/orders', { customerId: other.id, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
    await h.http().post(`/orders/${otherOrder.id}/accept`).expect(200);
    expect((await h.http().post(`/orders/${otherOrder.id}/place`).expect(422)).body.code).toBe('TENANT_REQUIRED');
    await h.http().put(`/orders/${otherOrder.id}/provisioning-target`, { tenantId: t1.id }).expect(200);
    const mca = await h.http().post(`/orders/${otherOrder.id}/place`).expect(422);
    expect(mca.body).toMatchObject({ status: 422, code: 'MCA_NOT_ACCEPTED' });
    expect(await historyTypes(otherOrder.id)).toEqual(['OrderCreated', 'OrderAccepted', 'ProvisioningTargetSelected']);

    await h.http().post(`/tenants/${t1.id}/customer-agreement/direct-acceptance`, { acceptedOn: '2026-05-01' }).expect(201);
    await h.settle();
    expect((await h.http().post(`/orders/${otherOrder.id}/place`).expect(200)).body.status).toBe('PLACED');
    void tenantId;
  });

  it('MCA attestation: DATE_IN_FUTURE (422), INDIRECT_RESELLER_CANNOT_ATTEST (403), distributor may attest for the indirect reseller', async () => {
    const future = '2099-01-01';
    const indirectCustomer = (await h.http(asIndirect).post('/customers', customerBody()).expect(201)).body;
    const tenant = (await h.http(asIndirect).post(`/customers/${indirectCustomer.id}/tenants`, { tenantId: '44444444-4444-4444-8444-444444444444', primaryDomain: 'i.onmicrosoft.com' }).expect(201)).body;
    const attestation = { firstName: '花子', lastName: '鈴木', email: 'suzuki@example.jp', acceptedOn: '2026-05-01' };
    const refused = await h.http(asIndirect).post(`/tenants/${tenant.id}/customer-agreement`, attestation).expect(403);
    expect(refused.body.code).toBe('INDIRECT_RESELLER_CANNOT_ATTEST');
    const futureDate = await h.http(asDistributor).post(`/tenants/${tenant.id}/customer-agreement`, { ...attestation, acceptedOn: future }).expect(422);
    expect(futureDate.body.code).toBe('DATE_IN_FUTURE');
    expect((await h.http(asIndirect).get(`/customers/${indirectCustomer.id}/tenants`).expect(200)).body.items[0].mcaStatus).toBe('NOT_ACCEPTED');
    await h.http(asDistributor).post(`/tenants/${tenant.id}/customer-agreement`, attestation).expect(201);
    const tenants = (await h.http(asIndirect).get(`/customers/${indirectCustomer.id}/tenants`).expect(200)).body.items;
    expect(tenants[0]).toMatchObject({ mcaStatus: 'ACCEPTED', customerAgreement: { method: 'PARTNER_ATTESTATION', acceptedOn: '2026-05-01' } });
  });

  it("404 for another reseller's order, customer and tenant; the distributor sees them", async () => {
    const order = await newOrder();
    expect((await h.http(asIndirect).get(`/orders/${order.id}`).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    await h.http(asIndirect).post(`/orders/${order.id}/accept`).expect(404);
    await h.http(asIndirect).get(`/customers/${customerId}`).expect(404);
    await h.http(asIndirect).get(`/customers/${customerId}/tenants`).expect(404);
    expect((await h.http(asIndirect).get(`/orders?q=${order.orderNumber}`).expect(200)).body.total).toBe(0);
    await h.http(asDistributor).get(`/orders/${order.id}`).expect(200);
    expect(await historyTypes(order.id)).toEqual(['OrderCreated']);
    void tokenFor;
  });

  it('Idempotency-Key: a repeated POST answers the first response and creates nothing again', async () => {
    const body = { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 2 }] };
    const first = await h.http().post('/orders', body).set('Idempotency-Key', 'key-1').expect(201);
    const again = await h.http().post('/orders', body).set('Idempotency-Key', 'key-1').expect(201);
    expect(again.body).toEqual(first.body);
    const list = await h.http().get(`/orders?q=${first.body.orderNumber}`).expect(200);
    expect(list.body.total).toBe(1);
    await h.http().post('/orders', { ...body, lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }).set('Idempotency-Key', 'key-1').expect(422);
  });

  it('GET /products lists the catalog', async () => {
    const products = await h.http().get('/products').expect(200);
    expect(products.body.items.map((p: { sku: string }) => p.sku)).toEqual(expect.arrayContaining(['MS-O365-E1', 'SN-POCKETALK-SI-Y', 'MS-WINSRV-2022-STD']));
  });

  it('health and the OpenAPI document need no token; metrics need distributor staff', async () => {
    await h.http(null).get('/health/live').expect(200);
    await h.http(null).get('/health/ready').expect(200);
    await h.http(null).get('/metrics').expect(401);
    await h.http(asDirect).get('/metrics').expect(403);
    const metrics = await h.http(asDistributor).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration');
    const doc = await h.http(null).get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{id}/place', '/customers/{customerId}/tenants']));
    void asDirect;
  });
});
