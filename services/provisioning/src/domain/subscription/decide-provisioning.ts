import { conflict, invalid, ruleViolation } from '@lp/eventsourcing';
import { cancellationAllowedUntil, tokyoBusinessDate } from './cancellation-window';
import { RequestProvisioning, SubscriptionCommandOf } from './commands';
import { SubscriptionEvent } from './events';
import { referenceOf, requireStatus, requireSubscription } from './existing-subscription';
import { subscriptionIdForLine } from './identity';
import { SubscriptionState } from './state';

/**
 * The provisioning lifecycle: from the placed line to a vendor subscription.
 *
 *   RequestProvisioning ─► PROVISIONING ──RecordVendorProvisioned──► ACTIVE                 (automatic, key)
 *                                  │                             └─► MANUAL_PROVISIONING ──Activate──► ACTIVE  (manual)
 *                                  ├─RecordVendorAttemptFailed (stays PROVISIONING, counts attempts)
 *                                  └─RecordProvisioningFailed──► FAILED (with the reason)
 *                                                                  └─RetryProvisioning──► PROVISIONING (a new round of tries)
 *
 * The vendor worker makes the calls and reports them; a report may arrive twice (a crash before
 * its append, a redelivery), so each answer that was already recorded is a no-op, not an error.
 */

export function requestProvisioning(command: RequestProvisioning, state: SubscriptionState): SubscriptionEvent[] {
  const { line } = command;
  const subscriptionId = subscriptionIdForLine(line.orderLineId);
  if (state.status !== 'NONE') {
    // A redelivered OrderPlaced: the same line again is a no-op; anything else on this stream is a bug.
    if (state.orderLineId === line.orderLineId && state.orderId === line.orderId) return [];
    throw conflict('ALREADY_EXISTS', `Subscription ${state.subscriptionId} already exists for another order line`);
  }
  // The quantity was checked where the order was placed (the order DTO: a whole number of at least
  // 1); the refund window comes from the product catalog, which no DTO checks, so it is checked here.
  if (line.refundWindowDays !== undefined && (!Number.isInteger(line.refundWindowDays) || line.refundWindowDays < 0)) {
    throw invalid([{ path: 'refundWindowDays', message: 'must be a non-negative integer' }]);
  }
  return [{ type: 'SubscriptionRequested', data: { subscriptionId, ...line, status: 'PROVISIONING', requestedAt: command.requestedAt } }];
}

export function recordVendorProvisioned(command: SubscriptionCommandOf<'RecordVendorProvisioned'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  // A retried delivery of the same vendor answer (e.g. after a crash before the append) changes nothing.
  if (subscription.vendorSubscriptionId === command.vendorSubscriptionId && subscription.status !== 'PROVISIONING') return [];
  requireStatus(subscription, ['PROVISIONING'], 'record the vendor subscription of');
  if (!command.vendorSubscriptionId.trim()) throw invalid([{ path: 'vendorSubscriptionId', message: 'is required' }]);
  const isKeyProduct = subscription.provisioning === 'key';
  if (isKeyProduct && !command.productKey?.trim()) {
    throw ruleViolation('PRODUCT_KEY_REQUIRED', `${subscription.sku} is software: the vendor must return a product key`);
  }
  if (!isKeyProduct && command.productKey !== undefined) {
    throw ruleViolation('PRODUCT_KEY_NOT_EXPECTED', `${subscription.sku} is not a key product`);
  }
  return [
    {
      type: 'SubscriptionProvisioned',
      data: {
        ...referenceOf(subscription),
        status: subscription.provisioning === 'manual' ? 'MANUAL_PROVISIONING' : 'ACTIVE',
        vendorSubscriptionId: command.vendorSubscriptionId,
        ...(isKeyProduct ? { productKey: command.productKey } : {}),
        provisionedAt: command.provisionedAt,
        cancellationAllowedUntil: cancellationAllowedUntil(subscription, tokyoBusinessDate(command.provisionedAt)),
      },
    },
  ];
}

export function recordVendorAttemptFailed(command: SubscriptionCommandOf<'RecordVendorAttemptFailed'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (!Number.isInteger(command.attempt) || command.attempt < 1) throw invalid([{ path: 'attempt', message: 'must be an integer of at least 1' }]);
  // Attempts are recorded once each: a redelivered report of an attempt already counted, or of
  // one from an earlier round, is ignored.
  const round = command.round ?? 1;
  if (round < subscription.round || (round === subscription.round && command.attempt <= subscription.attempts)) return [];
  if (round > subscription.round) throw invalid([{ path: 'round', message: `the subscription is in round ${subscription.round}` }]);
  requireStatus(subscription, ['PROVISIONING'], 'record a failed vendor call on');
  const { attempt, reason, willRetry, failedAt } = command;
  return [{ type: 'ProvisioningAttemptFailed', data: { subscriptionId: subscription.subscriptionId, round, attempt, reason, willRetry, failedAt } }];
}

export function recordProvisioningFailed(command: SubscriptionCommandOf<'RecordProvisioningFailed'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (subscription.status === 'FAILED') return [];
  requireStatus(subscription, ['PROVISIONING'], 'fail');
  if (!command.reason.trim()) throw invalid([{ path: 'reason', message: 'is required' }]);
  return [
    {
      type: 'ProvisioningFailed',
      data: { ...referenceOf(subscription), status: 'FAILED', reason: command.reason, attempts: subscription.attempts, failedAt: command.failedAt },
    },
  ];
}

export function retryProvisioning(command: SubscriptionCommandOf<'RetryProvisioning'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  requireStatus(subscription, ['FAILED'], 'retry');
  return [
    {
      type: 'ProvisioningRetried',
      data: {
        ...referenceOf(subscription),
        status: 'PROVISIONING',
        retriedAt: command.retriedAt,
        ...(command.retriedBy !== undefined ? { retriedBy: command.retriedBy } : {}),
      },
    },
  ];
}

export function activate(command: SubscriptionCommandOf<'Activate'>, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  requireStatus(subscription, ['MANUAL_PROVISIONING'], 'activate');
  return [
    {
      type: 'SubscriptionActivated',
      data: {
        ...referenceOf(subscription),
        status: 'ACTIVE',
        vendorSubscriptionId: subscription.vendorSubscriptionId!,
        activatedAt: command.activatedAt,
        ...(command.activatedBy !== undefined ? { activatedBy: command.activatedBy } : {}),
      },
    },
  ];
}
