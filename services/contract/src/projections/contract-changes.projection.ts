import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { ContractChangeEvent, contractChangeDecider } from '../domain/contract-change';
import { contractChangeRow } from './contract-change-row';
import { COLLECTIONS, ContractChangeView } from './views';

/**
 * 契約変更一覧 / 契約変更 from the `contractChange-<id>` streams. The row keeps the change's decider
 * state beside the columns, so each event is evolved exactly as the decider does and the columns
 * can never drift from the rules; company names are joined at read time (see contracts.projection).
 */
async function evolveRow(event: EventEnvelope<ContractChangeEvent>, store: ReadStore): Promise<void> {
  const changeId = event.streamId.slice('contractChange-'.length);
  await store.collection<ContractChangeView>(COLLECTIONS.changes).apply(changeId, sourceOf(event), (current) => {
    if (!current && event.type !== 'ContractChangeRequested') {
      throw new Error(`${event.type} for a contract change the projection never saw requested (${event.streamId})`);
    }
    const state = contractChangeDecider.evolve(current?.state ?? contractChangeDecider.initialState(), event);
    if (state.status === 'NONE') throw new Error(`${event.type} left contract change ${changeId} without state`);
    return { ...contractChangeRow(state), state, createdAt: current?.createdAt ?? event.occurredAt, updatedAt: event.occurredAt };
  });
}

const CHANGE_EVENT_TYPES: ContractChangeEvent['type'][] = [
  'ContractChangeRequested',
  'ContractChangeAccepted',
  'ContractChangeAcceptanceRevoked',
  'CancellationLinked',
  'QuantityChangeLinked',
  'VendorConfirmationRecorded',
  'VendorRefusalRecorded',
  'CancellationConfirmed',
  'QuantityChanged',
  'RenewalScheduled',
  'ContractChangeWithdrawn',
];

export const contractChangesProjection = defineProjection<ContractChangeEvent>({
  name: 'contract-changes',
  collections: [COLLECTIONS.changes],
  // 契約変更一覧: scoped by reseller, filtered by type / status / contract / customer, newest first.
  indexes: {
    [COLLECTIONS.changes]: [
      { resellerId: 1, requestedOn: -1, createdAt: -1 },
      { resellerId: 1, status: 1, requestedOn: -1, createdAt: -1 },
      { resellerId: 1, type: 1, requestedOn: -1, createdAt: -1 },
      { resellerId: 1, customerId: 1, requestedOn: -1, createdAt: -1 },
      { contractId: 1, requestedOn: -1, createdAt: -1 },
      // Distributor staff's list over all resellers; the keys after id serve its filters and search (see the order service's orders.projection.ts).
      { requestedOn: -1, createdAt: -1, id: 1, type: 1, status: 1, contractNumber: 1, orderNumber: 1, subject: 1 },
    ],
  },
  // Searched by the list screen's q (textSearch).
  textIndexes: { [COLLECTIONS.changes]: ['contractNumber', 'orderNumber', 'subject'] },
  // 契約変更一覧 as distributor staff first see it (every change): its total kept from the start, never counted on an ask.
  countedFilters: { [COLLECTIONS.changes]: [{}] },
  on: Object.fromEntries(CHANGE_EVENT_TYPES.map((type) => [type, evolveRow])),
});
