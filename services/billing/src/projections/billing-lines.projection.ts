import { EventEnvelope } from '@lp/eventsourcing';
import { defineProjection, ReadStore, sourceOf } from '@lp/read-models';
import { BillingLineEvent, billingLineDecider } from '../domain/billing-line.decider';
import { BillingLineView, COLLECTIONS } from './views';

/** Each line's schedule, evolved by the decider itself so the runs see exactly what the stream says. */
async function evolveRow(event: EventEnvelope<BillingLineEvent>, store: ReadStore): Promise<void> {
  const lineId = event.streamId.slice('billingLine-'.length);
  await store.collection<BillingLineView>(COLLECTIONS.lines).apply(lineId, sourceOf(event), (current) => {
    const state = billingLineDecider.evolve(current ?? billingLineDecider.initialState(), event);
    if (state.status === 'NONE') throw new Error(`${event.type} for a line whose billing never started (${event.streamId})`);
    return { ...state, id: lineId, customerId: state.line.customerId, resellerId: state.line.resellerId };
  });
}

export const billingLinesProjection = defineProjection<BillingLineEvent>({
  name: 'billing-lines',
  collections: [COLLECTIONS.lines],
  indexes: { [COLLECTIONS.lines]: [{ customerId: 1 }] },
  on: { BillingLineStarted: evolveRow, BillingLineQuantityChanged: evolveRow, BillingLineCancelled: evolveRow, UsageRecorded: evolveRow },
});
