import { conflict } from '@lp/eventsourcing';
import { SubscriptionReference } from './events';
import { SubscriptionStatus } from './labels';
import { ExistingSubscription, SubscriptionState } from './state';

/**
 * What the decisions of both lifecycles share: every command but RequestProvisioning needs the
 * subscription to exist and be in a given status (a wrong one is a 409: the caller raced or is
 * late), and every published event says which subscription, order line and customer it is about.
 */

export function requireSubscription(state: SubscriptionState): ExistingSubscription {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The subscription does not exist');
  return state;
}

export function requireStatus(subscription: ExistingSubscription, allowed: SubscriptionStatus[], action: string): void {
  if (!allowed.includes(subscription.status)) {
    throw conflict('INVALID_STATE', `Cannot ${action} a subscription in status ${subscription.status}`);
  }
}

/** The fields every published subscription event carries, so the contract service needs no lookup. */
export const referenceOf = (s: ExistingSubscription): SubscriptionReference => ({
  subscriptionId: s.subscriptionId,
  orderId: s.orderId,
  orderLineId: s.orderLineId,
  customerId: s.customerId,
  resellerId: s.resellerId,
  sku: s.sku,
  quantity: s.quantity,
});
