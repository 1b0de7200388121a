import { ProvisioningMode, Vendor } from '@lp/integration-events';

/**
 * The vendor connector port: how a subscription reaches the vendor. Adapters (the shipped
 * simulators in ./connectors, a real Partner Center / StreamOne client later) implement it.
 */

/** What the connector needs to create the vendor subscription of one order line. */
export interface ProvisionRequest {
  /** Our subscription id; connectors use it as the idempotency key (a retried call returns the same answer). */
  subscriptionId: string;
  orderId: string;
  orderLineId: string;
  customerId: string;
  resellerId: string;
  sku: string;
  productName: string;
  vendor: Vendor;
  provisioning: ProvisioningMode;
  quantity: number;
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

export type ConnectorMode = 'automatic' | 'manual';

export interface VendorConnector {
  /** e.g. 'PartnerCenter', 'StreamOne'. */
  readonly name: string;
  readonly mode: ConnectorMode;
  /** Resolves with the vendor's answer, or rejects with a VendorError. */
  provision(request: ProvisionRequest): Promise<ProvisionResult>;
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
