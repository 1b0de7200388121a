import { conflict, invalid, ruleViolation } from '@lp/eventsourcing';
import { SubscriptionChangeKind } from '@lp/integration-events';
import { RequestCancellation, RequestQuantityChange, SubscriptionCommandOf } from './commands';
import { SubscriptionEvent } from './events';
import { referenceOf, requireStatus, requireSubscription } from './existing-subscription';
import { addedSeatsCancellationAllowedUntil } from './cancellation-window';
import { refundWindowClosedReason } from './labels';
import { ExistingSubscription, PendingChange, SubscriptionState } from './state';

/**
 * The change lifecycle of an ACTIVE subscription (a contract change, each under its `changeId`; one
 * at a time):
 *
 *   ACTIVE ─RequestCancellation─► (software past its refund window) SubscriptionCancellationRefused, stays ACTIVE
 *          │                    └► SubscriptionCancellationRequested (pending vendor call)
 *          │                          ├─RecordVendorCancelled──► CANCELLED (every seat) / ACTIVE with fewer seats
 *          │                          ├─RecordVendorChangeAttemptFailed (counts attempts)
 *          │                          └─RecordChangeFailed──► SubscriptionChangeFailed, stays ACTIVE unchanged
 *          └─RequestQuantityChange─► SubscriptionQuantityChangeRequested
 *                                     ├─RecordVendorQuantityChanged──► ACTIVE with the new quantity
 *                                     └─ (attempts / RecordChangeFailed as above)
 *
 * The change id makes every step idempotent: the contract service's event and the vendor's answer
 * may both arrive twice, and a change already pending or settled is then left as it is.
 */

/** The change id was seen before on this subscription: pending, or settled either way. */
const knownChange = (subscription: ExistingSubscription, changeId: string) =>
  subscription.pendingChange?.changeId === changeId || (subscription.settledChanges ?? {})[changeId] !== undefined;

/**
 * The change id is the key that makes every step idempotent, and no DTO checks it: the contract
 * service makes it. (requestedOn is not checked here: it is the contract service's, from its
 * DTO, which accepts only a real business date, or today.)
 */
function requireChangeId(changeId: string): void {
  if (!changeId.trim()) throw invalid([{ path: 'changeId', message: 'is required' }]);
}

/** Only an ACTIVE subscription without another change waiting for the vendor can change. */
function requireChangeable(subscription: ExistingSubscription, action: string): void {
  requireStatus(subscription, ['ACTIVE'], action);
  if (subscription.pendingChange) {
    throw conflict('CHANGE_IN_PROGRESS', `Change ${subscription.pendingChange.changeId} of subscription ${subscription.subscriptionId} is still waiting for the vendor`);
  }
}

/**
 * The pending change the vendor's answer is about, or 'settled' when that change already ended (a
 * repeated answer: no-op). An answer for a change that is not pending is refused.
 */
function pendingChangeFor(subscription: ExistingSubscription, changeId: string, kind: SubscriptionChangeKind | 'ANY'): PendingChange | 'settled' {
  if ((subscription.settledChanges ?? {})[changeId] !== undefined) return 'settled';
  const pending = subscription.pendingChange;
  if (!pending || pending.changeId !== changeId || (kind !== 'ANY' && pending.kind !== kind)) {
    const what = kind === 'CANCELLATION' ? 'cancellation' : kind === 'QUANTITY_CHANGE' ? 'quantity change' : 'change';
    throw conflict('INVALID_STATE', `No ${what} ${changeId} is waiting for the vendor on subscription ${subscription.subscriptionId}`);
  }
  return pending;
}

export function requestCancellation(command: RequestCancellation, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  // A redelivered CancellationLinked (or a repeated request) for the same change changes nothing.
  if (knownChange(subscription, command.changeId)) return [];
  requireChangeId(command.changeId);
  requireChangeable(subscription, 'cancel');
  const { quantity } = command;
  // A whole number already (the contract service's DTO); whether it fits the seats is the rule.
  if (quantity < 1 || quantity > subscription.quantity) {
    throw ruleViolation('QUANTITY_OUT_OF_RANGE', `The quantity to cancel must be 1 … ${subscription.quantity}, got ${quantity}`);
  }
  const until = subscription.cancellationAllowedUntil;
  // Software: the refund window is inclusive (domain.md: "requested on or before start date + window days").
  if (subscription.billingPolicy === 'onprem-software' && until !== null && command.requestedOn > until) {
    return [
      {
        type: 'SubscriptionCancellationRefused',
        data: {
          ...referenceOf(subscription),
          status: 'ACTIVE',
          changeId: command.changeId,
          requestedQuantity: quantity,
          requestedOn: command.requestedOn,
          code: 'REFUND_WINDOW_CLOSED',
          reason: refundWindowClosedReason(until),
          cancellationAllowedUntil: until,
        },
      },
    ];
  }
  return [
    {
      type: 'SubscriptionCancellationRequested',
      data: { subscriptionId: subscription.subscriptionId, changeId: command.changeId, quantity, previousQuantity: subscription.quantity, requestedOn: command.requestedOn },
    },
  ];
}

