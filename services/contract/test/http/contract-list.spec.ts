import { TOPICS } from '@lp/integration-events';
import { asDirect, asDistributor, asIndirect, contractBody, Harness, placedOrder, publishSubscription, tokenFor } from './support';

describe('契約一覧, reseller isolation, published events and restarts on the embedded runtime', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  it('lists 20 a page, newest first, with the total, filtered by customer, status, contract date and text', async () => {
    const skus = Array.from({ length: 22 }, (_, index) => (index % 2 ? 'SN-POCKETALK-CC-M' : 'MS-O365-E1'));
    const order = await placedOrder(h, skus, { companyName: '一覧テスト株式会社' });
    const ids: string[] = [];
    for (const [index, line] of order.lines.entries()) {
      const contractDate = `2026-08-${String(index + 1).padStart(2, '0')}`;
      const created = await h.http().post('/contracts', contractBody(order, { lineIds: [line.id], contractDate, subject: `件名 ${index + 1}` })).expect(201);
      ids.push(created.body.id);
    }
    const byCustomer = `/contracts?customerId=${order.customerId}`;

    const first = await h.http().get(byCustomer).expect(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 20, total: 22 });
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[0]).toMatchObject({
      id: ids[21],
      contractDate: '2026-08-22',
      status: 'PENDING',
      statusLabel: '新規契約手続中',
      contractNumber: expect.stringMatching(/^NCN202608-\d{10}$/),
      customerId: order.customerId,
      customerCompanyName: '一覧テスト株式会社',
      productNames: ['ポケトーク字幕 (月額)'],
      subject: '件名 22',
      startDate: null,
      endDate: null,
      cancelledOn: null,
      billing: false,
    });
    const second = await h.http().get(`${byCustomer}&page=2`).expect(200);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[1], ids[0]]);

    const ranged = await h.http().get(`${byCustomer}&from=2026-08-10&to=2026-08-12`).expect(200);
    expect(ranged.body.total).toBe(3);

    await publishSubscription(h, order, order.lines[4].id, 'ACTIVE');
    await h.http().post(`/contracts/${ids[4]}/confirm`, { startDate: '2026-08-05' }).expect(200);
    const active = await h.http().get(`${byCustomer}&status=ACTIVE`).expect(200);
    expect(active.body.total).toBe(1);
    expect(active.body.items[0]).toMatchObject({ id: ids[4], statusLabel: '契約中', startDate: '2026-08-05', billing: true, productNames: ['Office 365 E1'] });
    expect((await h.http().get(`${byCustomer}&status=PENDING`).expect(200)).body.total).toBe(21);

    const bySubject = await h.http().get(`${byCustomer}&q=${encodeURIComponent('件名 13')}`).expect(200);
    expect(bySubject.body.items.map((item: { id: string }) => item.id)).toEqual([ids[12]]);
    const byNumber = await h.http().get(`/contracts?q=${first.body.items[3].contractNumber}`).expect(200);
    expect(byNumber.body.items.map((item: { id: string }) => item.id)).toEqual([first.body.items[3].id]);
    const byOrderNumber = await h.http().get(`/contracts?q=${order.orderNumber}`).expect(200);
    expect(byOrderNumber.body.total).toBe(22);

    const small = await h.http().get(`${byCustomer}&pageSize=5&page=5`).expect(200);
    expect(small.body).toMatchObject({ page: 5, pageSize: 5, total: 22 });
    expect(small.body.items).toHaveLength(2);
    await h.http().get('/contracts?status=NOPE').expect(400);
  });

  it('shows every product name of a contract once, in line order', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1', 'MS-O365-E1']);
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);
    const [row] = (await h.http().get(`/contracts?q=${created.body.contractNumber}`).expect(200)).body.items;
    expect(row.productNames).toEqual(['Office 365 E1', 'Project Plan 1']);
  });

  it('keeps each reseller to its own contracts; sales agents work too; the distributor sees all', async () => {
    const order = await placedOrder(h, ['MS-O365-E1', 'MS-PROJECT-P1']);
    const salesAgent = tokenFor('sales-agent', 'r-direct');
    const created = await h.http(salesAgent).post('/contracts', contractBody(order, { lineIds: [order.lines[0].id] })).expect(201);
    const path = `/contracts/${created.body.id}`;

    await h.http(asIndirect).get(path).expect(404);
    await h.http(asIndirect).get(`${path}/history`).expect(404);
    const indirectList = await h.http(asIndirect).get(`/contracts?customerId=${order.customerId}`).expect(200);
    expect(indirectList.body.total).toBe(0);
    const indirectAll = await h.http(asIndirect).get('/contracts').expect(200);
    expect(indirectAll.body.items.every((item: { resellerId: string }) => item.resellerId === 'r-indirect')).toBe(true);

    await h.http(salesAgent).get(path).expect(200);
    expect((await h.http(asDistributor).get(path).expect(200)).body.id).toBe(created.body.id);
    expect((await h.http(asDistributor).get(`/contracts?customerId=${order.customerId}`).expect(200)).body.total).toBe(1);
    await h.http(asDistributor).post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(201);
    await h.http(null).get('/contracts').expect(401);
  });

  it('publishes ContractCreated and ContractConfirmed on contract.events, and nothing of its bookkeeping', async () => {
    const order = await placedOrder(h, ['SN-POCKETALK-CC-M']);
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);
    await publishSubscription(h, order, order.lines[0].id, 'ACTIVE');
    await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate: '2026-06-01' }).expect(200);
    await h.settle();

    const seen = await h.publishedOn(TOPICS.contract);

    expect(new Set(seen.map((event) => event.type))).toEqual(new Set(['ContractCreated', 'ContractConfirmed']));
    const ours = seen.filter((event) => event.streamId === `contract-${created.body.id}`);
    expect(ours.map((event) => event.type)).toEqual(['ContractCreated', 'ContractConfirmed']);
    expect(ours[0].data).toMatchObject({ contractId: created.body.id, contractNumber: created.body.contractNumber, orderId: order.id, resellerId: 'r-direct' });
    expect(ours[1].data).toMatchObject({
      contractId: created.body.id,
      lines: [expect.objectContaining({ orderLineId: order.lines[0].id, startDate: '2026-06-01', billingPolicy: 'stellr-cutoff', subscriptionId: expect.any(String) })],
    });
  });

  it('keeps contracts, what it learned from other services, reservations and numbers across a restart', async () => {
    const order = await placedOrder(h, ['SN-POCKETALK-CC-M', 'SN-POCKETALK-CC-M', 'SN-POCKETALK-CC-M'], { companyName: '再起動株式会社' });
    const created = await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id] })).expect(201);
    await publishSubscription(h, order, order.lines[0].id, 'ACTIVE');
    await publishSubscription(h, order, order.lines[1].id, 'ACTIVE');
    const confirmed = await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate: '2026-06-01' }).expect(200);

    await h.restart();
    await h.settle();

    const path = `/contracts/${created.body.id}`;
    expect((await h.http().get(path).expect(200)).body).toEqual(confirmed.body);
    expect((await h.http().get(`${path}/history`).expect(200)).body).toHaveLength(2);
    const list = await h.http().get(`/contracts?customerId=${order.customerId}`).expect(200);
    expect(list.body.items[0]).toMatchObject({ customerCompanyName: '再起動株式会社', status: 'ACTIVE' });

    // The reservation holds, the placed lines and the ACTIVE subscription are still known, the sequence goes on.
    expect((await h.http().post('/contracts', contractBody(order, { lineIds: [order.lines[0].id] })).expect(422)).body.code).toBe('LINE_ALREADY_CONTRACTED');
    const next = await h.http(asDirect).post('/contracts', contractBody(order, { lineIds: [order.lines[1].id] })).expect(201);
    expect(Number(next.body.contractNumber.slice(-10))).toBeGreaterThan(Number(created.body.contractNumber.slice(-10)));
    await h.http().post(`/contracts/${next.body.id}/confirm`, {}).expect(200);
  });
});
