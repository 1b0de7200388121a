import { asDirect, asDistributor, FAST_RETRY, Harness, placeOrder, readyCustomer, simulatedVendors, subscriptionsOf } from './support';

const types = (history: { type: string }[]) => history.map((event) => event.type);

describe('failed vendor calls: retried with back-off, FAILED with the reason, retried by staff (embedded runtime)', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());
  afterEach(() => {
    vendors.partnerCenter.failures.clear();
    vendors.streamOne.failures.clear();
  });

  it(`fewer retryable failures than ${FAST_RETRY.maxAttempts} tries → ACTIVE, with the failed attempts recorded`, async () => {
    const customer = await readyCustomer(h);
    vendors.partnerCenter.failNext(FAST_RETRY.maxAttempts - 1, { reason: 'Partner Center unavailable (503)' });
    const calls = vendors.partnerCenter.calls;
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 1 }]);
    const [subscription] = await subscriptionsOf(h, order.id);

    expect(subscription).toMatchObject({ status: 'ACTIVE', attempts: 2, lastAttemptError: 'Partner Center unavailable (503)', failureReason: null });
    expect(vendors.partnerCenter.calls - calls).toBe(3);
    const history = await h.http().get(`/provisioning/subscriptions/${subscription.id}/history`).expect(200);
    expect(types(history.body)).toEqual(['SubscriptionRequested', 'ProvisioningAttemptFailed', 'ProvisioningAttemptFailed', 'SubscriptionProvisioned']);
    expect(history.body[1].data).toMatchObject({ attempt: 1, willRetry: true });
    expect(history.body[2].data).toMatchObject({ attempt: 2, willRetry: true });
  });

  it('as many failures as tries → FAILED with the reason in the list; staff retry → a new round that succeeds → ACTIVE', async () => {
    const customer = await readyCustomer(h);
    vendors.partnerCenter.failNext(FAST_RETRY.maxAttempts, { reason: 'Partner Center timeout (504)' });
    const order = await placeOrder(h, customer, [{ sku: 'MS-PROJECT-P1', quantity: 2 }]);
    const [failed] = await subscriptionsOf(h, order.id);
    expect(failed).toMatchObject({ status: 'FAILED', statusLabel: '失敗', failureReason: 'Partner Center timeout (504)', attempts: FAST_RETRY.maxAttempts, vendorSubscriptionId: null });

    const listed = await h.http().get(`/provisioning/subscriptions?status=FAILED&customerId=${customer.customerId}`).expect(200);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: failed.id, failureReason: 'Partner Center timeout (504)' }] });

    // Who may retry, and what the retry answers and appends: subscription-rules.spec.
    await h.http(asDirect).post(`/provisioning/subscriptions/${failed.id}/retry`).expect(200);

    const [active] = await subscriptionsOf(h, order.id);
    expect(active).toMatchObject({ status: 'ACTIVE', attempts: 0, round: 2, failureReason: null, vendorSubscriptionId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    const history = await h.http().get(`/provisioning/subscriptions/${failed.id}/history`).expect(200);
    expect(types(history.body)).toEqual([
      'SubscriptionRequested',
      'ProvisioningAttemptFailed',
      'ProvisioningAttemptFailed',
      'ProvisioningAttemptFailed',
      'ProvisioningFailed',
      'ProvisioningRetried',
      'SubscriptionProvisioned',
    ]);
  });

  it('a retry that fails again counts its own tries and ends FAILED again; the distributor retries it to ACTIVE', async () => {
    const customer = await readyCustomer(h);
    vendors.partnerCenter.failNext(FAST_RETRY.maxAttempts * 2, { reason: 'throttled (429)' });
    const order = await placeOrder(h, customer, [{ sku: 'MS-M365-BB', quantity: 1 }]);
    const [failed] = await subscriptionsOf(h, order.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: FAST_RETRY.maxAttempts });
    await h.http(asDirect).post(`/provisioning/subscriptions/${failed.id}/retry`).expect(200);
    const [again] = await subscriptionsOf(h, order.id);
    expect(again).toMatchObject({ status: 'FAILED', attempts: FAST_RETRY.maxAttempts, round: 2, failureReason: 'throttled (429)' });
    await h.http(asDistributor).post(`/provisioning/subscriptions/${failed.id}/retry`).expect(200);
    const [active] = await subscriptionsOf(h, order.id);
    expect(active).toMatchObject({ status: 'ACTIVE', round: 3 });
  });

  it('a non-retryable refusal → FAILED at once, after one call', async () => {
    const customer = await readyCustomer(h);
    vendors.partnerCenter.failNext(1, { retryable: false, reason: 'Invalid offer (400)' });
    const calls = vendors.partnerCenter.calls;
    const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 1 }]);
    const [failed] = await subscriptionsOf(h, order.id);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'Invalid offer (400)', attempts: 1 });
    expect(vendors.partnerCenter.calls - calls).toBe(1);
    const history = await h.http().get(`/provisioning/subscriptions/${failed.id}/history`).expect(200);
    expect(types(history.body)).toEqual(['SubscriptionRequested', 'ProvisioningAttemptFailed', 'ProvisioningFailed']);
    expect(history.body[1].data).toMatchObject({ attempt: 1, willRetry: false });
  });

  it('StreamOne failures are retried too; a StreamOne line that failed for good is FAILED (not MANUAL_PROVISIONING)', async () => {
    const customer = await readyCustomer(h);
    vendors.streamOne.failNext(1);
    const order = await placeOrder(h, customer, [{ sku: 'SN-POCKETALK-SI-Y', quantity: 1 }]);
    const [waiting] = await subscriptionsOf(h, order.id);
    expect(waiting).toMatchObject({ status: 'MANUAL_PROVISIONING', attempts: 1 });

    vendors.streamOne.failNext(1, { retryable: false, reason: 'Unknown SNX SKU' });
    const second = await placeOrder(h, customer, [{ sku: 'SN-POCKETALK-CC-M', quantity: 1 }]);
    const [failed] = await subscriptionsOf(h, second.id);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'Unknown SNX SKU' });
  });

  describe('POST /ops/vendor-simulators/:name/failures (distributor staff: failures in a running simulator)', () => {
    it('queues failures the next placement meets', async () => {
      const customer = await readyCustomer(h);
      const answer = await h
        .http(asDistributor)
        .post('/ops/vendor-simulators/partner-center/failures', { count: 1, retryable: false, reason: 'Injected by ops' })
        .expect(200);
      expect(answer.body).toMatchObject({ name: 'PartnerCenter', pendingFailures: 1 });
      const order = await placeOrder(h, customer, [{ sku: 'MS-O365-E1', quantity: 1 }]);
      const [failed] = await subscriptionsOf(h, order.id);
      expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'Injected by ops' });

      await h.http(asDistributor).post('/ops/vendor-simulators/StreamOne/failures', { count: 2 }).expect(200);
      expect(vendors.streamOne.failures.pending).toBe(2);
      const list = await h.http(asDistributor).get('/ops/vendor-simulators').expect(200);
      expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['PartnerCenter', 'StreamOne']);
    });

    it('403 for reseller staff, 404 for a name that is no simulator, 400 for a bad count', async () => {
      await h.http(asDirect).post('/ops/vendor-simulators/partner-center/failures', { count: 1 }).expect(403);
      expect((await h.http(asDistributor).post('/ops/vendor-simulators/ingram/failures', { count: 1 }).expect(404)).body.code).toBe('VENDOR_SIMULATOR_NOT_FOUND');
      const bad = await h.http(asDistributor).post('/ops/vendor-simulators/partner-center/failures', { count: 0 }).expect(400);
      expect(bad.body.errors.map((error: { path: string }) => error.path)).toEqual(['count']);
      expect(vendors.partnerCenter.failures.pending).toBe(0);
    });
  });
});

describe('connectors that are not simulators', () => {
  it('the ops endpoint answers 404 for them', async () => {
    const real = { name: 'PartnerCenter', mode: 'automatic' as const, provision: async () => ({ status: 'provisioned' as const, vendorSubscriptionId: 'X' }) };
    const h = await new Harness({ provisioning: { connectors: { partnerCenter: real, streamOne: { ...real, name: 'StreamOne', mode: 'manual' } } } }).start();
    try {
      await h.http(asDistributor).post('/ops/vendor-simulators/partner-center/failures', { count: 1 }).expect(404);
      expect((await h.http(asDistributor).get('/ops/vendor-simulators').expect(200)).body).toEqual({ items: [], total: 0 });
    } finally {
      await h.stop();
    }
  });
});
