import { defineProjection, sourceOf } from '@lp/read-models';
import { TenantEvent } from '../domain/tenant';
import { COLLECTIONS, MCA_STATUS_LABELS, TenantView } from './views';

export const tenantsProjection = defineProjection<TenantEvent>({
  name: 'tenants',
  collections: [COLLECTIONS.tenants],
  indexes: { [COLLECTIONS.tenants]: [{ customerId: 1, registeredAt: 1 }] },
  on: {
    async TenantRegistered(event, store) {
      const { tenantId, resellerId, customerId, microsoftTenantId, primaryDomain } = event.data;
      await store.collection<TenantView>(COLLECTIONS.tenants).apply(tenantId, sourceOf(event), () => ({
        id: tenantId,
        resellerId,
        customerId,
        tenantId: microsoftTenantId,
        primaryDomain,
        mcaStatus: 'NOT_ACCEPTED',
        mcaStatusLabel: MCA_STATUS_LABELS.NOT_ACCEPTED,
        customerAgreement: null,
        registeredAt: event.occurredAt,
      }));
    },
    async CustomerAgreementAccepted(event, store) {
      const { tenantId, method, acceptedOn, contact } = event.data;
      await store.collection<TenantView>(COLLECTIONS.tenants).apply(tenantId, sourceOf(event), (current) => {
        if (!current) throw new Error(`MCA accepted for a tenant the projection never saw registered (${event.streamId})`);
        return {
          ...current,
          mcaStatus: 'ACCEPTED',
          mcaStatusLabel: MCA_STATUS_LABELS.ACCEPTED,
          customerAgreement: { method, acceptedOn, contact: contact ?? null, recordedAt: event.occurredAt },
        };
      });
    },
  },
});
