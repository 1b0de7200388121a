import { EventEnvelope } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { OrderPlaced, TOPICS } from '@lp/integration-events';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { anEnvelope, until } from '@lp/testing';
import { orderPlacedProcessManager } from '../../src/application/order-placed.process-manager';
import { subscriptionIdForLine, subscriptionStreamId } from '../../src/domain/subscription';

/** OrderPlaced of an order with one Office 365 line, as the order service publishes it. */
function placed(orderId: string): EventEnvelope<OrderPlaced> {
  const line = { lineId: `${orderId}-l1`, sku: 'MS-O365-E1', productName: 'Office 365 E1', vendor: 'Microsoft', channel: 'CSP', provisioning: 'automatic', billingPolicy: 'microsoft-csp-monthly', trial: false, term: 'monthly', unitPrice: 870, quantity: 3, tenantId: 'tn-1' };
  const data = { orderId, resellerId: 'r-direct', customerId: 'c-1', orderNumber: `NOD202107-${orderId}`, placedOn: '2021-07-15', fullyPlaced: true, lines: [line] };
  return anEnvelope(orderId, 3, 'OrderPlaced', data) as EventEnvelope<OrderPlaced>;
}

const streamOfLine = (lineId: string) => subscriptionStreamId(subscriptionIdForLine(lineId));

describe('orderPlacedProcessManager', () => {
  it('requests the subscriptions of placed orders side by side: one order waiting on the store holds up no other', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const bus = new InProcessEventBus({ filename: ':memory:', partitions: 1 });
    // The first order's append waits until released, as an append waits for its commit.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (streamId, events, options) => {
      if (streamId === streamOfLine('o-1-l1')) await released;
      return append(streamId, events, options);
    };
    const manager = orderPlacedProcessManager(store, bus);
    await manager.start();
    await bus.publish(TOPICS.order, [placed('o-1'), placed('o-2')]);

    // The second order is handled while the first one waits.
    await until(async () => (await store.readStream(streamOfLine('o-2-l1'))).length > 0, 2_000);
    expect(await store.readStream(streamOfLine('o-1-l1'))).toEqual([]);

    release();
    await manager.caughtUp();
    expect((await store.readStream(streamOfLine('o-1-l1'))).map((event) => event.type)).toEqual(['SubscriptionRequested']);
    await manager.stop();
    await bus.close();
    await store.close();
  });
});
