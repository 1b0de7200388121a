import { randomInt, randomUUID } from 'crypto';
import { CancelRequest, CancelResult, ChangeQuantityRequest, ProvisionRequest, ProvisionResult, SimulatorOptions, SubscriptionChangeRequest, VendorError } from '../vendor-connector';
import { SimulatedConnector } from './simulated-connector';

/** The 24 characters Microsoft product keys use (no vowels, no look-alikes such as 0/O, 1/I, 5/S). */
export const PRODUCT_KEY_ALPHABET = 'BCDFGHJKMPQRTVWXY2346789';
export const PRODUCT_KEY_PATTERN = /^[BCDFGHJKMPQRTVWXY2346789]{5}(-[BCDFGHJKMPQRTVWXY2346789]{5}){4}$/;
export const UPPER_CASE_GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

export interface PartnerCenterSimulatorOptions extends SimulatorOptions {
  /** Vendor subscription ids; Partner Center answers upper-case GUIDs. */
  newGuid?: () => string;
  /** A random integer in [0, max). */
  randomInt?: (max: number) => number;
}

/**
 * Simulates Microsoft Partner Center (CSP) for automatic and software (`key`) products: upper-case
 * GUID subscription ids, a product key for software, configurable latency, injectable failures.
 * The subscription id is the idempotency key: asking again for the same subscription answers the
 * same vendor subscription (as Partner Center does for a repeated request id), so a retry after a
 * lost answer cannot order twice. Cancellations reduce the seats or cancel the subscription (for
 * software revoking the key); quantity changes set the seats; both idempotent by change id.
 */
export class PartnerCenterSimulator extends SimulatedConnector {
  readonly name = 'PartnerCenter';
  readonly mode = 'automatic' as const;
  private readonly newGuid: () => string;
  private readonly randomInt: (max: number) => number;

  constructor(options: PartnerCenterSimulatorOptions = {}) {
    super(options);
    this.newGuid = options.newGuid ?? (() => randomUUID().toUpperCase());
    this.randomInt = options.randomInt ?? ((max) => randomInt(max));
  }

  protected refuseUnsupported(request: ProvisionRequest): void {
    if (request.vendor !== 'Microsoft') throw new VendorError(false, `Partner Center does not sell ${request.vendor} products (${request.sku})`);
    if (request.provisioning === 'manual') throw new VendorError(false, `${request.sku} is provisioned manually, not through Partner Center`);
    if (request.provisioning === 'automatic' && !request.tenantId && !request.microsoftTenantId) {
      throw new VendorError(false, `${request.sku} needs the customer's tenant`);
    }
  }

  protected order(request: ProvisionRequest): ProvisionResult {
    return request.provisioning === 'key'
      ? { status: 'provisioned', vendorSubscriptionId: this.newGuid(), productKey: this.newProductKey() }
      : { status: 'provisioned', vendorSubscriptionId: this.newGuid() };
  }

  protected refuseUnsupportedChange(request: SubscriptionChangeRequest): void {
    if (request.vendor !== 'Microsoft' || request.provisioning === 'manual') {
      throw new VendorError(false, `Partner Center does not hold ${request.sku} (${request.vendorSubscriptionId})`);
    }
    if (!UPPER_CASE_GUID.test(request.vendorSubscriptionId)) throw new VendorError(false, `Unknown Partner Center subscription ${request.vendorSubscriptionId} (404)`);
  }

  /** Software is bought once: its seats are not changed, the purchase is cancelled (within the refund window). */
  protected override refuseQuantityChange(request: ChangeQuantityRequest): void {
    if (request.provisioning === 'key') throw new VendorError(false, `${request.sku} is software: its quantity cannot be changed`);
  }

  /** Cancelling software revokes its product key once no seat is left. */
  protected override cancelled(request: CancelRequest, remainingQuantity: number): Partial<CancelResult> {
    return request.provisioning === 'key' ? { productKeyRevoked: remainingQuantity === 0 } : {};
  }

  /** XXXXX-XXXXX-XXXXX-XXXXX-XXXXX over PRODUCT_KEY_ALPHABET. */
  private newProductKey(): string {
    const group = () => Array.from({ length: 5 }, () => PRODUCT_KEY_ALPHABET[this.randomInt(PRODUCT_KEY_ALPHABET.length)]).join('');
    return Array.from({ length: 5 }, group).join('-');
  }
}
