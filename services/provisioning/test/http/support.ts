import { randomUUID } from 'crypto';
import { PartnerCenterSimulator, ProvisioningOptions, StreamOneSimulator } from '@lp/provisioning';
import { asDirect, asDistributor, customerBody, Harness } from '../../../embedded/test/support/harness';

export { asDirect, asDistributor, asIndirect, Harness, tokenFor } from '../../../embedded/test/support/harness';

/** At most 3 vendor calls per round, a few ms apart: failure paths finish in milliseconds. */
export const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 5, multiplier: 2, maxDelayMs: 20 };

/** Simulators the test holds on to (to inject failures and look at calls), with the fast policy. */
export function simulatedVendors() {
  const partnerCenter = new PartnerCenterSimulator();
  const streamOne = new StreamOneSimulator();
  const options: ProvisioningOptions = { connectors: { partnerCenter, streamOne }, retryPolicy: FAST_RETRY };
  return { partnerCenter, streamOne, options };
}

export interface Customer {
  customerId: string;
  tenantId: string;
  microsoftTenantId: string;
}

/** A customer of the token's reseller with its own Microsoft tenant, MCA accepted by the distributor. */
export async function readyCustomer(h: Harness, token = asDirect, companyName = '株式会社サンプル'): Promise<Customer> {
  const microsoftTenantId = randomUUID();
  const customer = await h.http(token).post('/customers', customerBody({ companyName })).expect(201);
  const tenant = await h
    .http(token)
    .post(`/customers/${customer.body.id}/tenants`, { tenantId: microsoftTenantId, primaryDomain: `c${microsoftTenantId.slice(0, 8)}.onmicrosoft.com` })
    .expect(201);
  await h
    .http(asDistributor)
    .post(`/tenants/${tenant.body.id}/customer-agreement`, { firstName: '太郎', lastName: '山田', email: 'yamada@example.co.jp', acceptedOn: '2026-05-01' })
    .expect(201);
  await h.settle();
  return { customerId: customer.body.id, tenantId: tenant.body.id, microsoftTenantId };
}

export interface PlacedOrder {
  id: string;
  lines: { id: string; sku: string }[];
}

/** Order → accept → tenant chosen → placed (発注), as seed 000; purchaseOrderNumber for StreamOne lines. */
export async function placeOrder(h: Harness, customer: Customer, lines: { sku: string; quantity: number }[], token = asDirect): Promise<PlacedOrder> {
  const created = await h
    .http(token)
    .post('/orders', { customerId: customer.customerId, orderDate: '2026-05-15', lines, purchaseOrderNumber: 'PO-2026-0515' })
    .expect(201);
  await h.http(token).post(`/orders/${created.body.id}/accept`, { acceptedOn: '2026-05-15' }).expect(200);
  await h.http(token).put(`/orders/${created.body.id}/provisioning-target`, { tenantId: customer.tenantId }).expect(200);
  const placed = await h.http(token).post(`/orders/${created.body.id}/place`, { placedOn: '2026-05-15' }).expect(200);
  return placed.body;
}

export interface SubscriptionRow {
  id: string;
  status: string;
  [field: string]: unknown;
}

/**
 * The order's subscriptions once `done` holds for them all (vendor calls and back-offs are
 * asynchronous): polls the list, fails with the last answer after the timeout.
 */
export async function subscriptionsOf(
  h: Harness,
  orderId: string,
  done: (row: SubscriptionRow) => boolean = (row) => row.status !== 'PROVISIONING',
  { token = asDistributor, count = 1, timeoutMs = 5000 } = {},
): Promise<SubscriptionRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await h.settle();
    const answer = await h.http(token).get(`/provisioning/subscriptions?orderId=${orderId}`).expect(200);
    const rows = answer.body.items as SubscriptionRow[];
    if (rows.length >= count && rows.every(done)) return rows;
    if (Date.now() > deadline) throw new Error(`subscriptions of ${orderId} not done in time: ${JSON.stringify(rows, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
