import { CustomerRegistered, OrderPlaced } from '@lp/integration-events';
import { defineProjection, sourceOf } from '@lp/read-models';
import { withPlacement } from './rows';
import { COLLECTIONS, KnownCustomerView, KnownOrderView } from './views';

/**
 * What the contract service knows of orders and customers: only order's integration events.
 * Placed lines accumulate over partial placements; the version guard (one revision per order
 * stream) skips a redelivered placement.
 */
export const knownOrdersProjection = defineProjection<OrderPlaced | CustomerRegistered>({
  name: 'contract-known-orders',
  collections: [COLLECTIONS.orders, COLLECTIONS.customers],
  on: {
    async OrderPlaced(event, store) {
      await store.collection<KnownOrderView>(COLLECTIONS.orders).apply(event.data.orderId, sourceOf(event), (current) => withPlacement(current, event.data));
    },
    async CustomerRegistered(event, store) {
      const { customerId, resellerId, companyName } = event.data;
      await store.collection<KnownCustomerView>(COLLECTIONS.customers).apply(customerId, sourceOf(event), () => ({ id: customerId, resellerId, companyName }));
    },
  },
});
