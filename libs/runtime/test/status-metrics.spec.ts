import { SubscriptionStatus } from '@lp/messaging';
import { platformMetrics } from '@lp/platform';
import { exposeStatusMetrics, RuntimeStatus } from '../src/status';

describe('status metrics (what /metrics shows of the machinery)', () => {
  it('shows a projection making its indexes, and only while it does', async () => {
    const projection = new SubscriptionStatus('order-screens', 'projection');
    const forwarder = new SubscriptionStatus('order-forwarder', 'forwarder');
    const status = new RuntimeStatus('order', () => [{ status: projection }, { status: forwarder }], [], () => undefined);
    const unexpose = exposeStatusMetrics(status);
    const indexingLines = async () => (await platformMetrics().registry.metrics()).split('\n').filter((line) => line.startsWith('subscription_indexing{'));
    try {
      projection.indexing('orders');
      // A forwarder makes no indexes: no sample for it.
      expect(await indexingLines()).toEqual(['subscription_indexing{service="order",subscription="order-screens",kind="projection"} 1']);
      projection.indexingEnded(true);
      expect(await indexingLines()).toEqual(['subscription_indexing{service="order",subscription="order-screens",kind="projection"} 0']);
    } finally {
      unexpose();
    }
  });
});
