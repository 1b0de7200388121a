import { asDistributor, Harness, readyCustomer } from './support/harness';

describe('embedded runtime: restarts and concurrent writers', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('keeps every customer, tenant and order across a restart; read models come back from the events', async () => {
    const { customerId, tenantId } = await readyCustomer(h);
    const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }).expect(201)).body;
    await h.http().post(`/orders/${order.id}/accept`).expect(200);
    const before = (await h.http().get(`/orders/${order.id}`).expect(200)).body;

    await h.restart();

    expect((await h.http().get(`/orders/${order.id}`).expect(200)).body).toEqual(before);
    expect((await h.http().get(`/customers/${customerId}`).expect(200)).body.companyName).toBe('株式会社サンプル');
    const tenants = (await h.http().get(`/customers/${customerId}/tenants`).expect(200)).body.items;
    expect(tenants).toEqual([expect.objectContaining({ id: tenantId, mcaStatus: 'ACCEPTED' })]);
    // The order service's copy of the tenants came back too: placement still passes the MCA gate.
    await h.settle();
    expect((await h.http().post(`/orders/${order.id}/place`).expect(200)).body.status).toBe('PLACED');
    // Numbers keep growing after a restart.
    const next = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
    expect(Number(next.orderNumber.split('-')[1])).toBeGreaterThan(Number(order.orderNumber.split('-')[1]));
  });

  it('two concurrent accepts of one order: exactly one 200 and one 409', async () => {
    const { customerId } = await readyCustomer(h);
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
      const answers = await Promise.all([h.http().post(`/orders/${order.id}/accept`), h.http().post(`/orders/${order.id}/accept`)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const history = (await h.http().get(`/orders/${order.id}/history`).expect(200)).body;
      expect(history.filter((event: { type: string }) => event.type === 'OrderAccepted')).toHaveLength(1);
    }
  });

  it('concurrent creates never share an order number', async () => {
    const { customerId } = await readyCustomer(h);
    const created = await Promise.all(
      Array.from({ length: 20 }, () => h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] })),
    );
    const numbers = created.map((answer) => answer.body.orderNumber);
    expect(created.every((answer) => answer.status === 201)).toBe(true);
    expect(new Set(numbers).size).toBe(20);
  });

  it('ops rebuild a projection from position 0 and get the same read model back (distributor staff only)', async () => {
    const { customerId } = await readyCustomer(h);
    const order = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 2 }] }).expect(201)).body;
    await h.http().post(`/orders/${order.id}/accept`).expect(200);
    const before = (await h.http().get(`/orders/${order.id}`).expect(200)).body;
    const listBefore = (await h.http().get('/orders').expect(200)).body.total;

    await h.http().post('/ops/projections/order-screens/rebuild').expect(403);
    const rebuilt = await h.http(asDistributor).post('/ops/projections/order-screens/rebuild').expect(200);
    expect(rebuilt.body).toMatchObject({ service: 'order', name: 'order-screens', checkpoint: expect.any(Number) });

    expect((await h.http().get(`/orders/${order.id}`).expect(200)).body).toEqual(before);
    expect((await h.http().get('/orders').expect(200)).body.total).toBe(listBefore);
    const projections = (await h.http(asDistributor).get('/ops/projections').expect(200)).body.items;
    expect(projections.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['order-screens', 'tenants']));
    await h.http(asDistributor).post('/ops/projections/nope/rebuild').expect(404);
  });
});
