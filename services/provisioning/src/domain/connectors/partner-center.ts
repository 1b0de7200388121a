import { randomInt, randomUUID } from 'crypto';
import { InjectedFailures, ProvisionRequest, ProvisionResult, realSleep, SimulatorOptions, Sleep, VendorConnector, VendorError } from '../vendor-connector';

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
 * lost answer cannot order twice.
 */
export class PartnerCenterSimulator implements VendorConnector {
  readonly name = 'PartnerCenter';
  readonly mode = 'automatic' as const;
  readonly failures = new InjectedFailures();
  private readonly sleep: Sleep;
  private readonly newGuid: () => string;
  private readonly randomInt: (max: number) => number;
  private readonly created = new Map<string, ProvisionResult>();
  /** Every call, failed ones included. */
  calls = 0;

  constructor(private readonly options: PartnerCenterSimulatorOptions = {}) {
    this.sleep = options.sleep ?? realSleep;
    this.newGuid = options.newGuid ?? (() => randomUUID().toUpperCase());
    this.randomInt = options.randomInt ?? ((max) => randomInt(max));
  }

  get latencyMs(): number {
    return this.options.latencyMs ?? 0;
  }

  set latencyMs(ms: number) {
    this.options.latencyMs = ms;
  }

  /** The next `count` calls fail (retryable unless told otherwise). */
  failNext(count: number, options?: { retryable?: boolean; reason?: string }): void {
    this.failures.failNext(count, options);
  }

  async provision(request: ProvisionRequest): Promise<ProvisionResult> {
    this.calls++;
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    this.failures.throwIfQueued();
    const known = this.created.get(request.subscriptionId);
    if (known) return known;
    if (request.vendor !== 'Microsoft') throw new VendorError(false, `Partner Center does not sell ${request.vendor} products (${request.sku})`);
    if (request.provisioning === 'manual') throw new VendorError(false, `${request.sku} is provisioned manually, not through Partner Center`);
    if (!Number.isInteger(request.quantity) || request.quantity < 1) throw new VendorError(false, `Invalid quantity ${request.quantity}`);
    if (request.provisioning === 'automatic' && !request.tenantId && !request.microsoftTenantId) {
      throw new VendorError(false, `${request.sku} needs the customer's tenant`);
    }
    const result: ProvisionResult =
      request.provisioning === 'key'
        ? { status: 'provisioned', vendorSubscriptionId: this.newGuid(), productKey: this.newProductKey() }
        : { status: 'provisioned', vendorSubscriptionId: this.newGuid() };
    this.created.set(request.subscriptionId, result);
    return result;
  }

  /** XXXXX-XXXXX-XXXXX-XXXXX-XXXXX over PRODUCT_KEY_ALPHABET. */
  private newProductKey(): string {
    const group = () => Array.from({ length: 5 }, () => PRODUCT_KEY_ALPHABET[this.randomInt(PRODUCT_KEY_ALPHABET.length)]).join('');
    return Array.from({ length: 5 }, group).join('-');
  }
}
