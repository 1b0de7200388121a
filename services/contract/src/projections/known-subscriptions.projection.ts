import { SUBSCRIPTION_INTEGRATION_EVENT_TYPES, SubscriptionIntegrationEvent } from '@lp/integration-events';
import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { COLLECTIONS, KnownSubscriptionView } from './views';

/**
 * Provisioning's subscriptions, one per order line, as far as confirmation needs them: the latest
 * status (CANCELLED once the vendor cancelled every seat) and the subscription id. Every event carries the whole reference and its status, so the
 * row is simply replaced; the version guard keeps a redelivered older event from going back.
 */
async function record(event: EventEnvelope<SubscriptionIntegrationEvent>, store: ReadStore) {
  const { subscriptionId, orderId, orderLineId, resellerId, status } = event.data;
  await store
    .collection<KnownSubscriptionView>(COLLECTIONS.subscriptions)
    .apply(orderLineId, sourceOf(event), () => ({ id: orderLineId, subscriptionId, orderId, resellerId, status }));
}

export const knownSubscriptionsProjection = defineProjection<SubscriptionIntegrationEvent>({
  name: 'contract-known-subscriptions',
  collections: [COLLECTIONS.subscriptions],
  on: Object.fromEntries(SUBSCRIPTION_INTEGRATION_EVENT_TYPES.map((type) => [type, record])),
});
