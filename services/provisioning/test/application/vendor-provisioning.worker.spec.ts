import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aggregateStream, CommandContext, SqliteEventStore, withMetadata } from '@lp/eventsourcing';
import { VendorProvisioning, vendorProvisioningReactor } from '../../src/application/vendor-provisioning.worker';
import { PartnerCenterSimulator } from '../../src/domain/connectors/partner-center';
import { StreamOneSimulator } from '../../src/domain/connectors/stream-one';
import { SubscriptionEvent, subscriptionDecider, subscriptionIdForLine, subscriptionStreamId } from '../../src/domain/subscription';
import { RetryPolicy, VendorConnector } from '../../src/domain/vendor-connector';

const LINE_ID = 'line-1';
const SUB_ID = subscriptionIdForLine(LINE_ID);
const STREAM = subscriptionStreamId(SUB_ID);
const context: CommandContext = { actor: { id: 'test' }, correlationId: 'corr-1', causationId: 'cause-1', now: new Date() };

const requested: SubscriptionEvent = {
  type: 'SubscriptionRequested',
  data: {
    subscriptionId: SUB_ID,
    orderId: 'o-1',
    orderLineId: LINE_ID,
    customerId: 'c-1',
    resellerId: 'r-direct',
    sku: 'MS-O365-E1',
    productName: 'Office 365 E1',
    vendor: 'Microsoft',
    channel: 'CSP',
    provisioning: 'automatic',
    billingPolicy: 'microsoft-csp-monthly',
    trial: false,
    quantity: 1,
    tenantId: 'tn-1',
    placedOn: '2026-05-15',
    status: 'PROVISIONING',
    requestedAt: new Date().toISOString(),
  },
};
const attemptFailed = (attempt: number, willRetry: boolean, failedAt = new Date()): SubscriptionEvent => ({
  type: 'ProvisioningAttemptFailed',
  data: { subscriptionId: SUB_ID, round: 1, attempt, reason: 'Partner Center unavailable (503)', willRetry, failedAt: failedAt.toISOString() },
});

/**
 * The vendor worker on a real store: what it does after a crash (it replays the unfinished request
 * and continues from what the stream says) and when it is stopped.
 */
describe('vendor provisioning worker (continues from the recorded attempts)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let partnerCenter: PartnerCenterSimulator;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vendor-worker-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    partnerCenter = new PartnerCenterSimulator();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const given = async (...events: SubscriptionEvent[]) => {
    await store.appendToStream(STREAM, withMetadata(events, context));
    return (await store.readStream(STREAM))[0];
  };
  const worker = (retryPolicy: RetryPolicy = { maxAttempts: 3, initialDelayMs: 5, multiplier: 2, maxDelayMs: 20 }, pc: VendorConnector = partnerCenter) =>
    new VendorProvisioning({
      store,
      connectors: { partnerCenter: pc, streamOne: new StreamOneSimulator() },
      retryPolicy,
      microsoftTenantOf: async (tenantId) => (tenantId === 'tn-1' ? '7c9e6679-7425-40de-944b-e07fc1f90ae7' : undefined),
    });
  const state = async () => (await aggregateStream(store, STREAM, subscriptionDecider)).state;
  const typesInStream = async () => (await store.readStream(STREAM)).map((event) => event.type);

  it('after a crash between two tries: one more call, counted as the next attempt, then ACTIVE', async () => {
    const first = await given(requested, attemptFailed(1, true, new Date(Date.now() - 1000)));
    const provision = jest.spyOn(partnerCenter, 'provision');
    await worker().handle(first, new AbortController().signal);
    expect(provision).toHaveBeenCalledTimes(1);
    expect(provision.mock.calls[0][0]).toMatchObject({ subscriptionId: SUB_ID, microsoftTenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    expect(await state()).toMatchObject({ status: 'ACTIVE', attempts: 1 });
    expect(await typesInStream()).toEqual(['SubscriptionRequested', 'ProvisioningAttemptFailed', 'SubscriptionProvisioned']);
  });

  it('after a crash right after the last try was recorded: FAILED without calling the vendor again', async () => {
    const first = await given(requested, attemptFailed(1, true), attemptFailed(2, false));
    await worker().handle(first, new AbortController().signal);
    expect(partnerCenter.calls).toBe(0);
    expect(await state()).toMatchObject({ status: 'FAILED', failureReason: 'Partner Center unavailable (503)', attempts: 2 });
  });

  it('when the policy allows fewer tries than were made (it changed meanwhile): FAILED without another call', async () => {
    const first = await given(requested, attemptFailed(1, true), attemptFailed(2, true));
    await worker({ maxAttempts: 2, initialDelayMs: 5, multiplier: 2, maxDelayMs: 20 }).handle(first, new AbortController().signal);
    expect(partnerCenter.calls).toBe(0);
    expect(await state()).toMatchObject({ status: 'FAILED' });
  });

  it('waits only what is left of the back-off after a restart', async () => {
    const policy = { maxAttempts: 3, initialDelayMs: 400, multiplier: 1, maxDelayMs: 400 };
    const recent = await given(requested, attemptFailed(1, true, new Date(Date.now() - 380)));
    const started = Date.now();
    await worker(policy).handle(recent, new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(250);
    expect(await state()).toMatchObject({ status: 'ACTIVE' });
  });

  it('waits the back-off between live tries', async () => {
    const policy = { maxAttempts: 3, initialDelayMs: 300, multiplier: 1, maxDelayMs: 300 };
    const first = await given(requested);
    partnerCenter.failNext(1);
    const started = Date.now();
    await worker(policy).handle(first, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(await state()).toMatchObject({ status: 'ACTIVE', attempts: 1 });
  });

  it('does nothing for a subscription that is no longer PROVISIONING (a replayed, finished request)', async () => {
    const first = await given(requested);
    await worker().handle(first, new AbortController().signal);
    const calls = partnerCenter.calls;
    await worker().handle(first, new AbortController().signal);
    expect(partnerCenter.calls).toBe(calls);
    expect(await typesInStream()).toEqual(['SubscriptionRequested', 'SubscriptionProvisioned']);
  });

  it('stopping during the back-off ends the handler at once and records nothing more', async () => {
    const first = await given(requested);
    partnerCenter.failNext(1);
    const abort = new AbortController();
    const handled = worker({ maxAttempts: 3, initialDelayMs: 10_000, multiplier: 1, maxDelayMs: 10_000 }).handle(first, abort.signal);
    await waitUntil(async () => (await state()).status === 'PROVISIONING' && ((await state()) as { attempts: number }).attempts === 1);
    abort.abort();
    await expect(handled).rejects.toThrow(/aborted/);
    expect(await typesInStream()).toEqual(['SubscriptionRequested', 'ProvisioningAttemptFailed']);
  });

  it('as a reactor: a request whose vendor call never answered is taken up again after a restart', async () => {
    await given(requested);
    const hanging: VendorConnector = { name: 'PartnerCenter', mode: 'automatic', provision: () => new Promise(() => undefined) };
    const reactorWith = (connector: VendorConnector) => vendorProvisioningReactor(worker(undefined, connector), store, store.checkpoints());

    const crashed = reactorWith(hanging);
    await crashed.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await crashed.stop();
    expect(await state()).toMatchObject({ status: 'PROVISIONING' });

    const restarted = reactorWith(partnerCenter);
    await restarted.start();
    await restarted.caughtUp();
    await restarted.stop();
    expect(await state()).toMatchObject({ status: 'ACTIVE', attempts: 0 });
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
