import { InjectedFailures, ProvisionRequest, ProvisionResult, realSleep, SimulatorOptions, Sleep, VendorConnector, VendorError } from '../vendor-connector';

export const STREAM_ONE_ORDER_ID = /^SO-\d{10}$/;

export interface StreamOneSimulatorOptions extends SimulatorOptions {
  /** The first order number handed out (SO-##########). */
  firstOrderNumber?: number;
}

/**
 * Simulates TD SYNNEX StreamOne for manually provisioned products (Sourcenext): the order is
 * taken and answered `pending` with a StreamOne order id; distributor staff finish it by hand and
 * activate the subscription. Latency and failures as in the Partner Center simulator; the
 * subscription id is the idempotency key.
 */
export class StreamOneSimulator implements VendorConnector {
  readonly name = 'StreamOne';
  readonly mode = 'manual' as const;
  readonly failures = new InjectedFailures();
  private readonly sleep: Sleep;
  private readonly orders = new Map<string, ProvisionResult>();
  private nextOrderNumber: number;
  /** Every call, failed ones included. */
  calls = 0;

  constructor(private readonly options: StreamOneSimulatorOptions = {}) {
    this.sleep = options.sleep ?? realSleep;
    this.nextOrderNumber = options.firstOrderNumber ?? 1;
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  set latencyMs(ms: number) {
    this.options.latencyMs = ms;
  }

  failNext(count: number, options?: { retryable?: boolean; reason?: string }): void {
    this.failures.failNext(count, options);
  }

  async provision(request: ProvisionRequest): Promise<ProvisionResult> {
    this.calls++;
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    this.failures.throwIfQueued();
    const known = this.orders.get(request.subscriptionId);
    if (known) return known;
    if (request.provisioning !== 'manual') throw new VendorError(false, `${request.sku} is not a StreamOne (manual) product`);
    if (!Number.isInteger(request.quantity) || request.quantity < 1) throw new VendorError(false, `Invalid quantity ${request.quantity}`);
    const result: ProvisionResult = { status: 'pending', vendorSubscriptionId: `SO-${String(this.nextOrderNumber++).padStart(10, '0')}` };
    this.orders.set(request.subscriptionId, result);
    return result;
  }
}
