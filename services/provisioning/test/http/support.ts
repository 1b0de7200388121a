import { PartnerCenterSimulator, ProvisioningOptions, StreamOneSimulator } from '@lp/provisioning';
import { asDistributor, Harness } from '../../../embedded/test/support/harness';

export { asDirect, asDistributor, asIndirect, Harness, placeOrder, readyCustomer, tokenFor } from '../../../embedded/test/support/harness';
export type { Customer, PlacedOrder } from '../../../embedded/test/support/harness';

/** At most 3 vendor calls per round, a few ms apart: failure paths finish in milliseconds. */
export const FAST_RETRY = { maxAttempts: 3, initialDelayMs: 5, multiplier: 2, maxDelayMs: 20 };

/** Simulators the test holds on to (to inject failures and look at calls), with the fast policy. */
export function simulatedVendors() {
  const partnerCenter = new PartnerCenterSimulator();
  const streamOne = new StreamOneSimulator();
  const options: ProvisioningOptions = { connectors: { partnerCenter, streamOne }, retryPolicy: FAST_RETRY };
  return { partnerCenter, streamOne, options };
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
    const answer = await h.http(token).get(`/provisioning/subscriptions?orderId=${orderId}&pageSize=200`).expect(200);
    const rows = answer.body.items as SubscriptionRow[];
    if (rows.length >= count && rows.every(done)) return rows;
    if (Date.now() > deadline) throw new Error(`subscriptions of ${orderId} not done in time: ${JSON.stringify(rows, null, 2)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
