import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aggregateStream, CommandContext, withMetadata } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { VendorProvisioning, vendorProvisioningReactor } from '../../src/application/vendor-provisioning.worker';
import { PartnerCenterSimulator } from '../../src/domain/connectors/partner-center';
import { StreamOneSimulator } from '../../src/domain/connectors/stream-one';
import { SubscriptionEvent, subscriptionDecider, subscriptionStreamId } from '../../src/domain/subscription';
import { recordingSleep } from '../support/connector-fixtures';
import { o365, requested as requestedOf, SUB_ID } from '../support/subscription-fixtures';
import { RetryPolicy, VendorConnector } from '../../src/domain/vendor-connector';

const STREAM = subscriptionStreamId(SUB_ID);
const context: CommandContext = { actor: { id: 'test' }, correlationId: 'corr-1', causationId: 'cause-1', now: new Date() };

const requested = requestedOf({ ...o365, quantity: 1, placedOn: '2026-05-15' }, new Date().toISOString());
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

  // A fake clock that moves only when the worker sleeps, and a sleep that records what it was asked:
  // the waits are exact, whatever the machine's load.
  const NOW = new Date('2026-05-15T01:00:00.000Z');
  const timedWorker = (retryPolicy: RetryPolicy) => {
    const sleeps = recordingSleep();
    let clock = NOW.getTime();
    const timed = new VendorProvisioning({
      store,
      connectors: { partnerCenter, streamOne: new StreamOneSimulator() },
      retryPolicy,
      microsoftTenantOf: async () => '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      now: () => new Date(clock),
      sleep: async (ms) => {
        await sleeps.sleep(ms);
        clock += ms;
      },
    });
    return { timed, waits: sleeps.waits };
  };

  it('waits only what is left of the back-off after a restart', async () => {
    const policy = { maxAttempts: 3, initialDelayMs: 400, multiplier: 1, maxDelayMs: 400 };
    const recent = await given(requested, attemptFailed(1, true, new Date(NOW.getTime() - 380)));
    const { timed, waits } = timedWorker(policy);
    await timed.handle(recent, new AbortController().signal);
    expect(waits).toEqual([20]);
    expect(await state()).toMatchObject({ status: 'ACTIVE' });
  });

  it('waits the back-off between live tries', async () => {
    const policy = { maxAttempts: 3, initialDelayMs: 300, multiplier: 1, maxDelayMs: 300 };
    const first = await given(requested);
    partnerCenter.failNext(1);
    const { timed, waits } = timedWorker(policy);
    await timed.handle(first, new AbortController().signal);
    expect(waits).toEqual([300]);
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

/**
 * Changes of an ACTIVE subscription (contract change, issue 5): the worker calls the connector's
 * cancel / changeQuantity with the same retry policy and records the outcome.
 */
describe('vendor worker: cancellations and quantity changes', () => {
  const GUID = '7A1C2E4B-91D3-4F60-8B2A-3C5D6E7F8091';
  const CHANGE = 'chg-1';
  let dir: string;
  let store: SqliteEventStore;
  let partnerCenter: PartnerCenterSimulator;
  let streamOne: StreamOneSimulator;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vendor-worker-changes-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    partnerCenter = new PartnerCenterSimulator();
    streamOne = new StreamOneSimulator();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const line = (data: Partial<Extract<SubscriptionEvent, { type: 'SubscriptionRequested' }>['data']>): SubscriptionEvent => ({
    type: 'SubscriptionRequested',
    data: { ...(requested.data as Extract<SubscriptionEvent, { type: 'SubscriptionRequested' }>['data']), ...data },
  });
  const o365 = line({ quantity: 5 });
  const winServer = line({ sku: 'MS-WINSRV-2022-STD', productName: 'Windows Server 2022 Standard', provisioning: 'key', billingPolicy: 'onprem-software', refundWindowDays: 30, quantity: 1 });
  const pocketalk = line({ sku: 'SN-POCKETALK-CC-M', productName: 'ポケトーク字幕 (月額)', vendor: 'Sourcenext', channel: 'StreamOne', provisioning: 'manual', billingPolicy: 'stellr-cutoff', quantity: 10, tenantId: undefined });
  const reference = (event: SubscriptionEvent) => {
    const data = event.data as Extract<SubscriptionEvent, { type: 'SubscriptionRequested' }>['data'];
    return { subscriptionId: SUB_ID, orderId: data.orderId, orderLineId: data.orderLineId, customerId: data.customerId, resellerId: data.resellerId, sku: data.sku, quantity: data.quantity };
  };
  const provisioned = (request: SubscriptionEvent): SubscriptionEvent => {
    const manual = (request.data as { provisioning: string }).provisioning === 'manual';
    const key = (request.data as { provisioning: string }).provisioning === 'key';
    return {
      type: 'SubscriptionProvisioned',
      data: {
        ...reference(request),
        status: 'ACTIVE',
        vendorSubscriptionId: manual ? 'SO-0000000001' : GUID,
        ...(key ? { productKey: 'BCDFG-HJKMP-QRTVW-XY234-6789B' } : {}),
        provisionedAt: new Date().toISOString(),
        cancellationAllowedUntil: null,
      },
    };
  };
  const cancellationRequested = (quantity: number, previousQuantity: number): SubscriptionEvent => ({
    type: 'SubscriptionCancellationRequested',
    data: { subscriptionId: SUB_ID, changeId: CHANGE, quantity, previousQuantity, requestedOn: '2026-05-20' },
  });
  const quantityChangeRequested = (previousQuantity: number, newQuantity: number): SubscriptionEvent => ({
    type: 'SubscriptionQuantityChangeRequested',
    data: { subscriptionId: SUB_ID, changeId: CHANGE, previousQuantity, newQuantity, requestedOn: '2026-05-20' },
  });
  const changeAttemptFailed = (attempt: number, willRetry: boolean, failedAt = new Date()): SubscriptionEvent => ({
    type: 'SubscriptionChangeAttemptFailed',
    data: { subscriptionId: SUB_ID, changeId: CHANGE, attempt, reason: 'Partner Center unavailable (503)', willRetry, failedAt: failedAt.toISOString() },
  });

  /** Appends the history and returns its change request (what the reactor hands the worker, again after a restart). */
  const given = async (...events: SubscriptionEvent[]) => {
    await store.appendToStream(STREAM, withMetadata(events, context));
    const recorded = await store.readStream(STREAM);
    return recorded.filter((event) => event.type.endsWith('ChangeRequested') || event.type === 'SubscriptionCancellationRequested').at(-1) ?? recorded[recorded.length - 1];
  };
  const worker = (pc: VendorConnector = partnerCenter, retryPolicy: RetryPolicy = { maxAttempts: 3, initialDelayMs: 5, multiplier: 2, maxDelayMs: 20 }) =>
    new VendorProvisioning({ store, connectors: { partnerCenter: pc, streamOne }, retryPolicy, microsoftTenantOf: async () => '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
  const state = async () => (await aggregateStream(store, STREAM, subscriptionDecider)).state;
  const events = async () => (await store.readStream(STREAM)).map((event) => ({ type: event.type, data: event.data as Record<string, unknown> }));
  const last = async () => (await events()).at(-1)!;

  it('a reduction: calls cancel with the vendor subscription and the seats, then SubscriptionCancelled, ACTIVE with the seats left', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5));
    const cancel = jest.spyOn(partnerCenter, 'cancel');
    await worker().handle(event, new AbortController().signal);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(cancel.mock.calls[0][0]).toMatchObject({ changeId: CHANGE, subscriptionId: SUB_ID, vendorSubscriptionId: GUID, quantity: 2, currentQuantity: 5, microsoftTenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    expect(await last()).toMatchObject({ type: 'SubscriptionCancelled', data: { status: 'ACTIVE', quantity: 3, cancelledQuantity: 2, remainingQuantity: 3, changeId: CHANGE } });
    expect(await state()).toMatchObject({ status: 'ACTIVE', quantity: 3 });
  });

  it('software inside its window: CANCELLED and the key revoked', async () => {
    const event = await given(winServer, provisioned(winServer), cancellationRequested(1, 1));
    await worker().handle(event, new AbortController().signal);
    expect(await last()).toMatchObject({ type: 'SubscriptionCancelled', data: { status: 'CANCELLED', remainingQuantity: 0, productKeyRevoked: true } });
  });

  it('a StreamOne cancellation goes to the StreamOne connector and is confirmed at once', async () => {
    const event = await given(pocketalk, provisioned(pocketalk), cancellationRequested(10, 10));
    await worker().handle(event, new AbortController().signal);
    expect(streamOne.calls).toBe(1);
    expect(partnerCenter.calls).toBe(0);
    expect(await last()).toMatchObject({ type: 'SubscriptionCancelled', data: { status: 'CANCELLED', vendorSubscriptionId: 'SO-0000000001' } });
  });

  it('a quantity change: calls changeQuantity, then SubscriptionQuantityChanged', async () => {
    const event = await given(o365, provisioned(o365), quantityChangeRequested(5, 8));
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.seatsHeld(GUID)).toBe(8);
    expect(await last()).toMatchObject({ type: 'SubscriptionQuantityChanged', data: { status: 'ACTIVE', quantity: 8, previousQuantity: 5, newQuantity: 8 } });
  });

  it('retries a failed call with the back-off, counting the attempts of the change', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5));
    partnerCenter.failNext(2);
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(3);
    expect((await events()).map((e) => e.type).slice(3)).toEqual(['SubscriptionChangeAttemptFailed', 'SubscriptionChangeAttemptFailed', 'SubscriptionCancelled']);
  });

  it('after the last try: SubscriptionChangeFailed with the reason; the subscription stays ACTIVE, unchanged', async () => {
    const event = await given(o365, provisioned(o365), quantityChangeRequested(5, 8));
    partnerCenter.failNext(3);
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(3);
    expect(await last()).toMatchObject({ type: 'SubscriptionChangeFailed', data: { change: 'QUANTITY_CHANGE', reason: 'Vendor unavailable (503)', attempts: 3, status: 'ACTIVE', quantity: 5 } });
    expect(await state()).toMatchObject({ status: 'ACTIVE', quantity: 5, settledChanges: { [CHANGE]: 'FAILED' } });
  });

  it('a refusal by the vendor is not retried', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5));
    partnerCenter.failNext(1, { retryable: false, reason: 'Cancellation window closed (400)' });
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(1);
    expect(await last()).toMatchObject({ type: 'SubscriptionChangeFailed', data: { reason: 'Cancellation window closed (400)', attempts: 1 } });
  });

  it('a connector without cancel: the change fails at once with the reason', async () => {
    const orderOnly: VendorConnector = { name: 'PartnerCenter', mode: 'automatic', provision: async () => ({ status: 'provisioned', vendorSubscriptionId: GUID }) };
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5));
    await worker(orderOnly).handle(event, new AbortController().signal);
    expect(await last()).toMatchObject({ type: 'SubscriptionChangeFailed', data: { reason: 'The PartnerCenter connector cannot cancel subscriptions' } });
  });

  it('after a crash between two tries: one more call, counted as the next attempt', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5), changeAttemptFailed(1, true, new Date(Date.now() - 1000)));
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(1);
    expect(await last()).toMatchObject({ type: 'SubscriptionCancelled' });
  });

  it('after a crash right after the last try was recorded: the change FAILED without calling the vendor again', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5), changeAttemptFailed(1, true), changeAttemptFailed(2, false));
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(0);
    expect(await last()).toMatchObject({ type: 'SubscriptionChangeFailed', data: { attempts: 2, reason: 'Partner Center unavailable (503)' } });
  });

  it('a replayed request of a settled change calls nothing', async () => {
    const event = await given(o365, provisioned(o365), cancellationRequested(2, 5));
    await worker().handle(event, new AbortController().signal);
    await worker().handle(event, new AbortController().signal);
    expect(partnerCenter.calls).toBe(1);
    expect((await events()).filter((e) => e.type === 'SubscriptionCancelled')).toHaveLength(1);
  });

  it('as a reactor: a change requested on the store is carried out', async () => {
    const reactor = vendorProvisioningReactor(worker(), store, store.checkpoints());
    await given(o365, provisioned(o365));
    await reactor.start();
    try {
      await given(cancellationRequested(5, 5));
      await waitUntil(async () => (await state()).status === 'CANCELLED');
      await reactor.caughtUp();
    } finally {
      await reactor.stop();
    }
    expect((await events()).map((e) => e.type)).toEqual(['SubscriptionRequested', 'SubscriptionProvisioned', 'SubscriptionCancellationRequested', 'SubscriptionCancelled']);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
