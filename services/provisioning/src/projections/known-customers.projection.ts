import { CustomerRegistered } from '@lp/integration-events';
import { defineProjection, sourceOf } from '@lp/read-models';
import { COLLECTIONS, KnownCustomerView } from './views';

/** Provisioning learns customers only from order.events: enough to scope tenants to a reseller. */
export const knownCustomersProjection = defineProjection<CustomerRegistered>({
  name: 'known-customers',
  collections: [COLLECTIONS.customers],
  on: {
    async CustomerRegistered(event, store) {
      const { customerId, resellerId, companyName } = event.data;
      await store
        .collection<KnownCustomerView>(COLLECTIONS.customers)
        .apply(customerId, sourceOf(event), () => ({ id: customerId, resellerId, companyName }));
    },
  },
});
