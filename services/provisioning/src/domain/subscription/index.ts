import { v5 as uuidV5 } from 'uuid';
import { addDays, isRealDate, todayInTokyo } from '@lp/platform/time';
import { conflict, Decider, invalid, ruleViolation } from '@lp/eventsourcing';
import {
  NCE_CANCELLATION_WINDOW_DAYS,
  OrderPlaced,
  PlacedLine,
  ProductTerms,
  ProvisioningFailed,
  ProvisioningRetried,
  SubscriptionActivated,
  SubscriptionCancellationRefused,
  SubscriptionCancelled,
  SubscriptionChangeFailed,
  SubscriptionChangeKind,
  SubscriptionProvisioned,
  SubscriptionQuantityChanged,
  SubscriptionReference,
} from '@lp/integration-events';

/**
 * Subscription (one per placed order line): the vendor subscription behind a line.
 *
 *   RequestProvisioning ─► PROVISIONING ──RecordVendorProvisioned──► ACTIVE                 (automatic, key)
 *                                  │                             └─► MANUAL_PROVISIONING ──Activate──► ACTIVE  (manual)
 *                                  ├─RecordVendorAttemptFailed (stays PROVISIONING, counts attempts)
 *                                  └─RecordProvisioningFailed──► FAILED (with the reason)
 *                                                                  └─RetryProvisioning──► PROVISIONING (a new round of tries)
 *
 * Changes of an ACTIVE subscription (a contract change, each under its `changeId`; one at a time):
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
 * Pure: every time and id comes in the command; the caller (a process manager reacting to
 * OrderPlaced and calling the vendor connector) does the I/O.
 */

export type SubscriptionStatus = 'PROVISIONING' | 'MANUAL_PROVISIONING' | 'ACTIVE' | 'FAILED' | 'CANCELLED';

export const SUBSCRIPTION_STATUS_LABELS: Record<SubscriptionStatus, string> = {
  PROVISIONING: 'プロビジョニング中',
  MANUAL_PROVISIONING: 'マニュアルプロビジョニング',
  ACTIVE: 'アクティベーション済',
  FAILED: '失敗',
  /** Every seat cancelled, confirmed by the vendor (SubscriptionCancelled with remainingQuantity 0). */
  CANCELLED: '解約済',
};

export const subscriptionStatusLabel = (status: SubscriptionStatus) => SUBSCRIPTION_STATUS_LABELS[status];

// ---------------------------------------------------------------------------------------------
// Identity

/** Fixed namespace of subscription ids (a UUID v5 namespace; never change it, ids derive from it). */
export const SUBSCRIPTION_ID_NAMESPACE = '6f0d4b52-3a7e-4c1b-9d55-2b8f0e6a9c41';

/**
 * The subscription id of an order line: derived, so a redelivered OrderPlaced lands on the same
 * stream (and is refused or ignored there) instead of creating a second subscription. A version-5
 * UUID (SHA-1 of namespace + name): the same name always gives the same id.
 */
export const subscriptionIdForLine = (orderLineId: string) => uuidV5(`order-line:${orderLineId}`, SUBSCRIPTION_ID_NAMESPACE);

export const subscriptionStreamId = (subscriptionId: string) => `subscription-${subscriptionId}`;

// ---------------------------------------------------------------------------------------------
// Dates

// One calendar for every service: libs/platform's business dates (Asia/Tokyo, date-fns-tz).
export { addDays };

