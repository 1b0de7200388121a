import { randomUUID } from 'crypto';
import { EventEnvelope } from '@lp/eventsourcing';
import { TOPICS } from '@lp/integration-events';
import { asDirect, asDistributor, asIndirect, Harness, placeOrder, readyCustomer, simulatedVendors, subscriptionsOf } from './support';

const UPPER_CASE_GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const PRODUCT_KEY = /^[BCDFGHJKMPQRTVWXY2346789]{5}(-[BCDFGHJKMPQRTVWXY2346789]{5}){4}$/;

/** 'YYYY-MM-DD' in Tokyo of an instant, plus days (written out here, not borrowed from the domain). */
const tokyoDatePlus = (instant: string, days: number) => new Date(Date.parse(instant) + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe('vendor subscriptions through the HTTP API (embedded runtime, simulated vendors)', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());

  it('a Microsoft line becomes ACTIVE with the upper-case GUID Partner Center answers, asked with the tenant GUID', async () => {
    const provision = jest.spyOn(vendors.partnerCenter, 'provision');
    const customer = await readyCustomer(h, { companyName: '株式会社マイクロ' });
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 3 }]);
    const [subscription] = await subscriptionsOf(h, order.id);

    expect(subscription).toMatchObject({
      customerId: customer.customerId,
      customerCompanyName: '株式会社マイクロ',
      orderId: order.id,
      orderLineId: order.lines[0].id,
      sku: 'MS-O365-E1',
      productName: 'Office 365 E1',
      quantity: 3,
      status: 'ACTIVE',
      statusLabel: 'アクティベーション済',
      vendorSubscriptionId: expect.stringMatching(UPPER_CASE_GUID),
      productKey: null,
      cancellationAllowedUntil: null,
      provisionedAt: expect.any(String),
      attempts: 0,
      failureReason: null,
      resellerId: 'r-direct',
      createdAt: expect.any(String),
    });
    expect(subscription.activatedAt).toBe(subscription.provisionedAt);
    expect(provision).toHaveBeenCalledWith(
      expect.objectContaining({ subscriptionId: subscription.id, tenantId: customer.tenantId, microsoftTenantId: customer.microsoftTenantId, quantity: 3 }),
    );
    provision.mockRestore();

    const one = await h.http().get(`/provisioning/subscriptions/${subscription.id}`).expect(200);
    expect(one.body).toEqual(subscription);
  });

  it('software (MS-WINSRV-2022-STD) gets a product key and may be cancelled until start + 30 days', async () => {
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku: 'MS-WINSRV-2022-STD', quantity: 1 }]);
    const [subscription] = await subscriptionsOf(h, order.id);
    expect(subscription).toMatchObject({ status: 'ACTIVE', productKey: expect.stringMatching(PRODUCT_KEY), vendorSubscriptionId: expect.stringMatching(UPPER_CASE_GUID) });
    expect(subscription.cancellationAllowedUntil).toBe(tokyoDatePlus(subscription.provisionedAt as string, 30));
  });

  // Who may activate, and when not: subscription-rules.spec.
  it('a StreamOne (manual) line waits in MANUAL_PROVISIONING until the distributor activates it', async () => {
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }]);
    const [subscription] = await subscriptionsOf(h, order.id);
    expect(subscription).toMatchObject({
      status: 'MANUAL_PROVISIONING',
      statusLabel: 'マニュアルプロビジョニング',
      vendorSubscriptionId: expect.stringMatching(/^SO-\d{10}$/),
      activatedAt: null,
      provisionedAt: expect.any(String),
    });

    const activated = await h.http(asDistributor).post(`/provisioning/subscriptions/${subscription.id}/activate`).expect(200);
    expect(activated.body).toMatchObject({ id: subscription.id, status: 'ACTIVE', activatedAt: expect.any(String) });
    const history = await h.http().get(`/provisioning/subscriptions/${subscription.id}/history`).expect(200);
    expect(history.body.map((event: { type: string }) => event.type)).toEqual(['SubscriptionRequested', 'SubscriptionProvisioned', 'SubscriptionActivated']);
  });

  describe('list, one, history', () => {
    let customer: Awaited<ReturnType<typeof readyCustomer>>;
    let orderIds: string[];

    beforeAll(async () => {
      customer = await readyCustomer(h, { companyName: '一覧テスト株式会社' });
      const first = await placeOrder(h, customer, [
        { sku: 'MS-O365-E1', quantity: 1 },
        { sku: 'MS-PROJECT-P1', quantity: 2 },
        { sku: 'SN-POCKETALK-SI-Y', quantity: 3 },
      ]);
      await subscriptionsOf(h, first.id, undefined, { count: 3 });
      const second = await placeOrder(h, customer, [{ sku: 'MS-DEFENDER-EP', quantity: 4 }]);
      await subscriptionsOf(h, second.id);
      orderIds = [first.id, second.id];
    });

    const list = (query: string, token = asDirect) => h.http(token).get(`/provisioning/subscriptions?customerId=${customer.customerId}${query}`).expect(200);

    it('pages 20 by default with the total, newest first', async () => {
      const all = await list('');
      expect(all.body).toMatchObject({ page: 1, pageSize: 20, total: 4 });
      expect(all.body.items[0]).toMatchObject({ orderId: orderIds[1], sku: 'MS-DEFENDER-EP', customerCompanyName: '一覧テスト株式会社' });
      const createdAt = all.body.items.map((item: { createdAt: string }) => item.createdAt);
      expect([...createdAt].sort().reverse()).toEqual(createdAt);

      const page1 = await list('&pageSize=3');
      const page2 = await list('&pageSize=3&page=2');
      expect(page1.body).toMatchObject({ page: 1, pageSize: 3, total: 4 });
      expect(page1.body.items).toHaveLength(3);
      expect(page2.body).toMatchObject({ page: 2, pageSize: 3, total: 4 });
      expect(page2.body.items).toHaveLength(1);
      const ids = [...page1.body.items, ...page2.body.items].map((item: { id: string }) => item.id);
      expect(new Set(ids).size).toBe(4);
    });

    it('filters by status, order and text (sku, product name, vendor subscription id)', async () => {
      const manual = await list('&status=MANUAL_PROVISIONING');
      expect(manual.body.total).toBe(1);
      expect(manual.body.items[0]).toMatchObject({ sku: 'SN-POCKETALK-SI-Y', quantity: 3 });
      expect((await list('&status=ACTIVE')).body.total).toBe(3);
      expect((await list(`&orderId=${orderIds[0]}`)).body.total).toBe(3);
      expect((await list('&q=project')).body.items.map((item: { sku: string }) => item.sku)).toEqual(['MS-PROJECT-P1']);
      expect((await list('&q=プラン')).body.total).toBe(0);
      const soId = manual.body.items[0].vendorSubscriptionId as string;
      expect((await list(`&q=${soId}`)).body.items.map((item: { id: string }) => item.id)).toEqual([manual.body.items[0].id]);
    });

    it('refuses a bad status or page → 400 listing the fields', async () => {
      const bad = await h.http().get('/provisioning/subscriptions?status=NOPE&page=0').expect(400);
      expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['page', 'status']);
    });

    it('keeps resellers apart: r-indirect sees none of them and gets 404 on one and its history; the distributor sees them', async () => {
      const theirs = await list('', asIndirect);
      expect(theirs.body).toMatchObject({ total: 0, items: [] });
      const everything = await h.http(asIndirect).get('/provisioning/subscriptions').expect(200);
      expect(everything.body.items.every((item: { resellerId: string }) => item.resellerId === 'r-indirect')).toBe(true);
      const mine = await list('');
      const id = mine.body.items[0].id;
      await h.http(asIndirect).get(`/provisioning/subscriptions/${id}`).expect(404);
      await h.http(asIndirect).get(`/provisioning/subscriptions/${id}/history`).expect(404);
      expect((await list('', asDistributor)).body.total).toBe(4);
      await h.http(null).get('/provisioning/subscriptions').expect(401);
    });

    it('history: the stream oldest first, with actor and the correlation of the placement', async () => {
      const mine = await list('&status=MANUAL_PROVISIONING');
      const history = await h.http().get(`/provisioning/subscriptions/${mine.body.items[0].id}/history`).expect(200);
      expect(history.body.map((event: { type: string }) => event.type)).toEqual(['SubscriptionRequested', 'SubscriptionProvisioned']);
      expect(history.body[0]).toMatchObject({ streamRevision: 0, actor: { id: 'provisioning.subscriptions' }, correlationId: expect.any(String), data: { orderId: orderIds[0] } });
      expect(history.body[1]).toMatchObject({ streamRevision: 1, actor: { id: 'provisioning.vendor-worker' }, correlationId: history.body[0].correlationId });
    });
  });

  it('a redelivered OrderPlaced (same event, or republished under a new event id) creates no second subscription', async () => {
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 1 }, { sku: 'MS-M365-BB', quantity: 2 }]);
    const before = await subscriptionsOf(h, order.id, undefined, { count: 2 });
    const calls = vendors.partnerCenter.calls;

    const orderStream = await h.embedded.runtimes.order.eventStore.readStream(`order-${order.id}`);
    const placed = orderStream.find((event) => event.type === 'OrderPlaced')!;
    const { position: _position, ...envelope } = placed;
    const bus = h.embedded.runtimes.provisioning.adapters.bus;
    await bus.publish(TOPICS.order, [envelope as EventEnvelope, { ...envelope, eventId: randomUUID() } as EventEnvelope]);
    await h.settle();
    await h.settle();

    const after = await subscriptionsOf(h, order.id, undefined, { count: 2 });
    expect(after).toEqual(before);
    expect(vendors.partnerCenter.calls).toBe(calls);
    for (const subscription of after) {
      const history = await h.http().get(`/provisioning/subscriptions/${subscription.id}/history`).expect(200);
      expect(history.body.filter((event: { type: string }) => event.type === 'SubscriptionRequested')).toHaveLength(1);
    }
  });

  it('a restart keeps every subscription (the read model comes back from the events) and provisions nothing twice', async () => {
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 5 }, { sku: 'SN-POCKETALK-SI-Y', quantity: 1 }]);
    const before = await subscriptionsOf(h, order.id, undefined, { count: 2 });
    const calls = vendors.partnerCenter.calls + vendors.streamOne.calls;
    await h.restart();
    const after = await subscriptionsOf(h, order.id, undefined, { count: 2 });
    expect(after).toEqual(before);
    expect(vendors.partnerCenter.calls + vendors.streamOne.calls).toBe(calls);
    const manual = after.find((row) => row.status === 'MANUAL_PROVISIONING')!;
    await h.http(asDistributor).post(`/provisioning/subscriptions/${manual.id}/activate`).expect(200);
  });
});
