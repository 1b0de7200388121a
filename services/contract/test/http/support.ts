import { TOPICS } from '@lp/integration-events';
import { anEvent } from '@lp/testing';
import { Harness, PlacedOrder, placeOrder, readyCustomer } from '../../../embedded/test/support/harness';
import { COLLECTIONS, KnownSubscriptionView } from '../../src/projections/views';

export { asDirect, asDistributor, asIndirect, Harness, tokenFor } from '../../../embedded/test/support/harness';
export type { PlacedOrder } from '../../../embedded/test/support/harness';

/**
 * A ready customer and an order of `skus` (2 of each), placed through the real order API (only the
 * lines at `place` when given, else all) and seen by the contract service.
 */
export async function placedOrder(
  h: Harness,
  skus: string[],
  { token, place, companyName, placedOn }: { token?: string; place?: number[]; companyName?: string; placedOn?: string } = {},
): Promise<PlacedOrder> {
  const customer = await readyCustomer(h, { token, companyName });
  const lines = skus.map((sku) => ({ sku, quantity: 2 }));
  return placeOrder(h, customer, lines, { token, placedOn, lineIndexes: place, purchaseOrderNumber: 'PO-1' });
}

const revisions = new Map<string, number>();

/**
 * Publishes a subscription event of provisioning on its topic, as provisioning would, so the
 * contract service can be driven on its own. When provisioning already reported a subscription
 * for the line, the event continues that subscription's stream, so it is the newest word on it.
 */
export async function publishSubscription(
  h: Harness,
  order: PlacedOrder,
  lineId: string,
  status: 'ACTIVE' | 'MANUAL_PROVISIONING' | 'FAILED' | 'PROVISIONING',
): Promise<string> {
  await h.settle();
  const contract = h.embedded.runtimes.contract;
  const known = await contract.readStore.collection<KnownSubscriptionView>(COLLECTIONS.subscriptions).get(lineId);
  const subscriptionId = known?.subscriptionId ?? `sub-${lineId}`;
  const streamId = `subscription-${subscriptionId}`;
  const revision = Math.max(revisions.get(streamId) ?? 0, 100) + 1;
  revisions.set(streamId, revision);
  const line = order.lines.find((candidate) => candidate.id === lineId)!;
  const reference = { subscriptionId, orderId: order.id, orderLineId: lineId, customerId: order.customerId, resellerId: 'r-direct', sku: line.sku, quantity: 2 };
  const now = new Date().toISOString();
  const event =
    status === 'ACTIVE'
      ? anEvent('SubscriptionActivated', { ...reference, status, vendorSubscriptionId: 'V-1', activatedAt: now })
      : status === 'FAILED'
        ? anEvent('ProvisioningFailed', { ...reference, status, reason: 'vendor down', attempts: 5, failedAt: now })
        : status === 'PROVISIONING'
          ? anEvent('ProvisioningRetried', { ...reference, status, retriedAt: now })
          : anEvent('SubscriptionProvisioned', { ...reference, status, vendorSubscriptionId: 'V-1', provisionedAt: now, cancellationAllowedUntil: null });
  await contract.adapters.bus.publish(TOPICS.provisioning, [{ ...event, streamId, streamRevision: revision }]);
  await h.settle();
  return subscriptionId;
}

export const contractBody = (order: PlacedOrder, overrides: object = {}) => ({
  orderId: order.id,
  lineIds: order.lines.map((line) => line.id),
  subject: 'Office 365 導入',
  subjectForForms: 'Office 365 導入 (帳票)',
  contractDate: '2026-05-20',
  ...overrides,
});
