import { ReadStore } from '@lp/read-models';
import { asDirect, customerBody, Harness } from '../../../embedded/test/support/harness';

/**
 * The order service with its read store (MongoDB in production) or its event store away:
 * a committed command never answers 5xx, and a command the store could not take changes nothing.
 */
describe('order service: when a dependency is down', () => {
  let h: Harness;
  const waitBefore = process.env.VIEW_WAIT_MS;
  beforeAll(async () => {
    process.env.VIEW_WAIT_MS = '300';
    h = await new Harness().start();
  });
  afterAll(async () => {
    process.env.VIEW_WAIT_MS = waitBefore;
    await h.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  const order = () => h.embedded.runtimes.order;
  const registered = async () => (await order().eventStore.readAll()).filter((event) => event.type === 'CustomerRegistered');
  /** A read store that throws on every read, as a stopped MongoDB does. */
  const readStoreDown = () =>
    jest.spyOn(order().readStore as ReadStore, 'collection').mockImplementation(() => {
      throw Object.assign(new Error('connection <monitor> to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    });

  it('read store down: the committed command answers 2xx from its decided state with X-View-Stale; a retry with the same key creates no duplicate', async () => {
    const customer = await h.http().post('/customers', customerBody({ companyName: '株式会社ふつう' })).expect(201);
    expect(customer.headers['x-view-stale']).toBeUndefined();
    const orderBody = { customerId: customer.body.id, lines: [{ sku: 'MS-O365-E1', quantity: 2 }] };
    const normal = await h.http().post('/orders', orderBody).expect(201);
    const before = (await registered()).length;

    readStoreDown();
    const stale = await h.http().post('/customers', customerBody({ companyName: '株式会社おくれ' })).set('Idempotency-Key', 'down-1').expect(201);
    expect(stale.headers['x-view-stale']).toBe('true');
    expect(stale.body).toMatchObject({ id: expect.any(String), companyName: '株式会社おくれ', resellerId: 'r-direct', registeredAt: expect.any(String) });

    const again = await h.http().post('/customers', customerBody({ companyName: '株式会社おくれ' })).set('Idempotency-Key', 'down-1').expect(201);
    expect(again.body.id).toBe(stale.body.id);
    expect(again.headers['x-view-stale']).toBe('true');
    expect((await registered()).length).toBe(before + 1);

    // The same shape as the read model's row, from the order's and its customer's events.
    const accepted = await h.http().post(`/orders/${normal.body.id}/accept`, { acceptedOn: '2026-05-15' }).expect(200);
    expect(accepted.headers['x-view-stale']).toBe('true');
    expect(accepted.body).toEqual({ ...normal.body, status: 'ACCEPTED', statusLabel: '受付済', acceptedOn: '2026-05-15', updatedAt: expect.any(String) });

    // Exactly one winner still: the second accept is refused on the state the first one left.
    const second = await h.http().post(`/orders/${normal.body.id}/accept`, {}).expect(409);
    expect(second.body.code).toBe('INVALID_STATE');
  });

  it('event store unavailable: 503 STORE_UNAVAILABLE with Retry-After, nothing committed, and the retry goes through once it is back', async () => {
    const before = (await registered()).length;
    jest.spyOn(order().eventStore, 'appendToStream').mockRejectedValue(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    const refused = await h.http().post('/customers', customerBody({ companyName: '株式会社ロック' })).set('Idempotency-Key', 'busy-1').expect(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
    jest.restoreAllMocks();
    expect((await registered()).length).toBe(before);

    const retried = await h.http(asDirect).post('/customers', customerBody({ companyName: '株式会社ロック' })).set('Idempotency-Key', 'busy-1').expect(201);
    expect(retried.body.companyName).toBe('株式会社ロック');
    expect((await registered()).length).toBe(before + 1);
  });
});