export function requestQuantityChange(command: RequestQuantityChange, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (knownChange(subscription, command.changeId)) return [];
  requireChangeId(command.changeId);
  requireChangeable(subscription, 'change the quantity of');
  if (subscription.provisioning === 'key') {
    throw ruleViolation('QUANTITY_CHANGE_NOT_SUPPORTED', `${subscription.sku} is software: seats are not changed, the purchase is cancelled (within its refund window)`);
  }
  const { newQuantity } = command;
  // A whole number already (the contract service's DTO); none left is a cancellation, not a quantity change.
  if (newQuantity < 1) {
    throw ruleViolation('QUANTITY_OUT_OF_RANGE', `The new quantity must be an integer of at least 1, got ${newQuantity}`);
  }
  const newSku = command.newSku !== undefined && command.newSku !== subscription.sku ? command.newSku : undefined;
  if (newQuantity === subscription.quantity && !newSku) {
    throw ruleViolation('QUANTITY_UNCHANGED', `The subscription already has ${newQuantity} seats`);
  }
  return [
    {
      type: 'SubscriptionQuantityChangeRequested',
      data: {
        subscriptionId: subscription.subscriptionId,
        changeId: command.changeId,
        previousQuantity: subscription.quantity,
        newQuantity,
        requestedOn: command.requestedOn,
        ...(newSku ? { newSku } : {}),
      },
    },
  ];
}

export function recordVendorCancelled(command: SubscriptionCommandOf<'RecordVendorCancelled'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  const pending = pendingChangeFor(subscription, command.changeId, 'CANCELLATION');
  if (pending === 'settled' || pending.kind !== 'CANCELLATION') return [];
  const isKeyProduct = subscription.provisioning === 'key';
  if (!isKeyProduct && command.productKeyRevoked !== undefined) {
    throw ruleViolation('PRODUCT_KEY_NOT_EXPECTED', `${subscription.sku} is not a key product`);
  }
  const remainingQuantity = subscription.quantity - pending.quantity;
  return [
    {
      type: 'SubscriptionCancelled',
      data: {
        ...referenceOf(subscription),
        quantity: remainingQuantity,
        status: remainingQuantity === 0 ? 'CANCELLED' : 'ACTIVE',
        changeId: command.changeId,
        vendorSubscriptionId: subscription.vendorSubscriptionId!,
        previousQuantity: subscription.quantity,
        cancelledQuantity: pending.quantity,
        remainingQuantity,
        ...(isKeyProduct ? { productKeyRevoked: command.productKeyRevoked ?? false } : {}),
        requestedOn: pending.requestedOn,
        cancelledAt: command.cancelledAt,
      },
    },
  ];
}

export function recordVendorQuantityChanged(command: SubscriptionCommandOf<'RecordVendorQuantityChanged'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  const pending = pendingChangeFor(subscription, command.changeId, 'QUANTITY_CHANGE');
  if (pending === 'settled' || pending.kind !== 'QUANTITY_CHANGE') return [];
  const addedWindow = addedSeatsCancellationAllowedUntil(subscription, pending.newQuantity - subscription.quantity, command.changedAt);
  return [
    {
      type: 'SubscriptionQuantityChanged',
      data: {
        ...referenceOf(subscription),
        ...(pending.newSku ? { sku: pending.newSku, previousSku: subscription.sku } : {}),
        quantity: pending.newQuantity,
        status: 'ACTIVE',
        changeId: command.changeId,
        vendorSubscriptionId: subscription.vendorSubscriptionId!,
        previousQuantity: subscription.quantity,
        newQuantity: pending.newQuantity,
        requestedOn: pending.requestedOn,
        changedAt: command.changedAt,
        ...(addedWindow ? { cancellationAllowedUntil: addedWindow } : {}),
      },
    },
  ];
}

export function recordVendorChangeAttemptFailed(command: SubscriptionCommandOf<'RecordVendorChangeAttemptFailed'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (!Number.isInteger(command.attempt) || command.attempt < 1) throw invalid([{ path: 'attempt', message: 'must be an integer of at least 1' }]);
  const pending = pendingChangeFor(subscription, command.changeId, 'ANY');
  // A report of an attempt already counted (or of a change that has ended) is ignored.
  if (pending === 'settled' || command.attempt <= pending.attempts) return [];
  const { changeId, attempt, reason, willRetry, failedAt } = command;
  return [{ type: 'SubscriptionChangeAttemptFailed', data: { subscriptionId: subscription.subscriptionId, changeId, attempt, reason, willRetry, failedAt } }];
}

export function recordChangeFailed(command: SubscriptionCommandOf<'RecordChangeFailed'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  const pending = pendingChangeFor(subscription, command.changeId, 'ANY');
  if (pending === 'settled') return [];
  if (!command.reason.trim()) throw invalid([{ path: 'reason', message: 'is required' }]);
  return [
    {
      type: 'SubscriptionChangeFailed',
      data: {
        ...referenceOf(subscription),
        status: 'ACTIVE',
        changeId: command.changeId,
        change: pending.kind,
        reason: command.reason,
        attempts: pending.attempts,
        failedAt: command.failedAt,
      },
    },
  ];
}
