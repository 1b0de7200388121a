import { Harness, readyCustomer } from './support/harness';

describe('new-order flow (seed 000) through the HTTP API', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('goes from customer to a placed order, with amounts, labels, list and history', async () => {
    const { customerId, tenantId } = await readyCustomer(h);

    const created = await h
      .http()
      .post('/orders', { customerId, orderDate: '2026-05-15', lines: [{ sku: 'MS-O365-E1', quantity: 3 }, { sku: 'MS-PROJECT-P1', quantity: 1 }] })
      .expect(201);
    const order = created.body;
    expect(order).toMatchObject({
      status: 'APPLIED',
      statusLabel: '申請',
      orderNumber: expect.stringMatching(/^NOD202605-\d{10}$/),
      subject: 'Office 365 E1、Project Plan 1',
      subjectForForms: 'Office 365 E1、Project Plan 1',
      orderDate: '2026-05-15',
      customerCompanyName: '株式会社サンプル',
      subtotal: 3 * 870 + 870,
      tax: 348,
      total: 3480 + 348,
    });
    expect(order.lines.map((line: { placementStatusLabel: string }) => line.placementStatusLabel)).toEqual(['未発注', '未発注']);

    const accepted = await h.http().post(`/orders/${order.id}/accept`, { acceptedOn: '2026-05-15' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', statusLabel: '受付済', acceptedOn: '2026-05-15' });

    await h.http().put(`/orders/${order.id}/provisioning-target`, { tenantId }).expect(200);

    const partial = await h.http().post(`/orders/${order.id}/place`, { lineIds: [order.lines[0].id], placedOn: '2026-05-15' }).expect(200);
    expect(partial.body).toMatchObject({ status: 'PARTIALLY_PLACED', statusLabel: '一部発注済' });
    expect(partial.body.lines[0]).toMatchObject({ placementStatus: 'PLACED', placementStatusLabel: '発注済', placedOn: '2026-05-15', tenantId });
    expect(partial.body.lines[1].placementStatus).toBe('UNPLACED');

    const placed = await h.http().post(`/orders/${order.id}/place`, { placedOn: '2026-05-16' }).expect(200);
    expect(placed.body).toMatchObject({ status: 'PLACED', statusLabel: '発注済' });
    expect(placed.body.lines[1].placedOn).toBe('2026-05-16');

    const detail = await h.http().get(`/orders/${order.id}`).expect(200);
    expect(detail.body).toEqual(placed.body);

    const list = await h.http().get(`/orders?status=PLACED&q=${encodeURIComponent(order.orderNumber)}`).expect(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 30, total: 1 });
    expect(list.body.items[0].id).toBe(order.id);

    const history = await h.http().get(`/orders/${order.id}/history`).expect(200);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual([
      'OrderCreated',
      'OrderAccepted',
      'ProvisioningTargetSelected',
      'OrderPlaced',
      'OrderPlaced',
    ]);
    expect(history.body[1]).toMatchObject({ actor: { id: 'u-admin-agent-r-direct', resellerId: 'r-direct' }, correlationId: expect.any(String) });
  });

  it('takes the correlation id of the request onto the events', async () => {
    const { customerId } = await readyCustomer(h);
    const created = await h
      .http()
      .post('/orders', { customerId, lines: [{ sku: 'MS-M365-BB', quantity: 1 }] })
      .set('X-Correlation-Id', 'corr-seed-000')
      .expect(201);
    const history = await h.http().get(`/orders/${created.body.id}/history`).expect(200);
    expect(history.body[0].correlationId).toBe('corr-seed-000');
  });

  it('lists orders 30 a page, newest first, with the total, filtered by customer and date range', async () => {
    const customer = await h.http().post('/customers', { ...require('./support/harness').customerBody(), companyName: '一覧テスト株式会社' }).expect(201);
    for (let day = 1; day <= 32; day++) {
      const orderDate = `2026-07-${String(Math.min(day, 31)).padStart(2, '0')}`;
      await h.http().post('/orders', { customerId: customer.body.id, orderDate, lines: [{ sku: 'MS-M365-BB', quantity: day }] }).expect(201);
    }
    const first = await h.http().get(`/orders?customerId=${customer.body.id}`).expect(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 30, total: 32 });
    expect(first.body.items).toHaveLength(30);
    expect(first.body.items[0].orderDate).toBe('2026-07-31');
    const second = await h.http().get(`/orders?customerId=${customer.body.id}&page=2`).expect(200);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[1].orderDate).toBe('2026-07-01');
    const ranged = await h.http().get(`/orders?customerId=${customer.body.id}&from=2026-07-10&to=2026-07-12`).expect(200);
    expect(ranged.body.total).toBe(3);
  });
});
