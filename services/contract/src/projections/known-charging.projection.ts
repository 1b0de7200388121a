import { LineChargingScheduled } from '@lp/integration-events';
import { defineProjection, sourceOf } from '@lp/read-models';
import { COLLECTIONS, KnownChargingView } from './views';

/**
 * Billing's charging periods (billing.events), one per contract line and product: what the contract
 * list's billing flag follows. A later event of the same schedule (its end) replaces the row.
 */
export const knownChargingProjection = defineProjection<LineChargingScheduled>({
  name: 'contract-known-charging',
  collections: [COLLECTIONS.charging],
  indexes: { [COLLECTIONS.charging]: [{ contractId: 1 }] },
  on: {
    async LineChargingScheduled(event, store) {
      const { lineId, contractId, sku, chargingFrom, chargingUntil } = event.data;
      const id = `${lineId}|${sku}`;
      await store
        .collection<KnownChargingView>(COLLECTIONS.charging)
        .apply(id, sourceOf(event), () => ({ id, lineId, contractId, sku, chargingFrom, chargingUntil: chargingUntil ?? null }));
    },
  },
});