/** The business date in Asia/Tokyo of an ISO timestamp. */
export function tokyoBusinessDate(timestamp: string): string {
  const instant = new Date(timestamp);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a timestamp: ${timestamp}`);
  return todayInTokyo(instant);
}

/**
 * The last day a cancellation is still allowed (Partner Center's `cancellationAllowedUntil`), or
 * null when the product has no such window.
 * - On-premises software (`onprem-software`): start date + the product's refund window days
 *   (domain.md: "requested on or before start date + window days"), the window inclusive.
 * - New-commerce licences (`microsoft-nce`): start date + 7 days (Partner Center's 168 hours).
 * - Monthly, usage and StreamOne products: domain.md gives no cancellation window (monthly Microsoft
 *   lines are reduced from the next invoice; StreamOne cancellations follow a deadline per month,
 *   not a window), so null.
 */
export function cancellationAllowedUntil(
  terms: Pick<ProductTerms, 'billingPolicy' | 'refundWindowDays'>,
  startDate: string,
): string | null {
  if (terms.billingPolicy === 'microsoft-nce') return addDays(startDate, NCE_CANCELLATION_WINDOW_DAYS);
  if (terms.billingPolicy !== 'onprem-software' || terms.refundWindowDays === undefined) return null;
  return addDays(startDate, terms.refundWindowDays);
}

// ---------------------------------------------------------------------------------------------
// Events

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

// ---------------------------------------------------------------------------------------------
// Commands

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

/** One RequestProvisioning per line of an OrderPlaced, for the process manager. */
export function provisioningRequestsFrom(placed: OrderPlaced['data'], requestedAt: string): RequestProvisioning[] {
  return placed.lines.map((line: PlacedLine) => ({
    type: 'RequestProvisioning',
    requestedAt,
    line: {
      orderId: placed.orderId,
      orderLineId: line.lineId,
      customerId: placed.customerId,
      resellerId: placed.resellerId,
      sku: line.sku,
      quantity: line.quantity,
      productName: line.productName,
      vendor: line.vendor,
      channel: line.channel,
      provisioning: line.provisioning,
      billingPolicy: line.billingPolicy,
      trial: line.trial,
      ...(line.refundWindowDays !== undefined ? { refundWindowDays: line.refundWindowDays } : {}),
      ...(line.tenantId !== undefined ? { tenantId: line.tenantId } : {}),
      ...(placed.purchaseOrderNumber !== undefined ? { purchaseOrderNumber: placed.purchaseOrderNumber } : {}),
      placedOn: placed.placedOn,
    },
  }));
}

/**
 * What provisioning needs of the contract service's CancellationLinked (解約連携): the change, the
 * business date it was requested on, and per line the subscription and the seats to cancel. Any
 * other field is ignored, so the published event type can be passed as it is.
 */
export interface CancellationLinkedInput {
  changeId: string;
  requestedOn: string;
  lines: { subscriptionId: string; quantity: number }[];
}

/** What provisioning needs of QuantityChangeLinked: per line the subscription and its new seat count. */
export interface QuantityChangeLinkedInput {
  changeId: string;
  requestedOn: string;
  lines: { subscriptionId: string; newQuantity: number; newSku?: string }[];
}

/** A command for one subscription stream. */
export interface SubscriptionStreamCommand<C extends SubscriptionCommand = SubscriptionCommand> {
  subscriptionId: string;
  streamId: string;
  command: C;
}

/** One RequestCancellation per linked line, for the consumer of CancellationLinked. */
export function cancellationRequestsFrom(linked: CancellationLinkedInput): SubscriptionStreamCommand<RequestCancellation>[] {
  return linked.lines.map((line) => ({
    subscriptionId: line.subscriptionId,
    streamId: subscriptionStreamId(line.subscriptionId),
    command: { type: 'RequestCancellation', changeId: linked.changeId, quantity: line.quantity, requestedOn: linked.requestedOn },
  }));
}

/** One RequestQuantityChange per linked line, for the consumer of QuantityChangeLinked. */
export function quantityChangeRequestsFrom(linked: QuantityChangeLinkedInput): SubscriptionStreamCommand<RequestQuantityChange>[] {
  return linked.lines.map((line) => ({
    subscriptionId: line.subscriptionId,
    streamId: subscriptionStreamId(line.subscriptionId),
    command: {
      type: 'RequestQuantityChange',
      changeId: linked.changeId,
      newQuantity: line.newQuantity,
      requestedOn: linked.requestedOn,
      ...(line.newSku ? { newSku: line.newSku } : {}),
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// State

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
type ExistingSubscription = Exclude<SubscriptionState, { status: 'NONE' }>;

function requireSubscription(state: SubscriptionState): ExistingSubscription {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The subscription does not exist');
  return state;
}

function requireStatus(subscription: ExistingSubscription, allowed: SubscriptionStatus[], action: string): void {
  if (!allowed.includes(subscription.status)) {
    throw conflict('INVALID_STATE', `Cannot ${action} a subscription in status ${subscription.status}`);
  }
}

const referenceOf = (s: ExistingSubscription): SubscriptionReference => ({
  subscriptionId: s.subscriptionId,
  orderId: s.orderId,
  orderLineId: s.orderLineId,
  customerId: s.customerId,
  resellerId: s.resellerId,
  sku: s.sku,
  quantity: s.quantity,
});

function requestProvisioning(command: RequestProvisioning, state: SubscriptionState): SubscriptionEvent[] {
  const { line } = command;
  const subscriptionId = subscriptionIdForLine(line.orderLineId);
  if (state.status !== 'NONE') {
    // A redelivered OrderPlaced: the same line again is a no-op; anything else on this stream is a bug.
    if (state.orderLineId === line.orderLineId && state.orderId === line.orderId) return [];
    throw conflict('ALREADY_EXISTS', `Subscription ${state.subscriptionId} already exists for another order line`);
  }
  const errors = [];
  if (!Number.isInteger(line.quantity) || line.quantity < 1) errors.push({ path: 'quantity', message: 'must be an integer of at least 1' });
  if (line.refundWindowDays !== undefined && (!Number.isInteger(line.refundWindowDays) || line.refundWindowDays < 0)) {
    errors.push({ path: 'refundWindowDays', message: 'must be a non-negative integer' });
  }
  if (errors.length) throw invalid(errors);
  return [{ type: 'SubscriptionRequested', data: { subscriptionId, ...line, status: 'PROVISIONING', requestedAt: command.requestedAt } }];
}

function recordVendorProvisioned(
  command: Extract<SubscriptionCommand, { type: 'RecordVendorProvisioned' }>,
  state: SubscriptionState,
): SubscriptionEvent[] {
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

// ---------------------------------------------------------------------------------------------
// Changes of an ACTIVE subscription (contract change)

/** The change leaves the pending slot (when it was there) and is remembered as settled. */
function settle(state: ExistingSubscription, changeId: string, outcome: SettledChange): ExistingSubscription {
  const { pendingChange, ...rest } = state;
  return {
    ...rest,
    ...(pendingChange && pendingChange.changeId !== changeId ? { pendingChange } : {}),
    settledChanges: { ...state.settledChanges, [changeId]: outcome },
  };
}

/** The change id was seen before on this subscription: pending, or settled either way. */
const knownChange = (subscription: ExistingSubscription, changeId: string) =>
  subscription.pendingChange?.changeId === changeId || (subscription.settledChanges ?? {})[changeId] !== undefined;

function requireChangeFields(changeId: string, requestedOn: string): void {
  const errors = [];
  if (typeof changeId !== 'string' || !changeId.trim()) errors.push({ path: 'changeId', message: 'is required' });
  if (typeof requestedOn !== 'string' || !isRealDate(requestedOn)) errors.push({ path: 'requestedOn', message: 'must be a date (YYYY-MM-DD)' });
  if (errors.length) throw invalid(errors);
}

/** Only an ACTIVE subscription without another change waiting for the vendor can change. */
function requireChangeable(subscription: ExistingSubscription, action: string): void {
  requireStatus(subscription, ['ACTIVE'], action);
  if (subscription.pendingChange) {
    throw conflict('CHANGE_IN_PROGRESS', `Change ${subscription.pendingChange.changeId} of subscription ${subscription.subscriptionId} is still waiting for the vendor`);
  }
}

/** 返金期間(2021-08-14まで)を過ぎているため解約できません */
export const refundWindowClosedReason = (until: string) => `返金期間(${until}まで)を過ぎているため解約できません`;

function requestCancellation(command: RequestCancellation, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  // A redelivered CancellationLinked (or a repeated request) for the same change changes nothing.
  if (knownChange(subscription, command.changeId)) return [];
  requireChangeFields(command.changeId, command.requestedOn);
  requireChangeable(subscription, 'cancel');
  const { quantity } = command;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > subscription.quantity) {
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

function requestQuantityChange(command: RequestQuantityChange, state: SubscriptionState): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (knownChange(subscription, command.changeId)) return [];
  requireChangeFields(command.changeId, command.requestedOn);
  requireChangeable(subscription, 'change the quantity of');
  if (subscription.provisioning === 'key') {
    throw ruleViolation('QUANTITY_CHANGE_NOT_SUPPORTED', `${subscription.sku} is software: seats are not changed, the purchase is cancelled (within its refund window)`);
  }
  const { newQuantity } = command;
  if (!Number.isInteger(newQuantity) || newQuantity < 1) {
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

function recordVendorCancelled(command: Extract<SubscriptionCommand, { type: 'RecordVendorCancelled' }>, state: SubscriptionState): SubscriptionEvent[] {
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

function recordVendorQuantityChanged(
  command: Extract<SubscriptionCommand, { type: 'RecordVendorQuantityChanged' }>,
  state: SubscriptionState,
): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  const pending = pendingChangeFor(subscription, command.changeId, 'QUANTITY_CHANGE');
  if (pending === 'settled' || pending.kind !== 'QUANTITY_CHANGE') return [];
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
      },
    },
  ];
}

function recordVendorChangeAttemptFailed(
  command: Extract<SubscriptionCommand, { type: 'RecordVendorChangeAttemptFailed' }>,
  state: SubscriptionState,
): SubscriptionEvent[] {
  const subscription = requireSubscription(state);
  if (!Number.isInteger(command.attempt) || command.attempt < 1) throw invalid([{ path: 'attempt', message: 'must be an integer of at least 1' }]);
  const pending = pendingChangeFor(subscription, command.changeId, 'ANY');
  // A report of an attempt already counted (or of a change that has ended) is ignored.
  if (pending === 'settled' || command.attempt <= pending.attempts) return [];
  const { changeId, attempt, reason, willRetry, failedAt } = command;
  return [{ type: 'SubscriptionChangeAttemptFailed', data: { subscriptionId: subscription.subscriptionId, changeId, attempt, reason, willRetry, failedAt } }];
}

function recordChangeFailed(command: Extract<SubscriptionCommand, { type: 'RecordChangeFailed' }>, state: SubscriptionState): SubscriptionEvent[] {
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

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'RequestProvisioning':
        return requestProvisioning(command, state);
      case 'RecordVendorProvisioned':
        return recordVendorProvisioned(command, state);
      case 'RequestCancellation':
        return requestCancellation(command, state);
      case 'RequestQuantityChange':
        return requestQuantityChange(command, state);
      case 'RecordVendorCancelled':
        return recordVendorCancelled(command, state);
      case 'RecordVendorQuantityChanged':
        return recordVendorQuantityChanged(command, state);
      case 'RecordVendorChangeAttemptFailed':
        return recordVendorChangeAttemptFailed(command, state);
      case 'RecordChangeFailed':
        return recordChangeFailed(command, state);
      case 'RecordVendorAttemptFailed': {
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
      case 'RecordProvisioningFailed': {
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
      case 'RetryProvisioning': {
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
      case 'Activate': {
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
    }
  },

  evolve(state, event) {
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
        return { ...settle(state, event.data.changeId, 'QUANTITY_CHANGED'), quantity: event.data.newQuantity, sku: event.data.sku };
      case 'SubscriptionChangeFailed':
        return settle(state, event.data.changeId, 'FAILED');
    }
  },
};
