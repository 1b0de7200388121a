import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, Filter, ReadStore, sourceOf } from '@lp/read-models';
import { orderAmounts } from '../domain/amounts';
import { CustomerEvent } from '../domain/customer';
import { ORDER_STATUS_LABELS, OrderEvent, OrderStatus, PLACEMENT_STATUS_LABELS } from '../domain/order-events';
import { COLLECTIONS, CustomerView, OrderLineView, OrderView } from './views';

const orders = (store: ReadStore) => store.collection<OrderView>(COLLECTIONS.orders);

/** Applies a change to an existing order row once per event. */
async function update(event: EventEnvelope<OrderEvent>, store: ReadStore, change: (order: OrderView) => Partial<OrderView>) {
  await orders(store).apply((event.data as { orderId: string }).orderId, sourceOf(event), (current) => {
    if (!current) throw new Error(`${event.type} for an order the projection never saw created (${event.streamId})`);
    return { ...current, ...change(current), updatedAt: event.occurredAt };
  });
}

const withStatus = (status: OrderStatus) => ({ status, statusLabel: ORDER_STATUS_LABELS[status] });

/** 注文一覧 without a status asked for: deleted orders leave the list. */
export const LISTED_WITHOUT_STATUS: Filter = { status: { $ne: 'DELETED' } };

/**
 * Customers and orders in one projection: the order rows copy the customer's names, and one runner
 * applies events in store order, so a rebuild never meets an order before its customer.
 */
export const orderScreensProjection = defineProjection<OrderEvent | CustomerEvent>({
  name: 'order-screens',
  collections: [COLLECTIONS.customers, COLLECTIONS.orders],
  // 注文一覧: scoped by reseller, filtered by status / customer / order date, newest first.
  indexes: {
    [COLLECTIONS.orders]: [
      // A list reads rows in one of these orders and tests each: the keys after the (unique) id never
      // change the order, they let the test of a status and of a search read the index instead of each
      // row. One reseller's page 50 at 1M orders: ~0.3 s when its rows had to be sorted (no index of its
      // own in date order); a search's page 50 over all resellers ~5× less than reading each row.
      { resellerId: 1, orderDate: -1, createdAt: -1, id: 1, status: 1, orderNumber: 1, subject: 1 },
      { resellerId: 1, customerId: 1, orderDate: -1, createdAt: -1 },
      { orderDate: -1, createdAt: -1, id: 1, status: 1, orderNumber: 1, subject: 1 },
      { orderNumber: 1 },
    ],
    // 顧客一覧: one reseller's newest first, and distributor staff's over all resellers.
    [COLLECTIONS.customers]: [{ resellerId: 1, registeredAt: -1 }, { registeredAt: -1 }],
  },
  // Searched by the list screen's q (textSearch). The orders' index leaves deleted orders out, as the
  // list does unless asked for them: its own count of a common word is then the list's total.
  textIndexes: {
    [COLLECTIONS.orders]: { fields: ['orderNumber', 'subject'], partialFilter: LISTED_WITHOUT_STATUS },
    [COLLECTIONS.customers]: ['companyName', 'companyNameKana', 'siteName'],
  },
  // 注文一覧 as distributor staff first see it: its total kept from the start, never counted on an ask.
  countedFilters: { [COLLECTIONS.orders]: [LISTED_WITHOUT_STATUS] },
  on: {
    async CustomerRegistered(event, store) {
      const { customerId, ...details } = event.data;
      await store
        .collection<CustomerView>(COLLECTIONS.customers)
        .apply(customerId, sourceOf(event), () => ({ id: customerId, ...details, registeredAt: event.occurredAt }));
    },
    async OrderCreated(event, store) {
      const order = event.data;
      // Customer names are copied in for the list's columns; the customer is in this service's own store.
      const customer = await store.collection<CustomerView>(COLLECTIONS.customers).get(order.customerId);
      const lines: OrderLineView[] = order.lines.map((line) => ({
        id: line.lineId,
        sku: line.sku,
        productName: line.productName,
        vendor: line.vendor,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        amount: line.unitPrice * line.quantity,
        billingPolicy: line.billingPolicy,
        placementStatus: 'UNPLACED',
        placementStatusLabel: PLACEMENT_STATUS_LABELS.UNPLACED,
        placedOn: null,
        tenantId: null,
      }));
      await orders(store).apply(order.orderId, sourceOf(event), () => ({
        id: order.orderId,
        resellerId: order.resellerId,
        orderNumber: order.orderNumber,
        customerId: order.customerId,
        customerCompanyName: customer?.companyName ?? '',
        customerContactName: customer?.contact.name ?? '',
        ...withStatus('APPLIED'),
        subject: order.subject,
        subjectForForms: order.subjectForForms,
        orderDate: order.orderDate,
        acceptedOn: null,
        purchaseOrderNumber: order.purchaseOrderNumber ?? null,
        endUserOrderNumber: order.endUserOrderNumber ?? null,
        tenantId: null,
        lines,
        ...orderAmounts(lines),
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
      }));
    },
    OrderAccepted: (event, store) => update(event, store, () => ({ ...withStatus('ACCEPTED'), acceptedOn: event.data.acceptedOn })),
    OrderAcceptanceRevoked: (event, store) => update(event, store, () => ({ ...withStatus('APPLIED'), acceptedOn: null })),
    ProvisioningTargetSelected: (event, store) => update(event, store, () => ({ tenantId: event.data.tenantId })),
    OrderPlaced: (event, store) =>
      update(event, store, (order) => {
        const placed = new Map(event.data.lines.map((line) => [line.lineId, line]));
        return {
          ...withStatus(event.data.fullyPlaced ? 'PLACED' : 'PARTIALLY_PLACED'),
          tenantId: order.tenantId ?? event.data.lines.find((line) => line.tenantId)?.tenantId ?? null,
          lines: order.lines.map((line) =>
            placed.has(line.id)
              ? {
                  ...line,
                  placementStatus: 'PLACED',
                  placementStatusLabel: PLACEMENT_STATUS_LABELS.PLACED,
                  placedOn: event.data.placedOn,
                  tenantId: placed.get(line.id)!.tenantId ?? null,
                }
              : line,
          ),
        };
      }),
    OrderCancelled: (event, store) => update(event, store, () => withStatus('CANCELLED')),
    OrderDeleted: (event, store) => update(event, store, () => withStatus('DELETED')),
  },
});
