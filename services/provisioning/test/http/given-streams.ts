import { randomUUID } from 'crypto';
import { EventToAppend } from '@lp/eventsourcing';
import { findProduct, TenantEvent } from '@lp/integration-events';
import { SeededStream } from '@lp/testing';
import { adminOf, written } from '../../../order/test/http/given-orders';
import { microsoftTenantClaimStream } from '../../src/application/tenants.service';
import { SubscriptionEvent, SubscriptionLine, subscriptionIdForLine, subscriptionStreamId } from '../../src/domain/subscription';
import { tenantStreamId } from '../../src/domain/tenant';

/**
 * Streams as provisioning writes them, for HTTP scenarios that start from events instead of a chain
 * of requests: a customer's tenant and its MCA, a subscription in a given state. Every id is fresh,
 * so scenarios share one runtime (customers, orders and the API under test: order's given-orders).
 */

/**
 * A tenant of the customer (our id, its Microsoft GUID claimed within the reseller), registered and,
 * when `mca` is given, with the Microsoft Customer Agreement accepted on that date.
 */
export function aTenant(customer: { customerId: string; resellerId: string }, { microsoftTenantId = randomUUID(), mca }: { microsoftTenantId?: string; mca?: string } = {}) {
  const tenantId = randomUUID();
  const { customerId, resellerId } = customer;
  const actor = adminOf(resellerId);
  const events: TenantEvent[] = [{ type: 'TenantRegistered', data: { tenantId, resellerId, customerId, microsoftTenantId, primaryDomain: `c${microsoftTenantId.slice(0, 8)}.onmicrosoft.com` } }];
  if (mca) events.push({ type: 'CustomerAgreementAccepted', data: { tenantId, resellerId, customerId, method: 'CUSTOMER_DIRECT', acceptedOn: mca } });
  return {
    tenantId,
    microsoftTenantId,
    streams: [
      { store: 'provisioning', streamId: microsoftTenantClaimStream(resellerId, microsoftTenantId), events: written([{ type: 'MicrosoftTenantClaimed', data: { microsoftTenantId, tenantId, resellerId } }], actor) },
      { store: 'provisioning', streamId: tenantStreamId(tenantId), events: written(events, actor) },
    ] satisfies SeededStream[],
  };
}

const REQUESTED_BY = { id: 'provisioning.subscriptions' };
const VENDOR_WORKER = { id: 'provisioning.vendor-worker' };
const DISTRIBUTOR = { id: 'u-distributor-admin-dist' };

/**
 * The subscription of one placed line of `sku` (a customer of `resellerId`), and its stream in the
 * states a request finds it in: each state lists the events provisioning wrote to get there.
 */
export function aSubscription(sku: string, { resellerId = 'r-direct', quantity = 1 } = {}) {
  const product = findProduct(sku);
  if (!product) throw new Error(`No product ${sku} in the catalog`);
  const orderLineId = randomUUID();
  const subscriptionId = subscriptionIdForLine(orderLineId);
  const line: SubscriptionLine = {
    subscriptionId,
    orderId: randomUUID(),
    orderLineId,
    customerId: randomUUID(),
    resellerId,
    sku,
    quantity,
    productName: product.name,
    vendor: product.vendor,
    channel: product.channel,
    provisioning: product.provisioning,
    billingPolicy: product.billingPolicy,
    trial: product.trial,
    ...(product.vendor === 'Microsoft' && { tenantId: randomUUID() }),
    ...(product.channel === 'StreamOne' && { purchaseOrderNumber: 'PO-2026-0515' }),
    placedOn: '2026-05-15',
  };
  const reference = { subscriptionId, orderId: line.orderId, orderLineId, customerId: line.customerId, resellerId, sku, quantity };
  const vendorSubscriptionId = product.channel === 'StreamOne' ? 'SO-0000000001' : randomUUID().toUpperCase();
  const at = '2026-05-15T01:00:00.000Z';

  const requested: SubscriptionEvent = { type: 'SubscriptionRequested', data: { ...line, status: 'PROVISIONING', requestedAt: at } };
  const provisioned: SubscriptionEvent = {
    type: 'SubscriptionProvisioned',
    data: { ...reference, status: product.provisioning === 'manual' ? 'MANUAL_PROVISIONING' : 'ACTIVE', vendorSubscriptionId, provisionedAt: at, cancellationAllowedUntil: null },
  };
  const stream = (...events: EventToAppend[]): SeededStream => ({ store: 'provisioning', streamId: subscriptionStreamId(subscriptionId), events });
  const reason = 'Partner Center timeout (504)';

  return {
    id: subscriptionId,
    streamId: subscriptionStreamId(subscriptionId),
    /** Automatic and key products: ACTIVE; manual (StreamOne) ones: MANUAL_PROVISIONING, waiting for the distributor. */
    provisioned: () => stream(...written([requested], REQUESTED_BY), ...written([provisioned], VENDOR_WORKER)),
    /** A manual subscription the distributor activated. */
    activated: () =>
      stream(
        ...written([requested], REQUESTED_BY),
        ...written([provisioned], VENDOR_WORKER),
        ...written([{ type: 'SubscriptionActivated', data: { ...reference, status: 'ACTIVE', vendorSubscriptionId, activatedAt: at, activatedBy: DISTRIBUTOR.id } }] satisfies SubscriptionEvent[], DISTRIBUTOR),
      ),
    /** New-commerce seats bought on 05-15 (cancellable until `window`), then `added` more confirmed by the vendor (theirs until `addedWindow`). */
    seatsAdded: (window: string, added: number, addedWindow: string) =>
      stream(
        ...written([requested], REQUESTED_BY),
        ...written([{ ...provisioned, data: { ...provisioned.data, cancellationAllowedUntil: window } } as SubscriptionEvent], VENDOR_WORKER),
        ...written(
          [
            {
              type: 'SubscriptionQuantityChanged',
              data: {
                ...reference,
                quantity: quantity + added,
                status: 'ACTIVE',
                changeId: randomUUID(),
                vendorSubscriptionId,
                previousQuantity: quantity,
                newQuantity: quantity + added,
                requestedOn: '2026-05-18',
                changedAt: '2026-05-18T01:00:00.000Z',
                cancellationAllowedUntil: addedWindow,
              },
            },
          ] satisfies SubscriptionEvent[],
          VENDOR_WORKER,
        ),
      ),
    /** The vendor refused for good: FAILED with the reason after one try. */
    failed: () =>
      stream(
        ...written([requested], REQUESTED_BY),
        ...written(
          [
            { type: 'ProvisioningAttemptFailed', data: { subscriptionId, round: 1, attempt: 1, reason, willRetry: false, failedAt: at } },
            { type: 'ProvisioningFailed', data: { ...reference, status: 'FAILED', reason, attempts: 1, failedAt: at } },
          ] satisfies SubscriptionEvent[],
          VENDOR_WORKER,
        ),
      ),
  };
}
