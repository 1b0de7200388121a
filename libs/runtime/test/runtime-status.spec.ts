import { Logger } from '@nestjs/common';
import { SubscriptionStatus } from '@lp/messaging';
import { DependencyProbe, RuntimeStatus } from '../src/status';

describe('RuntimeStatus verdicts (what /health/ready shows)', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  const statusWith = (subscription: SubscriptionStatus, dependencies: DependencyProbe[] = []) =>
    new RuntimeStatus('order', () => [{ status: subscription }], dependencies, () => undefined, { stallMs: 50 });

  it('keeps a retrying subscription ready until the stall threshold, then names it with its last error', async () => {
    const forwarder = new SubscriptionStatus('order-forwarder', 'forwarder');
    forwarder.live();
    forwarder.retrying(new Error('broker unavailable'), 1);
    expect((await statusWith(forwarder).verdicts())[0]).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const [verdict] = await statusWith(forwarder).verdicts();
    expect(verdict).toMatchObject({ name: 'order.order-forwarder', ok: false, detail: { kind: 'forwarder', state: 'retrying' } });
    expect(verdict.error).toMatch(/^forwarder retrying for \d+ s: broker unavailable$/);
    forwarder.advanced(7);
    expect((await statusWith(forwarder).verdicts())[0]).toMatchObject({ ok: true });
  });

  it('names a first fill making its indexes as such, however long they take, not as stalled', async () => {
    const projection = new SubscriptionStatus('order-screens', 'projection');
    // Its caught-up question waits for the indexes, as a first fill's does (its documents held until then).
    const status = new RuntimeStatus('order', () => [{ status: projection, caughtUp: () => new Promise<void>(() => undefined) }], [], () => undefined, { stallMs: 50 });
    status.start();
    try {
      projection.indexing('orders');
      await new Promise((resolve) => setTimeout(resolve, 60));
      const [making] = await status.verdicts();
      expect(making).toMatchObject({ ok: false, error: 'projection indexing orders after its first fill', detail: { indexing: { collection: 'orders' } } });
      projection.indexingEnded(false);
      const [stopped] = await status.verdicts();
      expect(stopped.error).toMatch(/^projection stalled: behind without progress for \d+ s$/);
    } finally {
      status.stop();
    }
  });

  it('names an unreachable dependency at once, and a failed subscription', async () => {
    const projection = new SubscriptionStatus('customers', 'projection');
    projection.live();
    projection.failed(new Error('connection reset'));
    const down = new DependencyProbe('read-store', () => Promise.reject(new Error('ECONNREFUSED')));
    const verdicts = await statusWith(projection, [down]).verdicts();
    expect(verdicts).toEqual([
      { name: 'order.read-store', ok: false, error: 'read-store unreachable: ECONNREFUSED', detail: { kind: 'dependency', since: expect.any(String) } },
      expect.objectContaining({ name: 'order.customers', ok: false, error: 'projection failed: connection reset' }),
    ]);
  });
});
