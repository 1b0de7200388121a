import { ProvisionRequest, ProvisionResult, SimulatorOptions, SubscriptionChangeRequest, VendorError } from '../vendor-connector';
import { SimulatedConnector } from './simulated-connector';

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
export class StreamOneSimulator extends SimulatedConnector {
  readonly name = 'StreamOne';
  readonly mode = 'manual' as const;
  private nextOrderNumber: number;

  constructor(options: StreamOneSimulatorOptions = {}) {
    super(options);
    this.nextOrderNumber = options.firstOrderNumber ?? 1;
  }

  protected refuseUnsupported(request: ProvisionRequest): void {
    if (request.provisioning !== 'manual') throw new VendorError(false, `${request.sku} is not a StreamOne (manual) product`);
  }

  /**
   * A cancellation or seat change of a StreamOne order: the simulator answers at once, standing for
   * the distributor's confirmation that the vendor accepted it.
   */
  protected refuseUnsupportedChange(request: SubscriptionChangeRequest): void {
    if (request.provisioning !== 'manual') throw new VendorError(false, `${request.sku} is not a StreamOne (manual) product`);
    if (!STREAM_ONE_ORDER_ID.test(request.vendorSubscriptionId)) throw new VendorError(false, `Unknown StreamOne order ${request.vendorSubscriptionId}`);
  }

  protected order(): ProvisionResult {
    return { status: 'pending', vendorSubscriptionId: `SO-${String(this.nextOrderNumber++).padStart(10, '0')}` };
  }
}
