import { InjectedFailures, ProvisionRequest, ProvisionResult, realSleep, SimulatorOptions, Sleep, VendorConnector, VendorError } from '../vendor-connector';

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
    return result;
  }

  /** Throws a non-retryable VendorError for a request this vendor cannot take. */
  protected abstract refuseUnsupported(request: ProvisionRequest): void;

  /** The vendor's answer to a new, valid order. */
  protected abstract order(request: ProvisionRequest): ProvisionResult;
}
