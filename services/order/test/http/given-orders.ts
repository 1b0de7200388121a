import { randomInt, randomUUID } from 'crypto';
import { EventToAppend } from '@lp/eventsourcing';
import { anEvent, ApiSpecification, SeededStream } from '@lp/testing';
import { customerBody, Harness } from '../../../embedded/test/support/harness';
import { findProduct, orderLineFor } from '../../src/domain/catalog';
import { CustomerRegistered, customerStreamId } from '../../src/domain/customer';
import { orderStreamId } from '../../src/domain/order';
import { OrderEvent } from '../../src/domain/order-events';

/**
 * Streams as the order service writes them, for HTTP scenarios that start from events instead of a
 * chain of requests: a customer, and its order in the state a request finds it in. Every id is
 * fresh, so scenarios share one runtime.
 */

/**
 * The order and provisioning stores of the embedded runtime (tenants travel between them), settled
 * before and after the request so each service has seen what the other wrote.
 */
export const embeddedApi = (h: () => Harness) =>
  ApiSpecification.for(() => ({
    stores: { order: h().embedded.runtimes.order.eventStore, provisioning: h().embedded.runtimes.provisioning.eventStore },
    settle: () => h().settle(),
  }));

export const adminOf = (resellerId: string) => ({ id: `u-admin-agent-${resellerId}`, resellerId });

/** Domain events stamped as appended by `actor`. */
export const written = (events: { type: string; data: unknown }[], actor: EventToAppend['actor']) => events.map(({ type, data }) => anEvent(type, data, { actor }));

/** A customer of `resellerId` as the order service registers it (provisioning learns of it over the bus). */
export function aCustomer(resellerId = 'r-direct') {
  const customerId = randomUUID();
  const registered: CustomerRegistered = { type: 'CustomerRegistered', data: { customerId, resellerId, ...customerBody() } };
  return { customerId, resellerId, stream: { store: 'order', streamId: customerStreamId(customerId), events: written([registered], adminOf(resellerId)) } satisfies SeededStream };
}

/**
 * An order of the customer for one line of `sku` (状態: 申請 once created). `given(...later)` is the
 * customer's stream and the order's, created and then the `later` events (accepted, placed…).
 */
export function anOrder({ customer = aCustomer(), sku = 'MS-O365-E1', quantity = 3 }: { customer?: ReturnType<typeof aCustomer>; sku?: string; quantity?: number } = {}) {
  const orderId = randomUUID();
  const line = orderLineFor(findProduct(sku)!, randomUUID(), quantity);
  const { customerId, resellerId } = customer;
  const identity = { orderId, resellerId, customerId, orderNumber: `NOD202607-${String(randomInt(1e10)).padStart(10, '0')}` };
  const event = (domainEvent: OrderEvent) => written([domainEvent], adminOf(resellerId))[0];
  const streamId = orderStreamId(orderId);
  return {
    id: orderId,
    streamId,
    customer,
    identity,
    line,
    given: (...later: EventToAppend[]): SeededStream[] => [
      customer.stream,
      {
        store: 'order',
        streamId,
        events: [event({ type: 'OrderCreated', data: { ...identity, subject: line.productName, subjectForForms: line.productName, orderDate: '2026-07-01', lines: [line] } }), ...later],
      },
    ],
    accepted: (acceptedOn = '2026-07-02') => event({ type: 'OrderAccepted', data: { ...identity, acceptedOn } }),
    targetSelected: (tenantId: string) => event({ type: 'ProvisioningTargetSelected', data: { orderId, tenantId } }),
    /** 発注 of the line (into `tenantId` for Microsoft lines): PLACED. */
    placed: (tenantId?: string) =>
      event({
        type: 'OrderPlaced',
        data: { ...identity, placedOn: '2026-07-03', fullyPlaced: true, lines: [{ ...line, term: line.term ?? 'monthly', ...(tenantId && { tenantId }) }] },
      }),
  };
}
