import { SUBSCRIPTION_INTEGRATION_EVENT_TYPES, SubscriptionIntegrationEvent } from '@lp/integration-events';
import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { todayInTokyo } from '@lp/platform/time';
import { COLLECTIONS, KnownSubscriptionView } from './views';

/**
 * When the vendor activated the subscription (Partner Center's purchase): at once when provisioning
 * reports it ACTIVE, else when staff activate it. The Tokyo business date, as provisioning counts it.
 */
function activationOf(event: SubscriptionIntegrationEvent): string | undefined {
  if (event.type === 'SubscriptionProvisioned' && event.data.status === 'ACTIVE') return todayInTokyo(new Date(event.data.provisionedAt));
  if (event.type === 'SubscriptionActivated') return todayInTokyo(new Date(event.data.activatedAt));
  return undefined;
}

/**
 * Provisioning's subscriptions, one per order line, as far as confirmation needs them: the latest
 * status (CANCELLED once the vendor cancelled every seat), the subscription id and the day the vendor
 * activated it (a new-commerce line's cancellation window counts from it). Every event carries the
 * whole reference and its status, so the row is replaced but for the activation day, which only one
 * event tells; the version guard keeps a redelivered older event from going back.
 */
async function record(event: EventEnvelope<SubscriptionIntegrationEvent>, store: ReadStore) {
  const { subscriptionId, orderId, orderLineId, resellerId, status } = event.data;
  const activatedOn = activationOf(event);
  await store.collection<KnownSubscriptionView>(COLLECTIONS.subscriptions).apply(orderLineId, sourceOf(event), (current) => {
    const known = activatedOn ?? current?.activatedOn;
    return { id: orderLineId, subscriptionId, orderId, resellerId, status, ...(known ? { activatedOn: known } : {}) };
  });
}

export const knownSubscriptionsProjection = defineProjection<SubscriptionIntegrationEvent>({
  name: 'contract-known-subscriptions',
  collections: [COLLECTIONS.subscriptions],
  on: Object.fromEntries(SUBSCRIPTION_INTEGRATION_EVENT_TYPES.map((type) => [type, record])),
});
