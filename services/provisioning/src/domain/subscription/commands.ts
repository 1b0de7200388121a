import { SubscriptionLine } from './events';

/**
 * What can be asked of a subscription. Every time and id comes in the command, so the decider stays
 * pure; the senders are the process managers (OrderPlaced, contract changes), the vendor worker
 * (the vendor's answers) and the HTTP edge (staff actions, role and reseller checked there).
 */

export type RequestProvisioning = {
  type: 'RequestProvisioning';
  line: Omit<SubscriptionLine, 'subscriptionId'>;
  requestedAt: string;
};

/** Cancel `quantity` seats (less than all: a reduction) under the contract change `changeId`. */
export type RequestCancellation = { type: 'RequestCancellation'; changeId: string; quantity: number; requestedOn: string };

/** Set the seat count to `newQuantity` (add or reduce) under the contract change `changeId`. */
export type RequestQuantityChange = { type: 'RequestQuantityChange'; changeId: string; newQuantity: number; requestedOn: string; /** A product change: the sku the vendor subscription moves to. */ newSku?: string };

export type SubscriptionCommand =
  | RequestProvisioning
  | RequestCancellation
  | RequestQuantityChange
  /** The vendor confirmed the pending cancellation; for `key` products whether it revoked the key. */
  | { type: 'RecordVendorCancelled'; changeId: string; cancelledAt: string; productKeyRevoked?: boolean }
  /** The vendor confirmed the pending quantity change. */
  | { type: 'RecordVendorQuantityChanged'; changeId: string; changedAt: string }
  /** One vendor call of the pending change failed; willRetry tells whether the retry policy tries again. */
  | { type: 'RecordVendorChangeAttemptFailed'; changeId: string; attempt: number; reason: string; willRetry: boolean; failedAt: string }
  /** No try is left for the pending change (or the vendor refused it). */
  | { type: 'RecordChangeFailed'; changeId: string; reason: string; failedAt: string }
  /** The connector answered; for `key` products with the product key. */
  | { type: 'RecordVendorProvisioned'; vendorSubscriptionId: string; productKey?: string; provisionedAt: string }
  /**
   * One vendor call failed; willRetry tells whether the retry policy tries again. `round` is the
   * state's round when the call was made (default 1): a late report from an earlier round is ignored.
   */
  | { type: 'RecordVendorAttemptFailed'; round?: number; attempt: number; reason: string; willRetry: boolean; failedAt: string }
  /** No try is left (or the error is not retryable). */
  | { type: 'RecordProvisioningFailed'; reason: string; failedAt: string }
  /** Staff ask to try a FAILED subscription again (the HTTP edge checks role and reseller). */
  | { type: 'RetryProvisioning'; retriedAt: string; retriedBy?: string }
  /** Distributor staff activate a manual subscription (the HTTP edge checks the distributor-admin role). */
  | { type: 'Activate'; activatedAt: string; activatedBy?: string };

/** The command of one type, for the function that decides it. */
export type SubscriptionCommandOf<T extends SubscriptionCommand['type']> = Extract<SubscriptionCommand, { type: T }>;
