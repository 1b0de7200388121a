import { ProvisioningMode, SubscriptionReference, Vendor } from '@lp/integration-events';

/**
 * The vendor connector port: how a subscription reaches the vendor. Adapters (the shipped
 * simulators in ./connectors, a real Partner Center / StreamOne client later) implement it.
 */

/** What the connector needs to create the vendor subscription of one order line. */
export interface ProvisionRequest extends SubscriptionReference {
  // subscriptionId is the idempotency key: a retried call returns the same answer.
  productName: string;
  vendor: Vendor;
  provisioning: ProvisioningMode;
  /** Our tenant id (Microsoft lines). */
  tenantId?: string;
  /** The customer's Microsoft tenant GUID, when the caller looked it up. */
  microsoftTenantId?: string;
  /** 発注番号 (StreamOne). */
  purchaseOrderNumber?: string;
}

/**
 * provisioned: the vendor subscription exists (automatic products; `key` products with a key).
 * pending: the vendor took the order but staff complete it by hand (StreamOne), so the
 * subscription waits in MANUAL_PROVISIONING until activated.
 */
export type ProvisionResult =
  | { status: 'provisioned'; vendorSubscriptionId: string; productKey?: string }
  | { status: 'pending'; vendorSubscriptionId: string };

/** What every change of an existing vendor subscription names (a contract change: 解約 / 数量変更). */
export interface SubscriptionChangeRequest {
  /** The contract change's id: the idempotency key (a retried call returns the first answer). */
  changeId: string;
  /** Our subscription id. */
  subscriptionId: string;
  /** The vendor's id (Partner Center GUID, StreamOne order id). */
  vendorSubscriptionId: string;
  customerId: string;
  resellerId: string;
  sku: string;
  vendor: Vendor;
  provisioning: ProvisioningMode;
  /** Seats now. */
  currentQuantity: number;
  tenantId?: string;
  microsoftTenantId?: string;
  purchaseOrderNumber?: string;
}

/** Cancel `quantity` seats (all of them: the subscription is cancelled; fewer: a reduction). */
export interface CancelRequest extends SubscriptionChangeRequest {
  quantity: number;
}

/** The vendor cancelled; for `key` products whether it revoked the product key. */
export interface CancelResult {
  status: 'cancelled';
  remainingQuantity: number;
  productKeyRevoked?: boolean;
}

export interface ChangeQuantityRequest extends SubscriptionChangeRequest {
  newQuantity: number;
  /** A product change (upgrade): the vendor subscription moves to this product too. */
  newSku?: string;
}

export interface ChangeQuantityResult {
  status: 'changed';
  quantity: number;
}

export type ConnectorMode = 'automatic' | 'manual';

export interface VendorConnector {
  /** e.g. 'PartnerCenter', 'StreamOne'. */
  readonly name: string;
  readonly mode: ConnectorMode;
  /** Resolves with the vendor's answer, or rejects with a VendorError. */
  provision(request: ProvisionRequest): Promise<ProvisionResult>;
  /**
   * Cancels or reduces a vendor subscription; rejects with a VendorError. Idempotent by changeId.
   * Optional, like changeQuantity: an order-only adapter leaves both out, and a change through it
   * fails at once with UNSUPPORTED_CHANGE_REASON (see cancelThrough / changeQuantityThrough).
   */
  cancel?(request: CancelRequest): Promise<CancelResult>;
  /** Sets a vendor subscription's seat count; rejects with a VendorError. Idempotent by changeId. */
  changeQuantity?(request: ChangeQuantityRequest): Promise<ChangeQuantityResult>;
}

/** The reason a change fails with when the connector cannot make it. */
export const UNSUPPORTED_CHANGE_REASON = (connector: string, change: 'cancel' | 'changeQuantity') =>
  `The ${connector} connector cannot ${change === 'cancel' ? 'cancel subscriptions' : 'change quantities'}`;

