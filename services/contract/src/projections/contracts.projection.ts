import { defineProjection, sourceOf } from '@lp/read-models';
import { ContractEvent } from '../domain/contract';
import { confirmedRow, createdRow } from './rows';
import { COLLECTIONS, ContractView } from './views';

/**
 * 契約一覧 / 契約詳細 from the contract service's own events. The customer's company name is not
 * copied in: it comes from order's events over the bus, which a rebuild replays only after this
 * store's events, so the service joins it at read time instead.
 */
export const contractScreensProjection = defineProjection<ContractEvent>({
  name: 'contract-screens',
  collections: [COLLECTIONS.contracts],
  // 契約一覧: scoped by reseller, filtered by status / customer / contract date, newest first.
  indexes: {
    [COLLECTIONS.contracts]: [
      { resellerId: 1, status: 1, contractDate: -1, createdAt: -1 },
      { resellerId: 1, customerId: 1, contractDate: -1, createdAt: -1 },
      { resellerId: 1, contractDate: -1, createdAt: -1 },
      { contractDate: -1, createdAt: -1 },
      { contractNumber: 1 },
    ],
  },
  on: {
    async ContractCreated(event, store) {
      await store.collection<ContractView>(COLLECTIONS.contracts).apply(event.data.contractId, sourceOf(event), () => createdRow(event.data, event.occurredAt));
    },
    async ContractConfirmed(event, store) {
      await store.collection<ContractView>(COLLECTIONS.contracts).apply(event.data.contractId, sourceOf(event), (current) => {
        if (!current) throw new Error(`ContractConfirmed for a contract the projection never saw created (${event.streamId})`);
        return confirmedRow(current, event.data, event.occurredAt);
      });
    },
  },
});
