import {
  ProductTerms,
  ProvisioningFailed,
  ProvisioningRetried,
  SubscriptionActivated,
  SubscriptionCancellationRefused,
  SubscriptionCancelled,
  SubscriptionChangeFailed,
  SubscriptionProvisioned,
  SubscriptionQuantityChanged,
  SubscriptionReference,
} from '@lp/integration-events';

/**
 * The events of a subscription stream. Their types and shapes are persisted: a change here is a
 * change of stored data (and, for the published ones, of another service's input).
 */

export type { SubscriptionReference } from '@lp/integration-events';

/** The placed line as provisioning keeps it: the product terms copied at order time, minus the price. */
export interface SubscriptionLine extends SubscriptionReference, Omit<ProductTerms, 'unitPrice'> {
  /** Our tenant id (Microsoft lines). */
  tenantId?: string;
  purchaseOrderNumber?: string;
  /** Business date of the placement (OrderPlaced.placedOn). */
  placedOn: string;
}

/** Internal (not published): the stream's first event. */
export type SubscriptionRequested = {
  type: 'SubscriptionRequested';
  data: SubscriptionLine & { status: 'PROVISIONING'; requestedAt: string };
};

/**
 * Internal (not published): one vendor call failed. `attempt` counts within `round` (1 for the
 * first round of tries, +1 per RetryProvisioning); events written before rounds existed are round 1.
 */
export type ProvisioningAttemptFailed = {
  type: 'ProvisioningAttemptFailed';
  data: { subscriptionId: string; round?: number; attempt: number; reason: string; willRetry: boolean; failedAt: string };
};

/** Internal: a cancellation (or reduction) of `quantity` seats waits for the vendor call. */
export type SubscriptionCancellationRequested = {
  type: 'SubscriptionCancellationRequested';
  data: { subscriptionId: string; changeId: string; quantity: number; previousQuantity: number; requestedOn: string };
};

/** Internal: a new seat count waits for the vendor call. */
export type SubscriptionQuantityChangeRequested = {
  type: 'SubscriptionQuantityChangeRequested';
  data: { subscriptionId: string; changeId: string; previousQuantity: number; newQuantity: number; requestedOn: string; newSku?: string };
};

/** Internal: one vendor call of a pending change failed (`attempt` counts within the change). */
export type SubscriptionChangeAttemptFailed = {
  type: 'SubscriptionChangeAttemptFailed';
  data: { subscriptionId: string; changeId: string; attempt: number; reason: string; willRetry: boolean; failedAt: string };
};

/**
 * Published types (SubscriptionProvisioned, SubscriptionActivated, ProvisioningFailed,
 * ProvisioningRetried, SubscriptionCancellationRefused, SubscriptionCancelled,
 * SubscriptionQuantityChanged, SubscriptionChangeFailed) are listed in SUBSCRIPTION_INTEGRATION_EVENT_TYPES;
 * the *Requested and *AttemptFailed events stay in the stream.
 */
export type SubscriptionEvent =
  | SubscriptionRequested
  | SubscriptionProvisioned
  | SubscriptionActivated
  | ProvisioningAttemptFailed
  | ProvisioningFailed
  | ProvisioningRetried
  | SubscriptionCancellationRequested
  | SubscriptionCancellationRefused
  | SubscriptionCancelled
  | SubscriptionQuantityChangeRequested
  | SubscriptionQuantityChanged
  | SubscriptionChangeAttemptFailed
  | SubscriptionChangeFailed;
