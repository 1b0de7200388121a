import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { EventEnvelope } from '@lp/eventsourcing';
import { ContractEvent } from '../domain/contract';
import { cancelledRow, confirmedRow, createdRow, endedRow, lineChangedRow, quantitiesChangedRow, renewedRow } from './rows';
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
      // Distributor staff's list over all resellers: keys after the (unique) id change no order; they let a status
      // filter and a search test each row from the index instead of reading it (see the order service's orders.projection.ts).
      { contractDate: -1, createdAt: -1, id: 1, status: 1, contractNumber: 1, subject: 1, orderNumber: 1 },
      { contractNumber: 1 },
    ],
  },
  // Searched by the list screen's q (textSearch).
  textIndexes: { [COLLECTIONS.contracts]: ['contractNumber', 'subject', 'orderNumber'] },
  // 契約一覧 as distributor staff first see it (every contract): its total kept from the start, never counted on an ask.
  countedFilters: { [COLLECTIONS.contracts]: [{}] },
  on: {
    async ContractCreated(event, store) {
      await store.collection<ContractView>(COLLECTIONS.contracts).apply(event.data.contractId, sourceOf(event), () => createdRow(event.data, event.occurredAt));
    },
    async ContractConfirmed(event, store) {
      await update(event, store, (current) => confirmedRow(current, event.data, event.occurredAt));
    },
    async ContractLinesCancelled(event, store) {
      await update(event, store, (current) => cancelledRow(current, event.data, event.occurredAt));
    },
    async ContractLineQuantitiesChanged(event, store) {
      await update(event, store, (current) => quantitiesChangedRow(current, event.data, event.occurredAt));
    },
    async ContractLineAutoRenewSet(event, store) {
      await update(event, store, (current) => lineChangedRow(current, event.data.lineId, (line) => ({ ...line, autoRenew: event.data.autoRenew }), event.occurredAt));
    },
    async ContractLineRenewalScheduled(event, store) {
      const scheduled = new Map(event.data.lines.map((line) => [line.lineId, line.quantity]));
      await update(event, store, (current) => ({
        ...current,
        lines: current.lines.map((line) => (scheduled.has(line.id) ? { ...line, nextTermQuantity: scheduled.get(line.id)! } : line)),
        updatedAt: event.occurredAt,
      }));
    },
    async ContractLineRenewed(event, store) {
      await update(event, store, (current) => renewedRow(current, event.data, event.occurredAt));
    },
    async ContractLineEnded(event, store) {
      await update(event, store, (current) => endedRow(current, event.data, event.occurredAt));
    },
  },
});

/** A later event of a contract: its row must exist (ContractCreated comes first on the stream). */
async function update(
  event: EventEnvelope<ContractEvent & { data: { contractId: string } }>,
  store: ReadStore,
  change: (current: ContractView) => ContractView,
): Promise<void> {
  await store.collection<ContractView>(COLLECTIONS.contracts).apply(event.data.contractId, sourceOf(event), (current) => {
    if (!current) throw new Error(`${event.type} for a contract the projection never saw created (${event.streamId})`);
    return change(current);
  });
}
