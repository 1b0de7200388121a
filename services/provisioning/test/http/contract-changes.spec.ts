import { randomUUID } from 'crypto';
import { CancellationLinked, QuantityChangeLinked, TOPICS } from '@lp/integration-events';
import { anEvent } from '@lp/testing';
import { Harness, placeOrder, readyCustomer, simulatedVendors, subscriptionsOf } from './support';

/**
 * The vendor side of contract changes (issue 5): contract.events' CancellationLinked /
 * QuantityChangeLinked reach provisioning over the bus, which cancels, reduces or adds seats with
 * the vendor and shows the outcome in the subscriptions list.
 */
describe('linked contract changes carried out with the vendor (embedded runtime)', () => {
  const vendors = simulatedVendors();
  let h: Harness;
  beforeAll(async () => (h = await new Harness({ provisioning: vendors.options }).start()));
  afterAll(() => h.stop());

  async function activeSubscription(sku: string, quantity: number, placedOn = '2026-05-15') {
    const customer = await readyCustomer(h);
    const order = await placeOrder(h, customer, [{ sku, quantity }], { orderDate: placedOn, placedOn });
    const [subscription] = await subscriptionsOf(h, order.id);
    expect(subscription.status).toBe('ACTIVE');
    return { order, subscription: subscription as unknown as { id: string; orderId: string; orderLineId: string; customerId: string; quantity: number } };
  }

  const reference = (subscription: { orderId: string; customerId: string }) => ({
    changeId: randomUUID(),
    contractId: randomUUID(),
    contractNumber: 'NCN202605-0000000001',
    orderId: subscription.orderId,
    orderNumber: 'NOD202605-0000000001',
    resellerId: 'r-direct',
    customerId: subscription.customerId,
  });

  async function publishCancellation(subscription: { id: string; orderId: string; orderLineId: string; customerId: string; quantity: number }, quantity: number, requestedOn: string) {
    const data: CancellationLinked['data'] = {
      ...reference(subscription),
      type: 'CANCELLATION',
      requestedOn,
      linkedOn: requestedOn,
      lines: [
        {
          lineId: subscription.orderLineId,
          orderLineId: subscription.orderLineId,
          sku: 'sku',
          productName: 'product',
          subscriptionId: subscription.id,
          currentQuantity: subscription.quantity,
          quantity,
          remainingQuantity: subscription.quantity - quantity,
        },
      ],
    };
    await h.embedded.runtimes.contract.adapters.bus.publish(TOPICS.contract, [{ ...anEvent('CancellationLinked', data), streamId: `contractChange-${data.changeId}`, streamRevision: 2 }]);
    await h.settle();
    return data;
  }

  const row = async (id: string) => (await h.http().get(`/provisioning/subscriptions/${id}`).expect(200)).body;

  it('a full cancellation → CANCELLED with quantity 0; the vendor was told', async () => {
    const { subscription } = await activeSubscription('MS-O365-E1', 3);
    await publishCancellation(subscription, 3, '2026-06-10');
    expect(await row(subscription.id)).toMatchObject({ status: 'CANCELLED', statusLabel: '解約済', quantity: 0, cancelledAt: expect.any(String) });
  });

  it('a reduction keeps the subscription ACTIVE with the remaining seats; a redelivery changes nothing', async () => {
    const { subscription } = await activeSubscription('MS-O365-E1', 5);
    const linked = await publishCancellation(subscription, 2, '2026-06-10');
    expect(await row(subscription.id)).toMatchObject({ status: 'ACTIVE', quantity: 3 });
    await h.embedded.runtimes.contract.adapters.bus.publish(TOPICS.contract, [{ ...anEvent('CancellationLinked', linked), streamId: `contractChange-${linked.changeId}`, streamRevision: 2 }]);
    await h.settle();
    expect(await row(subscription.id)).toMatchObject({ status: 'ACTIVE', quantity: 3 });
  });

  it('software inside its refund window: cancelled and the key revoked; outside: refused with the reason, still ACTIVE', async () => {
    const inside = await activeSubscription('MS-WINSRV-2022-STD', 1);
    const until = (await row(inside.subscription.id)).cancellationAllowedUntil as string;
    await publishCancellation(inside.subscription, 1, until);
    expect(await row(inside.subscription.id)).toMatchObject({ status: 'CANCELLED', productKeyRevoked: true });

    const outside = await activeSubscription('MS-WINSRV-2022-STD', 1);
    await publishCancellation(outside.subscription, 1, '2099-01-01');
    expect(await row(outside.subscription.id)).toMatchObject({ status: 'ACTIVE', lastChangeError: expect.stringContaining('返金期間') });
  });

  it('an added quantity linked to the vendor → the subscription has the new quantity', async () => {
    const { subscription } = await activeSubscription('MS-O365-E1', 2);
    const data: QuantityChangeLinked['data'] = {
      ...reference(subscription),
      type: 'ADD',
      requestedOn: '2026-06-01',
      linkedOn: '2026-06-01',
      lines: [{ lineId: subscription.orderLineId, orderLineId: subscription.orderLineId, sku: 'sku', productName: 'product', subscriptionId: subscription.id, previousQuantity: 2, newQuantity: 7 }],
    };
    await h.embedded.runtimes.contract.adapters.bus.publish(TOPICS.contract, [{ ...anEvent('QuantityChangeLinked', data), streamId: `contractChange-${data.changeId}`, streamRevision: 2 }]);
    await h.settle();
    expect(await row(subscription.id)).toMatchObject({ status: 'ACTIVE', quantity: 7 });
  });
});
