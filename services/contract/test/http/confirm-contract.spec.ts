import { asIndirect, contractBody, Harness, placedOrder, publishSubscription } from './support';

describe('POST /contracts/:id/confirm (契約確定) on the embedded runtime', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  // Manually provisioned products: provisioning itself never makes them ACTIVE, so only the events
  // published here decide (the contract service is driven on its own).
  const MANUAL = ['SN-POCKETALK-CC-M', 'SN-POCKETALK-SI-Y'];

  it('refuses before the subscription is ACTIVE (409 PROVISIONING_NOT_COMPLETE), confirms after: 契約中 from the start date', async () => {
    const order = await placedOrder(h, MANUAL);
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);

    const noSubscription = await h.http().post(`/contracts/${created.body.id}/confirm`, {}).expect(409);
    expect(noSubscription.body).toMatchObject({ status: 409, code: 'PROVISIONING_NOT_COMPLETE' });

    await publishSubscription(h, order, order.lines[0].id, 'MANUAL_PROVISIONING');
    await publishSubscription(h, order, order.lines[1].id, 'FAILED');
    const waiting = await h.http().post(`/contracts/${created.body.id}/confirm`, {}).expect(409);
    expect(waiting.body.code).toBe('PROVISIONING_NOT_COMPLETE');
    expect(waiting.body.detail).toMatch(/MANUAL_PROVISIONING/);
    expect((await h.http().get(`/contracts/${created.body.id}`).expect(200)).body.status).toBe('PENDING');

    const first = await publishSubscription(h, order, order.lines[0].id, 'ACTIVE');
    await publishSubscription(h, order, order.lines[1].id, 'PROVISIONING');
    await publishSubscription(h, order, order.lines[1].id, 'ACTIVE');
    const second = (await h.http().get(`/contracts/${created.body.id}`).expect(200)).body.lines[1].subscriptionId;

    const confirmed = await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate: '2026-06-01' }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'ACTIVE', statusLabel: '契約中', billing: true, startDate: '2026-06-01' });
    expect(confirmed.body.lines).toEqual([
      expect.objectContaining({ status: 'ACTIVE', statusLabel: '契約中', startDate: '2026-06-01', subscriptionId: first }),
      expect.objectContaining({ status: 'ACTIVE', startDate: '2026-06-01', subscriptionId: second }),
    ]);

    const history = await h.http().get(`/contracts/${created.body.id}/history`).expect(200);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual(['ContractCreated', 'ContractConfirmed']);
    expect(history.body[1]).toMatchObject({ actor: { id: 'u-admin-agent-r-direct', resellerId: 'r-direct' }, data: { confirmedOn: expect.any(String) } });
  });

  it('confirms chosen lines only, the rest later; the start date defaults to today in Tokyo', async () => {
    const order = await placedOrder(h, MANUAL);
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);
    await publishSubscription(h, order, order.lines[0].id, 'ACTIVE');

    // The other line still waits, but only the chosen one is confirmed.
    const partial = await h.http().post(`/contracts/${created.body.id}/confirm`, { lineIds: [order.lines[0].id], startDate: '2026-06-01' }).expect(200);
    expect(partial.body).toMatchObject({ status: 'ACTIVE', billing: true });
    expect(partial.body.lines.map((line: { status: string }) => line.status)).toEqual(['ACTIVE', 'PENDING']);

    // By default every pending line: refused while the second still waits.
    const refused = await h.http().post(`/contracts/${created.body.id}/confirm`, {}).expect(409);
    expect(refused.body.code).toBe('PROVISIONING_NOT_COMPLETE');

    await publishSubscription(h, order, order.lines[1].id, 'ACTIVE');
    const rest = await h.http().post(`/contracts/${created.body.id}/confirm`, {}).expect(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    expect(rest.body.lines.map((line: { startDate: string }) => line.startDate)).toEqual(['2026-06-01', today]);
    expect(rest.body.startDate).toBe('2026-06-01');

    const again = await h.http().post(`/contracts/${created.body.id}/confirm`, { lineIds: [order.lines[0].id] }).expect(409);
    expect(again.body.code).toBe('LINE_NOT_PENDING');
  });

  it('carries a subscription provisioning reported before the contract into ContractCreated', async () => {
    const order = await placedOrder(h, MANUAL);
    const subscriptionId = await publishSubscription(h, order, order.lines[0].id, 'MANUAL_PROVISIONING');
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);
    expect(created.body.lines[0].subscriptionId).toBe(subscriptionId);
    const [event] = (await h.http().get(`/contracts/${created.body.id}/history`).expect(200)).body;
    expect(event.data.lines[0].subscriptionId).toBe(subscriptionId);
  });

  it('answers 400 for a malformed start date, 404 for a line that is not the contract’s, another reseller or an unknown contract', async () => {
    const order = await placedOrder(h, MANUAL);
    const created = await h.http().post('/contracts', contractBody(order)).expect(201);
    const bad = await h.http().post(`/contracts/${created.body.id}/confirm`, { lineIds: ['nope'] }).expect(404);
    expect(bad.body.code).toBe('LINE_NOT_FOUND');
    const date = await h.http().post(`/contracts/${created.body.id}/confirm`, { startDate: '2026-13-01' }).expect(400);
    expect(date.body.errors[0].path).toBe('startDate');
    await h.http(asIndirect).post(`/contracts/${created.body.id}/confirm`, {}).expect(404);
    await h.http().post('/contracts/no-such-contract/confirm', {}).expect(404);
  });
});