/** Calls connector.cancel, or rejects with a non-retryable VendorError when the connector has none. */
export function cancelThrough(connector: VendorConnector, request: CancelRequest): Promise<CancelResult> {
  if (!connector.cancel) return Promise.reject(new VendorError(false, UNSUPPORTED_CHANGE_REASON(connector.name, 'cancel')));
  return connector.cancel(request);
}

/** Calls connector.changeQuantity, or rejects with a non-retryable VendorError when the connector has none. */
export function changeQuantityThrough(connector: VendorConnector, request: ChangeQuantityRequest): Promise<ChangeQuantityResult> {
  if (!connector.changeQuantity) return Promise.reject(new VendorError(false, UNSUPPORTED_CHANGE_REASON(connector.name, 'changeQuantity')));
  return connector.changeQuantity(request);
}

/** A refused or failed vendor call. retryable: a later try may succeed (timeouts, 429, 5xx). */
export class VendorError extends Error {
  constructor(
    readonly retryable: boolean,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'VendorError';
  }
}

/** Which connector mode serves a product's provisioning mode (`key` software is ordered automatically). */
export const connectorModeFor = (provisioning: ProvisioningMode): ConnectorMode => (provisioning === 'manual' ? 'manual' : 'automatic');

// ---------------------------------------------------------------------------------------------
// Retry policy (pure)

export interface RetryPolicy {
  /** Total tries including the first. */
  maxAttempts: number;
  /** Delay after the first failed try. */
  initialDelayMs: number;
  /** Each further delay is the previous one times this factor... */
  multiplier: number;
  /** ...but never more than this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 30_000 };

/**
 * After try `attempt` (1-based) failed: the delay before the next try, or 'give-up' when that was
 * the last one. Exponential back-off with a cap; no jitter (the caller may add some).
 */
export function nextAttempt(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | 'give-up' {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer of at least 1, got ${attempt}`);
  if (attempt >= policy.maxAttempts) return 'give-up';
  return Math.min(policy.maxDelayMs, Math.round(policy.initialDelayMs * policy.multiplier ** (attempt - 1)));
}

/** Every delay the policy waits, in order (maxAttempts − 1 of them). */
export function retryDelays(policy: RetryPolicy = DEFAULT_RETRY_POLICY): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const next = nextAttempt(attempt, policy);
    if (next === 'give-up') return delays;
    delays.push(next);
  }
}

/**
 * What to record after try `attempt` failed with `error`: whether another try follows and when.
 * A non-retryable VendorError gives up at once; any other error counts as retryable.
 */
export function afterFailedAttempt(
  error: unknown,
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): { reason: string; willRetry: boolean; delayMs?: number } {
  const reason = error instanceof VendorError ? error.reason : error instanceof Error ? error.message : String(error);
  if (error instanceof VendorError && !error.retryable) return { reason, willRetry: false };
  const next = nextAttempt(attempt, policy);
  return next === 'give-up' ? { reason, willRetry: false } : { reason, willRetry: true, delayMs: next };
}

// ---------------------------------------------------------------------------------------------
// Simulation support (shared by the shipped simulators; no network)

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SimulatorOptions {
  /** Simulated vendor latency per call. */
  latencyMs?: number;
  /** Injected in tests to observe the latency without waiting. */
  sleep?: Sleep;
}

/** Failures a test (or an operator in a demo) queues up: the next N calls fail this way. */
export class InjectedFailures {
  private readonly queue: VendorError[] = [];

  /** The next `count` calls fail; retryable by default. */
  failNext(count: number, options: { retryable?: boolean; reason?: string } = {}): void {
    const { retryable = true, reason = retryable ? 'Vendor unavailable (503)' : 'Vendor refused the request (400)' } = options;
    for (let i = 0; i < count; i++) this.queue.push(new VendorError(retryable, reason));
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Throws the next queued failure, if any. */
  throwIfQueued(): void {
    const failure = this.queue.shift();
    if (failure) throw failure;
  }
}
