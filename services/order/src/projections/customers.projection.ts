import { defineProjection, sourceOf } from '@lp/read-models';
import { CustomerEvent } from '../domain/customer';
import { COLLECTIONS, CustomerView } from './views';

export const customersProjection = defineProjection<CustomerEvent>({
  name: 'customers',
  collections: [COLLECTIONS.customers],
  on: {
    async CustomerRegistered(event, store) {
      const { customerId, ...details } = event.data;
      await store
        .collection<CustomerView>(COLLECTIONS.customers)
        .apply(customerId, sourceOf(event), () => ({ id: customerId, ...details, registeredAt: event.occurredAt }));
    },
  },
});
