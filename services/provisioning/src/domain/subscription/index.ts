/**
 * Subscription (one per placed order line): the vendor subscription behind a line. Two lifecycles
 * share one stream: provisioning (decide-provisioning.ts) and, once ACTIVE, contract changes
 * (decide-changes.ts); the diagrams are in those files.
 *
 * Pure: every time and id comes in the command; the caller (a process manager reacting to
 * OrderPlaced and calling the vendor connector) does the I/O.
 *
 * This file only says what the rest of provisioning may use; the helpers the two lifecycles share
 * (existing-subscription.ts) stay inside the folder.
 */

export { SUBSCRIPTION_STATUS_LABELS, subscriptionStatusLabel, refundWindowClosedReason } from './labels';
export type { SubscriptionStatus } from './labels';
export { SUBSCRIPTION_ID_NAMESPACE, subscriptionIdForLine, subscriptionStreamId } from './identity';
export { addDays, cancellationAllowedUntil, tokyoBusinessDate } from './cancellation-window';
export type {
  ProvisioningAttemptFailed,
  SubscriptionCancellationRequested,
  SubscriptionChangeAttemptFailed,
  SubscriptionEvent,
  SubscriptionLine,
  SubscriptionQuantityChangeRequested,
  SubscriptionReference,
  SubscriptionRequested,
} from './events';
export type { RequestCancellation, RequestProvisioning, RequestQuantityChange, SubscriptionCommand } from './commands';
export { cancellationRequestsFrom, provisioningRequestsFrom, quantityChangeRequestsFrom } from './requests-from-events';
export type { CancellationLinkedInput, QuantityChangeLinkedInput, SubscriptionStreamCommand } from './requests-from-events';
export type { PendingChange, SettledChange, SubscriptionState } from './state';
export { subscriptionDecider } from './decide';
