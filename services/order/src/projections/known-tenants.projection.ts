import { defineProjection, sourceOf } from '@lp/read-models';
import { TenantEvent } from '@lp/integration-events';
import { COLLECTIONS, KnownTenantView } from './views';

/**
 * The order service learns tenants and their MCA state only from provisioning's events; placement
 * of Microsoft lines checks this copy.
 */
export const knownTenantsProjection = defineProjection<TenantEvent>({
  name: 'known-tenants',
  collections: [COLLECTIONS.tenants],
  indexes: { [COLLECTIONS.tenants]: [{ customerId: 1 }] },
  on: {
    async TenantRegistered(event, store) {
      const { tenantId, resellerId, customerId, microsoftTenantId, primaryDomain } = event.data;
      await store
        .collection<KnownTenantView>(COLLECTIONS.tenants)
        .apply(tenantId, sourceOf(event), (current) => ({
          id: tenantId,
          resellerId,
          customerId,
          microsoftTenantId,
          primaryDomain,
          mcaAccepted: current?.mcaAccepted ?? false,
        }));
    },
    async CustomerAgreementAccepted(event, store) {
      const { tenantId, resellerId, customerId } = event.data;
      await store
        .collection<KnownTenantView>(COLLECTIONS.tenants)
        .apply(tenantId, sourceOf(event), (current) => ({
          microsoftTenantId: '',
          primaryDomain: '',
          ...current,
          id: tenantId,
          resellerId,
          customerId,
          mcaAccepted: true,
        }));
    },
  },
});
