import request from 'supertest';
import { asDirect, asIndirect, Harness, placeOrder, readyCustomer } from './support/harness';

/*
 * GET /:resource/:id?asOf=<instant>: the resource as the plain GET answered it at that instant,
 * rebuilt from its events up to then; its history cut there too.
 */
describe('time travel (?asOf=)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await new Harness().start();
  });
  afterAll(() => h.stop());

  /** What the GET answers now, and an instant after it and before anything that follows. */
  async function snapshot(path: string, token = asDirect): Promise<{ body: unknown; at: string }> {
    const body = (await h.http(token).get(path).expect(200)).body;
    await pause();
    const at = new Date().toISOString();
    await pause();
    return { body, at };
  }
  // Events carry millisecond instants: a few ms apart keeps "before" and "after" apart.
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  const asOf = (path: string, at: string, token = asDirect) => h.http(token).get(`${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(at)}`);
  const types = (res: request.Response) => res.body.map((event: { type: string }) => event.type);

  it('orders and customers: an earlier state equals what the GET answered then; before creation 404; history cut; another reseller 404', async () => {
    const beforeAll = new Date().toISOString();
    await pause();
    const customer = await readyCustomer(h);
    const created = await h.http().post('/orders', { customerId: customer.customerId, orderDate: '2026-05-15', lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }).expect(201);
    const path = `/orders/${created.body.id}`;
    const applied = await snapshot(path);
    const customerThen = await snapshot(`/customers/${customer.customerId}`);
    await h.http().post(`${path}/accept`, { acceptedOn: '2026-05-15' }).expect(200);
    const accepted = await snapshot(path);
    await h.http().put(`${path}/provisioning-target`, { tenantId: customer.tenantId }).expect(200);
    await h.http().post(`${path}/place`, { placedOn: '2026-05-15' }).expect(200);

    expect((await h.http().get(path).expect(200)).body.status).toBe('PLACED');
    expect((await asOf(path, applied.at).expect(200)).body).toEqual(applied.body);
    expect((await asOf(path, accepted.at).expect(200)).body).toEqual(accepted.body);
    expect((await asOf(`/customers/${customer.customerId}`, customerThen.at).expect(200)).body).toEqual(customerThen.body);
    // An offset names the same instant.
    const inTokyo = new Date(Date.parse(accepted.at) + 9 * 3600_000).toISOString().replace('Z', '+09:00');
    expect((await asOf(path, inTokyo).expect(200)).body).toEqual(accepted.body);

    expect((await asOf(path, beforeAll).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await asOf(`/customers/${customer.customerId}`, beforeAll).expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');

    expect(types(await h.http().get(`${path}/history`).expect(200))).toEqual(['OrderCreated', 'OrderAccepted', 'ProvisioningTargetSelected', 'OrderPlaced']);
    expect(types(await asOf(`${path}/history`, accepted.at).expect(200))).toEqual(['OrderCreated', 'OrderAccepted']);
    expect((await asOf(`${path}/history`, beforeAll).expect(404)).body.code).toBe('ORDER_NOT_FOUND');

    expect((await asOf(path, accepted.at, asIndirect).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await asOf(`${path}/history`, accepted.at, asIndirect).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    expect((await asOf(`/customers/${customer.customerId}`, customerThen.at, asIndirect).expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it.each(['yesterday', '2026-05-15', '2026-02-30T00:00:00Z', '2026-05-15T24:00:00Z', '2026-05-15 09:00:00Z', '1999-12-31T23:59:59Z'])('a malformed asOf (%s) is 400 naming asOf', async (bad) => {
    const customer = await readyCustomer(h);
    for (const path of [`/customers/${customer.customerId}`, `/tenants/${customer.tenantId}`, `/tenants/${customer.tenantId}/history`]) {
      const res = await asOf(path, bad).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(['asOf']);
    }
  });
});
