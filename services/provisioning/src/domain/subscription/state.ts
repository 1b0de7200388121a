import { SubscriptionEvent, SubscriptionLine } from './events';
import { SubscriptionStatus } from './labels';

/**
 * What the decider knows of a subscription: its events folded by `evolve`. Only what a decision
 * or the vendor worker needs is kept; everything else stays in the events.
 */

/** A change of an ACTIVE subscription waiting for the vendor. */
export type PendingChange = (
  | { kind: 'CANCELLATION'; /** Seats to cancel. */ quantity: number }
  | { kind: 'QUANTITY_CHANGE'; newQuantity: number; newSku?: string }
) & {
  changeId: string;
  requestedOn: string;
  /** Failed vendor calls for this change so far. */
  attempts: number;
  lastAttemptError?: string;
  lastAttemptWillRetry?: boolean;
  lastAttemptAt?: string;
};

/** How a change ended. */
export type SettledChange = 'CANCELLED' | 'CANCELLATION_REFUSED' | 'QUANTITY_CHANGED' | 'FAILED';

export type SubscriptionState =
  | { status: 'NONE' }
  | (SubscriptionLine & {
      status: SubscriptionStatus;
      /** Failed vendor calls so far in this round (a retry starts a new round at 0). */
      attempts: number;
      /** 1 for the first round of tries; +1 per RetryProvisioning. */
      round: number;
      /** Whether the last failed call was to be tried again (false: give up, e.g. after a crash right after it). */
      lastAttemptWillRetry?: boolean;
      lastAttemptAt?: string;
      vendorSubscriptionId?: string;
      productKey?: string;
      provisionedAt?: string;
      /** For automatic products the provisioning time. */
      activatedAt?: string;
      /** The reason of the last failed vendor call (still PROVISIONING while retries remain). */
      lastAttemptError?: string;
      /** Set when FAILED. */
      failureReason?: string;
      failedAt?: string;
      cancellationAllowedUntil: string | null;
      /** The change waiting for the vendor, if any (one at a time). */
      pendingChange?: PendingChange;
      /** Every change already settled, by change id: a redelivered request or answer is a no-op. */
      settledChanges: Record<string, SettledChange>;
      /** For `key` products once a cancellation revoked the key. */
      productKeyRevoked?: boolean;
      /** Set when every seat was cancelled. */
      cancelledAt?: string;
    });

/** A subscription whose stream has begun (SubscriptionRequested): what every decision but the first works on. */
export type ExistingSubscription = Exclude<SubscriptionState, { status: 'NONE' }>;

export const initialState = (): SubscriptionState => ({ status: 'NONE' });

/** The change leaves the pending slot (when it was there) and is remembered as settled. */
function settle(state: ExistingSubscription, changeId: string, outcome: SettledChange): ExistingSubscription {
  const { pendingChange, ...rest } = state;
  return {
    ...rest,
    ...(pendingChange && pendingChange.changeId !== changeId ? { pendingChange } : {}),
    settledChanges: { ...state.settledChanges, [changeId]: outcome },
  };
}

export function evolve(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  if (event.type === 'SubscriptionRequested') {
    const { status: _status, requestedAt: _at, ...line } = event.data;
    return { ...line, status: 'PROVISIONING', attempts: 0, round: 1, cancellationAllowedUntil: null, settledChanges: {} };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'SubscriptionProvisioned': {
      const { status, vendorSubscriptionId, productKey, provisionedAt, cancellationAllowedUntil: until } = event.data;
      return {
        ...state,
        status,
        vendorSubscriptionId,
        ...(productKey !== undefined ? { productKey } : {}),
        provisionedAt,
        ...(status === 'ACTIVE' ? { activatedAt: provisionedAt } : {}),
        cancellationAllowedUntil: until,
      };
    }
    case 'SubscriptionActivated':
      return { ...state, status: 'ACTIVE', activatedAt: event.data.activatedAt };
    case 'ProvisioningAttemptFailed':
      if ((event.data.round ?? 1) !== state.round) return state;
      return {
        ...state,
        attempts: Math.max(state.attempts, event.data.attempt),
        lastAttemptError: event.data.reason,
        lastAttemptWillRetry: event.data.willRetry,
        lastAttemptAt: event.data.failedAt,
      };
    case 'ProvisioningFailed':
      return { ...state, status: 'FAILED', failureReason: event.data.reason, failedAt: event.data.failedAt };
    case 'ProvisioningRetried': {
      // A new round: the count starts again, the last round's failure stays in the history only.
      const { failureReason: _reason, failedAt: _failedAt, lastAttemptError: _error, lastAttemptWillRetry: _retry, lastAttemptAt: _at, ...rest } = state;
      return { ...rest, status: 'PROVISIONING', attempts: 0, round: state.round + 1 };
    }
    case 'SubscriptionCancellationRequested': {
      const { changeId, quantity, requestedOn } = event.data;
      return { ...state, pendingChange: { kind: 'CANCELLATION', changeId, quantity, requestedOn, attempts: 0 } };
    }
    case 'SubscriptionQuantityChangeRequested': {
      const { changeId, newQuantity, requestedOn, newSku } = event.data;
      return { ...state, pendingChange: { kind: 'QUANTITY_CHANGE', changeId, newQuantity, requestedOn, attempts: 0, ...(newSku ? { newSku } : {}) } };
    }
    case 'SubscriptionChangeAttemptFailed': {
      const pending = state.pendingChange;
      if (!pending || pending.changeId !== event.data.changeId) return state;
      const { attempt, reason, willRetry, failedAt } = event.data;
      return {
        ...state,
        pendingChange: { ...pending, attempts: Math.max(pending.attempts, attempt), lastAttemptError: reason, lastAttemptWillRetry: willRetry, lastAttemptAt: failedAt },
      };
    }
    case 'SubscriptionCancellationRefused':
      return settle(state, event.data.changeId, 'CANCELLATION_REFUSED');
    case 'SubscriptionCancelled': {
      const { changeId, status, remainingQuantity, productKeyRevoked, cancelledAt } = event.data;
      return {
        ...settle(state, changeId, 'CANCELLED'),
        status,
        quantity: remainingQuantity,
        ...(productKeyRevoked ? { productKeyRevoked } : {}),
        ...(status === 'CANCELLED' ? { cancelledAt } : {}),
      };
    }
    case 'SubscriptionQuantityChanged':
      return {
        ...settle(state, event.data.changeId, 'QUANTITY_CHANGED'),
        quantity: event.data.newQuantity,
        sku: event.data.sku,
        // Added new-commerce seats: the window shown is theirs, the last one still open.
        ...(event.data.cancellationAllowedUntil ? { cancellationAllowedUntil: event.data.cancellationAllowedUntil } : {}),
      };
    case 'SubscriptionChangeFailed':
      return settle(state, event.data.changeId, 'FAILED');
  }
}
