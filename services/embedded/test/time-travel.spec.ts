import request from 'supertest';
import { runBilling, theInvoiceOf } from '../../billing/test/http/support';
import { activeContract, changeOnceVendorAnswered } from '../../contract/test/http/change-support';
import { asDirect, asDistributor, asIndirect, Harness, readyCustomer } from './support/harness';

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

  it('contracts, contract changes, subscriptions, tenants and invoices: as the GET answered then, 404 before, history cut, another reseller 404', async () => {
    const beforeAll = new Date().toISOString();
    await pause();
    const contract = await activeContract(h, [{ sku: 'MS-O365-E1', quantity: 3 }]);
    const [line] = contract.lines;
    const paths = {
      contract: `/contracts/${contract.id}`,
      subscription: `/provisioning/subscriptions/${line.subscriptionId}`,
    };
    const tenantId = (await h.http().get(`/orders?customerId=${contract.customerId}`).expect(200)).body.items[0].tenantId as string;
    const tenantPath = `/tenants/${tenantId}`;
    const invoice = await theInvoiceOf(h, await runBilling(h, '2026-08'), contract.customerId);
    const invoicePath = `/invoices/${invoice.id}`;
    const then = {
      contract: await snapshot(paths.contract),
      subscription: await snapshot(paths.subscription),
      tenant: await snapshot(tenantPath),
      invoice: await snapshot(invoicePath, asDistributor),
    };

    // 解約 of 2 seats: the contract line, the subscription and the change all move on.
    const changeId = (await h.http().post(`${paths.contract}/cancellations`, { lines: [{ lineId: line.id, quantity: 2 }], requestedOn: '2026-08-20' }).expect(201)).body.id;
    const changePath = `/contract-changes/${changeId}`;
    const requested = await snapshot(changePath);
    await h.http().post(`${changePath}/accept`).expect(200);
    await h.http().post(`${changePath}/link-cancellation`).expect(200);
    await changeOnceVendorAnswered(h, changeId);
    await h.http().post(`${changePath}/confirm-cancellation`, { endDate: '2026-08-31' }).expect(200);
    await h.settle();
    expect((await h.http().get(paths.subscription).expect(200)).body.quantity).toBe(1);
    expect((await h.http().get(changePath).expect(200)).body.status).not.toBe((requested.body as { status: string }).status);

    for (const [path, snap] of [[paths.contract, then.contract], [paths.subscription, then.subscription], [tenantPath, then.tenant], [changePath, requested]] as const) {
      expect((await asOf(path, snap.at).expect(200)).body).toEqual(snap.body);
      expect((await asOf(path, beforeAll).expect(404)).body.status).toBe(404);
      expect((await asOf(path, snap.at, asIndirect).expect(404)).body.status).toBe(404);
    }
    expect((await asOf(invoicePath, then.invoice.at, asDistributor).expect(200)).body).toEqual(then.invoice.body);
    expect((await asOf(invoicePath, beforeAll, asDistributor).expect(404)).body.code).toBe('INVOICE_NOT_FOUND');
    expect((await asOf(invoicePath, then.invoice.at, asIndirect).expect(404)).body.code).toBe('INVOICE_NOT_FOUND');

    expect(types(await asOf(`${paths.contract}/history`, then.contract.at).expect(200))).toEqual(['ContractCreated', 'ContractConfirmed']);
    expect(types(await h.http().get(`${paths.contract}/history`).expect(200)).length).toBeGreaterThan(2);
    expect(types(await asOf(`${changePath}/history`, requested.at).expect(200))).toEqual(['ContractChangeRequested']);
    expect(types(await asOf(`${paths.subscription}/history`, then.subscription.at).expect(200))).toEqual(['SubscriptionRequested', 'SubscriptionProvisioned']);
    expect(types(await h.http().get(`${paths.subscription}/history`).expect(200))).toContain('SubscriptionCancelled');
    expect(types(await asOf(`${tenantPath}/history`, then.tenant.at).expect(200))).toEqual(['TenantRegistered', 'CustomerAgreementAccepted']);
    expect(types(await asOf(`${invoicePath}/history`, then.invoice.at, asDistributor).expect(200))).toEqual(['InvoiceIssued']);
    for (const path of [paths.contract, changePath, paths.subscription, tenantPath]) {
      expect((await asOf(`${path}/history`, beforeAll).expect(404)).body.status).toBe(404);
      expect((await asOf(`${path}/history`, new Date().toISOString(), asIndirect).expect(404)).body.status).toBe(404);
    }
    expect((await asOf(`${invoicePath}/history`, beforeAll, asDistributor).expect(404)).body.code).toBe('INVOICE_NOT_FOUND');
  }, 30_000);

  it.each(['yesterday', '2026-05-15', '2026-02-30T00:00:00Z', '2026-05-15T24:00:00Z', '2026-05-15 09:00:00Z', '1999-12-31T23:59:59Z'])('a malformed asOf (%s) is 400 naming asOf', async (bad) => {
    const customer = await readyCustomer(h);
    for (const path of [`/customers/${customer.customerId}`, `/tenants/${customer.tenantId}`, `/tenants/${customer.tenantId}/history`, '/orders/x', '/orders/x/history', '/contracts/x', '/contracts/x/history', '/contract-changes/x', '/contract-changes/x/history', '/provisioning/subscriptions/x', '/provisioning/subscriptions/x/history', '/invoices/x', '/invoices/x/history']) {
      const res = await asOf(path, bad).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(['asOf']);
    }
  });
});
