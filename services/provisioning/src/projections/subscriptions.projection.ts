import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { SubscriptionEvent, subscriptionStatusLabel, SubscriptionStatus } from '../domain/subscription';
import { COLLECTIONS, SubscriptionView } from './views';

const subscriptions = (store: ReadStore) => store.collection<SubscriptionView>(COLLECTIONS.subscriptions);
const withStatus = (status: SubscriptionStatus) => ({ status, statusLabel: subscriptionStatusLabel(status) });

/** Applies a change to an existing subscription row once per event. */
async function update(
  event: EventEnvelope<SubscriptionEvent>,
  store: ReadStore,
  change: (current: SubscriptionView) => Partial<SubscriptionView>,
) {
  await subscriptions(store).apply(event.data.subscriptionId, sourceOf(event), (current) => {
    if (!current) throw new Error(`${event.type} for a subscription the projection never saw requested (${event.streamId})`);
    return { ...current, ...change(current), updatedAt: event.occurredAt };
  });
}

/** The subscriptions screen: one row per placed order line, fed from the service's own streams. */
export const subscriptionsProjection = defineProjection<SubscriptionEvent>({
  name: 'subscriptions',
  collections: [COLLECTIONS.subscriptions],
  // Scoped by reseller (distributor: all), filtered by status / customer / order, newest first.
  indexes: {
    [COLLECTIONS.subscriptions]: [
      { resellerId: 1, status: 1, createdAt: -1 },
      { resellerId: 1, customerId: 1, createdAt: -1 },
      { resellerId: 1, orderId: 1, createdAt: -1 },
      { resellerId: 1, createdAt: -1 },
      { status: 1, createdAt: -1 },
      // Distributor staff's list over all resellers; the keys after id serve its search (see the order service's orders.projection.ts).
      { createdAt: -1, id: 1, sku: 1, productName: 1, vendorSubscriptionId: 1 },
    ],
  },
  // Searched by the list screen's q (textSearch).
  textIndexes: { [COLLECTIONS.subscriptions]: ['sku', 'productName', 'vendorSubscriptionId'] },
  // The screen as distributor staff first see it (every subscription): its total kept from the start, never counted on an ask.
  countedFilters: { [COLLECTIONS.subscriptions]: [{}] },
  on: {
    async SubscriptionRequested(event, store) {
      const line = event.data;
      await subscriptions(store).apply(line.subscriptionId, sourceOf(event), () => ({
        id: line.subscriptionId,
        resellerId: line.resellerId,
        customerId: line.customerId,
        orderId: line.orderId,
        orderLineId: line.orderLineId,
        sku: line.sku,
        productName: line.productName,
        vendor: line.vendor,
        channel: line.channel,
        provisioning: line.provisioning,
        quantity: line.quantity,
        tenantId: line.tenantId ?? null,
        purchaseOrderNumber: line.purchaseOrderNumber ?? null,
        placedOn: line.placedOn,
        ...withStatus('PROVISIONING'),
        vendorSubscriptionId: null,
        productKey: null,
        cancellationAllowedUntil: null,
        provisionedAt: null,
        activatedAt: null,
        activatedBy: null,
        failureReason: null,
        failedAt: null,
        attempts: 0,
        round: 1,
        lastAttemptError: null,
        retriedAt: null,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      }));
    },
    SubscriptionProvisioned: (event, store) =>
      update(event, store, () => {
        const { status, vendorSubscriptionId, productKey, provisionedAt, cancellationAllowedUntil } = event.data;
        return {
          ...withStatus(status),
          vendorSubscriptionId,
          productKey: productKey ?? null,
          provisionedAt,
          // Automatic and key products are active the moment the vendor answers.
          activatedAt: status === 'ACTIVE' ? provisionedAt : null,
          cancellationAllowedUntil,
        };
      }),
    SubscriptionActivated: (event, store) =>
      update(event, store, () => ({ ...withStatus('ACTIVE'), activatedAt: event.data.activatedAt, activatedBy: event.data.activatedBy ?? null })),
    ProvisioningAttemptFailed: (event, store) =>
      update(event, store, (current) => {
        // A late report from an earlier round of tries does not count in this one (as in the decider).
        if ((event.data.round ?? 1) !== current.round) return {};
        return { attempts: Math.max(current.attempts, event.data.attempt), lastAttemptError: event.data.reason };
      }),
    ProvisioningFailed: (event, store) =>
      update(event, store, () => ({ ...withStatus('FAILED'), failureReason: event.data.reason, failedAt: event.data.failedAt, attempts: event.data.attempts })),
    ProvisioningRetried: (event, store) =>
      update(event, store, (current) => ({
        ...withStatus('PROVISIONING'),
        round: current.round + 1,
        attempts: 0,
        lastAttemptError: null,
        failureReason: null,
        failedAt: null,
        retriedAt: event.data.retriedAt,
      })),
    // Contract changes (解約 / 数量変更) carried out with the vendor.
    SubscriptionCancelled: (event, store) =>
      update(event, store, () => ({
        ...withStatus(event.data.status),
        quantity: event.data.remainingQuantity,
        ...(event.data.status === 'CANCELLED' && { cancelledAt: event.data.cancelledAt }),
        ...(event.data.productKeyRevoked && { productKeyRevoked: true }),
        lastChangeError: null,
      })),
    // A product change moves the subscription to the new sku (the event's sku is the one after it).
    SubscriptionQuantityChanged: (event, store) =>
      update(event, store, () => ({
        quantity: event.data.newQuantity,
        sku: event.data.sku,
        lastChangeError: null,
        // Added new-commerce seats: the window shown is theirs, the last one still open (as the decider has it).
        ...(event.data.cancellationAllowedUntil && { cancellationAllowedUntil: event.data.cancellationAllowedUntil }),
      })),
    SubscriptionCancellationRefused: (event, store) => update(event, store, () => ({ lastChangeError: event.data.reason })),
    SubscriptionChangeFailed: (event, store) => update(event, store, () => ({ lastChangeError: event.data.reason })),
  },
});
