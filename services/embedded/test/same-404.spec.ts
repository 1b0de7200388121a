import { randomUUID } from 'crypto';
import request from 'supertest';
import { withMetadata } from '@lp/eventsourcing';
import { asDirect, asDistributor, asIndirect, customerBody, Harness, placeOrder, readyCustomer } from './support/harness';

/*
 * A reseller cannot learn that another reseller's id exists: its id answers exactly what an id
 * nobody uses answers (404 with the same code), in the path and inside a body alike.
 */
describe("another reseller's id answers as an unknown id does", () => {
  let h: Harness;
  // r-direct's data, probed by r-indirect.
  let theirs: { customerId: string; tenantId: string; orderId: string; lineId: string };
  let ours: { customerId: string; tenantId: string };
  beforeAll(async () => {
    h = await new Harness().start();
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 1 }]);
    theirs = { ...customer, orderId: order.id, lineId: order.lines[0].id };
    ours = await readyCustomer(h, { token: asIndirect });
  });
  afterAll(() => h.stop());

  /** What identifies the answer: everything but the detail, which names the id asked for. */
  const answer = (res: request.Response) => ({ status: res.status, code: res.body.code, type: res.body.type, title: res.body.title });
  const newOrder = async () =>
    (await h.http(asIndirect).post('/orders', { customerId: ours.customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;

  it('customerId in a new order', async () => {
    const probe = (customerId: string) => h.http(asIndirect).post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] });
    const [foreign, unknown] = [await probe(theirs.customerId), await probe(randomUUID())];
    expect(answer(foreign)).toEqual(answer(unknown));
    expect(answer(foreign)).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
  });

  it('tenantId of a provisioning target (a tenant of one of our other customers stays 422 TENANT_NOT_OF_CUSTOMER)', async () => {
    const order = await newOrder();
    const probe = (tenantId: string) => h.http(asIndirect).put(`/orders/${order.id}/provisioning-target`, { tenantId });
    const [foreign, unknown] = [await probe(theirs.tenantId), await probe(randomUUID())];
    expect(answer(foreign)).toEqual(answer(unknown));
    expect(answer(foreign)).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await h.http(asIndirect).get(`/orders/${order.id}/history`).expect(200)).body.map((e: { type: string }) => e.type)).toEqual(['OrderCreated']);

    const sibling = await readyCustomer(h, { token: asIndirect });
    expect((await probe(sibling.tenantId).expect(422)).body.code).toBe('TENANT_NOT_OF_CUSTOMER');
  });

  it('lineIds of a placement', async () => {
    const order = await newOrder();
    await h.http(asIndirect).post(`/orders/${order.id}/accept`).expect(200);
    const probe = (lineId: string) => h.http(asIndirect).post(`/orders/${order.id}/place`, { lineIds: [lineId] });
    const [foreign, unknown] = [await probe(theirs.lineId), await probe(randomUUID())];
    expect(answer(foreign)).toEqual(answer(unknown));
    expect(answer(foreign)).toMatchObject({ status: 404, code: 'LINE_NOT_FOUND' });
  });

  it('orderId of a new contract', async () => {
    const probe = (orderId: string) =>
      h.http(asIndirect).post('/contracts', { orderId, lineIds: [theirs.lineId], subject: 'E1', subjectForForms: 'E1', contractDate: '2026-05-15' });
    const [foreign, unknown] = [await probe(theirs.orderId), await probe(randomUUID())];
    expect(answer(foreign)).toEqual(answer(unknown));
    expect(answer(foreign)).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
  });

  it('customerId in the path of a tenant registration', async () => {
    const probe = (customerId: string) => h.http(asIndirect).post(`/customers/${customerId}/tenants`, { tenantId: randomUUID(), primaryDomain: 'probe.onmicrosoft.com' });
    const [foreign, unknown] = [await probe(theirs.customerId), await probe(randomUUID())];
    expect(answer(foreign)).toEqual(answer(unknown));
    expect(answer(foreign)).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
  }, 20_000);

  it("a customer's reseller: unknown (r-bogus) or another's → 404, and nothing is registered", async () => {
    const before = (await h.http(asDistributor).get('/customers').expect(200)).body.total;
    const bogus = await h.http(asDistributor).post('/customers', customerBody({ resellerId: 'r-bogus' }));
    const othersByReseller = await h.http(asDirect).post('/customers', customerBody({ resellerId: 'r-indirect' }));
    const bogusByReseller = await h.http(asDirect).post('/customers', customerBody({ resellerId: 'r-bogus' }));
    expect(answer(bogus)).toMatchObject({ status: 404, code: 'RESELLER_NOT_FOUND' });
    expect(answer(othersByReseller)).toEqual(answer(bogusByReseller));
    expect(answer(othersByReseller)).toEqual(answer(bogus));
    expect((await h.http(asDistributor).get('/customers').expect(200)).body.total).toBe(before);
    const named = await h.http(asDistributor).post('/customers', customerBody({ resellerId: 'r-indirect' })).expect(201);
    expect(named.body.resellerId).toBe('r-indirect');
  });
});

describe('a Microsoft tenant GUID is unique within one reseller', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await new Harness().start();
  });
  afterAll(() => h.stop());

  const register = async (token: string, guid: string) => {
    const customer = await h.http(token).post('/customers', customerBody()).expect(201);
    return h.http(token).post(`/customers/${customer.body.id}/tenants`, { tenantId: guid, primaryDomain: 'shared.onmicrosoft.com' });
  };

  it("another reseller may register the same tenant (no probe of its customers); the same reseller may not, in any letter case", async () => {
    const guid = randomUUID();
    expect((await register(asDirect, guid)).status).toBe(201);
    const otherPartner = await register(asIndirect, guid);
    expect(otherPartner.status).toBe(201);
    const again = await register(asDirect, guid.toUpperCase());
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE_TENANT');
    expect((await register(asIndirect, guid)).status).toBe(409);
  });

  it('a GUID claimed before claims were per reseller still counts for the reseller that claimed it', async () => {
    const guid = randomUUID();
    const tenant = (await register(asDirect, randomUUID())).body;
    // The claim as it was written then: one stream per GUID, whoever the reseller.
    await h.embedded.runtimes.provisioning.eventStore.appendToStream(
      `microsoftTenant-${guid}`,
      withMetadata([{ type: 'MicrosoftTenantClaimed', data: { microsoftTenantId: guid, tenantId: tenant.id } }], {
        actor: { id: 'u-legacy' },
        correlationId: randomUUID(),
        causationId: randomUUID(),
        now: new Date(),
      }),
      { expectedRevision: 'no_stream' },
    );
    expect((await register(asDirect, guid)).body.code).toBe('DUPLICATE_TENANT');
    expect((await register(asIndirect, guid)).status).toBe(201);
  });
});
