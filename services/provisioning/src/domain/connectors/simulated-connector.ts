import {
  CancelRequest,
  CancelResult,
  ChangeQuantityRequest,
  ChangeQuantityResult,
  InjectedFailures,
  ProvisionRequest,
  ProvisionResult,
  realSleep,
  SimulatorOptions,
  Sleep,
  SubscriptionChangeRequest,
  VendorConnector,
  VendorError,
} from '../vendor-connector';

/**
 * What both vendor simulators do alike: count calls, wait the configured latency, fail when a test
 * queued failures, answer a repeated subscription id with the first answer (the subscription id is
 * the idempotency key, so a retry after a lost answer cannot order twice), refuse bad quantities.
 * Subclasses decide what the vendor answers for a new order.
 */
export abstract class SimulatedConnector implements VendorConnector {
  abstract readonly name: string;
  abstract readonly mode: VendorConnector['mode'];
  readonly failures = new InjectedFailures();
  /** Every call, failed ones included. */
  calls = 0;
  private readonly sleep: Sleep;
  private readonly answered = new Map<string, ProvisionResult>();
  private readonly products = new Map<string, string>();
  /** Answers to changes by change id (the idempotency key of cancel / changeQuantity). */
  private readonly changeAnswers = new Map<string, CancelResult | ChangeQuantityResult>();
  /** Seats the simulated vendor holds per vendor subscription id (0: cancelled). */
  private readonly seats = new Map<string, number>();

  constructor(private readonly simulatorOptions: SimulatorOptions) {
    this.sleep = simulatorOptions.sleep ?? realSleep;
  }

  get latencyMs(): number {
    return this.simulatorOptions.latencyMs ?? 0;
  }

  set latencyMs(ms: number) {
    this.simulatorOptions.latencyMs = ms;
  }

  /** The next `count` calls fail (retryable unless told otherwise). */
  failNext(count: number, options?: { retryable?: boolean; reason?: string }): void {
    this.failures.failNext(count, options);
  }

  async provision(request: ProvisionRequest): Promise<ProvisionResult> {
    this.calls++;
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    this.failures.throwIfQueued();
    const known = this.answered.get(request.subscriptionId);
    if (known) return known;
    this.refuseUnsupported(request);
    if (!Number.isInteger(request.quantity) || request.quantity < 1) throw new VendorError(false, `Invalid quantity ${request.quantity}`);
    const result = this.order(request);
    this.answered.set(request.subscriptionId, result);
    this.seats.set(result.vendorSubscriptionId, request.quantity);
    return result;
  }

  /**
   * Cancels `quantity` seats. The seats are the vendor's own count when this simulator provisioned
   * the subscription, else (e.g. after a restart) the caller's current quantity.
   */
  async cancel(request: CancelRequest): Promise<CancelResult> {
    const known = await this.beginChange(request);
    if (known) return known as CancelResult;
    const seats = this.seatsOf(request);
    if (!Number.isInteger(request.quantity) || request.quantity < 1 || request.quantity > seats) {
      throw new VendorError(false, `Cannot cancel ${request.quantity} of ${seats} seats`);
    }
    const remainingQuantity = seats - request.quantity;
    const result: CancelResult = { status: 'cancelled', remainingQuantity, ...this.cancelled(request, remainingQuantity) };
    this.seats.set(request.vendorSubscriptionId, remainingQuantity);
    this.changeAnswers.set(request.changeId, result);
    return result;
  }

  async changeQuantity(request: ChangeQuantityRequest): Promise<ChangeQuantityResult> {
    const known = await this.beginChange(request);
    if (known) return known as ChangeQuantityResult;
    this.refuseQuantityChange(request);
    if (!Number.isInteger(request.newQuantity) || request.newQuantity < 1) throw new VendorError(false, `Invalid quantity ${request.newQuantity}`);
    const result: ChangeQuantityResult = { status: 'changed', quantity: request.newQuantity };
    this.seats.set(request.vendorSubscriptionId, request.newQuantity);
    if (request.newSku) this.products.set(request.vendorSubscriptionId, request.newSku);
    this.changeAnswers.set(request.changeId, result);
    return result;
  }

  /** The product a vendor subscription was moved to by a product change, if any. */
  productOf(vendorSubscriptionId: string): string | undefined {
    return this.products.get(vendorSubscriptionId);
  }

  /** Seats the simulated vendor holds for a vendor subscription, if it knows it. */
  seatsHeld(vendorSubscriptionId: string): number | undefined {
    return this.seats.get(vendorSubscriptionId);
  }

  /** What every change call does first: count, wait, fail when queued, answer a known change id, refuse what this vendor cannot change. */
  private async beginChange(request: SubscriptionChangeRequest): Promise<CancelResult | ChangeQuantityResult | undefined> {
    this.calls++;
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    this.failures.throwIfQueued();
    const known = this.changeAnswers.get(request.changeId);
    if (known) return known;
    this.refuseUnsupportedChange(request);
    if (this.seatsOf(request) === 0) throw new VendorError(false, `Subscription ${request.vendorSubscriptionId} is already cancelled`);
    return undefined;
  }

  private seatsOf(request: SubscriptionChangeRequest): number {
    return this.seats.get(request.vendorSubscriptionId) ?? request.currentQuantity;
  }

  /** Throws a non-retryable VendorError for a change of a subscription this vendor does not hold. */
  protected abstract refuseUnsupportedChange(request: SubscriptionChangeRequest): void;

  /** Throws a non-retryable VendorError when this vendor does not change the seats of such a product. */
  protected refuseQuantityChange(_request: ChangeQuantityRequest): void {}

  /** What the vendor adds to a cancellation's answer (Partner Center: the key revocation of software). */
  protected cancelled(_request: CancelRequest, _remainingQuantity: number): Partial<CancelResult> {
    return {};
  }

  /** Throws a non-retryable VendorError for a request this vendor cannot take. */
  protected abstract refuseUnsupported(request: ProvisionRequest): void;

  /** The vendor's answer to a new, valid order. */
  protected abstract order(request: ProvisionRequest): ProvisionResult;
}
