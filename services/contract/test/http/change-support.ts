import { asDirect, Harness, placeOrder, readyCustomer } from '../../../embedded/test/support/harness';
import { subscriptionsOf } from '../../../provisioning/test/http/support';

export interface ActiveContract {
  id: string;
  contractNumber: string;
  orderNumber: string;
  customerId: string;
  lines: { id: string; sku: string; quantity: number; subscriptionId: string; status: string }[];
}

/**
 * Seed 000 through the real API with the simulated vendors: a ready customer, an order of `lines`
 * placed, every subscription ACTIVE, a contract of all lines confirmed from `startDate`.
 */
export async function activeContract(
  h: Harness,
  lines: { sku: string; quantity: number }[],
  { token = asDirect, companyName = 'factory2016T', startDate = '2026-07-01' }: { token?: string; companyName?: string; startDate?: string } = {},
): Promise<ActiveContract> {
  const customer = await readyCustomer(h, { token, companyName });
  const order = await placeOrder(h, customer, lines, { token });
  await subscriptionsOf(h, order.id, (row) => row.status === 'ACTIVE', { count: lines.length });
  const created = await h
    .http(token)
    .post('/contracts', { orderId: order.id, lineIds: order.lines.map((line) => line.id), subject: 'テスト', subjectForForms: 'テスト', contractDate: '2026-07-01' })
    .expect(201);
  const confirmed = await h.http(token).post(`/contracts/${created.body.id}/confirm`, { startDate }).expect(200);
  return confirmed.body;
}

export interface ChangeRow {
  id: string;
  status: string;
  lines: { lineId: string; linkStatus: string; vendorStatus: string; vendorReason: string | null }[];
  [field: string]: unknown;
}

/** The change once provisioning answered for every linked line (the vendor call is asynchronous). */
export async function changeOnceVendorAnswered(h: Harness, changeId: string, { token = asDirect, timeoutMs = 5000 } = {}): Promise<ChangeRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const change = (await h.http(token).get(`/contract-changes/${changeId}`).expect(200)).body as ChangeRow;
    if (change.lines.every((line) => line.linkStatus !== 'LINKED' || line.vendorStatus !== 'PENDING')) return change;
    if (Date.now() > deadline) throw new Error(`the vendor never answered change ${changeId}: ${JSON.stringify(change, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The subscription as provisioning shows it. */
export async function subscription(h: Harness, subscriptionId: string) {
  return (await h.http().get(`/provisioning/subscriptions/${subscriptionId}`).expect(200)).body;
}
