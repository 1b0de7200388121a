import { PartnerCenterSimulator, PRODUCT_KEY_ALPHABET, PRODUCT_KEY_PATTERN, UPPER_CASE_GUID } from '../../src/domain/connectors/partner-center';
import { STREAM_ONE_ORDER_ID, StreamOneSimulator } from '../../src/domain/connectors/stream-one';
import {
  afterFailedAttempt,
  connectorModeFor,
  DEFAULT_RETRY_POLICY,
  InjectedFailures,
  nextAttempt,
  ProvisionRequest,
  retryDelays,
  RetryPolicy,
  VendorConnector,
  VendorError,
} from '../../src/domain/vendor-connector';
import { o365, pocketalk, recordingSleep, vendorError, winServer } from '../support/connector-fixtures';




describe('Partner Center simulator (automatic and software products)', () => {
  it('is an automatic connector', () => {
    const connector: VendorConnector = new PartnerCenterSimulator();
    expect(connector).toMatchObject({ name: 'PartnerCenter', mode: 'automatic' });
  });

  it('answers provisioned with an upper-case GUID subscription id and no key', async () => {
    const result = await new PartnerCenterSimulator().provision(o365);
    expect(result.status).toBe('provisioned');
    expect(result.vendorSubscriptionId).toMatch(UPPER_CASE_GUID);
    expect(result).not.toHaveProperty('productKey');
  });

  it('gives every subscription its own GUID', async () => {
    const pc = new PartnerCenterSimulator();
    const first = await pc.provision(o365);
    const second = await pc.provision({ ...o365, subscriptionId: 'sub-9' });
    expect(first.vendorSubscriptionId).not.toBe(second.vendorSubscriptionId);
  });

  it('answers a product key XXXXX-XXXXX-XXXXX-XXXXX-XXXXX for key products', async () => {
    const result = await new PartnerCenterSimulator().provision(winServer);
    expect(result).toMatchObject({ status: 'provisioned', vendorSubscriptionId: expect.stringMatching(UPPER_CASE_GUID) });
    expect(result.status === 'provisioned' && result.productKey).toMatch(PRODUCT_KEY_PATTERN);
  });

  it('builds keys from the product-key alphabet (injectable randomness)', async () => {
    let n = 0;
    const pc = new PartnerCenterSimulator({ randomInt: (max) => n++ % max, newGuid: () => 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' });
    expect(await pc.provision(winServer)).toEqual({
      status: 'provisioned',
      vendorSubscriptionId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
      productKey: 'BCDFG-HJKMP-QRTVW-XY234-6789B',
    });
    expect(PRODUCT_KEY_ALPHABET).toHaveLength(24);
  });

  it('is idempotent per subscription: asking again answers the same vendor subscription', async () => {
    const pc = new PartnerCenterSimulator();
    const first = await pc.provision(winServer);
    expect(await pc.provision(winServer)).toEqual(first);
    expect(pc.calls).toBe(2);
  });

  it('waits the configured latency through the injected sleep', async () => {
    const { waits, sleep } = recordingSleep();
    const pc = new PartnerCenterSimulator({ latencyMs: 1500, sleep });
    await pc.provision(o365);
    expect(waits).toEqual([1500]);
  });

  it('latency can be changed at run time, and 0 does not sleep', async () => {
    const { waits, sleep } = recordingSleep();
    const pc = new PartnerCenterSimulator({ sleep });
    await pc.provision(o365);
    pc.latencyMs = 200;
    await pc.provision({ ...o365, subscriptionId: 'sub-9' });
    expect(waits).toEqual([200]);
  });

  it('really waits with the default sleep', async () => {
    const pc = new PartnerCenterSimulator({ latencyMs: 30 });
    const started = Date.now();
    await pc.provision(o365);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('fails the next N calls as injected (retryable by default), then succeeds', async () => {
    const pc = new PartnerCenterSimulator();
    pc.failNext(2);
    const first = await vendorError(pc.provision(o365));
    expect(first).toMatchObject({ retryable: true, reason: 'Vendor unavailable (503)' });
    await vendorError(pc.provision(o365));
    expect(await pc.provision(o365)).toMatchObject({ status: 'provisioned' });
    expect(pc.calls).toBe(3);
  });

  it('injects a non-retryable failure with its reason', async () => {
    const pc = new PartnerCenterSimulator();
    pc.failNext(1, { retryable: false, reason: 'Offer not available in JP (400)' });
    expect(await vendorError(pc.provision(o365))).toMatchObject({ retryable: false, reason: 'Offer not available in JP (400)', message: 'Offer not available in JP (400)' });
  });

  it('an injected failure does not create the subscription', async () => {
    const pc = new PartnerCenterSimulator({ newGuid: (() => { let i = 0; return () => `0000000${++i}-0000-4000-8000-000000000000`; })() });
    pc.failNext(1);
    await vendorError(pc.provision(o365));
    expect((await pc.provision(o365)).vendorSubscriptionId).toBe('00000001-0000-4000-8000-000000000000');
  });

  it.each([
    ['a Sourcenext product', pocketalk],
    ['a manual product', { ...o365, provisioning: 'manual' as const }],
    ['an automatic product without the tenant', { ...o365, tenantId: undefined }],
    ['quantity 0', { ...o365, quantity: 0 }],
  ])('refuses %s, not retryable', async (_what, request) => {
    expect(await vendorError(new PartnerCenterSimulator().provision(request))).toMatchObject({ retryable: false });
  });

  it('accepts the Microsoft tenant GUID instead of our tenant id', async () => {
    const result = await new PartnerCenterSimulator().provision({ ...o365, tenantId: undefined, microsoftTenantId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
    expect(result.status).toBe('provisioned');
  });
});

describe('StreamOne simulator (manual products)', () => {
  it('is a manual connector', () => {
    const connector: VendorConnector = new StreamOneSimulator();
    expect(connector).toMatchObject({ name: 'StreamOne', mode: 'manual' });
  });

  it('answers pending with a StreamOne order id (staff finish by hand)', async () => {
    const result = await new StreamOneSimulator().provision(pocketalk);
    expect(result).toEqual({ status: 'pending', vendorSubscriptionId: 'SO-0000000001' });
    expect(result.vendorSubscriptionId).toMatch(STREAM_ONE_ORDER_ID);
  });

  it('numbers orders in sequence and is idempotent per subscription', async () => {
    const so = new StreamOneSimulator({ firstOrderNumber: 41 });
    expect((await so.provision(pocketalk)).vendorSubscriptionId).toBe('SO-0000000041');
    expect((await so.provision({ ...pocketalk, subscriptionId: 'sub-4' })).vendorSubscriptionId).toBe('SO-0000000042');
    expect((await so.provision(pocketalk)).vendorSubscriptionId).toBe('SO-0000000041');
  });

  it('waits the configured latency and fails as injected', async () => {
    const { waits, sleep } = recordingSleep();
    const so = new StreamOneSimulator({ latencyMs: 800, sleep });
    so.failNext(1, { retryable: false, reason: 'StreamOne: reseller PO number missing' });
    expect(await vendorError(so.provision(pocketalk))).toMatchObject({ retryable: false, reason: 'StreamOne: reseller PO number missing' });
    expect(await so.provision(pocketalk)).toMatchObject({ status: 'pending' });
    expect(waits).toEqual([800, 800]);
    expect(so.calls).toBe(2);
  });

  it('refuses a product that is not manual, not retryable', async () => {
    expect(await vendorError(new StreamOneSimulator().provision(o365))).toMatchObject({ retryable: false });
  });
});

describe('connectorModeFor', () => {
  it.each([
    ['automatic', 'automatic'],
    ['key', 'automatic'],
    ['manual', 'manual'],
  ] as const)('a %s product goes to the %s connector', (provisioning, mode) => {
    expect(connectorModeFor(provisioning)).toBe(mode);
  });
});

describe('InjectedFailures', () => {
  it('counts what is queued and can be cleared', () => {
    const failures = new InjectedFailures();
    failures.failNext(3);
    expect(failures.pending).toBe(3);
    expect(() => failures.throwIfQueued()).toThrow(VendorError);
    expect(failures.pending).toBe(2);
    failures.clear();
    expect(() => failures.throwIfQueued()).not.toThrow();
  });

  it('non-retryable failures get a default reason', () => {
    const failures = new InjectedFailures();
    failures.failNext(1, { retryable: false });
    expect(() => failures.throwIfQueued()).toThrow(expect.objectContaining({ retryable: false, reason: 'Vendor refused the request (400)' }));
  });
});

describe('retry policy (exponential back-off with a cap)', () => {
  it('default: 5 tries, waiting 1 s, 2 s, 4 s, 8 s between them', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(5);
    expect(retryDelays()).toEqual([1000, 2000, 4000, 8000]);
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 'give-up'],
    [6, 'give-up'],
  ] as const)('after try %s failed → %s', (attempt, expected) => {
    expect(nextAttempt(attempt)).toBe(expected);
  });

  it('delays never exceed the cap', () => {
    const policy: RetryPolicy = { maxAttempts: 10, initialDelayMs: 500, multiplier: 3, maxDelayMs: 20_000 };
    expect(retryDelays(policy)).toEqual([500, 1500, 4500, 13500, 20000, 20000, 20000, 20000, 20000]);
  });

  it('a single try never retries', () => {
    expect(retryDelays({ ...DEFAULT_RETRY_POLICY, maxAttempts: 1 })).toEqual([]);
    expect(nextAttempt(1, { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 })).toBe('give-up');
  });

  it.each([[0], [-1], [1.5]])('refuses attempt %s', (attempt) => {
    expect(() => nextAttempt(attempt)).toThrow(RangeError);
  });

  describe('afterFailedAttempt', () => {
    it('a retryable vendor error retries while tries remain', () => {
      expect(afterFailedAttempt(new VendorError(true, 'Vendor unavailable (503)'), 1)).toEqual({ reason: 'Vendor unavailable (503)', willRetry: true, delayMs: 1000 });
    });

    it('gives up after the last try, with the reason', () => {
      expect(afterFailedAttempt(new VendorError(true, 'Vendor unavailable (503)'), 5)).toEqual({ reason: 'Vendor unavailable (503)', willRetry: false });
    });

    it('a non-retryable vendor error gives up at once', () => {
      expect(afterFailedAttempt(new VendorError(false, 'Invalid SKU (400)'), 1)).toEqual({ reason: 'Invalid SKU (400)', willRetry: false });
    });

    it('any other error counts as retryable, its message as the reason', () => {
      expect(afterFailedAttempt(new Error('socket hang up'), 2)).toEqual({ reason: 'socket hang up', willRetry: true, delayMs: 2000 });
      expect(afterFailedAttempt('boom', 5)).toEqual({ reason: 'boom', willRetry: false });
    });
  });
});
